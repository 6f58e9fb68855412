#include "TestSupport.h"

#include "ingest/ImportTypes.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTest>

// Damaged gzip logs (cut short, corrupt in the middle, followed by bytes that
// are not gzip) keep every record before the damage, as `gzip -d` would, and
// list the loss in quarantine; the file's SHA-256 still covers all its bytes.
// Test thread only.
class TestDamagedGzip : public QObject
{
    Q_OBJECT

private slots:
    void truncatedGzipKeepsTheRecordsBeforeTheCut();
    void corruptMiddleKeepsTheRecordsBeforeIt();
    void trailingGarbageKeepsEveryRecord();
};

namespace {

constexpr int kRecords = 3000;

QByteArray log()
{
    QByteArray out;
    for (int i = 0; i < kRecords; ++i) {
        // Varied prompts, so the compressed stream is long enough to cut.
        out += ds::test::requestJson(QStringLiteral("r%1").arg(i), QStringLiteral("a%1").arg(i % 7), 1714564800000 + i,
                                     QStringLiteral("question %1 about %2").arg(i * 7919 % 100003).arg(i * 31 % 977))
               + "\n";
    }
    return out;
}

QByteArray gzipOf(const ds::test::ScratchDir& dir, const QByteArray& bytes)
{
    QFile f(dir.writeGzip(QStringLiteral("whole.jsonl.gz"), bytes));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

struct Outcome
{
    ds::ImportSummary summary;
    std::int64_t requests = 0;
    QString lastReason;
    QString sha256;
};

Outcome importBytes(const ds::test::ScratchDir& dir, const QByteArray& fileBytes)
{
    Outcome o;
    const QString db = dir.file(QStringLiteral("case.sqlite"));
    o.summary = ds::test::importInto(db, {dir.write(QStringLiteral("damaged.jsonl.gz"), fileBytes)});
    o.requests = ds::test::queryInt(db, "SELECT count(*) FROM request");
    o.lastReason = ds::test::queryText(db, "SELECT reason FROM quarantine ORDER BY line DESC LIMIT 1");
    o.sha256 = ds::test::queryText(db, "SELECT sha256 FROM source_file");
    return o;
}

} // namespace

void TestDamagedGzip::truncatedGzipKeepsTheRecordsBeforeTheCut()
{
    ds::test::ScratchDir dir;
    const QByteArray whole = gzipOf(dir, log());
    QVERIFY(whole.size() > 10000);
    const QByteArray cut = whole.left(whole.size() * 7 / 10);
    const Outcome o = importBytes(dir, cut);
    QCOMPARE(o.summary.files.size(), 1);
    QCOMPARE(o.summary.files[0].outcome, ds::FileReport::Outcome::Imported);
    QVERIFY2(o.requests > kRecords / 2 && o.requests < kRecords, qPrintable(QString::number(o.requests)));
    QVERIFY2(o.lastReason.contains(QStringLiteral("truncated")), qPrintable(o.lastReason));
    QVERIFY2(o.summary.files[0].message.contains(QStringLiteral("partly read")), qPrintable(o.summary.files[0].message));
    QCOMPARE(o.sha256, QString::fromLatin1(QCryptographicHash::hash(cut, QCryptographicHash::Sha256).toHex()));
}

void TestDamagedGzip::corruptMiddleKeepsTheRecordsBeforeIt()
{
    ds::test::ScratchDir dir;
    QByteArray bytes = gzipOf(dir, log());
    for (qsizetype i = bytes.size() / 2; i < bytes.size() / 2 + 64; ++i)
        bytes[i] = static_cast<char>(0xff);
    const Outcome o = importBytes(dir, bytes);
    QCOMPARE(o.summary.files[0].outcome, ds::FileReport::Outcome::Imported);
    QVERIFY2(o.requests > kRecords / 4 && o.requests < kRecords, qPrintable(QString::number(o.requests)));
    QVERIFY2(o.lastReason.contains(QStringLiteral("unreadable")), qPrintable(o.lastReason));
}

void TestDamagedGzip::trailingGarbageKeepsEveryRecord()
{
    ds::test::ScratchDir dir;
    const QByteArray bytes = gzipOf(dir, log()) + QByteArray("this is not gzip data\n");
    const Outcome o = importBytes(dir, bytes);
    QCOMPARE(o.summary.files[0].outcome, ds::FileReport::Outcome::Imported);
    QCOMPARE(o.requests, kRecords);
    QVERIFY2(o.lastReason.contains(QStringLiteral("not gzip data")), qPrintable(o.lastReason));
    QCOMPARE(o.sha256, QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()));
}

QTEST_GUILESS_MAIN(TestDamagedGzip)
#include "tst_damaged_gzip.moc"
