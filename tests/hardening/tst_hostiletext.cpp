#include "TestSupport.h"

#include "core/CaseDatabase.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

// The command-line tool on a log full of attacker-controlled text (hostileLog()):
// everything is stored as given, megabyte prompts included, and every JSON output
// is valid and gives back the exact strings. Test thread only.
class TestHostileText : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void importStoresTextAsGiven();
    void importJsonIsValid();
    void scanJsonRoundTripsEveryAccountId();
    void caseJsonExportIsValid();

private:
    static QJsonDocument parseStrict(const QByteArray& bytes);

    ds::test::ScratchDir m_dir;
    ds::test::HostileLog m_log;
    QString m_requests, m_accounts, m_case;
    ds::test::CliResult m_import;
};

QJsonDocument TestHostileText::parseStrict(const QByteArray& bytes)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("invalid JSON at offset %d: %s", error.offset, qPrintable(error.errorString()));
    return doc;
}

void TestHostileText::initTestCase()
{
    m_log = ds::test::hostileLog(1 << 20);
    QVERIFY(m_log.hugePrompt.toUtf8().size() >= (1 << 20));
    m_requests = m_dir.write(QStringLiteral("hostile.jsonl"), m_log.requestsJsonl);
    m_accounts = m_dir.write(QStringLiteral("hostile-accounts.csv"), m_log.accountsCsv);
    m_case = m_dir.file(QStringLiteral("hostile.sqlite"));
    m_import = ds::test::runCli({QStringLiteral("import"), QStringLiteral("--db"), m_case, QStringLiteral("--json"),
                                 m_requests, m_accounts});
    QVERIFY2(m_import.exitCode == 0, (m_import.err).constData());
}

void TestHostileText::importStoresTextAsGiven()
{
    ds::SqliteDb db = ds::CaseDatabase::openForReading(m_case);
    QCOMPARE(db.queryInt("SELECT count(*) FROM request"), m_log.requests);
    QCOMPARE(db.queryInt("SELECT count(*) FROM account"), m_log.accountIds.size());
    QCOMPARE(db.queryInt("SELECT count(*) FROM quarantine"), m_log.quarantinedLines);

    QSet<QString> stored;
    ds::SqliteStatement ids(db, "SELECT account_id FROM account");
    while (ids.step())
        stored.insert(ids.columnText(0));
    for (const QString& id : m_log.accountIds)
        QVERIFY2(stored.contains(id), qPrintable(QStringLiteral("account id altered: ") + id.left(80)));

    ds::SqliteStatement huge(db, "SELECT ds_text(prompt) FROM request_text WHERE request_id = ?");
    huge.bindText(1, m_log.hugePromptRequestId);
    QVERIFY(huge.step());
    QVERIFY2(huge.columnText(0) == m_log.hugePrompt, "the megabyte prompt was altered");

    // Prompts keep NUL and control characters.
    QCOMPARE(db.queryInt("SELECT count(*) FROM request_text WHERE instr(ds_text(prompt), char(1)) > 0"), 14 * 40);

    // Quarantine keeps the raw bytes, invalid UTF-8 included.
    ds::SqliteStatement raw(db, "SELECT raw FROM quarantine ORDER BY line");
    QVERIFY(raw.step());
    QVERIFY(raw.columnBlob(0).startsWith("\xFF\xFE<script>"));
}

void TestHostileText::importJsonIsValid()
{
    const QJsonDocument doc = parseStrict(m_import.out);
    QVERIFY(doc.isObject());
}

void TestHostileText::scanJsonRoundTripsEveryAccountId()
{
    const QString json = m_dir.file(QStringLiteral("scan.json"));
    const auto scan = ds::test::runCli({QStringLiteral("scan"), QStringLiteral("--json"), json, m_requests, m_accounts});
    QVERIFY2(scan.exitCode == 0, (scan.err).constData());
    QFile f(json);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    // Control characters are escaped, never written raw (a terminal would act on them).
    for (char c : bytes)
        QVERIFY2(static_cast<unsigned char>(c) >= 0x20 || c == '\n', "a raw control character in the JSON output");
    const QJsonDocument doc = parseStrict(bytes);
    QVERIFY(doc.isObject());
    QSet<QString> ids;
    for (const QJsonValue& a : doc.object().value(QLatin1String("accounts")).toArray())
        ids.insert(a.toObject().value(QLatin1String("account_id")).toString());
    for (const QString& id : m_log.accountIds)
        QVERIFY2(ids.contains(id), qPrintable(QStringLiteral("missing or altered in scan JSON: ") + id.left(80)));
}

void TestHostileText::caseJsonExportIsValid()
{
    const QString det = m_dir.file(QStringLiteral("detected.sqlite"));
    QVERIFY(QFile::copy(m_case, det));
    QFile::setPermissions(det, QFile::ReadOwner | QFile::WriteOwner);
    const auto detect = ds::test::runCli({QStringLiteral("detect"), QStringLiteral("--db"), det});
    QVERIFY2(detect.exitCode == 0, (detect.err).constData());
    const QString json = m_dir.file(QStringLiteral("case.json"));
    const auto exp = ds::test::runCli({QStringLiteral("export"), QStringLiteral("--db"), det, QStringLiteral("--case-json"), json});
    QVERIFY2(exp.exitCode == 0, (exp.err).constData());
    QFile f(json);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    const QJsonDocument doc = parseStrict(bytes);
    QVERIFY(doc.isObject());
    for (char c : bytes)
        QVERIFY2(static_cast<unsigned char>(c) >= 0x20 || c == '\n', "a raw control character in the JSON output");
}

QTEST_GUILESS_MAIN(TestHostileText)
#include "tst_hostiletext.moc"
