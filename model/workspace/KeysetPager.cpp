#include "workspace/KeysetPager.h"

#include "core/Sqlite.h"
#include "workspace/ReadConnection.h"

#include <algorithm>
#include <optional>

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
    if (!q.buckets.isEmpty()) {
        index.rowsBefore.reserve(q.buckets.counts.size());
        for (const auto& [bucket, rows] : q.buckets.counts) {
            index.rowsBefore.append(index.rowCount);
            index.rowCount += rows;
        }
        return index;
    }
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

namespace {
// Index of the bucket holding row `row` (ascending order).
qsizetype bucketOf(const KeysetIndex& index, qint64 row)
{
    const auto it = std::upper_bound(index.rowsBefore.begin(), index.rowsBefore.end(), row);
    return std::max<qsizetype>(0, (it - index.rowsBefore.begin()) - 1);
}

// The (time, id) of row `row` in ascending order: the row at its offset within its bucket.
std::optional<QPair<QVariant, qint64>> rowKeyAt(SqliteDb& db, const KeysetQuery& q, const KeysetIndex& index, qint64 row)
{
    const qsizetype b = bucketOf(index, row);
    const qint64 start = q.buckets.counts[b].first * q.buckets.bucketMs;
    SqlFragment where = q.where;
    where.andWith({QStringLiteral("%1 >= ? AND %1 < ?").arg(q.buckets.timeKey), {start, start + q.buckets.bucketMs}});
    const QString sql = QStringLiteral("SELECT %1, %2 FROM %3 WHERE %4 ORDER BY %1, %2 LIMIT 1 OFFSET %5")
                            .arg(q.sortKey, q.idKey, q.from, where.sql)
                            .arg(row - index.rowsBefore[b]);
    SqliteStatement st(db, sql.toUtf8().constData());
    bindParams(st, where.params);
    if (!st.step())
        return std::nullopt;
    return QPair<QVariant, qint64>{columnVariant(st, 0), st.columnInt(1)};
}
} // namespace

QVector<QVector<QVariant>> fetchBlock(SqliteDb& db, const KeysetQuery& q, const KeysetIndex& index, int block)
{
    QVector<QVector<QVariant>> rows;
    SqlFragment where = q.where;
    if (!index.rowsBefore.isEmpty()) {
        // Positions from the buckets: the block's first row, and the bucket edge its last row is within.
        const qint64 first = static_cast<qint64>(block) * KeysetIndex::kBlockRows;
        if (block < 0 || first >= index.rowCount)
            return rows;
        const qint64 n = index.rowCount;
        const qint64 startAsc = q.descending ? n - 1 - first : first;
        const qint64 endAsc = q.descending ? std::max<qint64>(0, startAsc - KeysetIndex::kBlockRows + 1)
                                           : std::min(n - 1, startAsc + KeysetIndex::kBlockRows - 1);
        const std::optional<QPair<QVariant, qint64>> anchor = rowKeyAt(db, q, index, startAsc);
        if (!anchor)
            return rows;
        const qint64 edgeBucket = q.buckets.counts[bucketOf(index, endAsc)].first;
        where.andWith({QStringLiteral("(%1, %2) %3 (?, ?)").arg(q.sortKey, q.idKey, QLatin1String(q.descending ? "<=" : ">=")),
                       {anchor->first, anchor->second}});
        // Bounds the keyset query to the buckets the block spans, so an index on (account, time) needs no sort of the rest.
        where.andWith(q.descending ? SqlFragment{QStringLiteral("%1 >= ?").arg(q.buckets.timeKey), {edgeBucket * q.buckets.bucketMs}}
                                   : SqlFragment{QStringLiteral("%1 < ?").arg(q.buckets.timeKey), {(edgeBucket + 1) * q.buckets.bucketMs}});
    } else {
        if (block < 0 || block >= index.anchors.size())
            return rows;
        where.andWith({QStringLiteral("(%1, %2) %3 (?, ?)").arg(q.sortKey, q.idKey, QLatin1String(q.descending ? "<=" : ">=")),
                       {index.anchors[block].first, index.anchors[block].second}});
    }
    const QString limit = QStringLiteral(" LIMIT %1").arg(KeysetIndex::kBlockRows);
    QString sql;
    if (q.idIsRowKey) // the block's ids by `where` and the order, then the columns of those ids only
        sql = QStringLiteral("SELECT %1, %2 FROM %3 WHERE %1 IN (SELECT %1 FROM %3 WHERE %4%5%6)")
                  .arg(q.idKey, q.columns, q.from, where.sql, order(q), limit)
              + order(q);
    else
        sql = QStringLiteral("SELECT %1, %2 FROM %3 WHERE %4").arg(q.idKey, q.columns, q.from, where.sql) + order(q) + limit;
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
