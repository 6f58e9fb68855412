#include "case/CaseFindings.h"

#include "case/AuditLog.h"
#include "case/CaseStore.h"
#include "core/Sqlite.h"

#include <algorithm>
#include <map>

namespace ds {

CaseFindings loadFindings(SqliteDb& db)
{
    CaseFindings f;
    f.run = DetectionResults::latestRun(db);
    if (!f.run)
        return f;
    const CaseStore store(db);
    const DetectionResults results(db, *f.run);
    const auto clusterStates = store.clusterStates();
    const auto accountStates = store.accountStates();
    auto accountState = [&](std::int64_t a) {
        const auto it = accountStates.find(a);
        return it == accountStates.end() ? ReviewState::Unreviewed : it->second;
    };

    // The latest review entry of a network says whether a batch command or a person gave its verdict.
    SqliteStatement via(db, "SELECT json_extract(details, '$.via') FROM audit_log WHERE action = 'review network' "
                            "AND json_extract(details, '$.run') = ?1 AND json_extract(details, '$.cluster') = ?2 "
                            "ORDER BY id DESC LIMIT 1");
    std::map<std::int64_t, ConfirmedAccount> confirmed;
    f.flagged = results.clusters();
    for (const auto& c : f.flagged) {
        const auto it = clusterStates.find({*f.run, c.id});
        const ReviewState state = it == clusterStates.end() ? ReviewState::Unreviewed : it->second;
        f.flaggedStates.push_back(state);
        if (state != ReviewState::Confirmed)
            continue;
        ConfirmedNetwork n{c, {}, {}, {}};
        via.reset();
        via.bind(1, *f.run);
        via.bind(2, c.id);
        if (via.step() && !via.isNull(0)) {
            // The analyst's own verdicts are audited as "edit", "undo" or "redo" (CaseCommands.cpp); anything
            // else names the batch command that set them.
            const QString v = via.columnText(0);
            if (!v.isEmpty() && v != QLatin1String("edit") && v != QLatin1String("undo") && v != QLatin1String("redo"))
                n.confirmedInBatch = v;
        }
        for (auto& a : results.clusterMembers(c.id)) {
            const ReviewState as = accountState(a.account);
            if (as == ReviewState::FalsePositive) {
                n.excluded.push_back(std::move(a));
                continue;
            }
            confirmed[a.account] = {a.account, a.accountId, c.id, c.label, as, a.score, a.requests, a.outputTokens, a.firstTs, a.lastTs};
            n.members.push_back(std::move(a));
        }
        f.networks.push_back(std::move(n));
    }

    // Accounts confirmed on their own (flagged alone, or picked by the analyst).
    std::vector<std::int64_t> solo;
    for (const auto& [account, state] : accountStates)
        if (state == ReviewState::Confirmed && !confirmed.count(account))
            solo.push_back(account);
    if (!solo.empty()) {
        SqliteStatement st(db, "SELECT a.account_id, r.score, r.requests, r.output_tokens, r.first_ts, r.last_ts "
                               "FROM account a LEFT JOIN account_result r ON r.account = a.id AND r.run = ?2 WHERE a.id = ?1");
        for (std::int64_t account : solo) {
            st.reset();
            st.bind(1, account);
            st.bind(2, *f.run);
            if (!st.step())
                continue;
            confirmed[account] = {account, st.columnText(0), std::nullopt, QString(), ReviewState::Confirmed,
                                  st.isNull(1) ? 0.0 : st.columnDouble(1), st.columnInt(2), st.columnInt(3),
                                  st.columnInt(4), st.columnInt(5)};
        }
    }
    for (auto& [id, a] : confirmed)
        f.accounts.push_back(std::move(a));
    std::sort(f.accounts.begin(), f.accounts.end(),
              [](const ConfirmedAccount& a, const ConfirmedAccount& b) { return a.accountId < b.accountId; });
    return f;
}

int confirmFlaggedNetworks(SqliteDb& db, const QString& why)
{
    const auto run = DetectionResults::latestRun(db);
    if (!run)
        return 0;
    SqliteTransaction tx(db);
    CaseStore store(db);
    int confirmed = 0;
    for (const auto& c : DetectionResults(db, *run).clusters()) {
        const ClusterRef ref{*run, c.id};
        const ReviewState from = store.clusterState(ref);
        if (from == ReviewState::Confirmed || from == ReviewState::FalsePositive)
            continue;
        store.setClusterState(ref, ReviewState::Confirmed);
        audit::append(db, QStringLiteral("review network"), QStringLiteral("network %1 of detection run %2").arg(c.id).arg(*run),
                      {{QStringLiteral("run"), qint64(*run)},
                       {QStringLiteral("cluster"), qint64(c.id)},
                       {QStringLiteral("label"), c.label},
                       {QStringLiteral("from"), reviewStateKey(from)},
                       {QStringLiteral("to"), reviewStateKey(ReviewState::Confirmed)},
                       {QStringLiteral("via"), why}});
        ++confirmed;
    }
    tx.commit();
    return confirmed;
}

} // namespace ds
