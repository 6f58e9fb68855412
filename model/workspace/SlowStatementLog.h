#pragma once

namespace ds {

class SqliteDb;

// A diagnostic for the views' latency at scale: with DS_SLOW_QUERY_MS=N in the
// environment, every statement on `db` that runs longer than N ms is logged
// under ds.storage (its SQL with the parameters unexpanded, and its time), so a
// benchmark shows which query a click waited for. Without the variable it does
// nothing. Call on the thread that owns `db`, once after opening it.
void logSlowStatements(SqliteDb& db);

} // namespace ds
