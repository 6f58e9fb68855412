#include "remote/ClickHousePullQuery.h"

#include "ingest/FieldMapping.h"

#include <QSet>

namespace ds {

namespace {

// The top-level member a mapping path starts at: "request_body.messages" -> "request_body".
QString topLevel(const std::string& path)
{
    const auto end = path.find_first_of(".[{");
    return QString::fromStdString(end == std::string::npos ? path : path.substr(0, end));
}

bool isTimeType(const QString& base)
{
    return base == QLatin1String("DateTime") || base.startsWith(QLatin1String("DateTime(")) || base.startsWith(QLatin1String("DateTime64"));
}

bool isStringType(const QString& base)
{
    return base == QLatin1String("String") || base.startsWith(QLatin1String("FixedString("));
}

bool isIntegerType(const QString& base)
{
    return base.startsWith(QLatin1String("Int")) || base.startsWith(QLatin1String("UInt"));
}

// How a column's value reaches the importer (see the class comment). `inner` is its name in the subquery.
QString shaped(const QString& inner, const QString& type)
{
    const QString base = baseType(type);
    if (isTimeType(base))
        return QStringLiteral("concat(replaceOne(toString(%1, 'UTC'), ' ', 'T'), 'Z')").arg(inner);
    if (isStringType(base))
        return QStringLiteral("nullIf(%1, '')").arg(inner);
    return inner;
}

QString secondsLiteral(std::int64_t ms, bool roundUp)
{
    std::int64_t s = ms / 1000;
    if (ms % 1000 != 0 && (ms < 0) != roundUp)
        s += roundUp ? 1 : -1;
    return QStringLiteral("toDateTime(%1)").arg(std::max<std::int64_t>(s, 0));
}

} // namespace

QString timeRangeCondition(const QString& column, const QString& type, std::optional<std::int64_t> sinceMs,
                           std::optional<std::int64_t> untilMs)
{
    if (!sinceMs && !untilMs)
        return {};
    const QString base = baseType(type);
    QString value;
    bool millis = false;
    if (isTimeType(base))
        value = column;
    else if (isIntegerType(base))
        value = column, millis = true;
    else // text: empty is absent (18.16's parseDateTimeBestEffortOrNull reads '' as the year 2000)
        value = QStringLiteral("if(%1 = '', NULL, parseDateTimeBestEffortOrNull(%1))").arg(column);
    QStringList parts;
    if (sinceMs)
        parts << QStringLiteral("%1 >= %2").arg(value, millis ? QString::number(*sinceMs) : secondsLiteral(*sinceMs, false));
    if (untilMs)
        parts << QStringLiteral("%1 < %2").arg(value, millis ? QString::number(*untilMs) : secondsLiteral(*untilMs, true));
    return parts.join(QStringLiteral(" AND "));
}

std::optional<ClickHousePullQuery> ClickHousePullQuery::build(const ClickHouseTableInfo& table, const FieldMapping& mapping,
                                                              std::optional<std::int64_t> sinceMs,
                                                              std::optional<std::int64_t> untilMs, QString* error)
{
    ClickHousePullQuery q;
    QStringList wanted;
    auto want = [&](const QString& name) {
        if (!name.isEmpty() && !wanted.contains(name))
            wanted << name;
    };
    // What must be there, by the canonical field it feeds: the first present source wins.
    QStringList idSources, timeSources, accountSources;
    for (const FieldMapping::Rule& rule : mapping.rules()) {
        if (rule.constant)
            continue;
        for (const FieldMapping::Source& s : rule.sources) {
            if (s.constant || s.path.empty())
                continue;
            const QString column = topLevel(s.path);
            want(column);
            if (rule.target == Field::RequestId)
                idSources << column;
            else if (rule.target == Field::Timestamp)
                timeSources << column;
            else if (rule.target == Field::AccountId)
                accountSources << column;
        }
    }
    if (mapping.where())
        for (const std::string& path : mapping.where()->pathTexts)
            want(topLevel(path));
    for (const auto& kept : mapping.keep())
        want(topLevel(kept.first));

    auto firstPresent = [&](const QStringList& names) {
        for (const QString& n : names)
            if (table.column(n))
                return n;
        return QString();
    };
    q.requestIdColumn = firstPresent(idSources);
    q.timestampColumn = firstPresent(timeSources);
    QStringList missing;
    if (q.requestIdColumn.isEmpty())
        missing << idSources.join(QStringLiteral(" or "));
    if (q.timestampColumn.isEmpty())
        missing << timeSources.join(QStringLiteral(" or "));
    if (firstPresent(accountSources).isEmpty())
        missing << accountSources.join(QStringLiteral(" or "));
    missing.removeAll(QString());
    if (!missing.isEmpty() || idSources.isEmpty() || timeSources.isEmpty() || accountSources.isEmpty()) {
        if (error)
            *error = QStringLiteral("the table %1.%2 has no column %3, which the %4 format needs")
                         .arg(table.database, table.table, missing.join(QStringLiteral(", nor ")),
                              mapping.formatName().isEmpty() ? QStringLiteral("canonical") : mapping.formatName());
        return std::nullopt;
    }

    QStringList inner, outer;
    for (const QString& name : wanted) {
        const ClickHouseTableInfo::Column* c = table.column(name);
        if (!c)
            continue; // an optional field this table does not hold
        const QString alias = QStringLiteral("c%1").arg(q.columns.size());
        inner << QStringLiteral("%1 AS %2").arg(quotedIdentifier(c->name), alias);
        outer << QStringLiteral("%1 AS %2").arg(shaped(alias, c->type), quotedIdentifier(c->name));
        q.columns << c->name;
    }
    q.where = timeRangeCondition(quotedIdentifier(q.timestampColumn), table.column(q.timestampColumn)->type, sinceMs, untilMs);
    // The inner names differ from the outer ones: ClickHouse resolves WHERE against SELECT aliases,
    // and the range must compare the stored value, not its shaped text.
    q.sql = QStringLiteral("SELECT %1 FROM (SELECT %2 FROM %3%4) ORDER BY %5 FORMAT JSONEachRow")
                .arg(outer.join(QStringLiteral(", ")), inner.join(QStringLiteral(", ")), table.fromClause(),
                     q.where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + q.where, quotedIdentifier(q.requestIdColumn));
    return q;
}

QString ClickHousePullQuery::countSql(const ClickHouseTableInfo& table) const
{
    return QStringLiteral("SELECT count() FROM %1%2 FORMAT TabSeparated")
        .arg(table.fromClause(), where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where);
}

} // namespace ds
