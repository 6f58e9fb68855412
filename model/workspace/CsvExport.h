#pragma once

#include "core/CancelToken.h"
#include "workspace/TableSpec.h"

#include <QString>

namespace ds {

class SqliteDb;

// Writes every row of a table (all columns, full values) to a CSV file (RFC 4180,
// UTF-8), streaming. Returns the rows written; throws DatabaseError or
// std::runtime_error. Worker threads only.
qint64 exportTableCsv(SqliteDb& db, const TableSpec& table, const QString& path, const CancelToken& cancel);

} // namespace ds
