#include "workspace/TableSpec.h"

#include <QStringList>

namespace ds {

KeysetQuery TableSpec::query(int sortColumn, bool descending) const
{
    KeysetQuery q;
    QStringList cols;
    for (const ColumnSpec& c : columns)
        cols << c.sql;
    q.columns = cols.join(QStringLiteral(", "));
    q.from = from;
    q.where = where;
    q.idKey = idKey;
    q.idIsRowKey = idIsRowKey;
    const bool sortable = sortColumn >= 0 && sortColumn < columns.size() && !columns[sortColumn].sortKey.isEmpty();
    q.sortKey = sortable ? columns[sortColumn].sortKey : idKey;
    q.descending = sortable ? descending : false;
    if (sortable && sortColumn == bucketsColumn)
        q.buckets = buckets;
    return q;
}

} // namespace ds
