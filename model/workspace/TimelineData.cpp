#include "workspace/TimelineData.h"

#include "core/Sqlite.h"
#include "detect/DetectionResults.h"
#include "workspace/ReadConnection.h"
#include "workspace/ViewTables.h"

#include <algorithm>
#include <optional>
#include <unordered_map>

namespace ds {

std::int64_t niceBucketWidth(std::int64_t spanMs, int maxBuckets)
{
    static constexpr std::int64_t kMin = 60'000;
    static constexpr std::int64_t widths[] = {kMin,        5 * kMin,    15 * kMin,   30 * kMin,   60 * kMin,
                                              180 * kMin,  360 * kMin,  720 * kMin,  1440 * kMin, 7 * 1440 * kMin,
                                              30 * 1440 * kMin};
    for (std::int64_t w : widths)
        if (spanMs / w <= maxBuckets)
            return w;
    return std::max<std::int64_t>(spanMs / maxBuckets + 1, 1);
}

namespace {
constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::int64_t kHourMs = 3'600'000;

std::int64_t floorDiv(std::int64_t a, std::int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// The scope's first and last request time. MIN and MAX in one aggregate read every row of the scope (all of a
// network's requests, the whole case when unscoped); a lone MIN or MAX is one step along an index. So: the case's
// range from request(ts), a set of accounts' from request(account, ts), account by account; anything else as before.
QString timeRangeSql(const ViewScope& scope, const QString& where)
{
    if (where.isEmpty())
        return QStringLiteral("SELECT (SELECT MIN(ts) FROM request), (SELECT MAX(ts) FROM request)");
    const bool accountPivot = scope.pivot.kind == PivotKind::PaymentFingerprint || scope.pivot.kind == PivotKind::EmailDomain
                              || scope.pivot.kind == PivotKind::Account;
    if (scope.accountsRestricted && !scope.hasRequestCondition() && !accountPivot && scope.search.accounts.isEmpty()) {
        QStringList ids;
        ids.reserve(static_cast<qsizetype>(scope.accounts.size()));
        for (std::int64_t a : scope.accounts)
            ids << QString::number(a);
        return QStringLiteral("SELECT MIN(lo), MAX(hi) FROM (SELECT (SELECT MIN(ts) FROM request WHERE account = x.id) AS lo, "
                              "(SELECT MAX(ts) FROM request WHERE account = x.id) AS hi FROM account x WHERE x.id IN (%1))")
            .arg(ids.isEmpty() ? QStringLiteral("NULL") : ids.join(QLatin1Char(',')));
    }
    return QStringLiteral("SELECT MIN(r.ts), MAX(r.ts) FROM request r") + where;
}
} // namespace

TimelineData TimelineData::compute(SqliteDb& db, const ViewScope& scope, StackBy stackBy, const CancelToken& cancel,
                                   std::optional<std::int64_t> heatFrom, std::optional<std::int64_t> heatTo)
{
    TimelineData t;
    const bool brushed = heatFrom && heatTo;
    t.heatBrushed = brushed;
    auto inHeat = [&](std::int64_t ts) { return !brushed || (ts >= *heatFrom && ts < *heatTo); };
    // By network: each account's network in the latest run (flagged accounts are few: a map in memory).
    std::unordered_map<std::int64_t, std::int64_t> networkOf;
    std::optional<std::int64_t> networkRun;
    if (stackBy == StackBy::Network) {
        networkRun = scope.accountsRestricted ? std::nullopt : DetectionResults::latestRun(db);
        if (networkRun) {
            SqliteStatement members(db, "SELECT account, cluster FROM cluster_member WHERE run = ?");
            members.bind(1, *networkRun);
            while (members.step())
                networkOf.emplace(members.columnInt(0), members.columnInt(1));
        }
        if (networkOf.empty())
            stackBy = StackBy::Account;
    }
    t.stackedBy = stackBy;
    const SqlFragment cond = scopesql::requestCondition(scope);
    const QString where = cond.isEmpty() ? QString() : QStringLiteral(" WHERE ") + cond.sql;
    std::int64_t lo = 0, hi = 0;
    {
        const ScopedCancelWatch rangeWatch(db, &cancel);
        SqliteStatement st(db, timeRangeSql(scope, where).toUtf8().constData());
        bindParams(st, cond.params);
        if (!st.step() || st.isNull(0))
            return t;
        lo = st.columnInt(0);
        hi = st.columnInt(1);
    }
    t.bucketMs = niceBucketWidth(hi - lo + 1, 320);
    t.startMs = floorDiv(lo, t.bucketMs) * t.bucketMs;
    t.bucketCount = static_cast<int>((hi - t.startMs) / t.bucketMs + 1);
    t.firstDay = floorDiv(lo, kDayMs);
    t.dayCount = static_cast<int>(floorDiv(hi, kDayMs) - t.firstDay + 1);
    t.heat.fill(0.0, t.dayCount * 24);

    std::unordered_map<std::int64_t, std::vector<std::uint32_t>> perKey;
    std::unordered_map<std::int64_t, std::int64_t> totals;
    // Requests per quarter-hour slot from the run's views, into buckets (and the heat map when `heat`).
    auto addSlots = [&](const std::vector<std::pair<std::int64_t, std::int64_t>>& slotCounts, auto& counts, bool heat) {
        counts.assign(static_cast<std::size_t>(t.bucketCount), 0);
        std::int64_t total = 0;
        for (const auto& [slot, n] : slotCounts) {
            const std::int64_t ts = slot * viewtables::kSlotMs;
            counts[static_cast<std::size_t>((ts - t.startMs) / t.bucketMs)] += n;
            if (heat && inHeat(ts))
                t.heat[static_cast<qsizetype>((floorDiv(ts, kDayMs) - t.firstDay) * 24 + (ts - floorDiv(ts, kDayMs) * kDayMs) / kHourMs)] +=
                    static_cast<double>(n);
            total += n;
        }
        return total;
    };
    const bool slotBuckets = t.bucketMs % viewtables::kSlotMs == 0;
    // A flagged network stacked by account, in buckets of whole quarter hours: its requests per slot and its
    // accounts' totals are in the run's views, and only the named accounts' requests are read.
    std::optional<viewtables::NetworkRef> net;
    if (stackBy == StackBy::Account && slotBuckets)
        net = viewtables::networkOfScope(db, scope);
    // The whole case (no condition at all), stacked by network or account: the same from the case's slots.
    // A brushed heat map counts whole slots only, so its edges must fall on slot edges.
    std::vector<std::pair<std::int64_t, std::int64_t>> caseSlots;
    std::optional<std::int64_t> caseRun;
    if (!net && cond.isEmpty() && stackBy != StackBy::Model && slotBuckets
        && (!brushed || (*heatFrom % viewtables::kSlotMs == 0 && *heatTo % viewtables::kSlotMs == 0))) {
        caseRun = DetectionResults::latestRun(db);
        if (caseRun)
            caseSlots = viewtables::caseSlots(db, *caseRun);
    }
    const bool namedFromViews = net || (!caseSlots.empty() && stackBy == StackBy::Account); // only named accounts read
    std::vector<double> allCounts; // with namedFromViews: every account's requests per bucket
    if (net) {
        t.requests = addSlots(viewtables::clusterSlots(db, net->run, net->cluster), allCounts, true);
        SqliteStatement st(db, "SELECT requests FROM account_result WHERE run = ? AND account = ?");
        for (std::int64_t a : scope.accounts) {
            st.reset();
            st.bind(1, net->run);
            st.bind(2, a);
            if (st.step() && st.columnInt(0) > 0)
                totals[a] = st.columnInt(0);
        }
    } else if (!caseSlots.empty()) {
        t.requests = addSlots(caseSlots, allCounts, true);
        if (stackBy == StackBy::Account) {
            SqliteStatement st(db, "SELECT account, requests FROM account_result WHERE run = ? AND requests > 0");
            st.bind(1, *caseRun);
            while (st.step())
                totals[st.columnInt(0)] = st.columnInt(1);
        } else {
            // Each network's slots; what they leave is the requests of accounts in no network (key 0).
            std::vector<double> rest = allCounts;
            std::int64_t restTotal = t.requests;
            SqliteStatement st(db, "SELECT cluster FROM view_cluster WHERE run = ?");
            st.bind(1, *caseRun);
            while (st.step()) {
                const std::int64_t cluster = st.columnInt(0);
                auto& counts = perKey[cluster];
                const std::int64_t n = addSlots(viewtables::clusterSlots(db, *caseRun, cluster), counts, false);
                if (n == 0) {
                    perKey.erase(cluster);
                    continue;
                }
                totals[cluster] = n;
                restTotal -= n;
                for (int b = 0; b < t.bucketCount; ++b)
                    rest[static_cast<std::size_t>(b)] -= counts[static_cast<std::size_t>(b)];
            }
            if (restTotal > 0) {
                totals[0] = restTotal;
                auto& counts = perKey[0];
                counts.resize(rest.size());
                for (std::size_t b = 0; b < rest.size(); ++b)
                    counts[b] = static_cast<std::uint32_t>(rest[b]);
            }
        }
    } else {
        // One streaming pass: counts per (key, bucket) in memory proportional to series x buckets.
        const char* keyCol = stackBy == StackBy::Model ? "COALESCE(r.model, 0)" : "r.account";
        const QString sql = QStringLiteral("SELECT r.ts, %1 FROM request r").arg(QLatin1String(keyCol)) + where;
        std::optional<ScopedCancelWatch> watch(std::in_place, db, &cancel);
        SqliteStatement st(db, sql.toUtf8().constData());
        bindParams(st, cond.params);
        while (st.step()) {
            if ((++t.requests & 0xffff) == 0 && cancel.isCancelled())
                throw Cancelled{};
            const std::int64_t ts = st.columnInt(0);
            std::int64_t key = st.columnInt(1);
            if (stackBy == StackBy::Network) {
                const auto it = networkOf.find(key);
                key = it == networkOf.end() ? 0 : it->second; // 0: in no flagged network
            }
            auto& v = perKey[key];
            if (v.empty())
                v.assign(static_cast<std::size_t>(t.bucketCount), 0);
            ++v[static_cast<std::size_t>((ts - t.startMs) / t.bucketMs)];
            ++totals[key];
            if (inHeat(ts)) {
                const std::int64_t day = floorDiv(ts, kDayMs) - t.firstDay;
                const std::int64_t hour = (ts - floorDiv(ts, kDayMs) * kDayMs) / kHourMs;
                t.heat[static_cast<qsizetype>(day * 24 + hour)] += 1.0;
            }
        }
    }

    std::vector<std::pair<std::int64_t, std::int64_t>> ranked(totals.begin(), totals.end());
    std::sort(ranked.begin(), ranked.end(), [](auto& a, auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
    const char* nameSql = stackBy == StackBy::Account   ? "SELECT account_id FROM account WHERE id = ?"
                          : stackBy == StackBy::Network ? "SELECT label FROM cluster WHERE id = ? AND run = ?"
                                                        : "SELECT value FROM model WHERE id = ?";
    SqliteStatement name(db, nameSql);
    if (stackBy == StackBy::Network) {
        // The networks first, busiest first; the accounts in none last, however many they are.
        std::stable_partition(ranked.begin(), ranked.end(), [](const auto& r) { return r.first != 0; });
    }
    Series other{QStringLiteral("other"), QVector<double>(t.bucketCount, 0.0), 0};
    const ScopedCancelWatch seriesWatch(db, &cancel);
    SqliteStatement named(db, "SELECT ts FROM request WHERE account = ?"); // the views' path: one named account's requests
    for (std::size_t i = 0; i < ranked.size(); ++i) {
        const bool isNamed = static_cast<int>(i) < kMaxSeries - 1 || ranked.size() <= static_cast<std::size_t>(kMaxSeries);
        if (namedFromViews && isNamed) {
            auto& v = perKey[ranked[i].first];
            v.assign(static_cast<std::size_t>(t.bucketCount), 0);
            named.reset();
            named.bind(1, ranked[i].first);
            while (named.step())
                ++v[static_cast<std::size_t>((named.columnInt(0) - t.startMs) / t.bucketMs)];
            for (int b = 0; b < t.bucketCount; ++b)
                allCounts[static_cast<std::size_t>(b)] -= v[static_cast<std::size_t>(b)];
        }
        const auto& counts = perKey[ranked[i].first];
        if (isNamed) {
            Series s;
            if (stackBy == StackBy::Network) {
                if (ranked[i].first == 0) {
                    s.name = QStringLiteral("in no flagged network");
                } else {
                    name.bind(1, ranked[i].first);
                    name.bind(2, *networkRun);
                    // Labels name the network already ("N-1: 47 accounts, ..."); the number when there is none.
                    s.name = name.step() && !name.columnText(0).isEmpty() ? name.columnText(0)
                                                                           : QStringLiteral("N-%1").arg(ranked[i].first);
                }
            } else {
                name.bind(1, ranked[i].first);
                s.name = name.step() ? name.columnText(0) : QStringLiteral("(none)");
            }
            name.reset();
            s.counts.resize(t.bucketCount);
            for (int b = 0; b < t.bucketCount; ++b)
                s.counts[b] = counts[static_cast<std::size_t>(b)];
            s.total = ranked[i].second;
            t.series.append(std::move(s));
        } else {
            if (!namedFromViews)
                for (int b = 0; b < t.bucketCount; ++b)
                    other.counts[b] += counts[static_cast<std::size_t>(b)];
            other.total += ranked[i].second;
        }
    }
    if (namedFromViews && other.total > 0)
        for (int b = 0; b < t.bucketCount; ++b)
            other.counts[b] = allCounts[static_cast<std::size_t>(b)]; // what the named accounts leave
    if (other.total > 0)
        t.series.append(std::move(other));

    // Model releases: the first request for each model anywhere in the case, so
    // a "release" is not an artefact of the current filter.
    {
        std::unordered_map<std::int64_t, std::int64_t> firstSeen;
        const std::optional<std::int64_t> run = DetectionResults::latestRun(db);
        if (run && viewtables::current(db, *run)) {
            // Detection noted each model's first request (workspace/ViewTables.h).
            SqliteStatement views(db, "SELECT model, first_ts FROM view_model_first WHERE run = ?");
            views.bind(1, *run);
            while (views.step())
                firstSeen.emplace(views.columnInt(0), views.columnInt(1));
        } else {
            // Walk request(ts) in time order and stop once every model has been seen:
            // far cheaper than a GROUP BY over the whole table, unless a model first appears late.
            const std::int64_t modelCount = db.queryInt("SELECT COUNT(*) FROM model");
            const ScopedCancelWatch walkWatch(db, &cancel);
            SqliteStatement walk(db, "SELECT r.model, r.ts FROM request r WHERE r.model IS NOT NULL ORDER BY r.ts");
            std::int64_t n = 0;
            while (static_cast<std::int64_t>(firstSeen.size()) < modelCount && walk.step()) {
                if ((++n & 0xffff) == 0 && cancel.isCancelled())
                    throw Cancelled{};
                firstSeen.try_emplace(walk.columnInt(0), walk.columnInt(1));
            }
        }
        // A model already used on the case's first day was not released during it.
        std::int64_t caseStart = hi;
        for (const auto& entry : firstSeen)
            caseStart = std::min(caseStart, entry.second);
        SqliteStatement modelName(db, "SELECT value FROM model WHERE id = ?");
        for (const auto& [model, ts] : firstSeen) {
            if (ts < lo || ts > hi || ts - caseStart < kDayMs)
                continue;
            modelName.bind(1, model);
            if (modelName.step())
                t.markers.append({ts, modelName.columnText(0), true});
            modelName.reset();
        }
    }
    // Account creations are shown only for a restricted set (a cluster), where they mean something.
    if (scope.accountsRestricted && scope.accounts.size() <= 500) {
        SqliteStatement acc(db, "SELECT account_id, created_at FROM account WHERE id = ? AND created_at IS NOT NULL");
        for (std::int64_t id : scope.accounts) {
            acc.bind(1, id);
            if (acc.step() && acc.columnInt(1) >= lo - 30 * kDayMs && acc.columnInt(1) <= hi)
                t.markers.append({acc.columnInt(1), acc.columnText(0), false});
            acc.reset();
        }
    }
    return t;
}

} // namespace ds
