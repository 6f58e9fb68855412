#pragma once

#include "workspace/KeysetPager.h"

#include <QList>
#include <QString>

namespace ds {

// What a column holds (Ordinal: a number shown without digit grouping, like a line number), so views know which values can be pivoted on and how to format them.
enum class ColumnRole { Text, Integer, Ordinal, Real, Time, Bool, Account, Ip, UserAgent, Model, Template, PaymentFingerprint, EmailDomain, Prompt };

// One column of a table view: its header, the SQL that produces it and, when it
// can be sorted on the database side, the NULL-free sort expression.
struct ColumnSpec
{
    QString title;
    QString sql;
    QString sortKey; // empty: not sortable
    ColumnRole role = ColumnRole::Text;
    QString tooltip; // one sentence explaining the column
    // A short text that is read whole or misread (a verdict: "Needs review (was Confirmed …)"): never elided, the
    // column grows to fit every value the view shows.
    bool shownWhole = false;
};

// A table the GUI pages through with KeysetPager. Plain value type: any thread.
struct TableSpec
{
    QList<ColumnSpec> columns;
    QString from;
    QString idKey;
    // True when idKey alone names one row of `from` (a primary key): a block's columns are then computed for its
    // rows only, after they are chosen (KeysetQuery::idIsRowKey).
    bool idIsRowKey = false;
    SqlFragment where;
    int defaultSortColumn = 0;
    bool defaultDescending = false;
    // Known row counts per time bucket, which serve the sort on column `bucketsColumn` without a key pass.
    int bucketsColumn = -1;
    TimeBuckets buckets;

    KeysetQuery query(int sortColumn, bool descending) const;
};

} // namespace ds
