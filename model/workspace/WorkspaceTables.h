#pragma once

#include "workspace/Scope.h"
#include "workspace/TableSpec.h"

namespace ds {

class SqliteDb;

// The tables of the investigation workspace, restricted to a scope. The SQL
// depends on which optional tables exist (detection results), so each builder
// looks at the database. Worker threads only.
namespace workspace {
TableSpec accountsTable(SqliteDb& db, const ViewScope& scope);
TableSpec requestsTable(SqliteDb& db, const ViewScope& scope);
TableSpec quarantineTable();
// Differing copies of one request_id (ingest/RequestConflicts.h), each beside the copy the case kept.
// Empty for a case from before the conflicts table.
TableSpec conflictsTable(SqliteDb& db);
// Whether the requests view under `scope` holds request `requestRowId` (the same condition as
// requestsTable), so a panel showing one request can drop it when the filters exclude it.
bool requestInScope(SqliteDb& db, const ViewScope& scope, std::int64_t requestRowId);
bool tableExists(SqliteDb& db, const char* name);
} // namespace workspace

} // namespace ds
