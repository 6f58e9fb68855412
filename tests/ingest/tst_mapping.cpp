#include "TestSupport.h"
#include "ingest/FieldMapping.h"
#include "ingest/ImportTypes.h"

#include <QTest>

using namespace ds;
using Outcome = FileReport::Outcome;

// Logs with other field names are mapped onto the canonical format.
class TestMapping : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mapsNestedJsonAndEpochSeconds()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QString mapping = dir.write(QStringLiteral("map.json"), R"({"fields": {
            "request_id": "id",
            "account_id": "user.id",
            "org_id": "user.org",
            "timestamp": {"from": "created", "convert": "epoch_s"},
            "prompt": "input.text",
            "endpoint": {"value": "/v1/chat"}
        }})");
        const QByteArray log = R"({"id":"e1","created":1770128525.5,"user":{"id":42,"org":"org_a","plan":"pro"},"input":{"text":"hello"},"region":"eu"})" "\n"
                               R"({"id":"e2","created":"1770128526","user":{"id":"u43"},"input":{"text":"bye"}})" "\n"
                               R"({"id":"e3","created":1770128527,"user":{}})" "\n";
        const ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("other.jsonl"), log)}, mapping);
        QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
        QCOMPARE(s.files[0].outcome, Outcome::Imported);
        QCOMPARE(s.files[0].records, 2);
        QCOMPARE(s.files[0].quarantined, 1); // e3 has no user.id
        QCOMPARE(test::queryText(db, "SELECT group_concat(account_id) FROM (SELECT account_id FROM account ORDER BY id)"),
                 QStringLiteral("42,u43"));
        QCOMPARE(test::queryInt(db, "SELECT ts FROM request ORDER BY id LIMIT 1"), 1770128525500);
        QCOMPARE(test::queryInt(db, "SELECT ts FROM request ORDER BY id DESC LIMIT 1"), 1770128526000);
        QCOMPARE(test::queryText(db, "SELECT ds_text(prompt) FROM request_text ORDER BY id LIMIT 1"), QStringLiteral("hello"));
        QCOMPARE(test::queryText(db, "SELECT value FROM endpoint"), QStringLiteral("/v1/chat"));
        QCOMPARE(test::queryText(db, "SELECT value FROM org"), QStringLiteral("org_a"));
        // Unmapped source fields stay with the record, under their full path.
        QCOMPARE(test::queryText(db, "SELECT ds_text(extra) FROM request_text ORDER BY id LIMIT 1"),
                 QStringLiteral(R"({"user.plan":"pro","region":"eu"})"));
        QVERIFY(test::queryText(db, "SELECT mapping FROM source_file").contains(QLatin1String("user.id")));
    }

    void mapsCsvColumns()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QString mapping = dir.write(QStringLiteral("map.json"),
                                          R"json({"fields": {"request_id": "Request ID", "account_id": "Customer", "timestamp": {"from": "Time (ms)", "convert": "epoch_ms"}}})json");
        const QByteArray csv = "Request ID,Customer,Time (ms),prompt\nq1,c1,1770128525123,hi\n";
        const ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("x.csv"), csv)}, mapping);
        QCOMPARE(s.files[0].outcome, Outcome::Imported);
        QCOMPARE(s.requestsInCase, 1);
        QCOMPARE(test::queryText(db, "SELECT account_id FROM account"), QStringLiteral("c1"));
    }

    void withoutMappingSuchAFileIsRefused()
    {
        test::ScratchDir dir;
        const ImportSummary s = test::importInto(dir.file(QStringLiteral("case.sqlite")),
                                                 {dir.write(QStringLiteral("x.csv"), "Request ID,Customer\nq1,c1\n")});
        QCOMPARE(s.files[0].outcome, Outcome::Refused);
        QVERIFY(s.files[0].message.contains(QLatin1String("mapping")));
    }

    void rejectsBadMappingFiles_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");
        QTest::newRow("not json") << QByteArray("{fields:") << "not valid JSON";
        QTest::newRow("no fields") << QByteArray(R"({"rename": {}})") << "\"fields\"";
        QTest::newRow("unknown target") << QByteArray(R"({"fields": {"userid": "x"}})") << "not a field";
        QTest::newRow("bad conversion") << QByteArray(R"({"fields": {"timestamp": {"from": "t", "convert": "fortnights"}}})") << "unknown conversion";
        QTest::newRow("conversion on text") << QByteArray(R"({"fields": {"prompt": {"from": "t", "convert": "epoch_s"}}})") << "applies to timestamp";
        QTest::newRow("no source") << QByteArray(R"({"fields": {"prompt": {}}})") << "names no source";
        QTest::newRow("wrong rule type") << QByteArray(R"({"fields": {"prompt": 3}})") << "must be a source name";
    }
    void rejectsBadMappingFiles()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        QString message;
        QVERIFY(!FieldMapping::fromJson(json, &message).has_value());
        QVERIFY2(message.contains(error), qPrintable(message));
    }

    void badMappingStopsImportBeforeWriting()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("r.jsonl"), test::requestJson(QStringLiteral("a"), QStringLiteral("b"), 1770128525123))},
                                                 dir.write(QStringLiteral("map.json"), "{oops"));
        QVERIFY(s.error.contains(QLatin1String("map.json")));
        QVERIFY(!s.anyImported());
        QVERIFY(!QFile::exists(db));
    }
};

QTEST_GUILESS_MAIN(TestMapping)
#include "tst_mapping.moc"
