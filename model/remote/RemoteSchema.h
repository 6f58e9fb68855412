#pragma once

namespace ds {

class SqliteDb;

// Provenance of logs pulled from a server (model/remote), beside source_file:
//  - remote_pull: one row per committed pull (its source_file row): server, database, table,
//    the table's engine, the pull query, when it ran, rows and bytes received, the SHA-256 of
//    the response body (the rows are ordered by request id, so a pull of the same rows
//    gives the same digest). Never a password.
//  - remote_query: every query sent for that source, in order, with when it was sent and the
//    size and SHA-256 of its answer (description, row count, triage aggregates, the pull).
// Created by knownschema::createAll() and, in older cases, by the first pull. Writer thread.
void ensureRemoteSchema(SqliteDb& db);

// Whether the case has the tables (cases made before remote sources existed do not).
bool hasRemoteSchema(SqliteDb& db);

} // namespace ds
