#include "workspace/SlowStatementLog.h"

#include "core/Logging.h"
#include "core/Sqlite.h"
#include "text/DisplayText.h"

#include <QtGlobal>

#include <sqlite3.h>

namespace ds {

namespace {

// SQLITE_TRACE_PROFILE: `p` is the statement, `x` its run time in nanoseconds.
int onProfile(unsigned type, void* context, void* p, void* x)
{
    if (type != SQLITE_TRACE_PROFILE)
        return 0;
    const auto limitNs = static_cast<sqlite3_int64>(reinterpret_cast<quintptr>(context)) * 1'000'000;
    const sqlite3_int64 ns = *static_cast<sqlite3_int64*>(x);
    if (ns < limitNs)
        return 0;
    // Unexpanded: bound values (search text, ids) stay out of the log; what the code inlined is escaped.
    const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(p));
    qCInfo(lcStorage).noquote() << "slow statement" << ns / 1'000'000 << "ms:"
                                << displaytext::cell(QString::fromUtf8(sql ? sql : ""), 400);
    return 0;
}

} // namespace

void logSlowStatements(SqliteDb& db)
{
    static const int limitMs = qEnvironmentVariableIntValue("DS_SLOW_QUERY_MS");
    if (limitMs <= 0 || !db.isOpen())
        return;
    sqlite3_trace_v2(db.handle(), SQLITE_TRACE_PROFILE, &onProfile, reinterpret_cast<void*>(static_cast<quintptr>(limitMs)));
}

} // namespace ds
