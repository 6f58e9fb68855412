#include "remote/RemoteSchema.h"

#include "core/Sqlite.h"

namespace ds {

void ensureRemoteSchema(SqliteDb& db)
{
    db.exec(R"SQL(
CREATE TABLE IF NOT EXISTS remote_pull(
    source_file INTEGER PRIMARY KEY REFERENCES source_file(id),
    kind TEXT NOT NULL,          -- 'clickhouse'
    address TEXT NOT NULL,       -- the URL without its password
    server TEXT NOT NULL,        -- host:port
    server_version TEXT NOT NULL,
    database TEXT NOT NULL,
    table_name TEXT NOT NULL,
    table_engine TEXT NOT NULL,  -- the engine holding the rows; FINAL was used when it keeps versions
    query TEXT NOT NULL,         -- the pull query, as sent
    since_ms INTEGER,            -- the time range asked for, epoch ms (until exclusive)
    until_ms INTEGER,
    started_at INTEGER NOT NULL, -- epoch ms
    finished_at INTEGER NOT NULL,
    rows_expected INTEGER,       -- count() before the pull
    rows INTEGER NOT NULL,       -- rows received
    bytes INTEGER NOT NULL,      -- response bytes received
    sha256 TEXT NOT NULL         -- of those bytes
);
CREATE TABLE IF NOT EXISTS remote_query(
    id INTEGER PRIMARY KEY,
    source_file INTEGER NOT NULL REFERENCES source_file(id),
    sent_at INTEGER NOT NULL,    -- epoch ms
    purpose TEXT NOT NULL,       -- 'version', 'describe', 'count', 'pull', or the triage's own
    query TEXT NOT NULL,
    bytes INTEGER NOT NULL,      -- size of the answer
    sha256 TEXT NOT NULL         -- of the answer
);
CREATE INDEX IF NOT EXISTS remote_query_source ON remote_query(source_file, id);
)SQL");
}

bool hasRemoteSchema(SqliteDb& db)
{
    return db.queryInt("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'remote_pull'") > 0;
}

} // namespace ds
