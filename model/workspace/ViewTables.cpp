#include "workspace/ViewTables.h"

#include "core/Logging.h"
#include "core/Sqlite.h"
#include "core/TableExists.h"
#include "detect/DetectionOutcome.h"
#include "detect/DetectionResults.h"
#include "workspace/Scope.h"
#include "workspace/TemplateHeavyHitters.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>
#include <QtEndian>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <memory>
#include <unordered_map>
#include <unordered_set>

namespace ds::viewtables {

namespace {

const char* const kTables = R"SQL(
-- What each run's views were computed from: a case that gained requests since then is served live.
CREATE TABLE IF NOT EXISTS view_run(
    run INTEGER PRIMARY KEY, version INTEGER NOT NULL,
    max_request INTEGER NOT NULL, requests INTEGER NOT NULL);

-- One row per flagged network: whether its template rows exist (networks with too many distinct templates have none).
CREATE TABLE IF NOT EXISTS view_cluster(
    run INTEGER NOT NULL, cluster INTEGER NOT NULL, requests INTEGER NOT NULL, has_templates INTEGER NOT NULL,
    PRIMARY KEY(run, cluster)) WITHOUT ROWID;

-- A network's shared values as the Evidence view lists them, widest first, with case-wide account counts.
CREATE TABLE IF NOT EXISTS view_cluster_shared(
    run INTEGER NOT NULL, cluster INTEGER NOT NULL, rank INTEGER NOT NULL,
    kind TEXT NOT NULL, value TEXT NOT NULL, members INTEGER NOT NULL, case_accounts INTEGER NOT NULL,
    accounts TEXT NOT NULL,            -- JSON array of the members' account ids that use it, sorted
    PRIMARY KEY(run, cluster, rank)) WITHOUT ROWID;

-- A network's most used templates by fingerprint (skeleton_hash), as the Templates tab lists them.
CREATE TABLE IF NOT EXISTS view_cluster_template(
    run INTEGER NOT NULL, cluster INTEGER NOT NULL, rank INTEGER NOT NULL,
    hash INTEGER NOT NULL, requests INTEGER NOT NULL, members INTEGER NOT NULL,
    examples TEXT NOT NULL,            -- ids of its first three requests by (ts, id), comma separated
    PRIMARY KEY(run, cluster, rank)) WITHOUT ROWID;

-- A network's requests per quarter hour (slot = floor(ts / 900000)): row positions of its requests in time
-- order, and its timeline.
CREATE TABLE IF NOT EXISTS view_cluster_slot(
    run INTEGER NOT NULL, cluster INTEGER NOT NULL, slot INTEGER NOT NULL, requests INTEGER NOT NULL,
    PRIMARY KEY(run, cluster, slot)) WITHOUT ROWID;

-- Accounts using each IP, user agent (with requests), payment fingerprint or e-mail domain (accounts
-- file) across the case; kind 0 IP, 1 user agent, 2 payment, 3 e-mail domain. Values used by one
-- account only are left out (a value shown is used by its subject, so a missing row means 1).
CREATE TABLE IF NOT EXISTS view_value_accounts(
    run INTEGER NOT NULL, kind INTEGER NOT NULL, value INTEGER NOT NULL, accounts INTEGER NOT NULL,
    PRIMARY KEY(run, kind, value)) WITHOUT ROWID;

-- The same for networks, named by their text prefix ("203.0.113." for a /24, three groups for a /48).
CREATE TABLE IF NOT EXISTS view_network_accounts(
    run INTEGER NOT NULL, prefix TEXT NOT NULL, accounts INTEGER NOT NULL,
    PRIMARY KEY(run, prefix)) WITHOUT ROWID;

-- The whole case's requests per quarter hour: row positions of the unscoped Requests table in time order, the
-- unscoped timeline (with view_cluster_slot, what no network sent) and its heat map.
CREATE TABLE IF NOT EXISTS view_case_slot(
    run INTEGER NOT NULL, slot INTEGER NOT NULL, requests INTEGER NOT NULL,
    PRIMARY KEY(run, slot)) WITHOUT ROWID;

-- A network's indicators as the Evidence view shows them: the members' median value and each member's percentile
-- in the population, so a selection reads one row per indicator instead of one per member and indicator.
CREATE TABLE IF NOT EXISTS view_cluster_indicator(
    run INTEGER NOT NULL, cluster INTEGER NOT NULL, indicator INTEGER NOT NULL,
    value REAL,                        -- the members' median value (the upper one of an even count); NULL: none has one
    percentiles BLOB NOT NULL,         -- the members' percentiles (0..1) in account order, little-endian doubles
    PRIMARY KEY(run, cluster, indicator)) WITHOUT ROWID;

-- Each model's first request in the case (the timeline's release markers).
CREATE TABLE IF NOT EXISTS view_model_first(
    run INTEGER NOT NULL, model INTEGER NOT NULL, first_ts INTEGER NOT NULL,
    PRIMARY KEY(run, model)) WITHOUT ROWID;
)SQL";

std::int64_t floorDiv(std::int64_t a, std::int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

QString textOf(SqliteDb& db, const char* table, std::int64_t id)
{
    SqliteStatement st(db, (std::string("SELECT value FROM ") + table + " WHERE id = ?").c_str());
    st.bind(1, id);
    return st.step() ? st.columnText(0) : QString();
}

QString jsonNames(const std::vector<std::uint32_t>& accounts, const QHash<std::uint32_t, QString>& names)
{
    QStringList list;
    list.reserve(static_cast<qsizetype>(accounts.size()));
    for (std::uint32_t a : accounts)
        list << names.value(a, QStringLiteral("#%1").arg(a));
    list.sort();
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact));
}

// Case-wide figures every network's evidence refers to.
struct CaseCounts
{
    std::vector<std::int32_t> ipPrefix;      // ip.id -> index into prefixes (-1: none)
    std::vector<QString> prefixes;
    std::vector<std::uint32_t> ipAccounts;   // ip.id -> accounts with requests from it
    std::vector<std::uint32_t> uaAccounts;
    std::vector<std::uint32_t> netAccounts;  // prefix index -> accounts
    std::unordered_map<std::int64_t, std::uint32_t> paymentAccounts, emailAccounts; // accounts file, all accounts
    std::unordered_map<std::uint32_t, std::pair<std::int64_t, std::int64_t>> accountPaymentEmail; // members only
};

template<typename V>
std::uint32_t at(const std::vector<V>& v, std::size_t i)
{
    return i < v.size() ? static_cast<std::uint32_t>(v[i]) : 0;
}

CaseCounts countCase(SqliteDb& db, const std::vector<AccountProfile>& profiles)
{
    CaseCounts c;
    {
        QHash<QString, std::int32_t> prefixIndex;
        SqliteStatement st(db, "SELECT id, value FROM ip");
        while (st.step()) {
            const auto id = static_cast<std::size_t>(st.columnInt(0));
            if (id >= c.ipPrefix.size())
                c.ipPrefix.resize(id + 1, -1);
            const QString prefix = scopesql::networkPrefix(st.columnText(1));
            auto it = prefixIndex.find(prefix);
            if (it == prefixIndex.end()) {
                it = prefixIndex.insert(prefix, static_cast<std::int32_t>(c.prefixes.size()));
                c.prefixes.push_back(prefix);
            }
            c.ipPrefix[id] = *it;
        }
    }
    c.netAccounts.assign(c.prefixes.size(), 0);
    std::vector<std::int32_t> nets;
    for (const AccountProfile& p : profiles) {
        nets.clear();
        for (std::uint32_t ip : p.ips) {
            if (ip >= c.ipAccounts.size())
                c.ipAccounts.resize(ip + 1, 0);
            ++c.ipAccounts[ip];
            if (ip < c.ipPrefix.size() && c.ipPrefix[ip] >= 0)
                nets.push_back(c.ipPrefix[ip]);
        }
        std::sort(nets.begin(), nets.end());
        nets.erase(std::unique(nets.begin(), nets.end()), nets.end());
        for (std::int32_t n : nets)
            ++c.netAccounts[static_cast<std::size_t>(n)];
        for (std::uint32_t ua : p.userAgents) {
            if (ua >= c.uaAccounts.size())
                c.uaAccounts.resize(ua + 1, 0);
            ++c.uaAccounts[ua];
        }
    }
    SqliteStatement acc(db, "SELECT id, payment_fingerprint, email_domain FROM account");
    while (acc.step()) {
        if (!acc.isNull(1))
            ++c.paymentAccounts[acc.columnInt(1)];
        if (!acc.isNull(2))
            ++c.emailAccounts[acc.columnInt(2)];
        c.accountPaymentEmail.emplace(static_cast<std::uint32_t>(acc.columnInt(0)),
                                      std::pair{acc.isNull(1) ? 0 : acc.columnInt(1), acc.isNull(2) ? 0 : acc.columnInt(2)});
    }
    return c;
}

void writeCaseCounts(SqliteDb& db, std::int64_t run, const CaseCounts& c)
{
    SqliteStatement v(db, "INSERT INTO view_value_accounts VALUES(?1, ?2, ?3, ?4)");
    auto put = [&](int kind, std::int64_t value, std::uint32_t n) {
        if (n < 2)
            return;
        v.bind(1, run);
        v.bind(2, kind);
        v.bind(3, value);
        v.bind(4, n);
        v.run();
    };
    for (std::size_t i = 0; i < c.ipAccounts.size(); ++i)
        put(Ip, static_cast<std::int64_t>(i), c.ipAccounts[i]);
    for (std::size_t i = 0; i < c.uaAccounts.size(); ++i)
        put(UserAgent, static_cast<std::int64_t>(i), c.uaAccounts[i]);
    for (const auto& [value, n] : c.paymentAccounts)
        put(Payment, value, n);
    for (const auto& [value, n] : c.emailAccounts)
        put(EmailDomain, value, n);
    SqliteStatement net(db, "INSERT INTO view_network_accounts VALUES(?1, ?2, ?3)");
    for (std::size_t i = 0; i < c.prefixes.size(); ++i)
        if (c.netAccounts[i] >= 2) {
            net.bind(1, run);
            net.bindText(2, c.prefixes[i]);
            net.bind(3, c.netAccounts[i]);
            net.run();
        }
}

struct SharedRow
{
    QString kind, value;
    int members = 0;
    std::int64_t caseAccounts = 0;
    QString accounts;
};

// The Evidence view's shared values of one network, ranked as EvidenceData's live path ranks them.
std::vector<SharedRow> sharedOf(SqliteDb& db, const std::vector<std::uint32_t>& members, const std::vector<AccountProfile>& profiles,
                                const CaseCounts& c, const QHash<std::uint32_t, QString>& names)
{
    const std::size_t minMembers = members.size() > 1 ? 2 : 1;
    std::map<std::uint32_t, std::vector<std::uint32_t>> ipUsers, uaUsers;
    std::map<std::int32_t, std::vector<std::uint32_t>> netUsers;
    for (std::uint32_t a : members) {
        if (a >= profiles.size())
            continue;
        std::vector<std::int32_t> nets;
        for (std::uint32_t ip : profiles[a].ips) {
            ipUsers[ip].push_back(a);
            if (ip < c.ipPrefix.size() && c.ipPrefix[ip] >= 0)
                nets.push_back(c.ipPrefix[ip]);
        }
        std::sort(nets.begin(), nets.end());
        nets.erase(std::unique(nets.begin(), nets.end()), nets.end());
        for (std::int32_t n : nets)
            netUsers[n].push_back(a);
        for (std::uint32_t ua : profiles[a].userAgents)
            uaUsers[ua].push_back(a);
    }
    auto top = [&](const std::map<std::uint32_t, std::vector<std::uint32_t>>& m) {
        std::vector<std::pair<std::uint32_t, std::size_t>> v;
        for (const auto& [id, users] : m)
            if (users.size() >= minMembers)
                v.emplace_back(id, users.size());
        std::sort(v.begin(), v.end(), [](auto& x, auto& y) { return x.second != y.second ? x.second > y.second : x.first < y.first; });
        if (v.size() > 12)
            v.resize(12);
        return v;
    };
    std::vector<SharedRow> rows;
    for (const auto& [ip, n] : top(ipUsers))
        rows.push_back({QStringLiteral("IP"), textOf(db, "ip", ip), static_cast<int>(n), at(c.ipAccounts, ip), jsonNames(ipUsers[ip], names)});
    std::vector<std::pair<std::int32_t, std::size_t>> nets;
    for (const auto& [n, users] : netUsers)
        if (users.size() >= minMembers)
            nets.emplace_back(n, users.size());
    std::sort(nets.begin(), nets.end(), [&](auto& x, auto& y) {
        return x.second != y.second ? x.second > y.second : c.prefixes[static_cast<std::size_t>(x.first)] < c.prefixes[static_cast<std::size_t>(y.first)];
    });
    if (nets.size() > 8)
        nets.resize(8);
    for (const auto& [n, count] : nets)
        rows.push_back({QStringLiteral("Network"), c.prefixes[static_cast<std::size_t>(n)] + QStringLiteral("*"), static_cast<int>(count),
                        at(c.netAccounts, static_cast<std::size_t>(n)), jsonNames(netUsers[n], names)});
    for (const auto& [ua, n] : top(uaUsers))
        rows.push_back({QStringLiteral("User agent"), textOf(db, "user_agent", ua), static_cast<int>(n), at(c.uaAccounts, ua),
                        jsonNames(uaUsers[ua], names)});
    // Payment fingerprints and e-mail domains from the accounts file: ten each, most members first.
    for (int which = 0; which < 2; ++which) {
        std::map<std::int64_t, std::vector<std::uint32_t>> users;
        for (std::uint32_t a : members) {
            auto it = c.accountPaymentEmail.find(a);
            const std::int64_t v = it == c.accountPaymentEmail.end() ? 0 : (which == 0 ? it->second.first : it->second.second);
            if (v)
                users[v].push_back(a);
        }
        std::vector<std::pair<std::int64_t, std::size_t>> v;
        for (const auto& [value, u] : users)
            if (u.size() >= minMembers)
                v.emplace_back(value, u.size());
        std::sort(v.begin(), v.end(), [](auto& x, auto& y) { return x.second != y.second ? x.second > y.second : x.first < y.first; });
        if (v.size() > 10)
            v.resize(10);
        const auto& counts = which == 0 ? c.paymentAccounts : c.emailAccounts;
        for (const auto& [value, n] : v) {
            auto it = counts.find(value);
            rows.push_back({which == 0 ? QStringLiteral("Payment fingerprint") : QStringLiteral("E-mail domain"),
                            textOf(db, which == 0 ? "payment_fingerprint" : "email_domain", value), static_cast<int>(n),
                            it == counts.end() ? 0 : it->second, jsonNames(users[value], names)});
        }
    }
    std::stable_sort(rows.begin(), rows.end(), [](const SharedRow& x, const SharedRow& y) { return x.members > y.members; });
    return rows;
}

// Each network's indicators as EvidenceData's live path reads them from account_indicator: the value the members'
// median (NaN, stored NULL, counts as none), the percentiles in ascending account order. Members without requests
// have no account_indicator rows and count for nothing here either.
void writeClusterIndicators(SqliteDb& db, std::int64_t run, const DetectionOutcome& out,
                            const std::vector<std::vector<std::uint32_t>>& members, const std::vector<AccountProfile>& profiles,
                            const std::vector<IndicatorValues>& percentiles)
{
    SqliteStatement st(db, "INSERT INTO view_cluster_indicator VALUES(?1, ?2, ?3, ?4, ?5)");
    std::vector<double> values;
    std::string blob;
    for (std::size_t c = 0; c < out.clusters.size(); ++c) {
        for (int i = 0; i < kIndicatorCount; ++i) {
            const auto k = static_cast<std::size_t>(i);
            values.clear();
            blob.clear();
            for (std::uint32_t a : members[c]) { // sorted ascending
                if (a >= profiles.size() || profiles[a].requests == 0)
                    continue;
                if (!std::isnan(profiles[a].ind[k]))
                    values.push_back(profiles[a].ind[k]);
                const double p = a < percentiles.size() ? percentiles[a][k] : std::nan("");
                if (std::isnan(p))
                    continue;
                char bytes[sizeof(double)];
                qToLittleEndian(p == 0 ? 0.0 : p, bytes); // -0 as SQLite's REAL column gives it back: 0
                blob.append(bytes, sizeof bytes);
            }
            st.bind(1, run);
            st.bind(2, out.clusters[c].id);
            st.bind(3, i);
            if (values.empty()) {
                st.bindNull(4);
            } else {
                std::sort(values.begin(), values.end());
                st.bind(4, values[values.size() / 2]);
            }
            st.bindBlob(5, blob);
            st.run();
        }
    }
}

// What one pass over `request` gathers for the networks.
struct TemplateAgg
{
    std::int64_t requests = 0;
    std::int64_t members = 0;
    std::array<std::pair<std::int64_t, std::int64_t>, 3> examples{}; // (ts, id), smallest first
    int exampleCount = 0;
};

struct PairHash
{
    std::size_t operator()(const std::pair<std::int64_t, std::uint32_t>& p) const noexcept
    {
        return std::hash<std::int64_t>()(p.first * 0x9E3779B97F4A7C15ull + p.second);
    }
};

struct ClusterPass
{
    std::unordered_map<std::int64_t, std::int64_t> timeSlots;
    std::unordered_map<std::int64_t, TemplateAgg> templates;
    std::unordered_set<std::pair<std::int64_t, std::uint32_t>, PairHash> keyAccounts;
    bool templatesComplete = true;
    std::int64_t requests = 0;
    // Set once the exact maps outgrew the limits: request counts per key from then on (seeded with the exact ones).
    std::unique_ptr<TemplateHeavyHitters> summary;
};

TemplateLimits g_limits;

// Template key of a request as the GUI groups them: its fingerprint (workspace/Scope.h, DS_TEMPLATE_KEY_SQL).
std::int64_t templateKey(std::int64_t skeleton) { return skeleton; }

// Counts one request of `key` exactly: requests, distinct members and the three earliest (ts, id).
void countExactly(ClusterPass& p, std::int64_t key, std::uint32_t account, std::int64_t ts, std::int64_t id)
{
    TemplateAgg& t = p.templates[key];
    ++t.requests;
    if (p.keyAccounts.insert({key, account}).second) // insert, not emplace: no node built for a pair already seen
        ++t.members;
    // The three earliest requests by (ts, id), kept sorted.
    const std::pair<std::int64_t, std::int64_t> here{ts, id};
    if (t.exampleCount < 3 || here < t.examples[2]) {
        int pos = std::min(t.exampleCount, 2);
        t.examples[static_cast<std::size_t>(pos)] = here;
        while (pos > 0 && t.examples[static_cast<std::size_t>(pos)] < t.examples[static_cast<std::size_t>(pos - 1)]) {
            std::swap(t.examples[static_cast<std::size_t>(pos)], t.examples[static_cast<std::size_t>(pos - 1)]);
            --pos;
        }
        t.exampleCount = std::min(t.exampleCount + 1, 3);
    }
}

// Replaces a network's exact template maps by a summary seeded with their counts, freeing their memory.
void startSummary(ClusterPass& p, const TemplateLimits& limits)
{
    std::vector<std::pair<std::int64_t, std::int64_t>> exact;
    exact.reserve(p.templates.size());
    for (const auto& [key, agg] : p.templates)
        exact.emplace_back(key, agg.requests);
    p.templates = {};
    p.keyAccounts = {};
    p.templatesComplete = false;
    p.summary = std::make_unique<TemplateHeavyHitters>(limits.counters);
    p.summary->seed(std::move(exact));
}

// Template keys ranked as the Evidence view ranks them: most requests first, then by key.
std::vector<std::pair<std::int64_t, const TemplateAgg*>> rankTemplates(const ClusterPass& p, std::size_t keep)
{
    std::vector<std::pair<std::int64_t, const TemplateAgg*>> ranked;
    ranked.reserve(p.templates.size());
    for (const auto& [key, agg] : p.templates)
        ranked.emplace_back(key, &agg);
    keep = std::min(keep, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep), ranked.end(), [](auto& x, auto& y) {
        return x.second->requests != y.second->requests ? x.second->requests > y.second->requests : x.first < y.first;
    });
    ranked.resize(keep);
    return ranked;
}

// Picks an overflowed network's candidate keys (its summary's largest counters) into empty exact maps, and returns
// the largest true count any other key can have.
//
// Why that bound holds. Space-Saving keeps, for every key, true <= counter when the key has one, and true <= the
// smallest counter when it has none (a key loses its counter only as the smallest one, and the smallest counter
// never decreases; seeding keeps the largest exact counts, so a left-out key starts at most at the smallest). A key
// outside the candidates either has a counter no larger than the (candidates + 1)-th largest, or none and is bounded
// by the smallest counter, which is no larger either; with no eviction yet, keys without a counter never occurred.
std::int64_t pickCandidates(ClusterPass& p, const TemplateLimits& limits)
{
    const std::vector<TemplateHeavyHitters::Counter> ranked = p.summary->ranked();
    const std::size_t take = std::min(limits.candidates, ranked.size());
    for (std::size_t i = 0; i < take; ++i)
        p.templates.emplace(ranked[i].key, TemplateAgg{});
    std::int64_t bound = p.summary->unmonitoredBound();
    if (ranked.size() > take)
        bound = std::max(bound, ranked[take].count);
    p.summary.reset();
    return bound;
}

// After the second pass: the candidates' exact counts are the network's true top 5 when the 5th is larger than
// any count a non-candidate can have (ties included: the live query breaks them by key, which a non-candidate
// might win), or, with fewer than 5 candidates, when no other key occurred at all.
bool topIsProven(const ClusterPass& p, std::int64_t bound)
{
    const auto top = rankTemplates(p, 5);
    const std::int64_t fifth = top.size() == 5 ? top[4].second->requests : 1;
    return bound < fifth;
}

// Second sequential pass over `request`, only for the overflowed networks: exact figures of their candidates.
void countCandidates(SqliteDb& db, std::vector<ClusterPass>& pass, const std::vector<std::int32_t>& clusterOf,
                     const std::vector<bool>& overflowed)
{
    SqliteStatement st(db, "SELECT id, ts, account, skeleton_hash FROM request");
    while (st.step()) {
        const auto account = static_cast<std::uint32_t>(st.columnInt(2));
        const std::int32_t c = account < clusterOf.size() ? clusterOf[account] : -1;
        if (c < 0 || !overflowed[static_cast<std::size_t>(c)])
            continue;
        ClusterPass& p = pass[static_cast<std::size_t>(c)];
        const std::int64_t key = templateKey(st.columnInt(3));
        if (p.templates.find(key) != p.templates.end())
            countExactly(p, key, account, st.columnInt(1), st.columnInt(0));
    }
}

// Resolves the networks whose templates overflowed: exact top 5 where provable (templatesComplete again), none
// otherwise (the Evidence view then counts them live).
void resolveOverflowed(SqliteDb& db, std::vector<ClusterPass>& pass, const std::vector<std::int32_t>& clusterOf,
                       const TemplateLimits& limits)
{
    std::vector<bool> overflowed(pass.size(), false);
    std::vector<std::int64_t> bound(pass.size(), 0);
    bool any = false;
    for (std::size_t i = 0; i < pass.size(); ++i) {
        if (!pass[i].summary)
            continue;
        bound[i] = pickCandidates(pass[i], limits);
        overflowed[i] = any = true;
    }
    if (!any)
        return;
    countCandidates(db, pass, clusterOf, overflowed);
    for (std::size_t i = 0; i < pass.size(); ++i) {
        if (!overflowed[i])
            continue;
        ClusterPass& p = pass[i];
        p.templatesComplete = topIsProven(p, bound[i]);
        qCInfo(lcDetect) << "network" << i << "has too many templates to count exactly:" << p.templates.size()
                         << "candidates, bound on the others" << bound[i]
                         << (p.templatesComplete ? "- top 5 proven exact" : "- top 5 not provable, left to the live query");
        if (!p.templatesComplete)
            p.templates = {};
        p.keyAccounts = {};
    }
}

} // namespace

void setTemplateLimits(const TemplateLimits& limits) { g_limits = limits; }

TemplateLimits templateLimits() { return g_limits; }

void ensureSchema(SqliteDb& db) { db.exec(kTables); }

void write(SqliteDb& db, std::int64_t run, const DetectionOutcome& out, const std::vector<AccountProfile>& profiles,
           const std::vector<IndicatorValues>& percentiles)
{
    QElapsedTimer clock;
    clock.start();
    const TemplateLimits limits = g_limits;
    ensureSchema(db);
    const CaseCounts counts = countCase(db, profiles);
    writeCaseCounts(db, run, counts);

    std::vector<std::int32_t> clusterOf(profiles.size(), -1);
    std::vector<std::vector<std::uint32_t>> members(out.clusters.size());
    QHash<std::uint32_t, QString> names;
    {
        SqliteStatement name(db, "SELECT account_id FROM account WHERE id = ?");
        for (std::size_t i = 0; i < out.clusters.size(); ++i) {
            members[i] = out.clusters[i].core;
            members[i].insert(members[i].end(), out.clusters[i].attached.begin(), out.clusters[i].attached.end());
            std::sort(members[i].begin(), members[i].end());
            for (std::uint32_t a : members[i]) {
                if (a < clusterOf.size())
                    clusterOf[a] = static_cast<std::int32_t>(i);
                name.bind(1, a);
                if (name.step())
                    names.insert(a, name.columnText(0));
                name.reset();
            }
        }
    }
    {
        SqliteStatement st(db, "INSERT INTO view_cluster_shared VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        for (std::size_t i = 0; i < out.clusters.size(); ++i) {
            const std::vector<SharedRow> rows = sharedOf(db, members[i], profiles, counts, names);
            for (std::size_t r = 0; r < rows.size(); ++r) {
                st.bind(1, run);
                st.bind(2, out.clusters[i].id);
                st.bind(3, static_cast<std::int64_t>(r));
                st.bindText(4, rows[r].kind);
                st.bindText(5, rows[r].value);
                st.bind(6, rows[r].members);
                st.bind(7, rows[r].caseAccounts);
                st.bindText(8, rows[r].accounts);
                st.run();
            }
        }
    }

    writeClusterIndicators(db, run, out, members, profiles, percentiles);

    const qint64 sharedMs = clock.elapsed();
    // One sequential pass over the requests: the networks' templates and time slots, each model's first use.
    std::vector<ClusterPass> pass(out.clusters.size());
    std::unordered_map<std::int64_t, std::int64_t> modelFirst;
    std::unordered_map<std::int64_t, std::int64_t> caseSlots;
    std::int64_t maxRequest = 0, requests = 0;
    {
        SqliteStatement st(db, "SELECT id, ts, account, model, skeleton_hash FROM request");
        while (st.step()) {
            const std::int64_t id = st.columnInt(0), ts = st.columnInt(1);
            const auto account = static_cast<std::uint32_t>(st.columnInt(2));
            ++requests;
            maxRequest = std::max(maxRequest, id);
            ++caseSlots[floorDiv(ts, kSlotMs)];
            if (!st.isNull(3)) {
                auto [it, fresh] = modelFirst.try_emplace(st.columnInt(3), ts);
                if (!fresh && ts < it->second)
                    it->second = ts;
            }
            const std::int32_t c = account < clusterOf.size() ? clusterOf[account] : -1;
            if (c < 0)
                continue;
            ClusterPass& p = pass[static_cast<std::size_t>(c)];
            ++p.requests;
            ++p.timeSlots[floorDiv(ts, kSlotMs)];
            const std::int64_t key = templateKey(st.columnInt(4));
            if (p.summary) {
                p.summary->add(key);
                continue;
            }
            countExactly(p, key, account, ts, id);
            if (p.templates.size() > limits.maxKeys || p.keyAccounts.size() > 8 * limits.maxKeys)
                startSummary(p, limits);
        }
    }
    resolveOverflowed(db, pass, clusterOf, limits);
    SqliteStatement cl(db, "INSERT INTO view_cluster VALUES(?1, ?2, ?3, ?4)");
    SqliteStatement tp(db, "INSERT INTO view_cluster_template VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    SqliteStatement sl(db, "INSERT INTO view_cluster_slot VALUES(?1, ?2, ?3, ?4)");
    for (std::size_t i = 0; i < pass.size(); ++i) {
        ClusterPass& p = pass[i];
        const std::int64_t cluster = out.clusters[i].id;
        cl.bind(1, run);
        cl.bind(2, cluster);
        cl.bind(3, p.requests);
        cl.bind(4, p.templatesComplete ? 1 : 0);
        cl.run();
        std::vector<std::pair<std::int64_t, std::int64_t>> timeSlots(p.timeSlots.begin(), p.timeSlots.end());
        std::sort(timeSlots.begin(), timeSlots.end());
        for (const auto& [slot, n] : timeSlots) {
            sl.bind(1, run);
            sl.bind(2, cluster);
            sl.bind(3, slot);
            sl.bind(4, n);
            sl.run();
        }
        const auto ranked = rankTemplates(p, 5);
        const std::size_t keep = ranked.size();
        for (std::size_t r = 0; r < keep; ++r) {
            const TemplateAgg& t = *ranked[r].second;
            QStringList ids;
            for (int e = 0; e < t.exampleCount; ++e)
                ids << QString::number(t.examples[static_cast<std::size_t>(e)].second);
            tp.bind(1, run);
            tp.bind(2, cluster);
            tp.bind(3, static_cast<std::int64_t>(r));
            tp.bind(4, ranked[r].first);
            tp.bind(5, t.requests);
            tp.bind(6, t.members);
            tp.bindText(7, ids.join(QLatin1Char(',')));
            tp.run();
        }
    }
    {
        std::vector<std::pair<std::int64_t, std::int64_t>> caseRows(caseSlots.begin(), caseSlots.end());
        std::sort(caseRows.begin(), caseRows.end());
        SqliteStatement cs(db, "INSERT INTO view_case_slot VALUES(?1, ?2, ?3)");
        for (const auto& [slot, n] : caseRows) {
            cs.bind(1, run);
            cs.bind(2, slot);
            cs.bind(3, n);
            cs.run();
        }
    }
    SqliteStatement mf(db, "INSERT INTO view_model_first VALUES(?1, ?2, ?3)");
    for (const auto& [model, ts] : modelFirst) {
        mf.bind(1, run);
        mf.bind(2, model);
        mf.bind(3, ts);
        mf.run();
    }
    qCInfo(lcDetect) << "view tables of run" << run << "written in" << clock.elapsed() << "ms (case counts and shared values"
                     << sharedMs << "ms, pass over" << requests << "requests and the rest" << clock.elapsed() - sharedMs << "ms)";
    SqliteStatement vr(db, "INSERT OR REPLACE INTO view_run VALUES(?1, ?2, ?3, ?4)");
    vr.bind(1, run);
    vr.bind(2, kVersion);
    vr.bind(3, maxRequest);
    vr.bind(4, requests);
    vr.run();
}

bool current(SqliteDb& db, std::int64_t run)
{
    // DS_NO_VIEW_TABLES=1 serves every view live, as before the views existed (bench_gui_select compares the two).
    static const bool disabled = qEnvironmentVariableIntValue("DS_NO_VIEW_TABLES") == 1;
    if (disabled)
        return false;
    if (!tableExists(db, "view_run"))
        return false;
    SqliteStatement st(db, "SELECT max_request, version FROM view_run WHERE run = ?");
    st.bind(1, run);
    if (!st.step() || st.columnInt(1) != kVersion)
        return false;
    // Imports only append: the largest request id tells whether any arrived since the run.
    return db.queryInt("SELECT MAX(id) FROM request", 0) == st.columnInt(0);
}

std::vector<std::pair<std::int64_t, std::int64_t>> clusterSlots(SqliteDb& db, std::int64_t run, std::int64_t cluster)
{
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    if (!current(db, run))
        return out;
    SqliteStatement st(db, "SELECT slot, requests FROM view_cluster_slot WHERE run = ? AND cluster = ? ORDER BY slot");
    st.bind(1, run);
    st.bind(2, cluster);
    while (st.step())
        out.emplace_back(st.columnInt(0), st.columnInt(1));
    return out;
}

std::vector<std::pair<std::int64_t, std::int64_t>> caseSlots(SqliteDb& db, std::int64_t run)
{
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    if (!current(db, run))
        return out;
    // Views written before view_case_slot existed have none: the callers then read the requests.
    if (!tableExists(db, "view_case_slot"))
        return out;
    SqliteStatement st(db, "SELECT slot, requests FROM view_case_slot WHERE run = ? ORDER BY slot");
    st.bind(1, run);
    while (st.step())
        out.emplace_back(st.columnInt(0), st.columnInt(1));
    return out;
}

std::optional<std::int64_t> clusterWithMembers(SqliteDb& db, std::int64_t run, const std::vector<std::int64_t>& accounts)
{
    if (accounts.empty())
        return std::nullopt;
    SqliteStatement candidates(db, "SELECT DISTINCT cluster FROM cluster_member WHERE run = ? AND account = ?");
    candidates.bind(1, run);
    candidates.bind(2, accounts.front());
    std::vector<std::int64_t> ids;
    while (candidates.step())
        ids.push_back(candidates.columnInt(0));
    for (std::int64_t cluster : ids) {
        SqliteStatement st(db, "SELECT account FROM cluster_member WHERE run = ? AND cluster = ? ORDER BY account");
        st.bind(1, run);
        st.bind(2, cluster);
        std::size_t i = 0;
        bool same = true;
        while (same && st.step())
            same = i < accounts.size() && st.columnInt(0) == accounts[i++];
        if (same && i == accounts.size())
            return cluster;
    }
    return std::nullopt;
}

std::optional<NetworkRef> networkOfScope(SqliteDb& db, const ViewScope& scope)
{
    const bool accountPivot = scope.pivot.kind == PivotKind::PaymentFingerprint || scope.pivot.kind == PivotKind::EmailDomain
                              || scope.pivot.kind == PivotKind::Account;
    if (!scope.accountsRestricted || scope.accounts.size() < 2 || scope.hasRequestCondition() || accountPivot
        || !scope.search.accounts.isEmpty())
        return std::nullopt;
    const std::optional<std::int64_t> run = DetectionResults::latestRun(db);
    if (!run || !current(db, *run))
        return std::nullopt;
    std::vector<std::int64_t> accounts = scope.accounts;
    std::sort(accounts.begin(), accounts.end());
    const std::optional<std::int64_t> cluster = clusterWithMembers(db, *run, accounts);
    if (!cluster)
        return std::nullopt;
    return NetworkRef{*run, *cluster};
}

} // namespace ds::viewtables
