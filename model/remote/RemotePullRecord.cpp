#include "remote/RemotePullRecord.h"

#include "core/Sqlite.h"
#include "remote/RemoteSchema.h"

namespace ds {

std::map<std::int64_t, RemotePullRecord> loadRemotePulls(SqliteDb& db)
{
    std::map<std::int64_t, RemotePullRecord> out;
    if (!hasRemoteSchema(db))
        return out;
    SqliteStatement st(db, R"SQL(
        SELECT p.source_file, p.kind, p.address, p.server, p.server_version, p.database, p.table_name, p.table_engine, p.query,
               p.since_ms, p.until_ms, p.started_at, p.finished_at, p.rows_expected, p.rows, p.bytes, p.sha256,
               (SELECT count(*) FROM remote_query q WHERE q.source_file = p.source_file)
        FROM remote_pull p ORDER BY p.source_file)SQL");
    while (st.step()) {
        RemotePullRecord r;
        r.kind = st.columnText(1);
        r.address = st.columnText(2);
        r.server = st.columnText(3);
        r.serverVersion = st.columnText(4);
        r.database = st.columnText(5);
        r.table = st.columnText(6);
        r.tableEngine = st.columnText(7);
        r.query = st.columnText(8);
        r.sinceMs = st.optionalInt(9);
        r.untilMs = st.optionalInt(10);
        r.startedAt = st.columnInt(11);
        r.finishedAt = st.columnInt(12);
        r.rowsExpected = st.optionalInt(13);
        r.rows = st.columnInt(14);
        r.bytes = st.columnInt(15);
        r.sha256 = st.columnText(16);
        r.queriesSent = static_cast<int>(st.columnInt(17));
        out.emplace(st.columnInt(0), std::move(r));
    }
    return out;
}

} // namespace ds
