#pragma once

#include "core/Sqlite.h"

#include <QString>
#include <QVariantList>

namespace ds {

// The calling thread's own read-only connection to a case, opened once per
// thread and path (opening checks the file's integrity, too slow to repeat for
// every page of a table). Worker threads only; never the GUI thread.
SqliteDb& readConnection(const QString& casePath);

// Drops the calling thread's connections (e.g. before a case file is replaced).
void closeReadConnections();

// Binds positional parameters (qint64, double, QString, null) to a statement, from index `first`.
void bindParams(SqliteStatement& st, const QVariantList& params, int first = 1);

// A column as a QVariant (integer, real, text or null).
QVariant columnVariant(const SqliteStatement& st, int col);

} // namespace ds
