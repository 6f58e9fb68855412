#include "TestSupport.h"

#include "ingest/ByteSource.h"
#include "ingest/CsvReader.h"

#include <QTest>

// A CSV log with one quote that is never closed: the reader gives up on that
// record after its size limit, quarantines the line where it started and reads
// every record after it, instead of swallowing the rest of the file into one
// record held in memory. Test thread only.
class TestCsvStrayQuote : public QObject
{
    Q_OBJECT

private slots:
    void recordsAfterAStrayQuoteSurvive();
    void quotedLineBreaksBelowTheLimitStayOneRecord();
};

void TestCsvStrayQuote::recordsAfterAStrayQuoteSurvive()
{
    ds::test::ScratchDir dir;
    QByteArray csv = "request_id,timestamp,account_id,prompt\r\n";
    csv += "r0,1714564800000,a0,\"stray quote never closed\r\n";
    for (int i = 1; i <= 2000; ++i)
        csv += QByteArrayLiteral("r") + QByteArray::number(i) + ",1714564800000,a1,an ordinary prompt\r\n";
    const QString path = dir.write(QStringLiteral("stray.csv"), csv);

    ds::ByteSource source(path);
    QVERIFY(source.isOpen());
    ds::CsvReader reader(source, 16 * 1024);
    ds::CsvReader::Record rec;
    QCOMPARE(reader.next(rec), ds::CsvReader::Status::Record); // header
    QCOMPARE(rec.fields.size(), std::size_t{4});

    QCOMPARE(reader.next(rec), ds::CsvReader::Status::Record);
    QCOMPARE(rec.line, 2);
    QVERIFY(rec.problem.find("unterminated quoted field") != std::string::npos);
    QCOMPARE(QByteArray(rec.raw.data(), static_cast<qsizetype>(rec.raw.size())),
             QByteArray("r0,1714564800000,a0,\"stray quote never closed"));

    int good = 0;
    while (reader.next(rec) == ds::CsvReader::Status::Record) {
        QVERIFY2(rec.problem.empty(), rec.problem.c_str());
        QCOMPARE(rec.fields.size(), std::size_t{4});
        QCOMPARE(rec.line, good + 3);
        ++good;
    }
    QCOMPARE(good, 2000);
}

void TestCsvStrayQuote::quotedLineBreaksBelowTheLimitStayOneRecord()
{
    // A legitimate multi-line quoted prompt longer than one read chunk is not cut.
    ds::test::ScratchDir dir;
    const QByteArray prompt = QByteArray("line\n").repeated(1000000); // 5 MB with line breaks, more than one read chunk
    QByteArray csv = "request_id,prompt\nr1,\"" + prompt + "\"\nr2,after\n";
    const QString path = dir.write(QStringLiteral("long.csv"), csv);
    ds::ByteSource source(path);
    ds::CsvReader reader(source);
    ds::CsvReader::Record rec;
    QCOMPARE(reader.next(rec), ds::CsvReader::Status::Record);
    QCOMPARE(reader.next(rec), ds::CsvReader::Status::Record);
    QVERIFY(rec.problem.empty());
    QCOMPARE(rec.fields.size(), std::size_t{2});
    QCOMPARE(rec.fields[1].size(), static_cast<std::size_t>(prompt.size()));
    QCOMPARE(reader.next(rec), ds::CsvReader::Status::Record);
    QCOMPARE(QByteArray(rec.fields[0].data(), 2), QByteArray("r2"));
    QCOMPARE(rec.line, 1000003);
}

QTEST_GUILESS_MAIN(TestCsvStrayQuote)
#include "tst_csvstrayquote.moc"
