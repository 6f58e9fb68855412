#pragma once

#include <QMetaType>
#include <QString>

#include <cstdint>
#include <optional>

namespace ds {

class SqliteDb;

// The size of a case at a glance, for the status bar and the banner. Plain value type.
struct DatasetInfo
{
    std::int64_t requests = 0;
    std::int64_t accounts = 0;
    std::int64_t quarantined = 0;
    std::int64_t files = 0;
    std::optional<std::int64_t> firstTs, lastTs;

    // Worker threads only.
    static DatasetInfo load(SqliteDb& db);
};

} // namespace ds

Q_DECLARE_METATYPE(ds::DatasetInfo)
