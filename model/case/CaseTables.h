#pragma once

namespace ds {

class SqliteDb;

namespace schema {
// Version of the case-building tables (meta key "case_schema").
constexpr int kCaseSchemaVersion = 1;
extern const char* const kCaseTables;
} // namespace schema

// Creates the analyst's tables (review states, pins, case notes, audit log) if
// missing, records their version and the case's creation time in `meta`.
// Idempotent and cheap; call on every connection that writes. Writer thread.
void ensureCaseTables(SqliteDb& db);

} // namespace ds
