#include "TestSupport.h"

#include "ingest/ImportTypes.h"
#include "ingest/Importer.h"

#include <QTest>

#include <sys/resource.h>
#include <zlib.h>

// The import's record limit: one line or CSV record of any length costs bounded
// memory, is quarantined with its first and last bytes, and takes no valid
// record with it. Also the line endings and quotes that used to merge or swallow
// records. Release builds only (the memory case reads a 300 MB line). Test thread only.
class TestRecordLimit : public QObject
{
    Q_OBJECT

private slots:
    void hugeLineInGzipCostsBoundedMemory();
    void oversizedJsonLineIsQuarantinedAlone();
    void crOnlyAndMixedEndingsSplitRecords();
    void csvUnclosedQuoteKeepsTheRowsAfterIt();
    void csvLongQuotedCellIsOneRunNotManyEntries();
    void csvLongUnquotedLineIsQuarantinedAlone();
    void cliRejectsBadSizesAsUsageErrors();
};

namespace {

ds::ImportSummary importWithLimit(const QString& db, const QString& file, std::size_t limit)
{
    ds::ImportRequest request{db, {file}, {}};
    request.maxRecordBytes = limit;
    ds::ImportProgress progress;
    ds::CancelToken cancel;
    return ds::Importer::run(request, progress, cancel);
}

std::int64_t peakRssBytes()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<std::int64_t>(u.ru_maxrss) * 1024;
}

QByteArray line(int i, const QString& prompt = QStringLiteral("an ordinary prompt"))
{
    return ds::test::requestJson(QStringLiteral("r%1").arg(i), QStringLiteral("a%1").arg(i % 3), 1714564800000 + i, prompt);
}

} // namespace

void TestRecordLimit::hugeLineInGzipCostsBoundedMemory()
{
    // A 300 MB line between two valid records, compressed to a few hundred KB.
    // Held whole it would need a buffer of 512 MB; skipped, a few MB.
    ds::test::ScratchDir dir;
    const QString path = dir.file(QStringLiteral("huge.jsonl.gz"));
    gzFile gz = gzopen(path.toLocal8Bit().constData(), "wb1");
    QVERIFY(gz);
    const QByteArray first = line(1) + "\n";
    gzwrite(gz, first.constData(), static_cast<unsigned>(first.size()));
    const QByteArray opening = "{\"request_id\":\"big\",\"prompt\":\"";
    gzwrite(gz, opening.constData(), static_cast<unsigned>(opening.size()));
    const QByteArray chunk(1 << 20, 'x');
    for (int i = 0; i < 300; ++i)
        gzwrite(gz, chunk.constData(), static_cast<unsigned>(chunk.size()));
    const QByteArray rest = QByteArray("THE-END\"}\n") + line(2) + "\n";
    gzwrite(gz, rest.constData(), static_cast<unsigned>(rest.size()));
    QCOMPARE(gzclose(gz), Z_OK);

    const std::int64_t before = peakRssBytes();
    const QString db = dir.file(QStringLiteral("case.sqlite"));
    const ds::ImportSummary s = importWithLimit(db, path, std::size_t{1} << 20);
    QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
    QCOMPARE(s.files.size(), 1);
    QCOMPARE(s.files[0].records, 2);
    QCOMPARE(s.files[0].quarantined, 1);
    QCOMPARE(ds::test::queryInt(db, "SELECT count(*) FROM request"), 2);
    QCOMPARE(ds::test::queryInt(db, "SELECT line FROM quarantine"), 2);
    const QString reason = ds::test::queryText(db, "SELECT reason FROM quarantine");
    QVERIFY2(reason.contains(QStringLiteral("record of 314.6 MB")) && reason.contains(QStringLiteral("1 MiB")),
             qPrintable(reason));
    const QString raw = ds::test::queryText(db, "SELECT CAST(raw AS TEXT) FROM quarantine");
    QVERIFY(raw.startsWith(QStringLiteral("{\"request_id\":\"big\"")));
    QVERIFY(raw.endsWith(QStringLiteral("xxTHE-END\"}")));
    QVERIFY(raw.size() < 700);
    const std::int64_t grown = peakRssBytes() - before;
    QVERIFY2(grown < (std::int64_t{200} << 20), qPrintable(QStringLiteral("peak grew by %1 MB").arg(grown >> 20)));
}

void TestRecordLimit::oversizedJsonLineIsQuarantinedAlone()
{
    // Within one read buffer and past it, terminated or the file's last line.
    ds::test::ScratchDir dir;
    const QString longPrompt(5000, QLatin1Char('y'));
    const QByteArray data = line(1) + "\n" + line(2, longPrompt) + "\r\n" + line(3) + "\n" + line(4, longPrompt);
    const QString db = dir.file(QStringLiteral("case.sqlite"));
    const ds::ImportSummary s = importWithLimit(db, dir.write(QStringLiteral("long.jsonl"), data), 4096);
    QCOMPARE(s.files[0].records, 2);
    QCOMPARE(s.files[0].quarantined, 2);
    QCOMPARE(ds::test::queryText(db, "SELECT group_concat(line) FROM (SELECT line FROM quarantine ORDER BY line)"),
             QStringLiteral("2,4"));
    QCOMPARE(ds::test::queryText(db, "SELECT group_concat(request_id) FROM (SELECT request_id FROM request_text ORDER BY id)"),
             QStringLiteral("r1,r3"));
}

void TestRecordLimit::crOnlyAndMixedEndingsSplitRecords()
{
    ds::test::ScratchDir dir;
    const QByteArray crOnly = line(1) + "\r" + line(2) + "\r" + line(3) + "\r";
    const QByteArray mixed = line(4) + "\r\n" + line(5) + "\r" + line(6) + "\n" + line(7);
    const QString db = dir.file(QStringLiteral("case.sqlite"));
    const ds::ImportSummary s = ds::test::importInto(
        db, {dir.write(QStringLiteral("cr.jsonl"), crOnly), dir.write(QStringLiteral("mixed.jsonl"), mixed)});
    QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
    QCOMPARE(ds::test::queryInt(db, "SELECT count(*) FROM request"), 7);
    QCOMPARE(ds::test::queryInt(db, "SELECT count(*) FROM quarantine"), 0);
    QCOMPARE(ds::test::queryText(db, "SELECT group_concat(line) FROM (SELECT line FROM request ORDER BY id)"),
             QStringLiteral("1,2,3,1,2,3,4"));
}

void TestRecordLimit::csvUnclosedQuoteKeepsTheRowsAfterIt()
{
    // Below the limit, at the end of the file: the quote's line alone is quarantined.
    ds::test::ScratchDir dir;
    QByteArray csv = "request_id,timestamp,account_id,prompt\n";
    csv += "r0,1714564800000,a0,\"never closed\n";
    for (int i = 1; i <= 1000; ++i)
        csv += QByteArrayLiteral("r") + QByteArray::number(i) + ",1714564800000,a1,a prompt\n";
    const QString db = dir.file(QStringLiteral("case.sqlite"));
    const ds::ImportSummary s = ds::test::importInto(db, {dir.write(QStringLiteral("quote.csv"), csv)});
    QCOMPARE(s.files[0].records, 1000);
    QCOMPARE(s.files[0].quarantined, 1);
    QCOMPARE(ds::test::queryInt(db, "SELECT line FROM quarantine"), 2);
    QVERIFY(ds::test::queryText(db, "SELECT reason FROM quarantine").contains(QStringLiteral("never closed")));
}

void TestRecordLimit::csvLongQuotedCellIsOneRunNotManyEntries()
{
    // A quoted cell of 20,000 lines, past a 64 KiB limit: its first line is
    // quarantined, the rest of the cell is one more entry, the next row is kept.
    ds::test::ScratchDir dir;
    QByteArray csv = "request_id,timestamp,account_id,prompt\n";
    csv += "r1,1714564800000,a1,before\n";
    csv += "r2,1714564800001,a1,\"a long cell\n" + QByteArray("more text of the cell\n").repeated(20000) + "end\"\n";
    csv += "r3,1714564800002,a1,after\n";
    const QString db = dir.file(QStringLiteral("case.sqlite"));
    const ds::ImportSummary s = importWithLimit(db, dir.write(QStringLiteral("cell.csv"), csv), 64 << 10);
    QCOMPARE(s.files[0].records, 2);
    QCOMPARE(s.files[0].quarantined, 2);
    QCOMPARE(ds::test::queryText(db, "SELECT group_concat(request_id) FROM (SELECT request_id FROM request_text ORDER BY id)"),
             QStringLiteral("r1,r3"));
    const QString run = ds::test::queryText(db, "SELECT reason FROM quarantine WHERE line = 4");
    QVERIFY2(run.startsWith(QStringLiteral("20001 malformed lines (lines 4-20004) after the unclosed quote on line 3")),
             qPrintable(run));
}

void TestRecordLimit::csvLongUnquotedLineIsQuarantinedAlone()
{
    ds::test::ScratchDir dir;
    QByteArray csv = "request_id,timestamp,account_id,prompt\r\n";
    csv += "r1,1714564800000,a1,before\r\n";
    csv += "r2,1714564800001,a1," + QByteArray(3 << 20, 'z') + "\r\n";
    csv += "r3,1714564800002,a1,after\r\n";
    const QString db = dir.file(QStringLiteral("case.sqlite"));
    const ds::ImportSummary s = importWithLimit(db, dir.write(QStringLiteral("wide.csv"), csv), 1 << 20);
    QCOMPARE(s.files[0].records, 2);
    QCOMPARE(s.files[0].quarantined, 1);
    QCOMPARE(ds::test::queryInt(db, "SELECT line FROM quarantine"), 3);
    QVERIFY(ds::test::queryText(db, "SELECT reason FROM quarantine").contains(QStringLiteral("record of 3.1 MB")));
    QVERIFY(ds::test::queryInt(db, "SELECT length(raw) FROM quarantine") < 700);
}

void TestRecordLimit::cliRejectsBadSizesAsUsageErrors()
{
    ds::test::ScratchDir dir;
    const QString log = dir.write(QStringLiteral("a.jsonl"), line(1) + "\n");
    const QString db = dir.file(QStringLiteral("case.sqlite"));
    for (const QString& bad : {QStringLiteral("lots"), QStringLiteral("12"), QStringLiteral("2G"), QStringLiteral("-5M")}) {
        const auto r = ds::test::runCli({QStringLiteral("import"), QStringLiteral("--db"), db,
                                         QStringLiteral("--max-record-size"), bad, log});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("--max-record-size"));
    }
    const auto ok = ds::test::runCli(
        {QStringLiteral("import"), QStringLiteral("--db"), db, QStringLiteral("--max-record-size"), QStringLiteral("8M"), log});
    QCOMPARE(ok.exitCode, 0);
    const auto unknown = ds::test::runCli({QStringLiteral("detect"), QStringLiteral("--no-such-option"), QStringLiteral("x")});
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY(unknown.err.contains("no-such-option"));
}

QTEST_GUILESS_MAIN(TestRecordLimit)
#include "tst_record_limit.moc"
