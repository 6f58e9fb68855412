#pragma once

namespace ds {

class SqliteDb;

// Whether the case holds a table of this name: for readers of tables that older cases lack. The thread that owns db.
bool tableExists(SqliteDb& db, const char* name);

} // namespace ds
