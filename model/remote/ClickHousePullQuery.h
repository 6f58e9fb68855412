#pragma once

#include "remote/ClickHouseTable.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

namespace ds {

class FieldMapping;

// The SELECT that pulls a table's requests for the importer:
//   SELECT <each column the format reads, as the importer expects it>
//   FROM (SELECT <those columns> FROM db.table [FINAL] WHERE <time range>) ORDER BY <request id> FORMAT JSONEachRow
// Only the columns the format (a preset's FieldMapping) names are read, so a wide table sends
// what is needed. Values are shaped where ClickHouse holds them differently from a log file:
// DateTime and DateTime64 become RFC 3339 UTC text ("2026-02-01T00:00:43Z"), whatever the
// server's time zone; an empty string becomes null (absent), as Helicone's and Langfuse's
// tables write "" for "not set". The time range reads DateTime, DateTime64, epoch-millisecond
// integers and text times (parseDateTimeBestEffort); DateTime compares at whole seconds. The
// rows are ordered by request id, so the same rows give the same bytes and the same SHA-256.
// Runs on ClickHouse 18.16 and later: no DateTime64, Map, Bool or JSONExtract functions are needed.
// A value: any thread.
struct ClickHousePullQuery
{
    QString sql;
    QStringList columns;     // the table's columns read, in order
    QString requestIdColumn; // what the rows are ordered by
    QString timestampColumn; // what the time range filters on
    QString where;           // the range condition on the table's own columns, empty without a range

    // Builds the query, or nullopt with *error one sentence naming the columns the format needs and
    // the table lacks (request id, timestamp and account must be there). `sinceMs` inclusive,
    // `untilMs` exclusive.
    static std::optional<ClickHousePullQuery> build(const ClickHouseTableInfo& table, const FieldMapping& mapping,
                                                    std::optional<std::int64_t> sinceMs,
                                                    std::optional<std::int64_t> untilMs, QString* error);
    // "SELECT count() FROM db.table [FINAL] [WHERE range]": how many rows the pull will read.
    QString countSql(const ClickHouseTableInfo& table) const;
};

// The condition `column` (of ClickHouse type `type`, quoted name) >= since and < until, or empty without bounds.
QString timeRangeCondition(const QString& quotedColumn, const QString& type, std::optional<std::int64_t> sinceMs,
                           std::optional<std::int64_t> untilMs);

} // namespace ds
