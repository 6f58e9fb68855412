#include "TestSupport.h"
#include "ingest/ByteSource.h"
#include "ingest/ImportTypes.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTest>

#include <vector>

#include <sys/stat.h>

using namespace ds;
using Outcome = FileReport::Outcome;

namespace {

QByteArray jsonlFixture(int n, const char* eol = "\n")
{
    QByteArray out;
    for (int i = 0; i < n; ++i)
        out += test::requestJson(QStringLiteral("req_%1").arg(i), QStringLiteral("acct_%1").arg(i % 3),
                                 1770128525123 + i * 1000)
               + eol;
    return out;
}

QByteArray csvFixture(int n, const char* eol = "\n")
{
    QByteArray out = QByteArray("request_id,timestamp,account_id,ip,user_agent,model,prompt,prompt_tokens,completion_tokens") + eol;
    for (int i = 0; i < n; ++i)
        out += QStringLiteral("req_%1,2026-02-03T14:22:%2.000Z,acct_%3,198.51.100.%4,curl/8.0,claude-x,"
                              "\"Say \"\"hi\"\", then count: 1, 2, 3\",12,%5")
                   .arg(i)
                   .arg(i % 60, 2, 10, QLatin1Char('0'))
                   .arg(i % 4)
                   .arg(i % 250)
                   .arg(100 + i)
                   .toUtf8()
               + eol;
    return out;
}

} // namespace

// Every supported encoding of request and account files imports the same records.
class TestFormats : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void importsEachFormat_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("gzip");
        QTest::addColumn<QString>("format");
        QTest::newRow("jsonl") << "r.jsonl" << jsonlFixture(50) << false << "jsonl";
        QTest::newRow("jsonl.gz") << "r.jsonl.gz" << jsonlFixture(50) << true << "jsonl";
        QTest::newRow("csv") << "r.csv" << csvFixture(50) << false << "csv";
        QTest::newRow("csv.gz") << "r.csv.gz" << csvFixture(50) << true << "csv";
        QTest::newRow("jsonl CRLF") << "r.jsonl" << jsonlFixture(50, "\r\n") << false << "jsonl";
        QTest::newRow("csv CRLF") << "r.csv" << csvFixture(50, "\r\n") << false << "csv";
        QTest::newRow("jsonl BOM") << "r.jsonl" << QByteArray("\xEF\xBB\xBF") + jsonlFixture(50) << false << "jsonl";
        QTest::newRow("csv BOM") << "r.csv" << QByteArray("\xEF\xBB\xBF") + csvFixture(50) << false << "csv";
        // Content decides, not the name.
        QTest::newRow("jsonl named .txt") << "r.txt" << jsonlFixture(50) << false << "jsonl";
        QTest::newRow("gzip named .log") << "r.log" << csvFixture(50) << true << "csv";
    }
    void importsEachFormat()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(bool, gzip);
        QFETCH(QString, format);
        test::ScratchDir dir;
        const QString file = gzip ? dir.writeGzip(name, bytes) : dir.write(name, bytes);
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const ImportSummary s = test::importInto(db, {file});
        QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
        QCOMPARE(s.files.size(), 1);
        const FileReport& f = s.files[0];
        QVERIFY2(f.outcome == Outcome::Imported, qPrintable(f.message));
        QCOMPARE(f.format, format);
        QCOMPARE(f.compression, gzip ? QStringLiteral("gzip") : QStringLiteral("none"));
        QCOMPARE(f.records, 50);
        QCOMPARE(f.quarantined, 0);
        QCOMPARE(s.requestsInCase, 50);
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM request_text WHERE request_id LIKE 'req\\_%' ESCAPE '\\'"), 50);
        // The first record's id has no BOM and no CR left on it.
        QCOMPARE(test::queryText(db, "SELECT request_id FROM request_text ORDER BY id LIMIT 1"), QStringLiteral("req_0"));
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM request_text WHERE ds_text(prompt) LIKE '%' || char(13) || '%'"), 0);
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM source_file WHERE length(sha256) = 64"), 1);
    }

    // Provenance: the stored SHA-256 is the file's own, bytes on disk (so of
    // the compressed bytes for gzip), also across the reader's chunk boundaries.
    void sha256IsOfTheFileOnDisk_data()
    {
        QTest::addColumn<bool>("gzip");
        QTest::newRow("plain") << false;
        QTest::newRow("gzip") << true;
    }
    void sha256IsOfTheFileOnDisk()
    {
        QFETCH(bool, gzip);
        test::ScratchDir dir;
        const QByteArray bytes = jsonlFixture(12000); // several MB: more than one read
        const QString file = gzip ? dir.writeGzip(QStringLiteral("r.jsonl.gz"), bytes) : dir.write(QStringLiteral("r.jsonl"), bytes);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString expected = QString::fromLatin1(QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex());
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const ImportSummary s = test::importInto(db, {file});
        QCOMPARE(s.files.size(), 1);
        QVERIFY2(s.files[0].outcome == Outcome::Imported, qPrintable(s.files[0].message));
        QCOMPARE(s.files[0].sha256, expected);
        QCOMPARE(test::queryText(db, "SELECT sha256 FROM source_file"), expected);
    }

    // The hash is taken after parsing, from the same open file: a file that
    // changed meanwhile must not get a hash of other bytes than those parsed.
    void fileChangedAfterParsingIsNotHashed()
    {
        test::ScratchDir dir;
        const QString file = dir.write(QStringLiteral("r.jsonl"), jsonlFixture(40));
        ByteSource source(file);
        QVERIFY(source.isOpen());
        std::vector<char> buf(1 << 16);
        while (source.read(buf.data(), static_cast<std::int64_t>(buf.size())) > 0) {
        }
        const auto keepGoing = [] { return false; };
        QVERIFY(source.isUnchangedSinceOpen());
        const FileDigest unchanged = source.digestOfBytesRead(keepGoing);
        QVERIFY2(unchanged.error.isEmpty(), qPrintable(unchanged.error));
        QCOMPARE(unchanged.sha256Hex.size(), 64);

        QFile f(file);
        QVERIFY(f.open(QIODevice::Append));
        f.write("{\"request_id\": \"late\"}\n");
        f.close();
        QVERIFY(!source.isUnchangedSinceOpen());
        const FileDigest changed = source.digestOfBytesRead(keepGoing);
        QVERIFY(changed.sha256Hex.isEmpty());
        QVERIFY2(changed.error.contains(QStringLiteral("changed")), qPrintable(changed.error));

        QVERIFY(!source.digestOfBytesRead([] { return true; }).error.isEmpty());
    }

    void csvQuotingIsUnescaped()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        test::importInto(db, {dir.write(QStringLiteral("r.csv"), csvFixture(1))});
        QCOMPARE(test::queryText(db, "SELECT ds_text(prompt) FROM request_text"), QStringLiteral("Say \"hi\", then count: 1, 2, 3"));
        QCOMPARE(test::queryInt(db, "SELECT completion_tokens FROM request"), 100);
    }

    void csvFieldsMaySpanLines()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QByteArray csv = "request_id,timestamp,account_id,prompt\n"
                               "a,1770128525123,acct,\"line one\nline two\"\n"
                               "b,1770128526123,acct,plain\n";
        const ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("r.csv"), csv)});
        QCOMPARE(s.files[0].records, 2);
        QCOMPARE(test::queryText(db, "SELECT ds_text(prompt) FROM request_text WHERE request_id='a'"), QStringLiteral("line one\nline two"));
        QCOMPARE(test::queryInt(db, "SELECT line FROM request WHERE id=(SELECT id FROM request_text WHERE request_id='b')"), 4);
    }

    void escapedAndNonAsciiText()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QByteArray line = R"({"request_id":"r1","timestamp":"2026-02-03T14:22:05Z","account_id":"акк_1",)"
                                R"("user_agent":"agent \"quoted\" \\ back","prompt":"Tab\there\nnew line \u00e9 \ud83d\ude00 )"
                                "中文 العربية\"}\n";
        const ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("r.jsonl"), line)});
        QCOMPARE(s.files[0].records, 1);
        QCOMPARE(test::queryText(db, "SELECT account_id FROM account"), QStringLiteral("акк_1"));
        QCOMPARE(test::queryText(db, "SELECT value FROM user_agent"), QStringLiteral("agent \"quoted\" \\ back"));
        QCOMPARE(test::queryText(db, "SELECT ds_text(prompt) FROM request_text"),
                 QStringLiteral("Tab\there\nnew line \u00e9 ") + QString::fromUtf8("\xF0\x9F\x98\x80") + QStringLiteral(" 中文 العربية"));
    }

    void accountsFileByContent()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QByteArray accounts = "account_id,created_at,email_domain,payment_fingerprint,billing_country,tier,verified,crm_note\n"
                                    "acct_0,2026-01-28T09:12:00Z,mail-relay.example,pf_9a31,SG,tier-2,false,hello\n"
                                    "acct_1,1769591520000,mail-relay.example,pf_9a31,SG,tier-2,true,\n";
        const QByteArray accountsJson = R"({"account_id":"acct_2","created_at":"2026-01-29T09:12:00Z","verified":true,"email_domain":"gmail.com"})" "\n";
        const ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("requests.jsonl"), jsonlFixture(6)),
                                                      dir.writeGzip(QStringLiteral("acc.csv.gz"), accounts),
                                                      dir.write(QStringLiteral("acc2.jsonl"), accountsJson)});
        QCOMPARE(s.files.size(), 3);
        for (const FileReport& f : s.files)
            QVERIFY2(f.outcome == Outcome::Imported, qPrintable(f.path + f.message));
        QCOMPARE(s.accountsInCase, 3); // acct_0..2 from requests and accounts, no duplicates
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM source_file WHERE kind='accounts'"), 2);
        QCOMPARE(test::queryInt(db, "SELECT verified FROM account WHERE account_id='acct_1'"), 1);
        QCOMPARE(test::queryInt(db, "SELECT created_at FROM account WHERE account_id='acct_1'"), 1769591520000);
        QCOMPARE(test::queryText(db, "SELECT extra FROM account WHERE account_id='acct_0'"), QStringLiteral(R"({"crm_note":"hello"})"));
        QCOMPARE(test::queryInt(db, "SELECT count(DISTINCT payment_fingerprint) FROM account WHERE payment_fingerprint IS NOT NULL"), 1);
    }

    void unknownFieldsAreKept()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QByteArray line = test::requestJson(QStringLiteral("r1"), QStringLiteral("a"), 1770128525123, QStringLiteral("hi"),
                                                  QStringLiteral(R"("region":"eu-west","cost":{"usd":0.12},"tags":[1,"x"],"tools":["search","calc"])"))
                                + "\n";
        test::importInto(db, {dir.write(QStringLiteral("r.jsonl"), line)});
        QCOMPARE(test::queryText(db, "SELECT ds_text(extra) FROM request_text"),
                 QStringLiteral(R"({"region":"eu-west","cost":{"usd":0.12},"tags":[1,"x"]})"));
        QCOMPARE(test::queryInt(db, "SELECT tool_count FROM request"), 2);
        QCOMPARE(test::queryText(db, "SELECT ds_text(tools) FROM request_text"), QStringLiteral(R"(["search","calc"])"));
    }

    void severalFilesInOneImport()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("a.jsonl"), jsonlFixture(20)),
                                                      dir.writeGzip(QStringLiteral("b.csv.gz"), csvFixture(30))});
        QCOMPARE(s.requestsInCase, 20 + 30 - 20); // CSV ids req_0..29 overlap JSONL ids req_0..19
        QCOMPARE(s.files[0].inserted + s.files[1].inserted, 30);
    }
};

QTEST_GUILESS_MAIN(TestFormats)
#include "tst_formats.moc"
