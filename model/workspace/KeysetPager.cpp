#include "workspace/KeysetPager.h"

#include "core/Sqlite.h"
#include "workspace/ReadConnection.h"

namespace ds::keyset {

namespace {
QString whereClause(const KeysetQuery& q)
{
    return q.where.isEmpty() ? QString() : QStringLiteral(" WHERE (%1)").arg(q.where.sql);
}
QString order(const KeysetQuery& q)
{
    const char* dir = q.descending ? " DESC" : "";
    return QStringLiteral(" ORDER BY %1%3, %2%3").arg(q.sortKey, q.idKey, QLatin1String(dir));
}
} // namespace

KeysetIndex buildIndex(SqliteDb& db, const KeysetQuery& q, const CancelToken* cancel)
{
    KeysetIndex index;
    const QString sql = QStringLiteral("SELECT %1, %2 FROM %3").arg(q.sortKey, q.idKey, q.from) + whereClause(q) + order(q);
    const ScopedCancelWatch watch(db, cancel);
    SqliteStatement st(db, sql.toUtf8().constData());
    bindParams(st, q.where.params);
    qint64 n = 0;
    while (st.step()) {
        if (n % KeysetIndex::kBlockRows == 0) {
            if (cancel && cancel->isCancelled())
                throw Cancelled{};
            index.anchors.append({columnVariant(st, 0), st.columnInt(1)});
        }
        ++n;
    }
    index.rowCount = n;
    return index;
}

QVector<QVector<QVariant>> fetchBlock(SqliteDb& db, const KeysetQuery& q, const KeysetIndex& index, int block)
{
    QVector<QVector<QVariant>> rows;
    if (block < 0 || block >= index.anchors.size())
        return rows;
    SqlFragment where = q.where;
    where.andWith({QStringLiteral("(%1, %2) %3 (?, ?)").arg(q.sortKey, q.idKey, QLatin1String(q.descending ? "<=" : ">=")),
                   {index.anchors[block].first, index.anchors[block].second}});
    const QString sql = QStringLiteral("SELECT %1, %2 FROM %3 WHERE %4").arg(q.idKey, q.columns, q.from, where.sql) + order(q)
                        + QStringLiteral(" LIMIT %1").arg(KeysetIndex::kBlockRows);
    SqliteStatement st(db, sql.toUtf8().constData());
    bindParams(st, where.params);
    const int cols = st.columnCount();
    rows.reserve(KeysetIndex::kBlockRows);
    while (st.step()) {
        QVector<QVariant> row(cols);
        for (int c = 0; c < cols; ++c)
            row[c] = columnVariant(st, c);
        rows.append(std::move(row));
    }
    return rows;
}

} // namespace ds::keyset
