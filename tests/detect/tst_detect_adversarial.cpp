#include "TestSupport.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace ds::test;

namespace {

// The issue 13 targets, met since task-pool networks and the harvest profile (simulate -> scan -> eval on seeds
// 1/2/3: recall 0.953/0.930/0.957, precision 1.000). Before them detection found none of the careful adversary's
// accounts (recall 0.000 on seeds 1-3).
constexpr double kMinRecall = 0.90;
constexpr double kMinPrecision = 0.99;

} // namespace

// End to end on the careful adversary (issue 13): simulate --scenario adversarial -> scan -> eval. The hard
// negatives (a class behind one campus NAT, homework askers, agentic-coding power users, and the older ones) must
// stay unflagged, with the precision and recall targets. Release phase only (about 15 s a seed in a
// release build).
class TestDetectAdversarial : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void adversarialScenario_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("seed");
        QTest::addColumn<QString>("networkReason"); // a flagged network's reason starts so
        QTest::addColumn<double>("minRecall");
        QTest::addColumn<QString>("accountReason"); // some flagged account's reason says so (empty: not checked)
        QTest::newRow("seed 1") << QStringLiteral("adversarial") << QStringLiteral("1") << QStringLiteral("Task pool:")
                                << kMinRecall << QString();
        QTest::newRow("seed 2") << QStringLiteral("adversarial") << QStringLiteral("2") << QStringLiteral("Task pool:")
                                << kMinRecall << QString();
        // 60 % camouflage: the harvest profiles fall under the task-pool core line (recall 0.467 before the
        // harvest-profile cohorts, 0.937 with them); the cohort (window and task or pool links) finds them.
        QTest::newRow("camouflage 0.6, seed 1")
            << QStringLiteral(DS_SOURCE_DIR "/tests/detect/scenarios/adversarial_camouflage60.json") << QStringLiteral("1")
            << QStringLiteral("Harvest-profile cohort:") << kMinRecall << QString();
        // 20-40 requests per account: a dozen harvest-class requests each. Recall 0.843 on seed 12 before pool members
        // (detect/PoolAttachment.h), 0.927 with them.
        QTest::newRow("20-40 requests, seed 12")
            << QStringLiteral(DS_SOURCE_DIR "/tests/detect/scenarios/adversarial_requests20_40.json") << QStringLiteral("12")
            << QStringLiteral("Harvest-profile cohort:") << 0.92 << QStringLiteral("Too few requests to judge alone");
        // Every harvest answer capped at 256-512 tokens: recall 0.660 on seed 12 before answers cut at the client's
        // limit stood in for their length (docs/HARVEST_SIGNAL.md section 10), 0.997 with it.
        QTest::newRow("short outputs, seed 12")
            << QStringLiteral(DS_SOURCE_DIR "/tests/detect/scenarios/adversarial_short_outputs.json") << QStringLiteral("12")
            << QStringLiteral("Task pool:") << 0.95 << QStringLiteral("cut short by the client, not short by nature");
    }

    void adversarialScenario()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, seed);
        QFETCH(QString, networkReason);
        QFETCH(double, minRecall);
        QFETCH(QString, accountReason);
        ScratchDir dir;
        const CliResult sim
            = runCli({ QStringLiteral("simulate"), QStringLiteral("--out"), dir.path(), QStringLiteral("--scenario"),
                       scenario, QStringLiteral("--seed"), seed });
        QVERIFY2(sim.exitCode == 0, sim.err.constData());
        const QString out = QDir(outputDir()).filePath(
            QStringLiteral("detect_%1_seed%2.json").arg(QFileInfo(scenario).baseName(), seed));
        const CliResult scan
            = runCli({ QStringLiteral("scan"), QStringLiteral("--json"), out,
                       dir.file(QStringLiteral("requests.jsonl.gz")), dir.file(QStringLiteral("accounts.csv")) });
        QVERIFY2(scan.exitCode == 0, scan.err.constData());
        const CliResult eval
            = runCli({ QStringLiteral("eval"), QStringLiteral("--truth"), dir.file(QStringLiteral("truth.csv")),
                       QStringLiteral("--results"), out, QStringLiteral("--json") });
        QVERIFY2(eval.exitCode == 0, eval.err.constData());
        const QJsonObject r = QJsonDocument::fromJson(eval.out).object();
        qInfo().noquote() << "adversarial seed" << seed << QString::fromUtf8(eval.out);

        QCOMPARE(r.value(QStringLiteral("missing_from_results")).toInt(), 0);
        QVERIFY(r.value(QStringLiteral("attackers")).toInt() >= 290);
        const QJsonObject roles = r.value(QStringLiteral("benign_roles")).toObject();
        for (const char* role : { "student", "homework", "power-user", "nat-user", "reseller-customer", "evaluator",
                                  "enterprise-batch" }) {
            const QJsonObject fr = roles.value(QLatin1String(role)).toObject();
            QVERIFY2(fr.value(QStringLiteral("accounts")).toInt() > 0, role);
            QVERIFY2(fr.value(QStringLiteral("flagged")).toInt() == 0, role);
        }
        QCOMPARE(r.value(QStringLiteral("hard_negatives_flagged")).toInt(), 0);
        // The networks are found by their task pool or cohort, and their reasons say so.
        QFile results(out);
        QVERIFY(results.open(QIODevice::ReadOnly));
        const QJsonObject detected = QJsonDocument::fromJson(results.readAll()).object();
        int taskReasons = 0;
        for (const QJsonValue& c : detected.value(QStringLiteral("clusters")).toArray())
            for (const QJsonValue& reason : c.toObject().value(QStringLiteral("reasons")).toArray())
                taskReasons += reason.toString().startsWith(networkReason);
        QVERIFY(taskReasons >= 1);
        if (!accountReason.isEmpty()) {
            int accountReasons = 0;
            for (const QJsonValue& a : detected.value(QStringLiteral("accounts")).toArray())
                for (const QJsonValue& reason : a.toObject().value(QStringLiteral("reasons")).toArray())
                    accountReasons += reason.toString().contains(accountReason);
            QVERIFY2(accountReasons >= 1, qPrintable(accountReason));
        }
        const double recall = r.value(QStringLiteral("recall")).toDouble();
        QVERIFY2(recall >= minRecall, qPrintable(QStringLiteral("recall %1 below %2").arg(recall).arg(minRecall)));
        const double precision = r.value(QStringLiteral("precision")).toDouble();
        QVERIFY2(precision >= kMinPrecision,
                 qPrintable(QStringLiteral("precision %1 below %2").arg(precision).arg(kMinPrecision)));
    }
};

QTEST_GUILESS_MAIN(TestDetectAdversarial)
#include "tst_detect_adversarial.moc"
