#pragma once

#include <QString>

#include <cstdint>
#include <map>
#include <optional>

namespace ds {

class SqliteDb;

// What the case recorded of one pull from a server (RemoteSchema.h), for the report's sources
// section and the case export. Never holds a password: none is recorded. A value: any thread.
struct RemotePullRecord
{
    QString kind;          // "clickhouse"
    QString address;       // the URL without its password
    QString server, serverVersion, database, table, tableEngine;
    QString query;         // the pull query, as sent
    std::optional<std::int64_t> sinceMs, untilMs;
    std::int64_t startedAt = 0, finishedAt = 0;
    std::optional<std::int64_t> rowsExpected;
    std::int64_t rows = 0, bytes = 0;
    QString sha256;
    int queriesSent = 0;   // every query sent for this source, the pull included (remote_query)
};

// The pulls of a case by source_file id; empty for a case without remote sources. Reader thread.
std::map<std::int64_t, RemotePullRecord> loadRemotePulls(SqliteDb& db);

} // namespace ds
