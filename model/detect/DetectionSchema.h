#pragma once

namespace ds {

class SqliteDb;

namespace schema {
// Version of the detection tables (meta key "detect_schema").
constexpr int kDetectSchemaVersion = 1;
extern const char* const kDetectTables;
} // namespace schema

// Creates the detection tables if missing and records their version. Writer thread.
void ensureDetectionSchema(SqliteDb& db);

} // namespace ds
