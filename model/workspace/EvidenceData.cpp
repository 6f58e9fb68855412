#include "workspace/EvidenceData.h"
#include "workspace/SqlIdList.h"

#include "core/CancelToken.h"
#include "core/Sqlite.h"
#include "core/TableExists.h"
#include "detect/DetectionResults.h"
#include "detect/IndicatorLabel.h"
#include "detect/MemberCounts.h"
#include "detect/WhyNotFlagged.h"
#include "text/PromptSkeleton.h"
#include "workspace/ReadConnection.h"
#include "workspace/Scope.h"
#include "workspace/ViewTables.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <QHash>
#include <QSet>
#include <QtEndian>

#include <algorithm>

namespace ds {

namespace {
// The population baselines of every indicator, in indicator order; `row` maps an indicator to its entry.
void loadBaselines(SqliteDb& db, std::int64_t run, EvidenceData& e, QHash<int, int>& row)
{
    SqliteStatement base(db, "SELECT indicator, key, label, description, p50, p90, p99 FROM indicator_baseline WHERE run = ? "
                             "ORDER BY indicator");
    base.bind(1, run);
    while (base.step()) {
        row.insert(static_cast<int>(base.columnInt(0)), static_cast<int>(e.indicators.size()));
        e.indicators.append({base.columnText(1), indicatorLabel(base.columnText(1), base.columnText(2)), base.columnText(3), std::nullopt, base.columnDouble(4),
                             base.columnDouble(5), base.columnDouble(6), {}});
    }
}

void loadIndicators(SqliteDb& db, std::int64_t run, const std::vector<std::int64_t>& members, EvidenceData& e)
{
    QHash<int, int> row;
    loadBaselines(db, run, e, row);
    QHash<int, QList<double>> values;
    const QString sql = QStringLiteral("SELECT indicator, value, percentile FROM account_indicator WHERE run = ? AND account IN (%1)")
                            .arg(sqlIdList(members));
    SqliteStatement st(db, sql.toUtf8().constData());
    st.bind(1, run);
    while (st.step()) {
        const int ind = static_cast<int>(st.columnInt(0));
        if (!row.contains(ind))
            continue;
        if (!st.isNull(1))
            values[ind].append(st.columnDouble(1));
        if (!st.isNull(2))
            e.indicators[row[ind]].percentiles.append(st.columnDouble(2));
    }
    for (auto it = values.begin(); it != values.end(); ++it) {
        QList<double>& v = it.value();
        std::sort(v.begin(), v.end());
        e.indicators[row[it.key()]].value = v[v.size() / 2];
    }
}

// A network's indicators as detection stored them (view_cluster_indicator): one row per indicator, where the live
// path reads one per member and indicator (a million rows for a network of 23,000). False when the run's views
// predate that table: then they are read live.
bool loadIndicatorsFromViews(SqliteDb& db, std::int64_t run, std::int64_t cluster, EvidenceData& e)
{
    if (!tableExists(db, "view_cluster_indicator"))
        return false;
    QHash<int, int> row;
    loadBaselines(db, run, e, row);
    SqliteStatement st(db, "SELECT indicator, value, percentiles FROM view_cluster_indicator WHERE run = ? AND cluster = ? "
                           "ORDER BY indicator");
    st.bind(1, run);
    st.bind(2, cluster);
    bool any = false;
    while (st.step()) {
        any = true;
        const auto it = row.constFind(static_cast<int>(st.columnInt(0)));
        if (it == row.constEnd())
            continue;
        EvidenceData::Indicator& ind = e.indicators[*it];
        if (!st.isNull(1))
            ind.value = st.columnDouble(1);
        const QByteArray blob = st.columnBlob(2);
        const qsizetype n = blob.size() / static_cast<qsizetype>(sizeof(double));
        ind.percentiles.resize(n);
        for (qsizetype i = 0; i < n; ++i)
            ind.percentiles[i] = qFromLittleEndian<double>(blob.constData() + i * static_cast<qsizetype>(sizeof(double)));
    }
    if (!any)
        e.indicators.clear();
    return any;
}

void loadShared(SqliteDb& db, std::int64_t run, bool viewCounts, const std::vector<std::int64_t>& members, EvidenceData& e)
{
    const QString ids = sqlIdList(members);
    const int minMembers = members.size() > 1 ? 2 : 1;
    // Which IPs and user agents each member used: distinct pairs through the (account, ts) index.
    QHash<std::int64_t, QSet<std::int64_t>> ipAccounts, uaAccounts;
    {
        SqliteStatement st(db, QStringLiteral("SELECT DISTINCT account, ip, user_agent FROM request WHERE account IN (%1)")
                                   .arg(ids)
                                   .toUtf8()
                                   .constData());
        while (st.step()) {
            if (!st.isNull(1))
                ipAccounts[st.columnInt(1)].insert(st.columnInt(0));
            if (!st.isNull(2))
                uaAccounts[st.columnInt(2)].insert(st.columnInt(0));
        }
    }
    QHash<std::int64_t, QString> ipValue, uaValue;
    auto lookup = [&](const char* table, std::int64_t id) {
        SqliteStatement st(db, (std::string("SELECT value FROM ") + table + " WHERE id = ?").c_str());
        st.bind(1, id);
        return st.step() ? st.columnText(0) : QString();
    };
    QHash<QString, QSet<std::int64_t>> netAccounts;
    for (auto it = ipAccounts.begin(); it != ipAccounts.end(); ++it) {
        ipValue[it.key()] = lookup("ip", it.key());
        netAccounts[scopesql::networkPrefix(ipValue[it.key()])] += it.value();
    }
    auto top = [&](const QHash<std::int64_t, QSet<std::int64_t>>& m) {
        std::vector<std::pair<std::int64_t, int>> v;
        for (auto it = m.begin(); it != m.end(); ++it)
            if (it.value().size() >= minMembers)
                v.emplace_back(it.key(), static_cast<int>(it.value().size()));
        std::sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
        if (v.size() > 12)
            v.resize(12);
        return v;
    };
    const auto topIps = top(ipAccounts);
    const auto topUas = top(uaAccounts);
    std::vector<std::pair<QString, int>> topNets;
    for (auto it = netAccounts.begin(); it != netAccounts.end(); ++it)
        if (it.value().size() >= minMembers)
            topNets.emplace_back(it.key(), static_cast<int>(it.value().size()));
    std::sort(topNets.begin(), topNets.end(), [](auto& a, auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
    if (topNets.size() > 8)
        topNets.resize(8);

    // Case-wide sharing: one pass over the requests that use any of these values.
    QSet<std::int64_t> netIpIds;
    QHash<std::int64_t, QString> netOfIp;
    QHash<QString, std::int64_t> caseCount; // from the views: "ip:ID", "ua:ID", "net:PREFIX"
    if (!viewCounts) {
        SqliteStatement st(db, "SELECT id, value FROM ip");
        while (st.step()) {
            const QString prefix = scopesql::networkPrefix(st.columnText(1));
            for (const auto& [net, n] : topNets)
                if (prefix == net) {
                    netIpIds.insert(st.columnInt(0));
                    netOfIp.insert(st.columnInt(0), net);
                }
        }
    }
    QStringList ipIds, uaIds;
    for (const auto& [id, n] : topIps)
        ipIds << QString::number(id);
    for (std::int64_t id : netIpIds)
        ipIds << QString::number(id);
    for (const auto& [id, n] : topUas)
        uaIds << QString::number(id);
    QHash<std::int64_t, QSet<std::int64_t>> caseIp, caseUa;
    QHash<QString, QSet<std::int64_t>> caseNet;
    // With current views the case-wide counts are rows of view_value_accounts; without, one pass
    // over the requests (no index on ip or user_agent: a scan of the whole table).
    if (viewCounts) {
        SqliteStatement v(db, "SELECT accounts FROM view_value_accounts WHERE run = ? AND kind = ? AND value = ?");
        auto count = [&](int kind, std::int64_t id) {
            v.reset();
            v.bind(1, run);
            v.bind(2, kind);
            v.bind(3, id);
            return v.step() ? v.columnInt(0) : std::int64_t(1);
        };
        SqliteStatement n(db, "SELECT accounts FROM view_network_accounts WHERE run = ? AND prefix = ?");
        auto netCount = [&](const QString& prefix) {
            n.reset();
            n.bind(1, run);
            n.bindText(2, prefix);
            return n.step() ? n.columnInt(0) : std::int64_t(1);
        };
        for (const auto& [id, count_] : topIps)
            caseCount.insert(QStringLiteral("ip:%1").arg(id), count(viewtables::Ip, id));
        for (const auto& [id, count_] : topUas)
            caseCount.insert(QStringLiteral("ua:%1").arg(id), count(viewtables::UserAgent, id));
        for (const auto& [net, count_] : topNets)
            caseCount.insert(QStringLiteral("net:") + net, netCount(net));
    } else if (!ipIds.isEmpty() || !uaIds.isEmpty()) {
        const QString sql = QStringLiteral("SELECT DISTINCT account, ip, user_agent FROM request WHERE ip IN (%1) OR user_agent IN (%2)")
                                .arg(ipIds.isEmpty() ? QStringLiteral("NULL") : ipIds.join(QLatin1Char(',')),
                                     uaIds.isEmpty() ? QStringLiteral("NULL") : uaIds.join(QLatin1Char(',')));
        SqliteStatement st(db, sql.toUtf8().constData());
        while (st.step()) {
            const std::int64_t acc = st.columnInt(0);
            if (!st.isNull(1)) {
                caseIp[st.columnInt(1)].insert(acc);
                if (netOfIp.contains(st.columnInt(1)))
                    caseNet[netOfIp[st.columnInt(1)]].insert(acc);
            }
            if (!st.isNull(2))
                caseUa[st.columnInt(2)].insert(acc);
        }
    }
    // The subject accounts' ids, to name who shares each value.
    QHash<std::int64_t, QString> accountName;
    {
        SqliteStatement st(db, QStringLiteral("SELECT id, account_id FROM account WHERE id IN (%1)").arg(ids).toUtf8().constData());
        while (st.step())
            accountName.insert(st.columnInt(0), st.columnText(1));
    }
    auto names = [&](const QSet<std::int64_t>& accounts) {
        QStringList out;
        for (std::int64_t a : accounts)
            out << accountName.value(a, QStringLiteral("#%1").arg(a));
        out.sort();
        return out;
    };
    for (const auto& [id, n] : topIps)
        e.shared.append({QStringLiteral("IP"), ipValue[id], n,
                         viewCounts ? caseCount.value(QStringLiteral("ip:%1").arg(id)) : caseIp[id].size(), names(ipAccounts[id])});
    for (const auto& [net, n] : topNets)
        e.shared.append({QStringLiteral("Network"), net + QStringLiteral("*"), n,
                         viewCounts ? caseCount.value(QStringLiteral("net:") + net) : caseNet[net].size(), names(netAccounts[net])});
    for (const auto& [id, n] : topUas)
        e.shared.append({QStringLiteral("User agent"), lookup("user_agent", id), n,
                         viewCounts ? caseCount.value(QStringLiteral("ua:%1").arg(id)) : caseUa[id].size(), names(uaAccounts[id])});

    // Payment fingerprints and e-mail domains come from the accounts file.
    for (const auto& [kind, column, table] : {std::tuple{QStringLiteral("Payment fingerprint"), "payment_fingerprint", "payment_fingerprint"},
                                              std::tuple{QStringLiteral("E-mail domain"), "email_domain", "email_domain"}}) {
        // The case-wide count: a row of the views (missing: this value's only account), else a scan of `account`.
        const int valueKind = QLatin1String(column) == QLatin1String("payment_fingerprint") ? viewtables::Payment : viewtables::EmailDomain;
        const QString caseCountSql = viewCounts ? QStringLiteral("COALESCE((SELECT accounts FROM view_value_accounts WHERE run = %1 "
                                                                 "AND kind = %2 AND value = a.%3), 1)")
                                                      .arg(run)
                                                      .arg(valueKind)
                                                      .arg(QLatin1String(column))
                                                : QStringLiteral("(SELECT COUNT(*) FROM account x WHERE x.%1 = a.%1)").arg(QLatin1String(column));
        const QString sql = QStringLiteral("SELECT v.value, COUNT(*), %5, a.%1 "
                                           "FROM account a JOIN %2 v ON v.id = a.%1 WHERE a.id IN (%3) GROUP BY a.%1 "
                                           "HAVING COUNT(*) >= %4 ORDER BY COUNT(*) DESC, a.%1 LIMIT 10")
                                .arg(QLatin1String(column), QLatin1String(table), ids)
                                .arg(minMembers)
                                .arg(caseCountSql);
        SqliteStatement st(db, sql.toUtf8().constData());
        SqliteStatement users(db, QStringLiteral("SELECT id FROM account WHERE %1 = ? AND id IN (%2)")
                                      .arg(QLatin1String(column), ids)
                                      .toUtf8()
                                      .constData());
        while (st.step()) {
            QSet<std::int64_t> accounts;
            users.reset();
            users.bind(1, st.columnInt(3));
            while (users.step())
                accounts.insert(users.columnInt(0));
            e.shared.append({kind, st.columnText(0), static_cast<int>(st.columnInt(1)), st.columnInt(2), names(accounts)});
        }
    }
}

// A template is named by its fingerprint through the one naming function (text/TemplateName.h): any request of it
// gives the same name, so its first example does.
void nameByFirstExample(SqliteDb& db, EvidenceData::Template& t)
{
    if (!t.examples.isEmpty())
        t.name = templatename::ofRequest(db, t.examples.first().requestId);
}

void loadTemplates(SqliteDb& db, const std::vector<std::int64_t>& members, QList<EvidenceData::Template>& templates)
{
    const QString ids = sqlIdList(members);
    SqliteStatement st(db, QStringLiteral("SELECT " DS_TEMPLATE_KEY_SQL " AS t, COUNT(*), COUNT(DISTINCT account) FROM request r "
                                          "WHERE account IN (%1) GROUP BY t ORDER BY COUNT(*) DESC, t LIMIT 5")
                               .arg(ids)
                               .toUtf8()
                               .constData());
    std::vector<std::int64_t> hashes;
    while (st.step()) {
        EvidenceData::Template t;
        t.hash = QStringLiteral("%1").arg(static_cast<quint64>(st.columnInt(0)), 16, 16, QLatin1Char('0'));
        t.requests = st.columnInt(1);
        t.members = static_cast<int>(st.columnInt(2));
        hashes.push_back(st.columnInt(0));
        templates.append(t);
    }
    SqliteStatement ex(db, QStringLiteral("SELECT r.id, ds_text(rt.prompt) FROM request r JOIN request_text rt ON rt.id = r.id "
                                          "WHERE r.account IN (%1) AND " DS_TEMPLATE_KEY_SQL " = ? ORDER BY r.ts, r.id LIMIT 3")
                               .arg(ids)
                               .toUtf8()
                               .constData());
    for (std::size_t i = 0; i < hashes.size(); ++i) {
        ex.bind(1, hashes[i]);
        while (ex.step()) {
            const QString prompt = ex.isNull(1) ? QString() : ex.columnText(1);
            templates[static_cast<qsizetype>(i)].examples.append(
                {ex.columnInt(0), prompt, QString::fromStdString(promptSkeleton(prompt.toStdString()))});
        }
        ex.reset();
        nameByFirstExample(db, templates[static_cast<qsizetype>(i)]);
    }
}
// A network's shared values as detection stored them (view_cluster_shared), already ranked.
void loadSharedFromViews(SqliteDb& db, std::int64_t run, std::int64_t cluster, EvidenceData& e)
{
    SqliteStatement st(db, "SELECT kind, value, members, case_accounts, accounts FROM view_cluster_shared WHERE run = ? AND "
                           "cluster = ? ORDER BY rank");
    st.bind(1, run);
    st.bind(2, cluster);
    while (st.step()) {
        QStringList accounts;
        for (const QJsonValue& v : QJsonDocument::fromJson(st.columnText(4).toUtf8()).array())
            accounts << v.toString();
        e.shared.append({st.columnText(0), st.columnText(1), static_cast<int>(st.columnInt(2)), st.columnInt(3), accounts});
    }
}

// A network's templates as detection stored them, with the example prompts read by request id.
// False when the network has none stored (too many distinct templates to keep): then they are computed live.
bool loadTemplatesFromViews(SqliteDb& db, std::int64_t run, std::int64_t cluster, QList<EvidenceData::Template>& templates)
{
    {
        SqliteStatement has(db, "SELECT has_templates FROM view_cluster WHERE run = ? AND cluster = ?");
        has.bind(1, run);
        has.bind(2, cluster);
        if (!has.step() || has.columnInt(0) == 0)
            return false;
    }
    SqliteStatement st(db, "SELECT hash, requests, members, examples FROM view_cluster_template WHERE run = ? AND cluster = ? "
                           "ORDER BY rank");
    st.bind(1, run);
    st.bind(2, cluster);
    SqliteStatement text(db, "SELECT ds_text(prompt) FROM request_text WHERE id = ?");
    while (st.step()) {
        EvidenceData::Template t;
        t.hash = QStringLiteral("%1").arg(static_cast<quint64>(st.columnInt(0)), 16, 16, QLatin1Char('0'));
        t.requests = st.columnInt(1);
        t.members = static_cast<int>(st.columnInt(2));
        for (const QString& id : st.columnText(3).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            text.reset();
            text.bind(1, id.toLongLong());
            const QString prompt = text.step() && !text.isNull(0) ? text.columnText(0) : QString();
            t.examples.append({id.toLongLong(), prompt, QString::fromStdString(promptSkeleton(prompt.toStdString()))});
        }
        nameByFirstExample(db, t);
        templates.append(t);
    }
    return true;
}
} // namespace

QList<EvidenceData::Template> EvidenceData::templatesOf(SqliteDb& db, std::int64_t run, std::int64_t cluster,
                                                       const std::vector<std::int64_t>& members, Source source)
{
    QList<Template> templates;
    if (members.empty())
        return templates;
    const bool views = source == Source::Auto && cluster > 0 && viewtables::current(db, run);
    if (!(views && loadTemplatesFromViews(db, run, cluster, templates)))
        loadTemplates(db, members, templates);
    return templates;
}

EvidenceData EvidenceData::load(SqliteDb& db, std::int64_t run, std::int64_t cluster, const std::vector<std::int64_t>& members,
                                const CancelToken* cancel, Source source)
{
    const ScopedCancelWatch watch(db, cancel);
    EvidenceData e;
    e.memberCount = static_cast<int>(members.size());
    DetectionResults results(db, run);
    if (cluster > 0) {
        SqliteStatement st(db, "SELECT label FROM cluster WHERE run = ? AND id = ?");
        st.bind(1, run);
        st.bind(2, cluster);
        e.subject = st.step() ? QStringLiteral("network %1").arg(st.columnText(0)) : QStringLiteral("network %1").arg(cluster);
        for (const auto& r : results.clusterReasons(cluster))
            e.reasons << r.text;
        e.memberCounts = MemberCounts::load(db, run, cluster).inWords();
    } else if (!members.empty()) {
        SqliteStatement st(db, "SELECT account_id FROM account WHERE id = ?");
        st.bind(1, members.front());
        e.subject = QStringLiteral("account %1").arg(st.step() ? st.columnText(0) : QString());
        for (const auto& r : results.accountReasons(members.front()))
            e.reasons << r.text;
        if (e.reasons.isEmpty())
            e.whyNotFlagged = ds::whyNotFlagged(db, run, members.front());
    }
    if (members.empty())
        return e;
    const bool views = source == Source::Auto && viewtables::current(db, run);
    if (!(views && cluster > 0 && loadIndicatorsFromViews(db, run, cluster, e)))
        loadIndicators(db, run, members, e);
    if (views && cluster > 0) {
        loadSharedFromViews(db, run, cluster, e);
    } else {
        loadShared(db, run, views, members, e);
        // Widest sharing first, whatever its kind: a payment fingerprint on 40 members tells more than an IP on 11.
        std::stable_sort(e.shared.begin(), e.shared.end(), [](const Shared& a, const Shared& b) { return a.members > b.members; });
    }
    if (cancel && cancel->isCancelled())
        throw Cancelled{};
    e.templates = templatesOf(db, run, cluster, members, source);
    return e;
}

} // namespace ds
