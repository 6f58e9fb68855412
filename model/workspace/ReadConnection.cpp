#include "workspace/ReadConnection.h"

#include "core/CaseDatabase.h"
#include "workspace/SlowStatementLog.h"

#include <QVariant>

#include <atomic>
#include <map>
#include <mutex>
#include <sqlite3.h>

namespace ds {

namespace {

struct Connection
{
    SqliteDb db;
    std::uint64_t openedAt = 0; // retirement generation when it was opened
};
thread_local std::map<QString, Connection> t_connections;
thread_local std::uint64_t t_seen = 0;

// Cases whose connections must close, with the generation each was retired at.
std::mutex g_retiredMutex;
std::map<QString, std::uint64_t> g_retired;
std::atomic<std::uint64_t> g_generation{0};

} // namespace

void dropRetiredReadConnections()
{
    const std::uint64_t now = g_generation.load();
    if (now == t_seen)
        return;
    std::lock_guard lock(g_retiredMutex);
    for (auto it = t_connections.begin(); it != t_connections.end();) {
        const auto retired = g_retired.find(it->first);
        if (retired != g_retired.end() && retired->second > it->second.openedAt)
            it = t_connections.erase(it);
        else
            ++it;
    }
    t_seen = now;
}

SqliteDb& readConnection(const QString& casePath)
{
    dropRetiredReadConnections();
    auto it = t_connections.find(casePath);
    if (it == t_connections.end()) {
        it = t_connections.emplace(casePath, Connection{CaseDatabase::openForReading(casePath), g_generation.load()}).first;
        logSlowStatements(it->second.db);
    }
    return it->second.db;
}

void closeReadConnections() { t_connections.clear(); }

void retireReadConnections(const QString& casePath)
{
    std::lock_guard lock(g_retiredMutex);
    g_retired[casePath] = ++g_generation;
}

std::size_t readConnectionCount() { return t_connections.size(); }

void bindParams(SqliteStatement& st, const QVariantList& params, int first)
{
    int i = first;
    for (const QVariant& v : params) {
        switch (v.typeId()) {
        case QMetaType::LongLong:
        case QMetaType::Int:
        case QMetaType::ULongLong:
        case QMetaType::UInt:
        case QMetaType::Bool: st.bindInt64(i, v.toLongLong()); break;
        case QMetaType::Double: st.bind(i, v.toDouble()); break;
        case QMetaType::UnknownType: st.bindNull(i); break;
        default: st.bindText(i, v.toString()); break;
        }
        ++i;
    }
}

QVariant columnVariant(const SqliteStatement& st, int col)
{
    switch (sqlite3_column_type(st.handle(), col)) {
    case SQLITE_INTEGER: return QVariant(qint64(st.columnInt(col)));
    case SQLITE_FLOAT: return QVariant(st.columnDouble(col));
    case SQLITE_NULL: return QVariant();
    default: return QVariant(st.columnText(col));
    }
}

} // namespace ds
