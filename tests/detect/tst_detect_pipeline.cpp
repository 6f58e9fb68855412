#include "DetectTestCase.h"

#include "core/CaseDatabase.h"
#include "core/CancelToken.h"
#include "detect/DetectJob.h"
#include "detect/DetectionResults.h"
#include "detect/Indicators.h"

#include <thread>

#include <QtTest>

using namespace ds;
using namespace ds::test;

// The whole detection on hand-built traffic: the hydra network is found and
// explained, the hard negatives are left alone, runs repeat exactly, cancel stops.
class TestDetectPipeline : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void findsHydraAndSparesHardNegatives()
    {
        ScratchDir dir;
        const DetectFixture fixture;
        const DetectedCase c = importAndDetect(dir, fixture);
        QVERIFY2(c.summary.error.isEmpty(), qPrintable(c.summary.error));
        const QStringList flagged = flaggedAccounts(c.database);
        for (const auto& [id, t] : fixture.truth()) {
            if (t.label == QLatin1String("attacker"))
                QVERIFY2(flagged.contains(id), qPrintable(QStringLiteral("attacker %1 not flagged").arg(id)));
            else
                QVERIFY2(!flagged.contains(id), qPrintable(QStringLiteral("%1 (%2) flagged").arg(id, t.role)));
        }
        SqliteDb db = CaseDatabase::openForReading(c.database);
        DetectionResults results(db, c.summary.run);
        const auto clusters = results.clusters();
        QCOMPARE(clusters.size(), size_t(1));
        QCOMPARE(clusters[0].accounts, std::int64_t(12));
        const auto reasons = results.clusterReasons(clusters[0].id);
        QVERIFY(reasons.size() >= 3);
        QCOMPARE(reasons[0].key, QStringLiteral("template"));
        QVERIFY2(reasons[0].text.contains(QLatin1String("All 12 accounts")), qPrintable(reasons[0].text));
        QVERIFY(!reasons[0].evidence.value(QStringLiteral("requests")).toArray().isEmpty());
        QVERIFY(!results.links(clusters[0].id).empty());
        const auto members = results.clusterMembers(clusters[0].id);
        QCOMPARE(members.size(), size_t(12));
        QVERIFY(members[0].score >= 0.5);
        const auto indicators = results.indicators(members[0].account);
        QCOMPARE(static_cast<int>(indicators.size()), kIndicatorCount);
        QVERIFY(indicators[static_cast<size_t>(Indicator::CotRate)].value.value_or(0) > 0.9);
        QVERIFY(indicators[static_cast<size_t>(Indicator::CotRate)].percentile.value_or(0) > 0.5);
        QVERIFY(!results.accountReasons(members[0].account).empty());
        QCOMPARE(results.run().status, QStringLiteral("done"));
        QVERIFY(results.run().settings.contains(QStringLiteral("leidenResolution")));
    }

    void hydraWithoutTemplateFoundByInfrastructure()
    {
        // Raw tasks with no wrapper: no shared template, but fresh accounts on a
        // rotating shared pool, shared payments and a throwaway domain, harvesting.
        FixtureOptions o;
        o.hydraUsesTemplate = false;
        ScratchDir dir;
        const DetectFixture fixture(o);
        const DetectedCase c = importAndDetect(dir, fixture);
        const QStringList flagged = flaggedAccounts(c.database);
        for (const auto& [id, t] : fixture.truth())
            QCOMPARE(flagged.contains(id), t.label == QLatin1String("attacker"));
        SqliteDb db = CaseDatabase::openForReading(c.database);
        DetectionResults results(db, c.summary.run);
        QCOMPARE(results.clusters().size(), size_t(1));
        QCOMPARE(results.clusters()[0].accounts, std::int64_t(12));
    }

    void sameInputSameResult()
    {
        ScratchDir dir;
        const DetectFixture fixture;
        const DetectedCase a = importAndDetect(dir, fixture, {}, QStringLiteral("a.sqlite"));
        const DetectedCase b = importAndDetect(dir, fixture, {}, QStringLiteral("b.sqlite"));
        auto dump = [](const QString& path, std::int64_t run) {
            SqliteDb db = CaseDatabase::openForReading(path);
            QStringList rows;
            SqliteStatement st(db, "SELECT account, score, flagged, cluster, community FROM account_result WHERE run = ?1 ORDER BY account");
            st.bind(1, run);
            while (st.step())
                rows << QStringLiteral("%1 %2 %3 %4 %5").arg(st.columnInt(0)).arg(st.columnDouble(1), 0, 'g', 17)
                            .arg(st.columnInt(2)).arg(st.columnInt(3)).arg(st.columnInt(4));
            SqliteStatement r(db, "SELECT subject_kind, subject, rank, text FROM reason WHERE run = ?1 ORDER BY 1, 2, 3");
            r.bind(1, run);
            while (r.step())
                rows << r.columnText(3);
            return rows;
        };
        const QStringList da = dump(a.database, a.summary.run), db = dump(b.database, b.summary.run);
        QVERIFY(da.size() > 100);
        QCOMPARE(da, db);
        // A second run on the same case gives the same result too (threads may interleave differently).
        DetectProgress progress;
        CancelToken cancel;
        DetectSettings oneThread;
        oneThread.threads = 1;
        const DetectSummary again = Detector::run(a.database, oneThread, progress, cancel);
        QCOMPARE(dump(a.database, again.run), da);
    }

    void cancelStopsAndRecords()
    {
        ScratchDir dir;
        const DetectFixture fixture;
        const DetectedCase c = importAndDetect(dir, fixture);
        DetectProgress progress;
        CancelToken cancel;
        cancel.requestCancel();
        const DetectSummary s = Detector::run(c.database, {}, progress, cancel);
        QVERIFY(s.cancelled);
        SqliteDb db = CaseDatabase::openForReading(c.database);
        QCOMPARE(db.queryInt("SELECT count(*) FROM detection_run WHERE status = 'cancelled'"), std::int64_t(1));
        QCOMPARE(db.queryInt("SELECT count(*) FROM account_result WHERE run = (SELECT max(id) FROM detection_run)"), std::int64_t(0));
        // The latest finished run is still the earlier one.
        QCOMPARE(*DetectionResults::latestRun(db), c.summary.run);

        // Cancelling from another thread while the scan runs.
        CancelToken midway;
        DetectProgress p2;
        std::thread canceller([&] {
            while (p2.stage.load() < static_cast<int>(DetectStage::Scanning))
                std::this_thread::yield();
            midway.requestCancel();
        });
        const DetectSummary s2 = Detector::run(c.database, {}, p2, midway);
        canceller.join();
        QVERIFY(s2.cancelled);
    }

    void jobRunsInThePoolAndReports()
    {
        ScratchDir dir;
        const DetectFixture fixture;
        const DetectedCase c = importAndDetect(dir, fixture);
        DetectJob job(c.database, DetectSettings{});
        QSignalSpy finished(&job, &DetectJob::finished);
        QSignalSpy progress(&job, &DetectJob::progressChanged);
        job.start();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.size(), 1);
        const auto summary = finished.at(0).at(0).value<DetectSummary>();
        QVERIFY(summary.error.isEmpty());
        QCOMPARE(summary.flaggedAccounts, std::int64_t(12));
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().at(0).toInt(), static_cast<int>(DetectStage::Done));
        QVERIFY(!job.isRunning());
    }

    void settingsRoundTripAndReject()
    {
        DetectSettings s;
        s.leidenResolution = 0.7;
        s.tierRateLimits[QStringLiteral("gold")] = 123;
        QString error;
        const DetectSettings back = DetectSettings::fromJson(s.toJson(), &error);
        QVERIFY(error.isEmpty());
        QCOMPARE(back.leidenResolution, 0.7);
        QCOMPARE(back.rateLimitFor(QStringLiteral("gold")), 123.0);
        DetectSettings::fromJson(QJsonObject{{QStringLiteral("noSuchSetting"), 1}}, &error);
        QVERIFY(error.contains(QLatin1String("noSuchSetting")));
        DetectSettings::fromJson(QJsonObject{{QStringLiteral("seed"), QStringLiteral("x")}}, &error);
        QVERIFY(!error.isEmpty());
        QVERIFY(DetectSettings::documentation().contains(QLatin1String("clusterFlagScore")));
    }
};

QTEST_GUILESS_MAIN(TestDetectPipeline)
#include "tst_detect_pipeline.moc"
