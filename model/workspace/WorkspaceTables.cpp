#include "workspace/WorkspaceTables.h"

#include "core/Sqlite.h"
#include "workspace/AccountFilter.h"
#include "workspace/DetectionTables.h"
#include "workspace/ReadConnection.h"
#include "workspace/ViewTables.h"

#include <algorithm>

#include <stdexcept>

namespace ds::workspace {

bool tableExists(SqliteDb& db, const char* name)
{
    SqliteStatement st(db, "SELECT 1 FROM sqlite_master WHERE type IN ('table','view') AND name = ?");
    st.bindText(1, name);
    return st.step();
}

TableSpec accountsTable(SqliteDb& db, const ViewScope& scope)
{
    TableSpec t;
    t.from = QStringLiteral("account a");
    t.idKey = QStringLiteral("a.id");
    t.idIsRowKey = true;
    t.where = scopesql::accountCondition(scope);
    // Per-account figures are computed for the rows shown only, through the
    // request(account, ts) index; within a brushed range they count that range.
    const QString inRange = scope.hasTime()
                                ? QStringLiteral(" AND r.ts >= %1 AND r.ts < %2").arg(*scope.fromMs).arg(*scope.toMs)
                                : QString();
    QString count = QStringLiteral("(SELECT COUNT(*) FROM request r WHERE r.account = a.id%1)").arg(inRange);
    QString first = QStringLiteral("(SELECT MIN(r.ts) FROM request r WHERE r.account = a.id%1)").arg(inRange);
    QString last = QStringLiteral("(SELECT MAX(r.ts) FROM request r WHERE r.account = a.id%1)").arg(inRange);
    const std::optional<std::int64_t> run = detectiontables::latestRun(db);
    if (!scope.hasTime() && run && viewtables::current(db, *run)) {
        // Over the whole case the run's per-account figures are the same numbers, one row read each instead
        // of counting the account's requests (sorting a million accounts by requests counted the whole table).
        auto result = [&](const char* col) {
            return QStringLiteral("(SELECT %1 FROM account_result WHERE run = %2 AND account = a.id)").arg(QLatin1String(col)).arg(*run);
        };
        count = QStringLiteral("COALESCE(%1, 0)").arg(result("requests")); // an account without requests has no row
        first = result("first_ts");
        last = result("last_ts");
    }
    t.columns = {
        {QStringLiteral("Account"), QStringLiteral("a.account_id"), QStringLiteral("a.account_id"), ColumnRole::Account,
         QStringLiteral("The account id as it appears in the logs.")},
    };
    t.columns += {
        {QStringLiteral("Requests"), count, count, ColumnRole::Integer,
         QStringLiteral("Requests of this account in the current time range.")},
        {QStringLiteral("First request"), first, QStringLiteral("COALESCE(%1, 0)").arg(first), ColumnRole::Time,
         QStringLiteral("Time of the account's first request in the current range (UTC).")},
        {QStringLiteral("Last request"), last, QStringLiteral("COALESCE(%1, 0)").arg(last), ColumnRole::Time,
         QStringLiteral("Time of the account's last request in the current range (UTC).")},
        {QStringLiteral("Created"), QStringLiteral("a.created_at"), QStringLiteral("COALESCE(a.created_at, 0)"),
         ColumnRole::Time, QStringLiteral("When the account was opened, from the accounts file (UTC).")},
        {QStringLiteral("E-mail domain"), QStringLiteral("(SELECT value FROM email_domain WHERE id = a.email_domain)"),
         QString(), ColumnRole::EmailDomain, QStringLiteral("Domain of the sign-up e-mail address.")},
        {QStringLiteral("Payment fingerprint"),
         QStringLiteral("(SELECT value FROM payment_fingerprint WHERE id = a.payment_fingerprint)"), QString(),
         ColumnRole::PaymentFingerprint, QStringLiteral("Stable hash of the payment instrument; shared values link accounts.")},
        {QStringLiteral("Country"), QStringLiteral("a.billing_country"), QStringLiteral("COALESCE(a.billing_country, '')"),
         ColumnRole::Text, QStringLiteral("Billing country (ISO 3166-1 alpha-2).")},
        {QStringLiteral("Tier"), QStringLiteral("a.tier"), QStringLiteral("COALESCE(a.tier, '')"), ColumnRole::Text,
         QStringLiteral("Plan or rate-limit tier.")},
        {QStringLiteral("Verified"), QStringLiteral("a.verified"), QStringLiteral("COALESCE(a.verified, -1)"),
         ColumnRole::Bool, QStringLiteral("Whether the account passed identity verification.")},
    };
    if (run)
        detectiontables::appendAccountColumns(db, *run, t);
    if (!scope.accountFilter.trimmed().isEmpty()) {
        if (!run)
            throw std::runtime_error("indicator filters need a finished detection run");
        t.where.andWith(accountFilterCondition(db, *run, scope.accountFilter));
    }
    return t;
}

namespace {
// A flagged network's requests in time order need no key pass over them: detection stored how many
// fall in each quarter hour (workspace/ViewTables.h). Only when the scope is exactly the network's accounts,
// or has no condition at all (the whole case, counted per quarter hour too).
TimeBuckets requestBuckets(SqliteDb& db, const ViewScope& scope)
{
    std::vector<std::pair<std::int64_t, std::int64_t>> slotCounts;
    if (scopesql::requestCondition(scope).isEmpty()) {
        if (const std::optional<std::int64_t> run = detectiontables::latestRun(db))
            slotCounts = viewtables::caseSlots(db, *run);
    } else if (const std::optional<viewtables::NetworkRef> net = viewtables::networkOfScope(db, scope)) {
        slotCounts = viewtables::clusterSlots(db, net->run, net->cluster);
    }
    TimeBuckets b;
    if (slotCounts.empty())
        return b;
    b.timeKey = QStringLiteral("r.ts");
    b.bucketMs = viewtables::kSlotMs;
    for (const auto& [slot, rows] : slotCounts)
        b.counts.append({slot, rows});
    return b;
}
} // namespace

TableSpec requestsTable(SqliteDb& db, const ViewScope& scope)
{
    TableSpec t;
    t.from = QStringLiteral("request r JOIN account a ON a.id = r.account");
    t.idKey = QStringLiteral("r.id");
    t.idIsRowKey = true; // one account per request
    t.where = scopesql::requestCondition(scope);
    t.columns = {
        {QStringLiteral("Time (UTC)"), QStringLiteral("r.ts"), QStringLiteral("r.ts"), ColumnRole::Time,
         QStringLiteral("When the request arrived.")},
        {QStringLiteral("Account"), QStringLiteral("a.account_id"), QString(), ColumnRole::Account,
         QStringLiteral("The account that sent the request.")},
        {QStringLiteral("Model"), QStringLiteral("(SELECT value FROM model WHERE id = r.model)"), QString(), ColumnRole::Model,
         QStringLiteral("Model asked for.")},
        {QStringLiteral("IP"), QStringLiteral("(SELECT value FROM ip WHERE id = r.ip)"), QString(), ColumnRole::Ip,
         QStringLiteral("Client address.")},
        {QStringLiteral("User agent"), QStringLiteral("(SELECT value FROM user_agent WHERE id = r.user_agent)"), QString(),
         ColumnRole::UserAgent, QStringLiteral("Client User-Agent, as sent (attacker controlled).")},
        {QStringLiteral("Input tokens"), QStringLiteral("r.prompt_tokens"), QStringLiteral("COALESCE(r.prompt_tokens, -1)"),
         ColumnRole::Integer, QStringLiteral("Input tokens billed.")},
        {QStringLiteral("Output tokens"), QStringLiteral("r.completion_tokens"),
         QStringLiteral("COALESCE(r.completion_tokens, -1)"), ColumnRole::Integer, QStringLiteral("Output tokens billed.")},
        {QStringLiteral("Stop"), QStringLiteral("(SELECT value FROM stop_reason WHERE id = r.stop_reason)"), QString(),
         ColumnRole::Text, QStringLiteral("Why the answer ended; max_tokens means the output cap was hit.")},
        {QStringLiteral("Template"), QStringLiteral("printf('%016x', " DS_TEMPLATE_KEY_SQL ")"), QString(), ColumnRole::Template,
         QStringLiteral("Fingerprint of the prompt's template (the one the STIX export shares): the prompt with numbers, names, quoted text and code masked.")},
        {QStringLiteral("Prompt"), QStringLiteral("(SELECT substr(ds_text(prompt), 1, 400) FROM request_text WHERE id = r.id)"),
         QString(), ColumnRole::Prompt, QStringLiteral("Start of the prompt, as plain text (attacker controlled).")},
    };
    t.buckets = requestBuckets(db, scope);
    if (!t.buckets.isEmpty())
        t.bucketsColumn = 0;
    return t;
}

bool requestInScope(SqliteDb& db, const ViewScope& scope, std::int64_t requestRowId)
{
    const SqlFragment where = scopesql::requestCondition(scope);
    const QString sql = QStringLiteral("SELECT 1 FROM request r JOIN account a ON a.id = r.account WHERE %1r.id = ?")
                            .arg(where.isEmpty() ? QString() : QStringLiteral("(%1) AND ").arg(where.sql));
    SqliteStatement st(db, sql.toUtf8().constData());
    bindParams(st, where.params);
    st.bind(int(where.params.size()) + 1, requestRowId);
    return st.step();
}

TableSpec quarantineTable()
{
    TableSpec t;
    t.from = QStringLiteral("quarantine q JOIN source_file f ON f.id = q.source_file");
    t.idKey = QStringLiteral("q.id");
    t.columns = {
        {QStringLiteral("File"), QStringLiteral("f.path"), QStringLiteral("f.path"), ColumnRole::Text,
         QStringLiteral("The file the record came from.")},
        {QStringLiteral("Line"), QStringLiteral("q.line"), QStringLiteral("q.line"), ColumnRole::Ordinal,
         QStringLiteral("Line number in that file (1-based).")},
        {QStringLiteral("Reason"), QStringLiteral("q.reason"), QStringLiteral("q.reason"), ColumnRole::Text,
         QStringLiteral("Why the record could not be read.")},
        {QStringLiteral("Raw text"), QStringLiteral("CAST(substr(q.raw, 1, 2000) AS TEXT)"), QString(), ColumnRole::Prompt,
         QStringLiteral("The record's bytes as read, shown as plain text.")},
    };
    return t;
}

TableSpec conflictsTable(SqliteDb& db)
{
    // The kept copy in the same JSON shape as the stored other copy (RequestConflicts.cpp: keys sorted, absent
    // fields left out).
    static const char* const kKeptJson = R"SQL(
        (SELECT json_group_object(key, value) FROM (SELECT key, value FROM json_each(json_object(
            'request_id', c.request_id,
            'timestamp', strftime('%Y-%m-%dT%H:%M:%S', r.ts / 1000, 'unixepoch') || printf('.%03dZ', r.ts % 1000),
            'account_id', (SELECT account_id FROM account WHERE id = r.account),
            'org_id', (SELECT value FROM org WHERE id = r.org),
            'api_key_id', (SELECT value FROM api_key WHERE id = r.api_key),
            'ip', (SELECT value FROM ip WHERE id = r.ip),
            'user_agent', (SELECT value FROM user_agent WHERE id = r.user_agent),
            'model', (SELECT value FROM model WHERE id = r.model),
            'endpoint', (SELECT value FROM endpoint WHERE id = r.endpoint),
            'system_prompt', (SELECT value FROM system_prompt WHERE id = r.system_prompt),
            'stop_reason', (SELECT value FROM stop_reason WHERE id = r.stop_reason),
            'prompt_tokens', r.prompt_tokens, 'completion_tokens', r.completion_tokens, 'max_tokens', r.max_tokens,
            'latency_ms', r.latency_ms, 'status', r.status,
            'prompt', nullif(substr(ds_text(t.prompt), 1, 2000), ''), 'tools', nullif(ds_text(t.tools), ''),
            'extra', nullif(ds_text(t.extra), '')))
         WHERE type <> 'null' ORDER BY key)))SQL";
    TableSpec t;
    if (tableExists(db, "request_conflict")) {
        t.from = QStringLiteral("(SELECT c.id AS id, c.request_id AS request_id, c.differs AS differs, "
                                "kf.path || ':' || r.line AS kept_at, %1 AS kept, "
                                "f.path || ':' || c.line AS copy_at, substr(c.copy, 1, 2000) AS copy "
                                "FROM request_conflict c JOIN source_file f ON f.id = c.source_file "
                                "JOIN request r ON r.id = c.kept_request JOIN request_text t ON t.id = r.id "
                                "JOIN source_file kf ON kf.id = r.source_file) c")
                     .arg(QString::fromLatin1(kKeptJson));
    } else {
        t.from = QStringLiteral("(SELECT 0 AS id, '' AS request_id, '' AS differs, '' AS kept_at, '' AS kept, "
                                "'' AS copy_at, '' AS copy WHERE 0) c");
    }
    t.idKey = QStringLiteral("c.id");
    t.columns = {
        {QStringLiteral("Request id"), QStringLiteral("c.request_id"), QStringLiteral("c.request_id"), ColumnRole::Text,
         QStringLiteral("The request_id read more than once with different content (attacker controlled).")},
        {QStringLiteral("Differs in"), QStringLiteral("c.differs"), QStringLiteral("c.differs"), ColumnRole::Text,
         QStringLiteral("The fields whose values differ between the two copies.")},
        {QStringLiteral("Kept copy"), QStringLiteral("c.kept"), QString(), ColumnRole::Prompt,
         QStringLiteral("The kept copy's fields, shown as plain text.")},
        {QStringLiteral("Other copy"), QStringLiteral("c.copy"), QString(), ColumnRole::Prompt,
         QStringLiteral("The differing copy's fields as read, shown as plain text.")},
        {QStringLiteral("Kept copy from"), QStringLiteral("c.kept_at"), QString(), ColumnRole::Text,
         QStringLiteral("File and line of the copy read first, which the case keeps as the request.")},
        {QStringLiteral("Other copy from"), QStringLiteral("c.copy_at"), QString(), ColumnRole::Text,
         QStringLiteral("File and line of the differing copy, which is kept here only.")},
    };
    return t;
}

} // namespace ds::workspace
