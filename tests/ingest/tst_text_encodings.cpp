#include "TestSupport.h"

#include "ingest/ImportTypes.h"

#include <QStringEncoder>
#include <QTest>

// Logs in UTF-16 with a byte-order mark are read; a NUL byte is a damaged
// record wherever it is in the file, never a refusal of the whole file unless
// the file is binary (or UTF-16 that lost its mark, which is said). Test thread only.
class TestTextEncodings : public QObject
{
    Q_OBJECT

private slots:
    void utf16WithByteOrderMarkIsRead_data();
    void utf16WithByteOrderMarkIsRead();
    void utf16WithoutMarkIsNamed();
    void onlyNulLinesAreRefusedNotRead();
    void nulInTheFirstLinesQuarantinesOnlyThatLine_data();
    void nulInTheFirstLinesQuarantinesOnlyThatLine();
};

namespace {

QString logText()
{
    QString text;
    for (int i = 0; i < 50; ++i)
        text += QString::fromUtf8(ds::test::requestJson(QStringLiteral("r%1").arg(i), QStringLiteral("a%1").arg(i % 5),
                                                        1714564800000 + i, QStringLiteral("Grüße, 東京 and 😀 no. %1").arg(i)))
                + QLatin1Char('\n');
    return text;
}

} // namespace

void TestTextEncodings::utf16WithByteOrderMarkIsRead_data()
{
    QTest::addColumn<bool>("bigEndian");
    QTest::addColumn<bool>("gzip");
    QTest::newRow("UTF-16LE") << false << false;
    QTest::newRow("UTF-16BE") << true << false;
    QTest::newRow("UTF-16LE in gzip") << false << true;
}

void TestTextEncodings::utf16WithByteOrderMarkIsRead()
{
    QFETCH(bool, bigEndian);
    QFETCH(bool, gzip);
    QStringEncoder encode(bigEndian ? QStringEncoder::Utf16BE : QStringEncoder::Utf16LE, QStringEncoder::Flag::WriteBom);
    const QByteArray bytes = encode.encode(logText());
    QVERIFY(bytes.startsWith(bigEndian ? "\xFE\xFF" : "\xFF\xFE"));
    ds::test::ScratchDir dir;
    const QString file = gzip ? dir.writeGzip(QStringLiteral("u16.jsonl.gz"), bytes) : dir.write(QStringLiteral("u16.jsonl"), bytes);
    const QString db = dir.file(QStringLiteral("case.sqlite"));
    const ds::ImportSummary s = ds::test::importInto(db, {file});
    QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
    QCOMPARE(s.files[0].outcome, ds::FileReport::Outcome::Imported);
    QCOMPARE(s.files[0].records, 50);
    QCOMPARE(s.files[0].quarantined, 0);
    QCOMPARE(ds::test::queryText(db, "SELECT request_id FROM request_text ORDER BY id LIMIT 1"), QStringLiteral("r0"));
}

void TestTextEncodings::utf16WithoutMarkIsNamed()
{
    ds::test::ScratchDir dir;
    QStringEncoder encode(QStringEncoder::Utf16LE);
    const QByteArray bytes = encode.encode(logText());
    const QString db = dir.file(QStringLiteral("case.sqlite"));
    const ds::ImportSummary s = ds::test::importInto(db, {dir.write(QStringLiteral("nobom.jsonl"), bytes)});
    QCOMPARE(s.files[0].outcome, ds::FileReport::Outcome::Refused);
    QVERIFY2(s.files[0].message.contains(QStringLiteral("UTF-16")), qPrintable(s.files[0].message));
}

void TestTextEncodings::onlyNulLinesAreRefusedNotRead()
{
    // Found by fuzz_jsonl: a sample whose only line holds NUL left the sniffer no line to look at.
    ds::test::ScratchDir dir;
    const QString db = dir.file(QStringLiteral("case.sqlite"));
    // One NUL in a line long enough that the file is not taken for binary (under 1 % control bytes).
    const QByteArray bytes = QByteArray("{\"request_id\":\"a") + '\0' + "b\",\"timestamp\":1714564800000,\"account_id\":\"x\",\"prompt\":\""
                             + QByteArray(300, 'p') + "\"}\n";
    const ds::ImportSummary s = ds::test::importInto(db, {dir.write(QStringLiteral("nul.jsonl"), bytes)});
    QCOMPARE(s.files[0].outcome, ds::FileReport::Outcome::Refused);
    QVERIFY2(s.files[0].message.contains(QStringLiteral("NUL")), qPrintable(s.files[0].message));
}

void TestTextEncodings::nulInTheFirstLinesQuarantinesOnlyThatLine_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("damaged");
    QTest::addColumn<QByteArray>("good");
    QTest::newRow("jsonl") << QByteArray() << QByteArray("{\"request_id\":\"x\0y\",\"timestamp\":1714564800000}", 47)
                           << ds::test::requestJson(QStringLiteral("r1"), QStringLiteral("a"), 1714564800000);
    QTest::newRow("csv") << QByteArray("request_id,timestamp,account_id,prompt\n") << QByteArray("r0,1714564800000,a,p\0q", 22)
                         << QByteArray("r1,1714564800000,a,fine");
}

void TestTextEncodings::nulInTheFirstLinesQuarantinesOnlyThatLine()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, damaged);
    QFETCH(QByteArray, good);
    ds::test::ScratchDir dir;
    QByteArray bytes = header + damaged + "\n";
    for (int i = 0; i < 20; ++i)
        bytes += good + "\n";
    const QString db = dir.file(QStringLiteral("case.sqlite"));
    const ds::ImportSummary s = ds::test::importInto(db, {dir.write(header.isEmpty() ? QStringLiteral("nul.jsonl") : QStringLiteral("nul.csv"), bytes)});
    QCOMPARE(s.files[0].outcome, ds::FileReport::Outcome::Imported);
    QCOMPARE(s.files[0].quarantined, 1);
    QCOMPARE(ds::test::queryInt(db, "SELECT line FROM quarantine"), header.isEmpty() ? 1 : 2);
}

QTEST_GUILESS_MAIN(TestTextEncodings)
#include "tst_text_encodings.moc"
