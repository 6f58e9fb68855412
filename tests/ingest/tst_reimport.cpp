#include "TestSupport.h"
#include "core/CaseDatabase.h"
#include "core/FileDigest.h"
#include "core/Hashing.h"
#include "ingest/Importer.h"

#include <QFile>
#include <QTest>

#include <functional>
#include <thread>

#include <sys/stat.h>

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

// How many of the request table's two core indexes the case has.
qint64 requestIndexes(const QString& db)
{
    return test::queryInt(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
                              "AND name IN ('request_account_ts', 'request_ts')");
}

// Runs `action` on a thread of its own once an import has counted `records`
// records, while it is still reading (the parser is at most a few batches ahead).
std::thread onceRecordsReach(const ImportProgress& progress, qint64 records, std::function<void()> action)
{
    return std::thread([&progress, records, action = std::move(action)] {
        while (progress.records.load() < records)
            std::this_thread::yield();
        action();
    });
}

// The case file's size in pages.
qint64 pages(const QString& db) { return test::queryInt(db, "PRAGMA page_count"); }

// Points the committed row of `requestId` at the request-id hash of `otherId`,
// as if the two ids collided on the 64-bit hash (real collisions cannot be made).
void forgeHash(const QString& db, const QString& requestId, const QString& otherId)
{
    SqliteDb conn = CaseDatabase::openForWriting(db);
    SqliteStatement st(conn, "UPDATE request SET rid_hash = ?1 WHERE id = (SELECT id FROM request_text WHERE request_id = ?2)");
    st.bind(1, toSqlInt(hash64(otherId.toStdString())));
    st.bindText(2, requestId);
    st.run();
    QCOMPARE(conn.queryInt("SELECT changes()"), 1);
}

// Whether the case has the request-id index, built only once an import needed it.
bool hasRequestIdIndex(const QString& db)
{
    return test::queryInt(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'request_rid'") == 1;
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
        // The second file is large next to the case: loaded without indexes, which are built again.
        QCOMPARE(requestIndexes(db), 2);
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM account"), 17);
    }

    // request_rid costs as much to sort as any index, and only confirming a
    // request repeated inside one file needs it (a request already in the case
    // is confirmed on its row, found by hash in memory): a case gets it when an
    // import first meets such a repeat, and keeps it through later bulk loads.
    void requestIdIndexOnlyOnceNeeded()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        test::importInto(db, {dir.write(QStringLiteral("a.jsonl"), records(0, 300))});
        QVERIFY(!hasRequestIdIndex(db));
        test::importInto(db, {dir.write(QStringLiteral("b.jsonl"), records(300, 400))});
        QVERIFY(!hasRequestIdIndex(db));

        const ImportSummary overlap = test::importInto(db, {dir.write(QStringLiteral("c.jsonl"), records(350, 450))});
        QCOMPARE(overlap.files[0].inserted, 50);
        QVERIFY(!hasRequestIdIndex(db)); // the 50 known ones were confirmed on their rows

        const ImportSummary repeat =
            test::importInto(db, {dir.write(QStringLiteral("r.jsonl"), records(450, 460) + records(455, 456))});
        QCOMPARE(repeat.files[0].inserted, 10);
        QVERIFY(hasRequestIdIndex(db));

        // Large next to the case: all request indexes are dropped for the load, and all come back.
        const ImportSummary big = test::importInto(db, {dir.write(QStringLiteral("d.jsonl"), records(1000, 6000))});
        QCOMPARE(big.files[0].inserted, 5000);
        QVERIFY(hasRequestIdIndex(db));
        QCOMPARE(requestIndexes(db), 2);
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM request INDEXED BY request_rid WHERE rid_hash IS NOT NULL"), 5460);
        QCOMPARE(test::queryText(db, "PRAGMA integrity_check"), QStringLiteral("ok"));
    }

    // The same file again is recognised by size and SHA-256 before it is
    // parsed: no record is read, nothing is written, the case keeps its size.
    void sameFileRecognisedBeforeItIsRead()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QString file = dir.writeGzip(QStringLiteral("r.jsonl.gz"), records(0, 3000) + "{broken\n");
        const ImportSummary first = test::importInto(db, {file});
        QCOMPARE(first.files[0].outcome, Outcome::Imported);
        QVERIFY(!first.files[0].recognisedBeforeReading);
        const qint64 pagesBefore = pages(db);

        ImportProgress progress;
        CancelToken cancel;
        qint64 mostRecords = 0;
        bool sawChecking = false;
        const ImportSummary again = Importer::run(ImportRequest{db, {file}, {}}, progress, cancel, [&](const ImportProgress& p) {
            mostRecords = std::max<qint64>(mostRecords, p.records.load() + p.quarantined.load());
            sawChecking = sawChecking || (p.checking && p.fileIndex == 0);
        });
        const FileReport& rep = again.files[0];
        QCOMPARE(rep.outcome, Outcome::AlreadyImported);
        QVERIFY(rep.recognisedBeforeReading);
        QCOMPARE(rep.records, 0); // not one record read: it was recognised before the parse
        QCOMPARE(rep.quarantined, 0);
        QCOMPARE(mostRecords, 0);
        QVERIFY(sawChecking); // the progress said what it was doing
        QVERIFY(!progress.checking);
        QCOMPARE(progress.filesAlreadyInCase.load(), 1);
        QCOMPARE(rep.sha256, first.files[0].sha256);
        QCOMPARE(rep.sourceFileId, first.files[0].sourceFileId);
        QVERIFY2(rep.message.contains(QStringLiteral("not read again")), qPrintable(rep.message));
        QVERIFY(again.anyImported());
        QCOMPARE(again.requestsInCase, 3000);
        QCOMPARE(again.quarantinedInCase, 1);
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM source_file"), 1);
        QCOMPARE(pages(db), pagesBefore);
    }

    // A file with the size of one in the case but other bytes is hashed, found
    // new and imported; the hash taken before the parse is its provenance.
    void sameSizeOtherBytesIsImported()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QByteArray a = records(0, 500);
        QByteArray b = a;
        b.replace("req_", "rex_"); // same length, other request ids
        QCOMPARE(b.size(), a.size());
        test::importInto(db, {dir.write(QStringLiteral("a.jsonl"), a)});
        const QString bPath = dir.write(QStringLiteral("b.jsonl"), b);
        const ImportSummary s = test::importInto(db, {bPath});
        QCOMPARE(s.files[0].outcome, Outcome::Imported);
        QCOMPARE(s.files[0].records, 500);
        QCOMPARE(s.files[0].inserted, 500);
        QCOMPARE(s.files[0].sha256, sha256OfFile(bPath).sha256Hex);
        QCOMPARE(test::queryText(db, "SELECT sha256 FROM source_file ORDER BY id DESC LIMIT 1"), s.files[0].sha256);
        QCOMPARE(s.requestsInCase, 1000);

        // A file already in the case under another mapping is not the same import: read again.
        const QString mapping = dir.write(QStringLiteral("m.json"), R"({"fields": {"request_id": "request_id"}})");
        const ImportSummary mapped = test::importInto(db, {bPath}, mapping);
        QCOMPARE(mapped.files[0].outcome, Outcome::Imported);
        QCOMPARE(mapped.files[0].records, 500);
        QCOMPARE(mapped.files[0].inserted, 0);
    }

    // A cancel while a file is being checked stops the hash: the file is
    // reported cancelled and the case is as it was.
    void cancelWhileCheckingLeavesTheCase()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QString file = dir.write(QStringLiteral("r.jsonl"), records(0, 300));
        test::importInto(db, {file});
        const qint64 pagesBefore = pages(db);
        ImportProgress progress;
        CancelToken cancel;
        bool checked = false;
        const ImportSummary s = Importer::run(ImportRequest{db, {file}, {}}, progress, cancel, [&](const ImportProgress& p) {
            if (p.checking) {
                checked = true;
                cancel.requestCancel(); // the hash polls the token before each MB
            }
        });
        QVERIFY(checked);
        QVERIFY(s.cancelled);
        QCOMPARE(s.files[0].outcome, Outcome::Cancelled);
        QVERIFY(!progress.checking);
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM source_file"), 1);
        QCOMPARE(pages(db), pagesBefore);
    }

    // A FIFO cannot be read twice: it skips the check and imports as before,
    // its repeats settled row by row.
    void fifoStillImports()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QByteArray bytes = records(0, 400);
        test::importInto(db, {dir.write(QStringLiteral("a.jsonl"), bytes)});
        const QString fifo = dir.file(QStringLiteral("pipe.jsonl"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        // The same bytes as the file in the case (same size too), then 100 new records.
        std::thread feeder([&] {
            QFile f(fifo);
            if (f.open(QIODevice::WriteOnly))
                f.write(bytes + records(400, 500));
        });
        const ImportSummary s = test::importInto(db, {fifo});
        feeder.join();
        QCOMPARE(s.files[0].outcome, Outcome::Imported);
        QVERIFY(!s.files[0].recognisedBeforeReading);
        QCOMPARE(s.files[0].records, 500);
        QCOMPARE(s.files[0].inserted, 100);
        QCOMPARE(s.requestsInCase, 500);
    }

    // A file half in the case adds exactly its new half, and never writes the
    // other: no row id is used up by a row deleted again, and the case grows by
    // what the new half alone adds.
    void overlapWritesOnlyTheNewHalf()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QString newHalfDb = dir.file(QStringLiteral("new-half.sqlite"));
        const QString a = dir.write(QStringLiteral("a.jsonl"), records(0, 4000));
        test::importInto(db, {a});
        test::importInto(newHalfDb, {a});
        const ImportSummary s = test::importInto(db, {dir.writeGzip(QStringLiteral("b.jsonl.gz"), records(2000, 6000))});
        QCOMPARE(s.files[0].outcome, Outcome::Imported);
        QCOMPARE(s.files[0].records, 4000);
        QCOMPARE(s.files[0].inserted, 2000);
        QCOMPARE(s.requestsInCase, 6000);
        QCOMPARE(test::queryInt(db, "SELECT max(id) FROM request"), 6000); // no id spent on a row written and deleted
        QCOMPARE(test::queryInt(db, "SELECT max(id) FROM request_text"), 6000);
        QCOMPARE(test::queryInt(db, "SELECT count(DISTINCT request_id) FROM request_text"), 6000);
        QCOMPARE(test::queryInt(db, "SELECT min(id) FROM request_text WHERE request_id = 'req_4000'"), 4001);
        QVERIFY(!hasRequestIdIndex(db)); // nothing needed it
        QCOMPARE(requestIndexes(db), 2);

        // The same case made from the new half alone has the same size and the same features.
        test::importInto(newHalfDb, {dir.writeGzip(QStringLiteral("c.jsonl.gz"), records(4000, 6000))});
        QCOMPARE(pages(db), pages(newHalfDb));
        const char* features = "SELECT printf('%d %d %d %d', total(prompt_bytes), count(DISTINCT skeleton_hash), "
                               "count(DISTINCT simhash), total(skeleton_hash % 1000)) FROM request";
        QCOMPARE(test::queryText(db, features), test::queryText(newHalfDb, features));
        QCOMPARE(test::queryText(db, "PRAGMA integrity_check"), QStringLiteral("ok"));
    }

    // A request whose id hash equals a committed request's but whose id
    // differs (a collision) is new: it is written, in a bulk load and in a
    // small one; where several committed requests share a hash, each is compared.
    void collisionWithCaseIsNotDropped()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        test::importInto(db, {dir.write(QStringLiteral("a.jsonl"), records(0, 300))});
        forgeHash(db, QStringLiteral("req_7"), QStringLiteral("req_1000"));
        forgeHash(db, QStringLiteral("req_8"), QStringLiteral("req_2000"));
        forgeHash(db, QStringLiteral("req_9"), QStringLiteral("req_10")); // two committed rows share a hash
        const qint64 rowsBefore = test::queryInt(db, "SELECT count(*) FROM request");

        // Small next to the case: the request indexes stay, rows are checked as they come.
        const ImportSummary small = test::importInto(
            db, {dir.write(QStringLiteral("small.jsonl"), records(1000, 1001) + records(10, 11) + records(20, 21) + records(1000, 1001))});
        QCOMPARE(small.files[0].records, 4);
        QCOMPARE(small.files[0].inserted, 1); // req_1000 once; req_10 and req_20 are in the case
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM request_text WHERE request_id = 'req_1000'"), 1);
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM request_text WHERE request_id = 'req_10'"), 1);
        // Its prompt features were deferred (its hash is in the case) and computed when it was written.
        const QString fresh = dir.file(QStringLiteral("fresh.sqlite"));
        test::importInto(fresh, {dir.write(QStringLiteral("one.jsonl"), records(1000, 1001))});
        const char* features = "SELECT printf('%d %d %d %d %d %d', skeleton_hash, head_hash, simhash, task_hash, prompt_bytes, category) "
                               "FROM request r JOIN request_text t ON t.id = r.id WHERE t.request_id = 'req_1000'";
        QCOMPARE(test::queryText(db, features), test::queryText(fresh, features));
        QVERIFY(test::queryText(fresh, features) != QStringLiteral("0 0 0 0 0 0"));

        // Large next to the case: a bulk load, the same answers (req_2000 twice: one copy).
        const ImportSummary big = test::importInto(
            db, {dir.write(QStringLiteral("big.jsonl"), records(2000, 2001) + records(5000, 8000) + records(2000, 2001) + records(10, 11))});
        QCOMPARE(big.files[0].records, 3003);
        QCOMPARE(big.files[0].inserted, 3001);
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM request_text WHERE request_id = 'req_2000'"), 1);
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM request_text WHERE request_id = 'req_10'"), 1);
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM request"), rowsBefore + 1 + 3001);
        QCOMPARE(test::queryText(db, "PRAGMA integrity_check"), QStringLiteral("ok"));
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

    // A bulk load writes possible duplicates like any row and settles them
    // after its sorted index build: repeats of the case's requests and repeats
    // inside the file both go, the first copy stays.
    void bulkLoadSettlesDuplicatesAfterTheLoad()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        test::importInto(db, {dir.write(QStringLiteral("a.jsonl"), records(0, 100))});
        const qint64 firstRowOf99 = test::queryInt(db, "SELECT id FROM request_text WHERE request_id = 'req_99'");
        const ImportSummary s =
            test::importInto(db, {dir.write(QStringLiteral("big.jsonl"), records(50, 3000) + records(2990, 3010) + records(10, 12))});
        QCOMPARE(s.files[0].outcome, Outcome::Imported);
        QCOMPARE(s.files[0].records, 2950 + 20 + 2);
        QCOMPARE(s.files[0].inserted, 3010 - 100);
        QCOMPARE(s.requestsInCase, 3010);
        QCOMPARE(test::queryInt(db, "SELECT count(DISTINCT request_id) FROM request_text"), 3010);
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM request r JOIN request_text t ON t.id = r.id"), 3010);
        QCOMPARE(test::queryInt(db, "SELECT id FROM request_text WHERE request_id = 'req_99'"), firstRowOf99);
        QCOMPARE(test::queryInt(db, "SELECT inserted FROM source_file ORDER BY id DESC LIMIT 1"), 2910);
        QVERIFY(hasRequestIdIndex(db)); // it was needed
        QCOMPARE(requestIndexes(db), 2);
        QCOMPARE(test::queryText(db, "PRAGMA integrity_check"), QStringLiteral("ok"));
    }

    // The provenance hash is taken after the parse: a file that grows while it
    // is imported (a live log) is refused rather than given a hash of other
    // bytes than those parsed; the case keeps nothing of it.
    void fileAppendedDuringImportIsRefused()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QString live = dir.write(QStringLiteral("live.jsonl"), records(0, 150000));
        ImportProgress progress;
        CancelToken cancel;
        std::thread appender = onceRecordsReach(progress, 20000, [&] {
            QFile f(live);
            if (f.open(QIODevice::Append))
                f.write(records(150000, 150010));
        });
        const ImportSummary s = Importer::run(ImportRequest{db, {live}, {}}, progress, cancel);
        appender.join();
        QCOMPARE(s.files[0].outcome, Outcome::Failed);
        QVERIFY2(s.files[0].message.contains(QStringLiteral("changed while it was being imported")), qPrintable(s.files[0].message));
        QCOMPARE(s.requestsInCase, 0);
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM source_file"), 0);
        // Its report counts what the case keeps of it: nothing.
        QCOMPARE(s.files[0].records, 0);
        QCOMPARE(s.files[0].inserted, 0);
    }

    // After a file's last record the import still sorts indexes and hashes the
    // file; progress says so, so a long pause at 100 % is not a hang.
    void progressTellsWhenAFileIsBeingFinished()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QString file = dir.write(QStringLiteral("r.jsonl"), records(0, 2000));
        ImportProgress progress;
        CancelToken cancel;
        qint64 recordsWhenFinishing = -1;
        const ImportSummary s = Importer::run(ImportRequest{db, {file}, {}}, progress, cancel, [&](const ImportProgress& p) {
            if (p.finishing && recordsWhenFinishing < 0)
                recordsWhenFinishing = p.records.load();
        });
        QCOMPARE(s.files[0].outcome, Outcome::Imported);
        QCOMPARE(recordsWhenFinishing, 2000); // every record read by then
        QVERIFY(!progress.finishing);
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
        std::thread canceller = onceRecordsReach(progress, 20000, [&] { cancel.requestCancel(); });
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
        // Nothing of the cancelled file is kept; the earlier file is intact,
        // with the indexes the big load had dropped.
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM request"), 100);
        QCOMPARE(requestIndexes(db), 2);
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM source_file"), 1);

        // Simply import it again.
        const ImportSummary again = test::importInto(db, {big});
        QCOMPARE(again.files[0].outcome, Outcome::Imported);
        QCOMPARE(again.requestsInCase, 100 + 199000);
        QCOMPARE(requestIndexes(db), 2);
    }

    void accountsFileFirstStillLoadsRequestsUnindexed()
    {
        // An accounts file goes first and leaves the (empty) request indexes
        // behind; the requests file after it must still be a bulk load with
        // indexes built at its end, and the case ends up indexed and whole.
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        QByteArray accounts = "account_id,created_at\n";
        for (int i = 0; i < 17; ++i)
            accounts += QStringLiteral("acct_%1,2026-01-01T00:00:00Z\n").arg(i).toUtf8();
        const ImportSummary s = test::importInto(
            db, {dir.write(QStringLiteral("r.jsonl"), records(0, 3000)), dir.write(QStringLiteral("accounts.csv"), accounts)});
        QCOMPARE(s.requestsInCase, 3000);
        QCOMPARE(s.accountsInCase, 17);
        QCOMPARE(requestIndexes(db), 2);
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM request INDEXED BY request_account_ts WHERE account = 1"),
                 test::queryInt(db, "SELECT count(*) FROM request NOT INDEXED WHERE account = 1"));
        QCOMPARE(test::queryText(db, "PRAGMA integrity_check"), QStringLiteral("ok"));
    }
};

QTEST_GUILESS_MAIN(TestReimport)
#include "tst_reimport.moc"
