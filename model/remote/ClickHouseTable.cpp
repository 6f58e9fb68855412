#include "remote/ClickHouseTable.h"

#include <QDateTime>
#include <QRegularExpression>

namespace ds {

namespace {

// Rows of a TabSeparated answer, cells unescaped (the names and types we read hold no tabs, but may hold backslashes).
std::vector<QStringList> tabSeparated(const QByteArray& body)
{
    std::vector<QStringList> rows;
    for (const QByteArray& line : body.split('\n')) {
        if (line.isEmpty())
            continue;
        QStringList cells;
        for (const QByteArray& cell : line.split('\t')) {
            QByteArray out;
            for (qsizetype i = 0; i < cell.size(); ++i) {
                if (cell[i] == '\\' && i + 1 < cell.size()) {
                    const char c = cell[++i];
                    out += c == 'n' ? '\n' : c == 't' ? '\t' : c == '0' ? '\0' : c;
                } else {
                    out += cell[i];
                }
            }
            cells << QString::fromUtf8(out);
        }
        rows.push_back(cells);
    }
    return rows;
}

ClickHouseResponse noSuchTable(ClickHouseResponse r, const ClickHouseUrl& url)
{
    r.error = ClickHouseError::UnknownTable;
    r.message = QStringLiteral("ClickHouse at %1 has no table %2.%3").arg(url.server(), url.database, url.table);
    return r;
}

} // namespace

const ClickHouseTableInfo::Column* ClickHouseTableInfo::column(const QString& name) const
{
    for (const Column& c : columns)
        if (c.name == name)
            return &c;
    return nullptr;
}

QString ClickHouseTableInfo::fromClause() const
{
    return quotedIdentifier(database) + QLatin1Char('.') + quotedIdentifier(table) + (needsFinal ? QStringLiteral(" FINAL") : QString());
}

bool engineNeedsFinal(const QString& engine)
{
    static const QRegularExpression re(QStringLiteral("^(Replicated)?(Replacing|Collapsing|VersionedCollapsing)MergeTree$"));
    return re.match(engine).hasMatch();
}

QString baseType(const QString& type)
{
    QString t = type.trimmed();
    for (const QString& wrapper : {QStringLiteral("Nullable("), QStringLiteral("LowCardinality(")}) {
        while (t.startsWith(wrapper) && t.endsWith(QLatin1Char(')')))
            t = t.mid(wrapper.size(), t.size() - wrapper.size() - 1).trimmed();
    }
    if (t.startsWith(QLatin1String("Nullable(")) && t.endsWith(QLatin1Char(')'))) // LowCardinality(Nullable(String))
        t = t.mid(9, t.size() - 10).trimmed();
    return t;
}

ClickHouseResponse describeTable(ClickHouseClient& client, ClickHouseTableInfo* out, const CancelToken* cancel,
                                 const SentQueryLog& sent)
{
    auto fetch = [&](const QString& sql, QByteArray* body, const CancelToken* c, std::int64_t maxBytes) {
        const std::int64_t at = QDateTime::currentMSecsSinceEpoch();
        const ClickHouseResponse r = client.fetch(sql, body, c, maxBytes);
        if (sent)
            sent(at, sql, *body);
        return r;
    };
    const ClickHouseUrl& url = client.url();
    *out = {};
    out->database = url.database;
    out->table = url.table;
    QByteArray body;
    // engine_full names the local table of a Distributed one: Distributed(cluster, db, table[, key]).
    ClickHouseResponse r = fetch(QStringLiteral("SELECT engine, engine_full FROM system.tables WHERE database = %1 "
                                                       "AND name = %2 FORMAT TabSeparated")
                                            .arg(quotedString(url.database), quotedString(url.table)),
                                        &body, cancel, 1 << 20);
    if (!r.ok())
        return r;
    const auto tables = tabSeparated(body);
    if (tables.empty() || tables.front().size() < 2)
        return noSuchTable(r, url);
    out->engine = tables.front()[0];
    out->dataEngine = out->engine;
    if (out->engine == QLatin1String("Distributed")) {
        static const QRegularExpression args(
            QStringLiteral("^Distributed\\(\\s*'?([^,']*)'?\\s*,\\s*'?([^,']*)'?\\s*,\\s*'?([^,')]*)'?"));
        const auto m = args.match(tables.front()[1]);
        out->dataEngine.clear();
        if (m.hasMatch()) {
            QString localDb = m.captured(2).trimmed(), localTable = m.captured(3).trimmed();
            if (localDb.isEmpty() || localDb == QLatin1String("currentDatabase()"))
                localDb = url.database;
            r = fetch(QStringLiteral("SELECT engine FROM system.tables WHERE database = %1 AND name = %2 FORMAT TabSeparated")
                                 .arg(quotedString(localDb), quotedString(localTable)),
                             &body, cancel, 1 << 20);
            if (!r.ok())
                return r;
            const auto local = tabSeparated(body);
            if (!local.empty() && !local.front().isEmpty())
                out->dataEngine = local.front()[0];
        }
    }
    out->needsFinal = engineNeedsFinal(out->dataEngine);
    r = fetch(QStringLiteral("SELECT name, type FROM system.columns WHERE database = %1 AND table = %2 FORMAT TabSeparated")
                         .arg(quotedString(url.database), quotedString(url.table)),
                     &body, cancel, 16 << 20);
    if (!r.ok())
        return r;
    for (const QStringList& row : tabSeparated(body))
        if (row.size() >= 2)
            out->columns.push_back({row[0], row[1]});
    if (out->columns.empty())
        return noSuchTable(r, url);
    return r;
}

} // namespace ds
