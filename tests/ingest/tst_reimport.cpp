#include "TestSupport.h"
#include "core/CaseDatabase.h"
#include "ingest/Importer.h"

#include <QTest>

#include <thread>

using namespace ds;
using Outcome = FileReport::Outcome;

namespace {
QByteArray records(int from, int to)
{
    QByteArray out;
    for (int i = from; i < to; ++i)
        out += test::requestJson(QStringLiteral("req_%1").arg(i), QStringLiteral("acct_%1").arg(i % 17), 1770128525123 + i * 250,
                                 QStringLiteral("Question %1: explain the result step by step.").arg(i))
               + "\n";
    return out;
}
} // namespace

// request_id is the identity: importing again adds nothing; a cancelled import
// leaves the case consistent and can simply be run again.
class TestReimport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sameFileTwiceAddsNothing()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QString file = dir.write(QStringLiteral("r.jsonl"), records(0, 500) + "{broken\n");
        const ImportSummary first = test::importInto(db, {file});
        QCOMPARE(first.requestsInCase, 500);
        const ImportSummary again = test::importInto(db, {file});
        QCOMPARE(again.files[0].outcome, Outcome::AlreadyImported);
        QVERIFY(again.anyImported());
        QCOMPARE(again.requestsInCase, 500);
        QCOMPARE(again.quarantinedInCase, 1);
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM source_file"), 1);
    }

    void overlappingFileAddsOnlyNewRequests()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        test::importInto(db, {dir.write(QStringLiteral("a.jsonl"), records(0, 300))});
        const ImportSummary s = test::importInto(db, {dir.writeGzip(QStringLiteral("b.jsonl.gz"), records(200, 450))});
        QCOMPARE(s.files[0].outcome, Outcome::Imported);
        QCOMPARE(s.files[0].records, 250);
        QCOMPARE(s.files[0].inserted, 150);
        QCOMPARE(s.requestsInCase, 450);
        QCOMPARE(test::queryInt(db, "SELECT count(DISTINCT request_id) FROM request_text"), 450);
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM account"), 17);
    }

    void duplicatesInsideOneFile()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("a.jsonl"), records(0, 100) + records(50, 150))});
        QCOMPARE(s.files[0].records, 200);
        QCOMPARE(s.files[0].inserted, 150);
        QCOMPARE(s.requestsInCase, 150);
    }

    void cancelMidFileLeavesConsistentCase()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QString small = dir.write(QStringLiteral("small.jsonl"), records(0, 100));
        const QString big = dir.writeGzip(QStringLiteral("big.jsonl.gz"), records(1000, 200000));
        test::importInto(db, {small});

        ImportProgress progress;
        CancelToken cancel;
        std::thread canceller([&] {
            while (progress.records.load() < 20000)
                std::this_thread::yield();
            cancel.requestCancel();
        });
        const ImportSummary s = Importer::run(ImportRequest{db, {big}, {}}, progress, cancel);
        canceller.join();
        QVERIFY(s.cancelled);
        QCOMPARE(s.files[0].outcome, Outcome::Cancelled);
        QVERIFY(!s.anyImported());
        {
            SqliteDb conn = CaseDatabase::openForReading(db);
            SqliteStatement check(conn, "PRAGMA integrity_check");
            QVERIFY(check.step());
            QCOMPARE(check.columnText(0), QStringLiteral("ok"));
        }
        // Nothing of the cancelled file is kept; the earlier file is intact.
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM request"), 100);
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM source_file"), 1);

        // Simply import it again.
        const ImportSummary again = test::importInto(db, {big});
        QCOMPARE(again.files[0].outcome, Outcome::Imported);
        QCOMPARE(again.requestsInCase, 100 + 199000);
    }
};

QTEST_GUILESS_MAIN(TestReimport)
#include "tst_reimport.moc"
