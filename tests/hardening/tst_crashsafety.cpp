#include "TestSupport.h"

#include "core/CaseDatabase.h"
#include "detect/DetectionResults.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTest>

#include <map>

// Kills `distillscope-cli import` and `detect` with SIGKILL at seeded random
// moments, then checks the case: it opens, passes PRAGMA integrity_check, counts
// no half-imported file, and running the command again gives the same case as
// an uninterrupted run. Test thread only.
class TestCrashSafety : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void killedImportLeavesConsistentCase();
    void killedDetectionLeavesConsistentCase();

private:
    // What an import put in a case, for comparing runs.
    struct ImportFacts
    {
        std::int64_t requests = 0, accounts = 0, quarantined = 0, texts = 0;
        QStringList files; // sha256:kind:records:quarantined, sorted
        bool operator==(const ImportFacts&) const = default;
    };
    // What the latest finished detection run found.
    struct DetectFacts
    {
        std::int64_t accounts = 0, requests = 0, clusters = 0;
        std::map<QString, std::pair<double, bool>> scores; // account id -> (score, flagged)
        bool operator==(const DetectFacts&) const = default;
    };
    static ImportFacts importFacts(const QString& db);
    static std::optional<DetectFacts> detectFacts(const QString& db);
    static void checkConsistent(const QString& db);
    // A kill inside the case's very first transaction leaves a journal that
    // rolls the file back to empty: nothing was saved, the next import creates
    // the case. True for such a file (opening it says so and empties it).
    static bool rolledBackToEmpty(const QString& db);
    // Starts the CLI, SIGKILLs it after `delayMs` unless it finished; true if it was killed.
    static bool runAndKill(const QStringList& args, int delayMs);
    static qint64 timeCli(const QStringList& args);
    // Six runs, and more (at most twelve) until three were killed: the kill points are random over
    // the uninterrupted time, measured once, and on a loaded machine (the sanitizer job runs two
    // tests at a time) a later run can be faster than that and finish before its kill.
    static bool keepKilling(int runs, int killed) { return runs < 6 || (killed < 3 && runs < 12); }

    ds::test::ScratchDir m_dir;
    QStringList m_logs;
    QString m_importedCase; // imported, not yet analysed
    ImportFacts m_import;
    DetectFacts m_detect;
    qint64 m_importMs = 0, m_detectMs = 0;
};

TestCrashSafety::ImportFacts TestCrashSafety::importFacts(const QString& db)
{
    ds::SqliteDb c = ds::CaseDatabase::openForReading(db);
    ImportFacts f;
    f.requests = c.queryInt("SELECT count(*) FROM request");
    f.texts = c.queryInt("SELECT count(*) FROM request_text");
    f.accounts = c.queryInt("SELECT count(*) FROM account");
    f.quarantined = c.queryInt("SELECT count(*) FROM quarantine");
    ds::SqliteStatement st(c, "SELECT sha256 || ':' || kind || ':' || records || ':' || quarantined FROM source_file");
    while (st.step())
        f.files << st.columnText(0);
    f.files.sort();
    return f;
}

std::optional<TestCrashSafety::DetectFacts> TestCrashSafety::detectFacts(const QString& db)
{
    ds::SqliteDb c = ds::CaseDatabase::openForReading(db);
    const bool hasTables = c.queryInt("SELECT count(*) FROM sqlite_master WHERE name='detection_run'") > 0;
    const auto run = hasTables ? ds::DetectionResults::latestRun(c) : std::nullopt;
    if (!run)
        return std::nullopt;
    const ds::DetectionResults results(c, *run);
    DetectFacts f;
    const auto info = results.run();
    f.accounts = info.accounts;
    f.requests = info.requests;
    f.clusters = static_cast<std::int64_t>(results.clusters().size());
    for (const auto& a : results.accounts())
        f.scores[a.accountId] = {a.score, a.flagged};
    return f;
}

bool TestCrashSafety::rolledBackToEmpty(const QString& db)
{
    try {
        ds::CaseDatabase::openForReading(db);
        return false;
    } catch (const ds::CaseOpenError& e) {
        if (QFileInfo(db).size() != 0)
            return false; // checkConsistent reports it
        qInfo("killed while creating the case: %s", qPrintable(e.message()));
        return true;
    }
}

void TestCrashSafety::checkConsistent(const QString& db)
{
    // The same way the app opens a case to show it: read-only.
    ds::SqliteDb c = ds::CaseDatabase::openForReading(db);
    ds::SqliteStatement ic(c, "PRAGMA integrity_check");
    QVERIFY(ic.step());
    QCOMPARE(ic.columnText(0), QStringLiteral("ok"));
    // Rows only for committed files, and each committed file complete.
    QCOMPARE(c.queryInt("SELECT count(*) FROM request WHERE source_file NOT IN (SELECT id FROM source_file)"), 0);
    QCOMPARE(c.queryInt("SELECT count(*) FROM quarantine WHERE source_file NOT IN (SELECT id FROM source_file)"), 0);
    QCOMPARE(c.queryInt("SELECT count(*) FROM source_file f WHERE kind = 'requests' AND inserted != "
                        "(SELECT count(*) FROM request r WHERE r.source_file = f.id)"),
             0);
    QCOMPARE(c.queryInt("SELECT count(*) FROM source_file f WHERE quarantined != "
                        "(SELECT count(*) FROM quarantine q WHERE q.source_file = f.id)"),
             0);
    QCOMPARE(c.queryInt("SELECT count(*) FROM request_text"), c.queryInt("SELECT count(*) FROM request"));
}

bool TestCrashSafety::runAndKill(const QStringList& args, int delayMs)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.setStandardOutputFile(QProcess::nullDevice());
    p.start(QStringLiteral(DS_CLI_PATH), args);
    if (!p.waitForStarted())
        qFatal("cannot start distillscope-cli");
    if (p.waitForFinished(delayMs))
        return false;
    p.kill(); // SIGKILL: no handler, no cleanup, like a power cut for the process
    p.waitForFinished();
    return true;
}

qint64 TestCrashSafety::timeCli(const QStringList& args)
{
    QElapsedTimer t;
    t.start();
    const auto r = ds::test::runCli(args);
    if (r.exitCode != 0)
        qFatal("distillscope-cli %s failed: %s", qPrintable(args.join(QLatin1Char(' '))), r.err.constData());
    return t.elapsed();
}

void TestCrashSafety::initTestCase()
{
    const QString sim = m_dir.file(QStringLiteral("sim"));
    const auto s = ds::test::runCli({QStringLiteral("simulate"), QStringLiteral("--scenario"), QStringLiteral("tiny"),
                                     QStringLiteral("--scale"), QStringLiteral("4"), QStringLiteral("--seed"), QStringLiteral("11"), QStringLiteral("--out"), sim});
    QVERIFY2(s.exitCode == 0, (s.err).constData());
    // Two request files and the accounts, so a kill can fall between committed files.
    m_logs = {sim + QStringLiteral("/requests.jsonl.gz"), sim + QStringLiteral("/accounts.csv")};
    QByteArray extra;
    for (int i = 0; i < 2000; ++i)
        extra += ds::test::requestJson(QStringLiteral("extra-%1").arg(i), QStringLiteral("extra-acct-%1").arg(i % 40),
                                       1714564800000 + i * 997) + '\n';
    extra += "not a record\n";
    m_logs << m_dir.write(QStringLiteral("extra.jsonl"), extra);

    m_importedCase = m_dir.file(QStringLiteral("imported.sqlite"));
    m_importMs = timeCli(QStringList{QStringLiteral("import"), QStringLiteral("--db"), m_importedCase} + m_logs);
    m_import = importFacts(m_importedCase);
    QVERIFY(m_import.requests > 2000);
    QCOMPARE(m_import.files.size(), 3);

    const QString analysed = m_dir.file(QStringLiteral("analysed.sqlite"));
    QVERIFY(QFile::copy(m_importedCase, analysed));
    m_detectMs = timeCli({QStringLiteral("detect"), QStringLiteral("--db"), analysed});
    const auto facts = detectFacts(analysed);
    QVERIFY(facts.has_value());
    m_detect = *facts;
    QVERIFY(m_detect.clusters > 0);
    qInfo("uninterrupted: import %lld ms, detection %lld ms", m_importMs, m_detectMs);
}

void TestCrashSafety::killedImportLeavesConsistentCase()
{
    QRandomGenerator rng(20240501);
    int killed = 0;
    int runs = 0;
    for (; keepKilling(runs, killed); ++runs) try {
        const QString db = m_dir.file(QStringLiteral("import-%1.sqlite").arg(runs));
        const QStringList args = QStringList{QStringLiteral("import"), QStringLiteral("--db"), db} + m_logs;
        const int delay = static_cast<int>(rng.bounded(static_cast<int>(m_importMs)));
        if (runAndKill(args, delay)) {
            ++killed;
            if (QFile::exists(db) && QFileInfo(db).size() > 0 && !rolledBackToEmpty(db)) {
                checkConsistent(db);
                if (QTest::currentTestFailed())
                    return qWarning("inconsistent case after a kill at %d ms: %s", delay, qPrintable(db));
                const ImportFacts partial = importFacts(db);
                for (const QString& f : partial.files)
                    QVERIFY2(m_import.files.contains(f), qPrintable(QStringLiteral("unexpected file row %1").arg(f)));
            }
        }
        // Importing again finishes the job: the same case as one uninterrupted import.
        const auto again = ds::test::runCli(args);
        QVERIFY2(again.exitCode == 0, (again.err).constData());
        checkConsistent(db);
        QVERIFY(importFacts(db) == m_import);
    } catch (const std::exception& e) {
        QFAIL(e.what()); // a case that cannot be opened after a kill
    }
    qInfo("%d of %d imports killed before they finished", killed, runs);
    QVERIFY(killed >= 3);
}

void TestCrashSafety::killedDetectionLeavesConsistentCase()
{
    QRandomGenerator rng(7001);
    int killed = 0;
    int runs = 0;
    for (; keepKilling(runs, killed); ++runs) try {
        const QString db = m_dir.file(QStringLiteral("detect-%1.sqlite").arg(runs));
        QFile::remove(db);
        QVERIFY(QFile::copy(m_importedCase, db));
        QFile::setPermissions(db, QFile::ReadOwner | QFile::WriteOwner);
        const QStringList args{QStringLiteral("detect"), QStringLiteral("--db"), db};
        const int delay = static_cast<int>(rng.bounded(static_cast<int>(m_detectMs)));
        if (runAndKill(args, delay)) {
            ++killed;
            checkConsistent(db);
            if (QTest::currentTestFailed())
                return qWarning("inconsistent case after a kill at %d ms: %s", delay, qPrintable(db));
            QVERIFY(importFacts(db) == m_import);
            // A run is either finished and complete, or not shown at all.
            const auto partial = detectFacts(db);
            if (partial)
                QVERIFY(*partial == m_detect);
        }
        const auto again = ds::test::runCli(args);
        QVERIFY2(again.exitCode == 0, (again.err).constData());
        checkConsistent(db);
        const auto facts = detectFacts(db);
        QVERIFY(facts.has_value());
        QVERIFY2(*facts == m_detect, "detection after a kill differs from an uninterrupted run");
    } catch (const std::exception& e) {
        QFAIL(e.what()); // a case that cannot be opened after a kill
    }
    qInfo("%d of %d detection runs killed before they finished", killed, runs);
    QVERIFY(killed >= 3);
}

QTEST_GUILESS_MAIN(TestCrashSafety)
#include "tst_crashsafety.moc"
