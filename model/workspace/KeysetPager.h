#pragma once

#include "core/CancelToken.h"
#include "workspace/Scope.h"

#include <QList>
#include <QVariant>
#include <QVector>

namespace ds {

class SqliteDb;

// How many rows of a table fall in each time bucket, when the table is read in the
// order (time, id) and those counts are known beforehand (a network's requests per
// hour, workspace/ViewTables.h): any row's position is then found within its bucket,
// without a key pass over all rows. Plain value type: any thread.
struct TimeBuckets
{
    QString timeKey;                 // the time expression, e.g. "r.ts" (the sort key)
    qint64 bucketMs = 0;
    QVector<QPair<qint64, qint64>> counts; // (bucket number = floor(time / bucketMs), rows), ascending
    bool isEmpty() const { return counts.isEmpty(); }
};

// One sortable, filterable table read in blocks: `SELECT columns FROM from WHERE
// where ORDER BY sortKey, id`. Plain value type: any thread.
struct KeysetQuery
{
    QString columns;  // the displayed columns, comma separated
    QString from;     // FROM clause with its aliases
    SqlFragment where; // may be empty
    QString sortKey;  // NULL-free SQL expression (wrap nullable columns in COALESCE)
    QString idKey;    // unique row id expression, the tie breaker
    // idKey alone names one row of `from`, wherever `where` would put it: a block is then read in two steps,
    // its ids chosen by `where` and the order, then its columns for those ids only. Without it SQLite computes
    // every column of every row in the scope before it sorts them when the sort key is not an index (the
    // accounts table by score: one subquery per column, row and indicator, for the whole network).
    bool idIsRowKey = false;
    bool descending = false;
    TimeBuckets buckets; // set when sortKey is buckets.timeKey and the counts are known
};

// Where each block of kBlockRows rows starts in the sorted order, found by one
// pass over the keys (not the rows), plus the exact row count. Any thread.
struct KeysetIndex
{
    static constexpr int kBlockRows = 512;
    qint64 rowCount = 0;
    QList<QPair<QVariant, qint64>> anchors; // (sort key, id) of each block's first row
    // Without anchors, from TimeBuckets: rows before each bucket (same order as its counts).
    QVector<qint64> rowsBefore;
};

// Reads tables of millions of rows without OFFSET and without loading them:
// one key pass builds the block anchors, then each block is a keyset query
// `(sortKey, id) >= anchor LIMIT kBlockRows` served by the database. With
// TimeBuckets there is no key pass: a block's anchor is found when the block is
// fetched, by an OFFSET within one bucket. Worker threads only.
namespace keyset {
KeysetIndex buildIndex(SqliteDb& db, const KeysetQuery& q, const CancelToken* cancel = nullptr);
// Rows of block `block`: each row holds the id then the displayed columns.
QVector<QVector<QVariant>> fetchBlock(SqliteDb& db, const KeysetQuery& q, const KeysetIndex& index, int block);
} // namespace keyset

} // namespace ds
