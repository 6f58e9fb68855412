#include "TestSupport.h"

#include "case/AnalysisStatus.h"
#include "core/CancelToken.h"
#include "core/CaseDatabase.h"
#include "core/Sqlite.h"
#include "detect/DetectionLock.h"
#include "detect/Detector.h"
#include "ingest/ImportTypes.h"

#include <QTest>

// A detection killed mid-run must not leave the case saying "a newer run is
// still in progress" for ever, and two detections of one case never run at
// once. Test thread only.
class TestDetectionLock : public QObject
{
    Q_OBJECT

private slots:
    void runLeftByAKilledProcessIsNotInProgress();
    void secondDetectionOfACaseIsRefused();
};

namespace {

QString detectedCase(const ds::test::ScratchDir& dir)
{
    QByteArray log;
    for (int i = 0; i < 40; ++i)
        log += ds::test::requestJson(QStringLiteral("r%1").arg(i), QStringLiteral("a%1").arg(i % 4), 1714564800000 + i * 60000)
               + "\n";
    const QString db = dir.file(QStringLiteral("case.sqlite"));
    ds::test::importInto(db, {dir.write(QStringLiteral("log.jsonl"), log)});
    ds::DetectProgress progress;
    ds::CancelToken cancel;
    const ds::DetectSummary s = ds::Detector::run(db, ds::DetectSettings{}, progress, cancel);
    return s.error.isEmpty() ? db : QString();
}

} // namespace

void TestDetectionLock::runLeftByAKilledProcessIsNotInProgress()
{
    ds::test::ScratchDir dir;
    const QString db = detectedCase(dir);
    QVERIFY(!db.isEmpty());
    {
        // What a detection killed with SIGKILL leaves: its row, still 'running', and no live lock.
        ds::SqliteDb w = ds::CaseDatabase::openForWriting(db);
        w.exec("INSERT INTO detection_run(started_at, status, settings_json) VALUES(9999999999999, 'running', '{}')");
    }
    {
        ds::SqliteDb r = ds::CaseDatabase::openForReading(db);
        const ds::AnalysisStatus status = ds::analysisStatus(r);
        QVERIFY2(status.complete, qPrintable(status.reason));
    }
    ds::DetectProgress progress;
    ds::CancelToken cancel;
    QVERIFY(ds::Detector::run(db, ds::DetectSettings{}, progress, cancel).error.isEmpty());
    QCOMPARE(ds::test::queryInt(db, "SELECT count(*) FROM detection_run WHERE status = 'running'"), 0);
    QVERIFY(ds::test::queryText(db, "SELECT message FROM detection_run WHERE started_at = 9999999999999")
                .startsWith(QStringLiteral("interrupted")));
}

void TestDetectionLock::secondDetectionOfACaseIsRefused()
{
    ds::test::ScratchDir dir;
    const QString db = detectedCase(dir);
    QVERIFY(!db.isEmpty());
    ds::DetectionLock running(db);
    QVERIFY(running.tryLock());
    QVERIFY(ds::DetectionLock::isHeld(db));
    ds::DetectProgress progress;
    ds::CancelToken cancel;
    const ds::DetectSummary s = ds::Detector::run(db, ds::DetectSettings{}, progress, cancel);
    QVERIFY2(s.error.contains(QStringLiteral("Another detection")), qPrintable(s.error));
    {
        // Meanwhile a run in progress is reported as one.
        ds::SqliteDb w = ds::CaseDatabase::openForWriting(db);
        w.exec("INSERT INTO detection_run(started_at, status, settings_json) VALUES(9999999999999, 'running', '{}')");
        ds::SqliteDb r = ds::CaseDatabase::openForReading(db);
        QVERIFY(!ds::analysisStatus(r).complete);
    }
}

QTEST_GUILESS_MAIN(TestDetectionLock)
#include "tst_detection_lock.moc"
