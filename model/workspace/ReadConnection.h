#pragma once

#include "core/Sqlite.h"

#include <QString>
#include <QVariantList>

#include <cstddef>

namespace ds {

class CancelToken;

// The calling thread's own read-only connection to a case, opened once per
// thread and path (opening checks the file's integrity, too slow to repeat for
// every page of a table). Worker threads only; never the GUI thread.
SqliteDb& readConnection(const QString& casePath);

// Drops the calling thread's connections (e.g. before a case file is replaced).
void closeReadConnections();

// The case at `casePath` was closed: every thread drops its read connection to it, each its own
// (a connection belongs to its thread), the next time it asks for any connection or calls
// dropRetiredReadConnections(). A connection opened to the path after this is kept. Any thread.
void retireReadConnections(const QString& casePath);
// Drops the calling thread's connections to retired cases (readConnection does it first too).
void dropRetiredReadConnections();
// The calling thread's open read connections.
std::size_t readConnectionCount();

// Watches `token` on `db` (SqliteDb::watchCancel) for its own lifetime only. A read connection
// serves every loader that runs on its thread: a watch left behind after a scan threw (or was
// cancelled) would interrupt the next loader's queries and point at a token already freed.
class ScopedCancelWatch
{
public:
    ScopedCancelWatch(SqliteDb& db, const CancelToken* token)
        : m_db(db)
    {
        m_db.watchCancel(token);
    }
    ~ScopedCancelWatch() { m_db.watchCancel(nullptr); }
    ScopedCancelWatch(const ScopedCancelWatch&) = delete;
    ScopedCancelWatch& operator=(const ScopedCancelWatch&) = delete;

private:
    SqliteDb& m_db;
};

// Binds positional parameters (qint64, double, QString, null) to a statement, from index `first`.
void bindParams(SqliteStatement& st, const QVariantList& params, int first = 1);

// A column as a QVariant (integer, real, text or null).
QVariant columnVariant(const SqliteStatement& st, int col);

} // namespace ds
