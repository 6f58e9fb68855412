#include "TestSupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace ds::test;

// End to end on simulated traffic: simulate (small scenario, two seeds) ->
// scan -> eval, with the quality targets of issue 4 asserted.
class TestDetectSim : public QObject
{
    Q_OBJECT

    // simulate SCENARIO --seed SEED, scan the logs into outputDir()/OUT, and eval
    // against the truth: the eval JSON in `r` (QVERIFY in a void helper, so the
    // caller checks QTest::currentTestFailed()).
    static void simulateScanEvaluate(const QString& scenario, const QString& seed, const QString& outName, QJsonObject& r)
    {
        ScratchDir dir;
        const CliResult sim = runCli({QStringLiteral("simulate"), QStringLiteral("--out"), dir.path(), QStringLiteral("--scenario"),
                                      scenario, QStringLiteral("--seed"), seed});
        QVERIFY2(sim.exitCode == 0, sim.err.constData());
        QStringList files;
        for (const QString& f : QDir(dir.path()).entryList({QStringLiteral("requests*"), QStringLiteral("accounts*")}, QDir::Files))
            files << dir.file(f);
        const QString out = QDir(outputDir()).filePath(outName);
        const CliResult scan = runCli(QStringList{QStringLiteral("scan"), QStringLiteral("--json"), out} + files);
        QVERIFY2(scan.exitCode == 0, scan.err.constData());
        const CliResult eval = runCli({QStringLiteral("eval"), QStringLiteral("--truth"), dir.file(QStringLiteral("truth.csv")),
                                       QStringLiteral("--results"), out, QStringLiteral("--json")});
        QVERIFY2(eval.exitCode == 0, eval.err.constData());
        r = QJsonDocument::fromJson(eval.out).object();
        qInfo().noquote() << scenario << "seed" << seed << QString::fromUtf8(eval.out);
    }

private Q_SLOTS:
    void smallScenarioMeetsTargets_data()
    {
        QTest::addColumn<QString>("seed");
        QTest::newRow("seed 1") << QStringLiteral("1");
        QTest::newRow("seed 2") << QStringLiteral("2");
    }

    void smallScenarioMeetsTargets()
    {
        QFETCH(QString, seed);
        QJsonObject r;
        simulateScanEvaluate(QStringLiteral("small"), seed, QStringLiteral("detect_small_seed%1.json").arg(seed), r);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(r.value(QStringLiteral("missing_from_results")).toInt(), 0);
        QVERIFY(r.value(QStringLiteral("attackers")).toInt() > 100);
        QVERIFY2(r.value(QStringLiteral("precision")).toDouble() >= 0.98, "precision below 0.98");
        QVERIFY2(r.value(QStringLiteral("recall")).toDouble() >= 0.95, "recall below 0.95");
        QVERIFY2(r.value(QStringLiteral("purity")).toDouble() >= 0.95, "purity below 0.95");
        QVERIFY(r.value(QStringLiteral("adjusted_rand_index")).toDouble() >= 0.8);
        QCOMPARE(r.value(QStringLiteral("hard_negatives_flagged")).toInt(), 0);
        const QJsonObject campaigns = r.value(QStringLiteral("campaigns")).toObject();
        QCOMPARE(campaigns.size(), 3);
        for (const QString& name : campaigns.keys())
            QVERIFY2(campaigns.value(name).toObject().value(QStringLiteral("recall")).toDouble() >= 0.9, qPrintable(name));
    }

    // Campaigns sending raw tasks (no template wrapper, no system prompt): found by
    // pacing, bursts, hand-offs, prompt profiles and infrastructure (recall was 0.59
    // before those), still without touching a hard negative.
    void rawTaskCampaigns()
    {
        QJsonObject r;
        simulateScanEvaluate(QStringLiteral(DS_SOURCE_DIR "/tests/detect/scenarios/small_raw_tasks.json"), QStringLiteral("1"),
                             QStringLiteral("detect_small_raw_tasks.json"), r);
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(r.value(QStringLiteral("precision")).toDouble() >= 0.98, "precision below 0.98");
        QVERIFY2(r.value(QStringLiteral("recall")).toDouble() >= 0.85, "recall below 0.85");
        QCOMPARE(r.value(QStringLiteral("hard_negatives_flagged")).toInt(), 0);
    }
};

QTEST_GUILESS_MAIN(TestDetectSim)
#include "tst_detect_sim.moc"
