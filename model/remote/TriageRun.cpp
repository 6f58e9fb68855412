#include "remote/TriageRun.h"

#include "core/FileDigest.h"
#include "core/Sqlite.h"
#include "ingest/FieldMapping.h"
#include "ingest/LogFormats.h"
#include "remote/ClickHouseTable.h"
#include "remote/ClickHouseUrl.h"
#include "remote/TriagePopulation.h"
#include "remote/TriageRows.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <optional>

namespace ds {

namespace {

struct Found
{
    QString column; // as the table names it
    QString type;
    bool nested = false; // the mapping reads inside it (a JSON string)
};

// The table's columns a rule reads, in the rule's order.
std::vector<Found> sourcesOf(const ClickHouseTableInfo& table, const FieldMapping& mapping, Field field)
{
    std::vector<Found> out;
    for (const FieldMapping::Rule& rule : mapping.rules()) {
        if (rule.target != field || rule.constant)
            continue;
        for (const FieldMapping::Source& s : rule.sources) {
            if (s.constant || s.path.empty())
                continue;
            const auto end = s.path.find_first_of(".[{");
            const QString top = QString::fromStdString(end == std::string::npos ? s.path : s.path.substr(0, end));
            const bool seen = std::any_of(out.begin(), out.end(), [&](const Found& f) { return f.column == top; });
            if (const ClickHouseTableInfo::Column* c = table.column(top); c && !seen)
                out.push_back({c->name, c->type, end != std::string::npos});
        }
    }
    return out;
}

// A column as text, '' for NULL.
QString text(const Found& f) { return QStringLiteral("ifNull(toString(%1), '')").arg(quotedIdentifier(f.column)); }

// The first non-empty of the sources, as text.
QString firstText(const std::vector<Found>& sources)
{
    if (sources.empty())
        return QStringLiteral("''");
    QString expr = text(sources.back());
    for (auto it = sources.rbegin() + 1; it != sources.rend(); ++it)
        expr = QStringLiteral("if(%1 != '', %1, %2)").arg(text(*it), expr);
    return expr;
}

QString firstNumber(const std::vector<Found>& sources)
{
    return sources.empty() ? QStringLiteral("toInt64(0)") : QStringLiteral("toInt64OrZero(%1)").arg(firstText(sources));
}

QString toolsOffered(const std::vector<Found>& sources)
{
    if (sources.empty())
        return QStringLiteral("0");
    const Found& f = sources.front();
    const QString base = baseType(f.type);
    if (!f.nested && base.startsWith(QLatin1String("Array(")))
        return QStringLiteral("notEmpty(%1)").arg(quotedIdentifier(f.column));
    if (!f.nested && (base.startsWith(QLatin1String("Int")) || base.startsWith(QLatin1String("UInt"))))
        return QStringLiteral("ifNull(%1, 0) > 0").arg(quotedIdentifier(f.column));
    if (f.nested) // a request body holding a "tools" member
        return QStringLiteral("position(%1, '\"tools\"') > 0").arg(text(f));
    return QStringLiteral("%1 NOT IN ('', '0', '[]', 'null')").arg(text(f));
}

} // namespace

TriageColumns triageColumnsFor(const ClickHouseTableInfo& table, const FieldMapping& mapping, const QString& where)
{
    TriageColumns c;
    c.table = table.fromClause();
    c.where = where;
    c.account = firstText(sourcesOf(table, mapping, Field::AccountId));
    const std::vector<Found> time = sourcesOf(table, mapping, Field::Timestamp);
    c.timestampSeconds = time.empty() ? QStringLiteral("toInt64(0)")
                                      : timestampSecondsExpr(quotedIdentifier(time.front().column), time.front().type);
    c.ip = firstText(sourcesOf(table, mapping, Field::Ip));
    c.userAgent = firstText(sourcesOf(table, mapping, Field::UserAgent));
    c.systemPrompt = firstText(sourcesOf(table, mapping, Field::SystemPrompt));
    const std::vector<Found> prompt = sourcesOf(table, mapping, Field::Prompt);
    c.prompt = firstText(prompt);
    c.templatesKnown = !prompt.empty() && !prompt.front().nested;
    c.promptTokens = firstNumber(sourcesOf(table, mapping, Field::PromptTokens));
    c.completionTokens = firstNumber(sourcesOf(table, mapping, Field::CompletionTokens));
    c.stopReason = firstText(sourcesOf(table, mapping, Field::StopReason));
    c.toolsOffered = toolsOffered(sourcesOf(table, mapping, Field::Tools));
    // Nested sources hold the whole request: when system prompt and prompt are one column, read it once.
    if (c.systemPrompt == c.prompt)
        c.systemPrompt = QStringLiteral("''");
    return c;
}

QHash<QString, TriageAccountInfo> readTriageAccountInfo(SqliteDb& db, const QStringList& publicDomains)
{
    QSet<std::int64_t> publicIds;
    {
        SqliteStatement st(db, "SELECT id, value FROM email_domain");
        while (st.step())
            if (publicDomains.contains(st.columnText(1).toLower()))
                publicIds.insert(st.columnInt(0));
    }
    QHash<QString, TriageAccountInfo> out;
    SqliteStatement st(db, "SELECT account_id, created_at, email_domain, payment_fingerprint FROM account");
    while (st.step()) {
        TriageAccountInfo i;
        if (!st.isNull(1))
            i.createdAtMs = st.columnInt(1);
        const std::int64_t domain = st.isNull(2) ? 0 : st.columnInt(2);
        i.emailDomain = publicIds.contains(domain) ? 0 : domain;
        i.payment = st.isNull(3) ? 0 : st.columnInt(3);
        if (i.createdAtMs != TriageAccountInfo::kUnknown || i.emailDomain || i.payment)
            out.insert(st.columnText(0), i);
    }
    return out;
}

TriageOutcome runTriage(ClickHouseSource& source, const QHash<QString, TriageAccountInfo>& info,
                        const TriageSettings& settings, const TriageSqlOptions& sqlOptions, const CancelToken* cancel)
{
    TriageOutcome out;
    out.startedAtMs = QDateTime::currentMSecsSinceEpoch();
    const auto mapping = logformats::presetMapping(source.options().format);
    if (!mapping) {
        out.response.error = ClickHouseError::ServerError;
        out.response.message = QStringLiteral("\"%1\" is not a log format").arg(source.options().format);
        return out;
    }
    const TriageColumns columns = triageColumnsFor(source.table(), *mapping, source.query().where);
    ClickHouseClient client(source.url(), source.options().client);
    auto askWith = [&](ClickHouseClient& via, const char* purpose, const QString& sql, QByteArray* body) {
        const std::int64_t at = QDateTime::currentMSecsSinceEpoch();
        body->clear();
        out.response = via.fetch(sql, body, cancel);
        Sha256Stream digest;
        digest.add(body->constData(), static_cast<std::size_t>(body->size()));
        out.sent.push_back({at, QString::fromLatin1(purpose), sql, body->size(), digest.finish().sha256Hex});
        return out.response.ok();
    };
    auto ask = [&](const char* purpose, const QString& sql, QByteArray* body) { return askWith(client, purpose, sql, body); };
    QByteArray aggregates, templates, shared, baselines;
    if (!ask("triage accounts", accountAggregatesSql(columns, sqlOptions), &aggregates)
        || !ask("triage templates", templateSharesSql(columns, sqlOptions), &templates)
        || !ask("triage shared values", sharedValuesSql(columns, sqlOptions), &shared)
        || !ask("triage baselines", baselinesSql(columns), &baselines))
        return out;
    try {
        std::vector<TriageAccount> accounts = parseAccountAggregates(aggregates);
        mergeTemplateShares(accounts, templates);
        out.baselines = parseRemoteBaselines(baselines);
        out.accountsTotal = static_cast<std::int64_t>(accounts.size());
        TriageSettings s = settings;
        s.linkMaxAccounts = sqlOptions.linkMaxAccounts;
        s.minRequests = sqlOptions.minRequests;
        out.selection = selectCandidates(accounts, parseSharedValues(shared), info, source.expectedRows(), s);
    } catch (const TriageFormatError& e) {
        out.response.error = ClickHouseError::ServerError;
        out.response.message = QStringLiteral("The server's answer to the triage could not be read: %1.")
                                   .arg(QString::fromStdString(e.what()));
        return out;
    }
    // The population behind the chosen accounts' values, for detection's link weights and communities: asked once
    // the choice is made, since only the values of the accounts pulled are counted.
    const QStringList chosen = out.selection.accounts();
    const QString populationSql = valuePopulationSql(columns, chosen);
    ClickHouseOptions listed = source.options().client;
    // The account list travels in the POSTed query, as the pull's does: let the server read a query that long.
    if (const qsizetype bytes = populationSql.toUtf8().size() + 65536; bytes > 262144)
        listed.settings.append({QStringLiteral("max_query_size"), QString::number(bytes)});
    ClickHouseClient listedClient(source.url(), listed);
    QByteArray values, sizes, starts;
    if (!askWith(listedClient, "triage value population", populationSql, &values)
        || !ask("triage value sizes", valueSizesSql(columns), &sizes)
        || !ask("triage account starts", accountStartsSql(columns), &starts))
        return out;
    try {
        out.values = parseValuePopulation(values);
        out.valueSizes = parseValueSizes(sizes);
        out.starts = parseAccountStarts(starts);
    } catch (const TriageFormatError& e) {
        out.response.error = ClickHouseError::ServerError;
        out.response.message = QStringLiteral("The server's answer to the triage could not be read: %1.")
                                   .arg(QString::fromStdString(e.what()));
        return out;
    }
    source.restrictToAccounts(candidateFilterSql(columns, chosen), out.selection.rowsPulled, out.sent);
    out.finishedAtMs = QDateTime::currentMSecsSinceEpoch();
    return out;
}

void storeTriage(SqliteDb& db, const QString& address, const TriageOutcome& o, const TriageSettings& s)
{
    ensureTriageSchema(db);
    QJsonObject settings{{QStringLiteral("candidate_min"), s.candidateMin},
                         {QStringLiteral("row_budget_share"), s.rowBudgetShare},
                         {QStringLiteral("link_max_accounts"), s.linkMaxAccounts},
                         {QStringLiteral("infra_weight"), s.infraWeight},
                         {QStringLiteral("template_weight"), s.templateWeight}};
    SqliteStatement run(db, "INSERT INTO triage_run(address, started_at, finished_at, rows_total, rows_chosen, "
                            "accounts_total, candidates, linked, dropped, settings_json) "
                            "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    run.bindText(1, address);
    run.bind(2, o.startedAtMs);
    run.bind(3, o.finishedAtMs);
    run.bind(4, o.selection.rowsTotal);
    run.bind(5, o.selection.rowsPulled);
    run.bind(6, o.accountsTotal);
    run.bind(7, o.selection.candidates);
    run.bind(8, o.selection.linked);
    run.bind(9, o.selection.droppedCandidates + o.selection.droppedLinked);
    run.bindText(10, QString::fromUtf8(QJsonDocument(settings).toJson(QJsonDocument::Compact)));
    run.run();
    const std::int64_t id = db.lastInsertRowId();
    SqliteStatement acc(db, "INSERT INTO triage_account(run, account_id, score, why, requests) VALUES(?1, ?2, ?3, ?4, ?5)");
    for (const TriageChoice& c : o.selection.pulled) {
        acc.bind(1, id);
        acc.bindText(2, c.account);
        acc.bind(3, c.score);
        acc.bind(4, static_cast<std::int64_t>(c.why));
        acc.bind(5, c.requests);
        acc.run();
    }
    SqliteStatement base(db, "INSERT INTO triage_baseline(run, indicator, accounts, mean, percentiles_json) "
                             "VALUES(?1, ?2, ?3, ?4, ?5)");
    for (const RemoteBaseline& b : o.baselines) {
        QJsonArray q;
        for (double v : b.percentiles)
            q.append(v);
        base.bind(1, id);
        base.bindText(2, indicatorInfo(b.indicator).key);
        base.bind(3, b.accounts);
        base.bind(4, b.mean);
        base.bindText(5, QString::fromUtf8(QJsonDocument(q).toJson(QJsonDocument::Compact)));
        base.run();
    }
    storeTriagePopulation(db, id, o.values, o.valueSizes, o.starts);
}

} // namespace ds
