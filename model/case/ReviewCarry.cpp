#include "case/ReviewCarry.h"

#include "case/AuditLog.h"
#include "case/CaseStore.h"
#include "case/CaseTables.h"
#include "core/CaseDatabase.h"
#include "core/Sqlite.h"
#include "detect/ReasonText.h"

#include <QJsonArray>
#include <QJsonObject>

#include <map>

namespace ds {

namespace {

QString networkName(std::int64_t cluster)
{
    return QStringLiteral("N-%1").arg(cluster);
}

QString accountsText(std::int64_t n)
{
    return reasontext::count(n, QStringLiteral("account"), QStringLiteral("accounts"));
}

// New-run networks holding the old network's accounts, most first.
std::vector<std::pair<std::int64_t, std::int64_t>> successors(SqliteDb& db, std::int64_t fromRun, std::int64_t oldCluster,
                                                              std::int64_t toRun)
{
    SqliteStatement st(db, "SELECT n.cluster, count(*) AS k FROM cluster_member o "
                           "JOIN cluster_member n ON n.run = ?3 AND n.account = o.account "
                           "WHERE o.run = ?1 AND o.cluster = ?2 GROUP BY n.cluster ORDER BY k DESC, n.cluster");
    st.bind(1, fromRun);
    st.bind(2, oldCluster);
    st.bind(3, toRun);
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    while (st.step())
        out.emplace_back(st.columnInt(0), st.columnInt(1));
    return out;
}

QString areIn(std::int64_t part, std::int64_t whole)
{
    return reasontext::partOf(part, whole, QStringLiteral("accounts")) + (part == 1 ? QStringLiteral(" is") : QStringLiteral(" are"));
}

// What happened to one verdict, once every verdict has its new state.
QString carrySentence(const CarriedVerdict& v)
{
    const QString old = QStringLiteral("%1 (%2)").arg(networkName(v.oldCluster), reviewStateLabel(v.oldState));
    if (v.newCluster == 0)
        return QStringLiteral("%1: none of its %2 is in a flagged network of the new run; nothing to carry.")
            .arg(old, accountsText(v.oldAccounts));
    const QString to = networkName(v.newCluster);
    if (v.inNewCluster * 2 < v.oldAccounts)
        return QStringLiteral("%1 has no successor: at most %2 in one network, %3, which needs review.")
            .arg(old, areIn(v.inNewCluster, v.oldAccounts), to);
    if (v.newState == v.oldState)
        return QStringLiteral("%1 kept %2 as %3: %4 still in it.")
            .arg(networkName(v.oldCluster), reviewStateLabel(v.oldState), to, areIn(v.inNewCluster, v.oldAccounts));
    return QStringLiteral("%1 would carry to %2 (%3 in it), but other verdicts also reach %2, so it needs review.")
        .arg(old, to, areIn(v.inNewCluster, v.oldAccounts));
}

} // namespace

QStringList ReviewCarry::sentences() const
{
    QStringList out;
    for (const CarriedVerdict& v : verdicts)
        out << v.sentence;
    return out;
}

ReviewCarry carryClusterReviews(SqliteDb& db, std::int64_t toRun)
{
    ReviewCarry carry;
    carry.toRun = toRun;
    ensureCaseTables(db);
    SqliteTransaction tx(db);
    CaseStore store(db);
    const std::map<ClusterRef, ReviewState> states = store.clusterStates();
    std::int64_t fromRun = 0;
    for (const auto& [ref, state] : states) {
        if (ref.run == toRun)
            return carry; // already carried, or reviewed by hand
        if (ref.run < toRun && state != ReviewState::Unreviewed)
            fromRun = std::max(fromRun, ref.run);
    }
    if (fromRun == 0)
        return carry;
    carry.fromRun = fromRun;

    std::map<std::int64_t, ReviewState> given;                 // new cluster -> verdict given to it
    std::map<std::int64_t, std::vector<std::size_t>> givenBy;  // new cluster -> verdicts that gave it
    for (const auto& [ref, state] : states) {
        if (ref.run != fromRun || state == ReviewState::Unreviewed)
            continue;
        CarriedVerdict v;
        v.oldCluster = ref.cluster;
        v.oldState = state;
        v.oldAccounts = db.queryInt(("SELECT count(*) FROM cluster_member WHERE run = " + std::to_string(fromRun)
                                     + " AND cluster = " + std::to_string(ref.cluster))
                                        .c_str());
        const auto next = successors(db, fromRun, ref.cluster, toRun);
        if (!next.empty()) {
            v.newCluster = next.front().first;
            v.inNewCluster = next.front().second;
            v.newState = v.inNewCluster * 2 >= v.oldAccounts ? state : ReviewState::NeedsReview;
            auto [it, fresh] = given.try_emplace(v.newCluster, v.newState);
            if (!fresh && it->second != v.newState)
                it->second = ReviewState::NeedsReview;
            givenBy[v.newCluster].push_back(carry.verdicts.size());
        }
        carry.verdicts.push_back(std::move(v));
    }
    for (const auto& [cluster, state] : given) {
        store.setClusterState({toRun, cluster}, state);
        for (std::size_t i : givenBy[cluster])
            carry.verdicts[i].newState = state;
    }
    // Worded once every verdict is placed, so a verdict overruled by another one reaching the same
    // network does not claim it was kept.
    for (CarriedVerdict& v : carry.verdicts)
        v.sentence = carrySentence(v);
    QJsonArray details;
    for (const CarriedVerdict& v : carry.verdicts) {
        details.append(QJsonObject{{QStringLiteral("from"), networkName(v.oldCluster)},
                                   {QStringLiteral("to"), v.newCluster ? networkName(v.newCluster) : QString()},
                                   {QStringLiteral("old_state"), reviewStateKey(v.oldState)},
                                   {QStringLiteral("new_state"), reviewStateKey(v.newState)},
                                   {QStringLiteral("accounts"), static_cast<qint64>(v.oldAccounts)},
                                   {QStringLiteral("in_successor"), static_cast<qint64>(v.inNewCluster)}});
    }
    SqliteStatement keep(db, "INSERT OR REPLACE INTO review_carry(run, from_run, from_cluster, old_state, cluster, "
                             "new_state, accounts, in_cluster, sentence) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const CarriedVerdict& v : carry.verdicts) {
        keep.bind(1, toRun);
        keep.bind(2, fromRun);
        keep.bind(3, v.oldCluster);
        keep.bind(4, std::int64_t(v.oldState));
        keep.bind(5, v.newCluster);
        keep.bind(6, std::int64_t(v.newState));
        keep.bind(7, v.oldAccounts);
        keep.bind(8, v.inNewCluster);
        keep.bindText(9, v.sentence);
        keep.run();
    }
    audit::append(db, QStringLiteral("carry reviews"), QStringLiteral("run %1 to run %2").arg(fromRun).arg(toRun),
                  QJsonObject{{QStringLiteral("verdicts"), details}});
    tx.commit();
    return carry;
}

ReviewCarry carryClusterReviews(const QString& casePath, std::int64_t toRun)
{
    SqliteDb db = CaseDatabase::openForWriting(casePath);
    return carryClusterReviews(db, toRun);
}

} // namespace ds
