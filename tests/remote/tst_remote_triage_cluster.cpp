// The issue 15 targets of the triage pushed down, on a real two-shard ClickHouse cluster (the cluster fixture):
// held-out harvest traffic among 30 times the adversarial scenario's ordinary users (triage_30x: attackers about 8 %
// of the rows), at scale 0.05 (about 296,000 rows), loaded into a Distributed table; a full local import of the same
// rows scanned beside the triage's pull. The pull must take at most a quarter of the rows, with recall >= 0.95 and
// precision >= 0.97, and find the same networks as the full import: the same partition of the same accounts. That
// rests on the population the triage measures on the server (remote/TriagePopulation.h): each shared value's
// accounts, the values' sizes and the accounts' starts, which must equal the full import's; without them this run
// found 11 networks where the full import finds 2 (printed). The case must hold the remote baselines and the
// triage's queries. Release phase only, about a minute.
#include "TestSupport.h"
#include "TriageCluster.h"

#include <QDir>
#include <QJsonObject>
#include <QSet>
#include <QtTest>

using namespace ds;
using namespace ds::test;


class TestRemoteTriageCluster : public QObject
{
    Q_OBJECT

private:
    ScratchDir m_dir;
    TriageServers m_servers;

private slots:
    void initTestCase()
    {
        m_servers = triageServers();
        QVERIFY2(m_servers.error.isEmpty(), qPrintable(m_servers.error));
        const CliResult sim = runCli({QStringLiteral("simulate"), QStringLiteral("--out"), m_dir.path(),
                                      QStringLiteral("--scenario"),
                                      QStringLiteral(DS_SOURCE_DIR "/tests/remote/scenarios/triage_30x.json"),
                                      QStringLiteral("--scale"), QStringLiteral("0.05"), QStringLiteral("--seed"),
                                      QStringLiteral("1"), QStringLiteral("--no-gzip")});
        QVERIFY2(sim.exitCode == 0, sim.err.constData());
        const QString e = loadCanonicalRequests(m_servers, QStringLiteral("ds_triage"), m_dir.file(QStringLiteral("requests.jsonl")));
        QVERIFY2(e.isEmpty(), qPrintable(e));
    }

    void triageMeetsTheTargets()
    {
        const QString truth = m_dir.file(QStringLiteral("truth.csv"));
        const QString outDir = outputDir();
        // The full local import: what the triage must match.
        const QString fullJson = QDir(outDir).filePath(QStringLiteral("triage_full.json"));
        const QString fullCase = m_dir.file(QStringLiteral("full.sqlite"));
        const CliResult full = runCli({QStringLiteral("scan"), QStringLiteral("--json"), fullJson, QStringLiteral("--db"),
                                       fullCase, m_dir.file(QStringLiteral("requests.jsonl")),
                                       m_dir.file(QStringLiteral("accounts.csv"))},
                                      300000);
        QVERIFY2(full.exitCode == 0, full.err.constData());

        // scan --from: the accounts file first, the triage on the cluster, the pull of the chosen accounts.
        const QString casePath = m_dir.file(QStringLiteral("triage.sqlite"));
        const QString triageJson = QDir(outDir).filePath(QStringLiteral("triage_pulled.json"));
        const CliResult scan = runCli({QStringLiteral("scan"), QStringLiteral("--json"), triageJson, QStringLiteral("--db"),
                                       casePath, QStringLiteral("--from"),
                                       QStringLiteral("clickhouse://default@127.0.0.1:%1/ds_triage.requests")
                                           .arg(m_servers.httpPorts[0]),
                                       m_dir.file(QStringLiteral("accounts.csv"))},
                                      300000);
        QVERIFY2(scan.exitCode == 0, scan.err.constData());
        QVERIFY2(scan.out.contains("triage: "), scan.out.constData());
        const std::int64_t rows = queryInt(casePath, "SELECT rows_total FROM triage_run");
        // The rows the server sent: at most the triage's estimate (it counts an account too small for the aggregate
        // rows as 2); the case holds them less duplicates and quarantined records.
        const std::int64_t pulled = queryInt(casePath, "SELECT rows FROM remote_pull");
        QVERIFY(pulled > 0 && pulled <= queryInt(casePath, "SELECT rows_chosen FROM triage_run"));
        QVERIFY(queryInt(casePath, "SELECT count(*) FROM request") <= pulled);
        QCOMPARE(rows, static_cast<std::int64_t>(csvDataLines(m_dir.file(QStringLiteral("requests.jsonl"))).size() + 1)); // no header

        const QJsonObject fullEval = evalOf(truth, fullJson), triEval = evalOf(truth, triageJson);
        const double share = static_cast<double>(pulled) / static_cast<double>(rows);
        const double recall = triEval.value(QStringLiteral("recall")).toDouble();
        const double precision = triEval.value(QStringLiteral("precision")).toDouble();
        const QList<QSet<QString>> fullNets = networksOf(fullJson), triNets = networksOf(triageJson);
        const double worst = worstBestJaccard(fullNets, triNets);
        QSet<QString> fullInNetworks, triInNetworks;
        for (const QSet<QString>& n : fullNets)
            fullInNetworks.unite(n);
        for (const QSet<QString>& n : triNets)
            triInNetworks.unite(n);
        const double inNetworks = fullInNetworks.isEmpty() ? 0.0
                                  : static_cast<double>(QSet<QString>(fullInNetworks).intersect(triInNetworks).size())
                                        / static_cast<double>(QSet<QString>(fullInNetworks).unite(triInNetworks).size());
        qInfo().noquote() << QStringLiteral(
                                 "triage: %1 of %2 rows pulled (%3), %4 candidates + %5 linked accounts (%6 left out by "
                                 "the budget); recall %7 precision %8 (full import: recall %9 precision %10); networks "
                                 "%11 (full %12), worst best-match Jaccard %13, the same networks: %14; accounts in "
                                 "networks %15 (full %16), Jaccard %17")
                                 .arg(pulled)
                                 .arg(rows)
                                 .arg(share, 0, 'f', 3)
                                 .arg(queryInt(casePath, "SELECT candidates FROM triage_run"))
                                 .arg(queryInt(casePath, "SELECT linked FROM triage_run"))
                                 .arg(queryInt(casePath, "SELECT dropped FROM triage_run"))
                                 .arg(recall, 0, 'f', 3)
                                 .arg(precision, 0, 'f', 3)
                                 .arg(fullEval.value(QStringLiteral("recall")).toDouble(), 0, 'f', 3)
                                 .arg(fullEval.value(QStringLiteral("precision")).toDouble(), 0, 'f', 3)
                                 .arg(triNets.size())
                                 .arg(fullNets.size())
                                 .arg(worst, 0, 'f', 3)
                                 .arg(sameNetworks(fullNets, triNets) ? QStringLiteral("yes") : QStringLiteral("no"))
                                 .arg(triInNetworks.size())
                                 .arg(fullInNetworks.size())
                                 .arg(inNetworks, 0, 'f', 3);
        QVERIFY(share <= 0.25);
        QVERIFY(recall >= 0.95);
        QVERIFY(precision >= 0.97);
        QVERIFY(!fullNets.isEmpty() && !triNets.isEmpty());
        QVERIFY(inNetworks >= 0.95);

        // The population the triage measured on the cluster is the table's: each IP's and user agent's account count
        // the server sent (two-phase over both shards) equals the full import's.
        const auto [agree, compared] = populationAgreement(casePath, fullCase);
        qInfo().noquote() << QStringLiteral("population: %1 of %2 IP and user agent counts equal the full import's")
                                 .arg(agree)
                                 .arg(compared);
        QVERIFY(compared > 0);
        QCOMPARE(agree, compared);
        // The same case detected without that population (as before detection read one), for the figures.
        const QList<QSet<QString>> before = networksWithoutPopulation(casePath, m_dir.file(QStringLiteral("before.sqlite")));
        qInfo().noquote() << QStringLiteral("without the population: networks %1, worst best-match Jaccard %2, the same "
                                            "networks: %3")
                                 .arg(before.size())
                                 .arg(worstBestJaccard(fullNets, before), 0, 'f', 3)
                                 .arg(sameNetworks(fullNets, before) ? QStringLiteral("yes") : QStringLiteral("no"));
        QVERIFY2(sameNetworks(fullNets, triNets), "the triage's networks are not the full import's (printed above)");

        // The case says where its rows came from and what the server measured.
        QCOMPARE(queryInt(casePath, "SELECT count(*) FROM triage_run"), 1);
        QVERIFY(queryInt(casePath, "SELECT count(*) FROM triage_baseline") >= 10);
        QCOMPARE(queryInt(casePath, "SELECT count(*) FROM remote_query WHERE purpose LIKE 'triage%'"), 7);
        QVERIFY(queryInt(casePath, "SELECT count(*) FROM triage_value") > 0);
        QVERIFY(queryInt(casePath, "SELECT count(*) FROM triage_value_size") > 0);
        QCOMPARE(queryInt(casePath, "SELECT sum(accounts) FROM triage_start"), fullEval.value(QStringLiteral("accounts")).toInteger());
        QCOMPARE(queryInt(casePath, "SELECT count(*) FROM triage_account"),
                 queryInt(casePath, "SELECT count(DISTINCT account) FROM request"));
        QCOMPARE(queryInt(casePath, "SELECT max(accounts) FROM triage_baseline WHERE indicator = 'requests'"),
                 fullEval.value(QStringLiteral("accounts")).toInteger());
    }
};

QTEST_GUILESS_MAIN(TestRemoteTriageCluster)
#include "tst_remote_triage_cluster.moc"
