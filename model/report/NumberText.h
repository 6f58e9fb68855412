#pragma once

#include <QString>

#include <cstdint>
#include <optional>

namespace ds::numbertext {

// The report's one number format, for every figure in the text, the tables and the charts: thousands
// grouped by a comma ("14,349"), a point for decimals, whatever the machine's locale. Pure: any thread.

QString count(std::int64_t v);                             // "14,349"
QString decimal(double v, int decimals);                   // "1,234.50"
QString readable(std::optional<double> v);                 // decimals by size: "1,235", "12.35", "0.123", "unknown"
// "1 request", "14,349 requests": the noun agrees with the number.
QString counted(std::int64_t v, const QString& singular, const QString& plural);

} // namespace ds::numbertext
