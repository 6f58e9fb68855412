#include "workspace/ReadConnection.h"

#include "core/CaseDatabase.h"

#include <QVariant>

#include <map>
#include <sqlite3.h>

namespace ds {

namespace {
thread_local std::map<QString, SqliteDb> t_connections;
}

SqliteDb& readConnection(const QString& casePath)
{
    auto it = t_connections.find(casePath);
    if (it == t_connections.end())
        it = t_connections.emplace(casePath, CaseDatabase::openForReading(casePath)).first;
    return it->second;
}

void closeReadConnections() { t_connections.clear(); }

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
