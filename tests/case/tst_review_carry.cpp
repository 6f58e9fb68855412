#include "TestSupport.h"

#include "case/CaseStore.h"
#include "case/CaseTables.h"
#include "case/ReviewCarry.h"
#include "core/CaseDatabase.h"
#include "core/Sqlite.h"
#include "detect/DetectionSchema.h"
#include "ingest/ImportTypes.h"

#include <QDir>
#include <QTest>

// Verdicts on networks survive a re-run of detection: they move to the new
// network holding at least half of the old one's accounts; scattered or
// disputed networks are marked Needs review; every move is said and audited.
// The runs are written by hand, so the test fixes exactly which accounts move.
// Test thread only.
class TestReviewCarry : public QObject
{
    Q_OBJECT

private slots:
    void verdictFollowsTheNetworkHoldingMostOfItsAccounts();
    void scatteredNetworkNeedsReview();
    void disagreeingVerdictsOnOneSuccessorNeedReview();
    void detectOnTheCliCarriesAndSaysSo();
};

namespace {

// An imported case with accounts a0..a19 and two empty runs, 1 and 2.
QString caseWithTwoRuns(const ds::test::ScratchDir& dir)
{
    QByteArray log;
    for (int i = 0; i < 20; ++i)
        log += ds::test::requestJson(QStringLiteral("r%1").arg(i), QStringLiteral("a%1").arg(i), 1714564800000 + i) + "\n";
    const QString path = dir.file(QStringLiteral("case.sqlite"));
    ds::test::importInto(path, {dir.write(QStringLiteral("log.jsonl"), log)});
    ds::SqliteDb db = ds::CaseDatabase::openForWriting(path);
    ds::ensureCaseTables(db);
    ds::ensureDetectionSchema(db);
    db.exec("INSERT INTO detection_run(id, started_at, status, settings_json) VALUES(1, 1, 'done', '{}'), (2, 2, 'done', '{}')");
    return path;
}

// Puts accounts a<first>..a<last> into network `cluster` of `run`.
void members(ds::SqliteDb& db, int run, int cluster, int first, int last)
{
    db.exec(("INSERT INTO cluster_member(run, cluster, account) SELECT " + std::to_string(run) + ", "
             + std::to_string(cluster) + ", id FROM account WHERE account_id IN ("
             + [&] {
                   std::string ids;
                   for (int i = first; i <= last; ++i)
                       ids += (ids.empty() ? "'a" : ",'a") + std::to_string(i) + "'";
                   return ids;
               }()
             + ")")
                .c_str());
}

} // namespace

void TestReviewCarry::verdictFollowsTheNetworkHoldingMostOfItsAccounts()
{
    ds::test::ScratchDir dir;
    const QString path = caseWithTwoRuns(dir);
    ds::SqliteDb db = ds::CaseDatabase::openForWriting(path);
    members(db, 1, 1, 0, 9);  // N-1 of run 1: a0..a9
    members(db, 2, 3, 2, 9);  // N-3 of run 2: 8 of them
    members(db, 2, 1, 0, 1);  // N-1 of run 2: the other 2
    ds::CaseStore(db).setClusterState({1, 1}, ds::ReviewState::Confirmed);

    const ds::ReviewCarry carry = ds::carryClusterReviews(db, 2);
    QCOMPARE(carry.fromRun, 1);
    QCOMPARE(carry.verdicts.size(), std::size_t{1});
    QCOMPARE(carry.verdicts[0].newCluster, 3);
    QCOMPARE(carry.verdicts[0].inNewCluster, 8);
    QCOMPARE(ds::CaseStore(db).clusterState({2, 3}), ds::ReviewState::Confirmed);
    QCOMPARE(ds::CaseStore(db).clusterState({2, 1}), ds::ReviewState::Unreviewed);
    QCOMPARE(carry.sentences().join(QString()), QStringLiteral("N-1 kept Confirmed as N-3: 8 of the 10 accounts are still in it."));
    QCOMPARE(db.queryInt("SELECT count(*) FROM audit_log WHERE action = 'carry reviews'"), 1);
    QCOMPARE(db.queryInt("SELECT cluster FROM review_carry WHERE run = 2 AND from_cluster = 1"), 3);
    // Carrying again changes nothing.
    QVERIFY(ds::carryClusterReviews(db, 2).verdicts.empty());
}

void TestReviewCarry::scatteredNetworkNeedsReview()
{
    ds::test::ScratchDir dir;
    const QString path = caseWithTwoRuns(dir);
    ds::SqliteDb db = ds::CaseDatabase::openForWriting(path);
    members(db, 1, 1, 0, 9);
    members(db, 2, 1, 0, 3); // 4 of 10
    members(db, 2, 2, 4, 7); // 4 of 10
    members(db, 1, 2, 10, 12);
    ds::CaseStore(db).setClusterState({1, 1}, ds::ReviewState::FalsePositive);
    ds::CaseStore(db).setClusterState({1, 2}, ds::ReviewState::Confirmed); // none of its accounts flagged now

    const ds::ReviewCarry carry = ds::carryClusterReviews(db, 2);
    QCOMPARE(carry.verdicts.size(), std::size_t{2});
    QCOMPARE(ds::CaseStore(db).clusterState({2, 1}), ds::ReviewState::NeedsReview);
    QCOMPARE(ds::CaseStore(db).clusterState({2, 2}), ds::ReviewState::Unreviewed);
    QVERIFY(carry.sentences()[0].contains(QStringLiteral("no successor")));
    QVERIFY(carry.sentences()[1].contains(QStringLiteral("none of its 3 accounts")));
}

void TestReviewCarry::disagreeingVerdictsOnOneSuccessorNeedReview()
{
    ds::test::ScratchDir dir;
    const QString path = caseWithTwoRuns(dir);
    ds::SqliteDb db = ds::CaseDatabase::openForWriting(path);
    members(db, 1, 1, 0, 4);
    members(db, 1, 2, 5, 9);
    members(db, 2, 1, 0, 9); // the two merged
    ds::CaseStore(db).setClusterState({1, 1}, ds::ReviewState::Confirmed);
    ds::CaseStore(db).setClusterState({1, 2}, ds::ReviewState::FalsePositive);
    const ds::ReviewCarry carry = ds::carryClusterReviews(db, 2);
    QCOMPARE(ds::CaseStore(db).clusterState({2, 1}), ds::ReviewState::NeedsReview);
    for (const ds::CarriedVerdict& v : carry.verdicts) {
        QCOMPARE(v.newState, ds::ReviewState::NeedsReview);
        // Neither verdict claims it was kept: the other one overruled it.
        QVERIFY2(v.sentence.endsWith(QStringLiteral("but other verdicts also reach N-1, so it needs review.")), qPrintable(v.sentence));
    }
    QCOMPARE(db.queryInt("SELECT count(*) FROM review_carry WHERE run = 2 AND cluster = 1 AND new_state = 3"), 2);
}

void TestReviewCarry::detectOnTheCliCarriesAndSaysSo()
{
    // A real detection twice: the confirmed network of the first run is confirmed in the second.
    ds::test::ScratchDir dir;
    const QString path = dir.file(QStringLiteral("case.sqlite"));
    const QString out = dir.path();
    auto sim = ds::test::runCli({QStringLiteral("simulate"), QStringLiteral("--scenario"), QStringLiteral("small"),
                                 QStringLiteral("--out"), out, QStringLiteral("--scale"), QStringLiteral("0.2")});
    QVERIFY2(sim.exitCode == 0, sim.err.constData());
    QStringList logs;
    for (const QString& name : QDir(out).entryList({QStringLiteral("requests*"), QStringLiteral("accounts*")}, QDir::Files))
        logs << QDir(out).filePath(name);
    QVERIFY(!logs.isEmpty());
    QCOMPARE(ds::test::runCli(QStringList{QStringLiteral("import"), QStringLiteral("--db"), path} + logs).exitCode, 0);
    QCOMPARE(ds::test::runCli({QStringLiteral("detect"), QStringLiteral("--db"), path}).exitCode, 0);
    const std::int64_t first = ds::test::queryInt(path, "SELECT max(id) FROM detection_run");
    const std::int64_t top = ds::test::queryInt(
        path, "SELECT id FROM cluster WHERE run = (SELECT max(id) FROM detection_run) ORDER BY accounts DESC LIMIT 1");
    QVERIFY(top > 0);
    {
        ds::SqliteDb db = ds::CaseDatabase::openForWriting(path);
        ds::ensureCaseTables(db);
        ds::CaseStore(db).setClusterState({first, top}, ds::ReviewState::Confirmed);
    }
    const auto again = ds::test::runCli({QStringLiteral("detect"), QStringLiteral("--db"), path});
    QCOMPARE(again.exitCode, 0);
    QVERIFY2(again.out.contains("verdict: N-"), again.out.constData());
    QVERIFY2(again.out.contains("kept Confirmed as"), again.out.constData());
    QCOMPARE(ds::test::queryInt(path, "SELECT count(*) FROM cluster_review WHERE state = 1 AND run = "
                                      "(SELECT max(id) FROM detection_run)"),
             1);
}

QTEST_GUILESS_MAIN(TestReviewCarry)
#include "tst_review_carry.moc"
