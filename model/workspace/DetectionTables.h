#pragma once

#include "workspace/TableSpec.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace ds {

class SqliteDb;

// The GUI's view of the detection results (model/detect): which run to show,
// the extra account columns and the clusters table. Worker threads only.
namespace detectiontables {
// The latest finished detection run, if any.
std::optional<std::int64_t> latestRun(SqliteDb& db);
// Adds score, flag, cluster and every indicator of `run` to the accounts table.
void appendAccountColumns(SqliteDb& db, std::int64_t run, TableSpec& table);
// Flagged networks of the latest run, best first; `filter` matches label, reasons or member ids.
TableSpec clustersTable(SqliteDb& db, const QString& filter);
// account.id of a cluster's members.
std::vector<std::int64_t> clusterMembers(SqliteDb& db, std::int64_t run, std::int64_t cluster);
} // namespace detectiontables

} // namespace ds
