#include "DetectFixtures.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace ds::test;

// detect, scan and eval through distillscope-cli on hand-built traffic.
class TestDetectCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void scanThenEval()
    {
        ScratchDir dir;
        const DetectFixture fixture;
        const QString logs = dir.write(QStringLiteral("requests.jsonl"), fixture.requestsJsonl());
        const QString accounts = dir.write(QStringLiteral("accounts.csv"), fixture.accountsCsv());
        const QString truth = dir.write(QStringLiteral("truth.csv"), fixture.truthCsv());
        const QString out = QDir(outputDir()).filePath(QStringLiteral("detect_fixture_results.json"));
        const CliResult scan = runCli({QStringLiteral("scan"), QStringLiteral("--json"), out, logs, accounts});
        QVERIFY2(scan.exitCode == 0, scan.err.constData());
        QVERIFY(scan.out.contains("flagged 12 accounts"));

        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject doc = QJsonDocument::fromJson(f.readAll()).object();
        const QJsonArray list = doc.value(QStringLiteral("accounts")).toArray();
        QCOMPARE(list.size(), static_cast<qsizetype>(fixture.truth().size()));
        for (const QJsonValue& v : list) {
            const QJsonObject a = v.toObject();
            QVERIFY(a.value(QStringLiteral("score")).toDouble() >= 0 && a.value(QStringLiteral("score")).toDouble() <= 1);
            QCOMPARE(a.value(QStringLiteral("flagged")).toBool(), a.value(QStringLiteral("score")).toDouble() >= 0.5);
            QCOMPARE(a.value(QStringLiteral("flagged")).toBool(), !a.value(QStringLiteral("reasons")).toArray().isEmpty());
        }
        const QJsonArray clusters = doc.value(QStringLiteral("clusters")).toArray();
        QCOMPARE(clusters.size(), 1);
        QCOMPARE(clusters[0].toObject().value(QStringLiteral("accounts")).toArray().size(), 12);

        const CliResult eval = runCli({QStringLiteral("eval"), QStringLiteral("--truth"), truth, QStringLiteral("--results"), out,
                                       QStringLiteral("--json")});
        QVERIFY2(eval.exitCode == 0, eval.err.constData());
        const QJsonObject figures = QJsonDocument::fromJson(eval.out).object();
        QCOMPARE(figures.value(QStringLiteral("precision")).toDouble(), 1.0);
        QCOMPARE(figures.value(QStringLiteral("recall")).toDouble(), 1.0);
        QCOMPARE(figures.value(QStringLiteral("purity")).toDouble(), 1.0);
        QCOMPARE(figures.value(QStringLiteral("adjusted_rand_index")).toDouble(), 1.0);
        QCOMPARE(figures.value(QStringLiteral("hard_negatives_flagged")).toInt(), 0);
        const CliResult text = runCli({QStringLiteral("eval"), QStringLiteral("--truth"), truth, QStringLiteral("--results"), out});
        QVERIFY(text.out.contains("precision 1.0000"));
    }

    void detectOnCaseAndSettings()
    {
        ScratchDir dir;
        const DetectFixture fixture;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QString logs = dir.write(QStringLiteral("requests.jsonl"), fixture.requestsJsonl());
        QCOMPARE(runCli({QStringLiteral("import"), QStringLiteral("--db"), db, logs}).exitCode, 0);
        // A stricter network threshold than any score flags nothing; the run records it.
        const QString strict = dir.write(QStringLiteral("strict.json"), R"({"clusterFlagScore": 1.5, "soloMinBehaviour": 2})");
        const CliResult r = runCli({QStringLiteral("detect"), QStringLiteral("--db"), db, QStringLiteral("--settings"), strict,
                                    QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject s = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(s.value(QStringLiteral("flagged_accounts")).toInt(), 0);
        const CliResult normal = runCli({QStringLiteral("detect"), QStringLiteral("--db"), db});
        QVERIFY(normal.out.contains("flagged 12 accounts"));

        const CliResult bad = runCli({QStringLiteral("detect"), QStringLiteral("--db"), db, QStringLiteral("--settings"),
                                      dir.write(QStringLiteral("bad.json"), R"({"clusterFlagScor": 1})")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.err.contains("clusterFlagScor"));
        const CliResult print = runCli({QStringLiteral("detect"), QStringLiteral("--print-settings")});
        QCOMPARE(print.exitCode, 0);
        QVERIFY(print.out.contains("\"leidenResolution\""));
    }
};

QTEST_GUILESS_MAIN(TestDetectCli)
#include "tst_detect_cli.moc"
