#include "FormatFixtures.h"
#include "TestSupport.h"
#include "ingest/ByteSource.h"
#include "ingest/FormatSniffer.h"
#include "ingest/ImportPreview.h"
#include "ingest/ImportTypes.h"
#include "ingest/Importer.h"
#include "ingest/JsonArrayReader.h"
#include "ingest/LogFormats.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ds;
using ds::test::formatFixture;
using ds::test::importAs;
using Outcome = FileReport::Outcome;

namespace {

// "account|prompt|system|tools|turns|ts" of every request, by id.
QString requests(const QString& db)
{
    return test::queryText(db, "SELECT group_concat(s, ';') FROM (SELECT a.account_id || '|' || coalesce(ds_text(t.prompt), '') "
                               "|| '|' || coalesce((SELECT value FROM system_prompt p WHERE p.id = r.system_prompt), '') || '|' "
                               "|| coalesce(r.tool_count, '') || '|' || coalesce(json_extract(ds_text(t.extra), '$.turns'), '') "
                               "|| '|' || r.ts AS s FROM request r JOIN account a ON a.id = r.account "
                               "JOIN request_text t ON t.id = r.id ORDER BY r.id)");
}

QList<QJsonObject> pagesOf(const QString& file)
{
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        return {};
    QList<QJsonObject> out;
    for (const QByteArray& line : in.readAll().split('\n'))
        if (!line.trimmed().isEmpty())
            out << QJsonDocument::fromJson(line).object();
    return out;
}

// Every element the reader returns, as text, until the end.
QStringList elementsOf(const QByteArray& doc, const std::string& member, std::size_t maxBytes = 1 << 20)
{
    test::ScratchDir dir;
    ByteSource source(dir.write(QStringLiteral("d.json"), doc));
    JsonArrayReader reader(source, maxBytes, member);
    QStringList out;
    std::string_view element;
    std::int64_t number = 0;
    for (int guard = 0; guard < 1000; ++guard) {
        const auto st = reader.next(element, number);
        if (st == JsonArrayReader::Status::End || st == JsonArrayReader::Status::Error)
            break;
        out << (st == JsonArrayReader::Status::Oversized ? QStringLiteral("<oversized>")
                                                         : QString::fromUtf8(element.data(), static_cast<qsizetype>(element.size())));
    }
    return out;
}

} // namespace

// Logs fetched page by page from a list API ({"data": [...], "total": N, "page": P, ...}: LiteLLM's
// /spend/logs/ui and /spend/logs/v2): the records are read from the wrapping object's array, page after page.
class TestLogPages : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void spendLogPagesReadAsTheirRows()
    {
        test::ScratchDir dir;
        const QString lines = dir.file(QStringLiteral("lines.sqlite"));
        QCOMPARE(test::importInto(lines, {formatFixture(QStringLiteral("litellm.jsonl"))}).files[0].records, 3);

        // As saved: one page a line. Pretty-printed (jq .), and with the paging members before the records.
        const QList<QJsonObject> pages = pagesOf(formatFixture(QStringLiteral("litellm-spendlogs-pages.json")));
        QCOMPARE(pages.size(), 2);
        QByteArray pretty, countsFirst;
        for (const QJsonObject& p : pages) {
            pretty += QJsonDocument(p).toJson(QJsonDocument::Indented);
            countsFirst += "{\"total\": 3, \"page\": " + QByteArray::number(p.value(QStringLiteral("page")).toInt())
                         + ", \"links\": {\"next\": \"/spend/logs/v2?page=2\", \"data\": [1]}, \"data\": "
                         + QJsonDocument(p.value(QStringLiteral("data")).toArray()).toJson(QJsonDocument::Compact)
                         + ", \"total_pages\": 2}\n";
        }
        QFile asSaved(formatFixture(QStringLiteral("litellm-spendlogs-pages.json")));
        QVERIFY(asSaved.open(QIODevice::ReadOnly));
        for (const QByteArray& doc : {asSaved.readAll(), pretty, countsFirst}) {
            const QString db = dir.file(QStringLiteral("case-%1.sqlite").arg(doc.size()));
            const ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("p-%1.json").arg(doc.size()), doc)});
            QCOMPARE(s.files[0].outcome, Outcome::Imported);
            QCOMPARE(s.files[0].logFormat, QStringLiteral("litellm"));
            QCOMPARE(s.files[0].format, QStringLiteral("json"));
            QCOMPARE(s.files[0].records, 3);
            QCOMPARE(s.files[0].quarantined, 0);
            // The same rows as the table export: the API's times carry their zone ("Z", "+00:00").
            QCOMPARE(requests(db), requests(lines));
        }
    }

    void forcedFormatReadsPagesToo()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const ImportSummary s = importAs(db, {formatFixture(QStringLiteral("litellm-spendlogs-pages.json"))}, QStringLiteral("litellm"));
        QCOMPARE(s.files[0].records, 3);
        QCOMPARE(s.files[0].quarantined, 0);
        const SniffResult sniff = sniffLogFile(formatFixture(QStringLiteral("litellm-spendlogs-pages.json")),
                                               *logformats::presetMapping(QStringLiteral("litellm")), false);
        QVERIFY(sniff.ok && sniff.jsonArray);
        QCOMPARE(sniff.recordsMember, std::string("data"));
        // A canonical page: the identity mapping's request_id is in the elements.
        const QByteArray canonical = "{\"object\": \"list\", \"data\": [" + test::requestJson(QStringLiteral("r1"), QStringLiteral("a1"), 1770000000000)
                                   + "], \"has_more\": false}\n";
        const ImportSummary c = test::importInto(dir.file(QStringLiteral("c.sqlite")), {dir.write(QStringLiteral("c.json"), canonical)});
        QCOMPARE(c.files[0].logFormat, QStringLiteral("canonical"));
        QCOMPARE(c.files[0].records, 1);
    }

    void previewShowsThePagesRows()
    {
        // The import preview reads the head as the import would: the rows of the pages, the member named.
        CancelToken cancel;
        const FilePreview p = previewLogFile(formatFixture(QStringLiteral("litellm-spendlogs-pages.json")), FormatChoice{}, 20, cancel);
        QVERIFY(p.previewed());
        QCOMPARE(p.logFormat, QStringLiteral("litellm"));
        QVERIFY(p.jsonArray);
        QCOMPARE(p.recordsMember, QStringLiteral("data"));
        QCOMPARE(p.requests, 3);
        QCOMPARE(p.quarantined, 0);
    }

    void oneLongPageLine()
    {
        // A page of 100 rows with their conversations is one line longer than the 256 KiB the sniffer reads.
        test::ScratchDir dir;
        const QJsonObject row = pagesOf(formatFixture(QStringLiteral("litellm-spendlogs-pages.json"))).first()
                                    .value(QStringLiteral("data")).toArray().first().toObject();
        QJsonArray data;
        for (int i = 0; i < 100; ++i) {
            QJsonObject r = row;
            r[QStringLiteral("request_id")] = QStringLiteral("req-%1").arg(i);
            r[QStringLiteral("messages")] = QString(4000, QLatin1Char('x'));
            data.append(r);
        }
        const QByteArray page = QJsonDocument(QJsonObject{{QStringLiteral("data"), data}, {QStringLiteral("total"), 100}})
                                    .toJson(QJsonDocument::Compact) + "\n";
        QVERIFY(page.size() > (256 << 10));
        const ImportSummary s = test::importInto(dir.file(QStringLiteral("c.sqlite")), {dir.write(QStringLiteral("big.json"), page)});
        QCOMPARE(s.files[0].logFormat, QStringLiteral("litellm"));
        QCOMPARE(s.files[0].records, 100);
        QCOMPARE(s.files[0].quarantined, 0);
    }

    void damagedPagesAreQuarantinedNotDropped()
    {
        test::ScratchDir dir;
        const QList<QJsonObject> pages = pagesOf(formatFixture(QStringLiteral("litellm-spendlogs-pages.json")));
        const QByteArray first = QJsonDocument(pages[0]).toJson(QJsonDocument::Compact);
        // A page cut short inside its second row: the first row is read, the cut one quarantined as such.
        const QByteArray cut = first.left(first.indexOf("chatcmpl-7f1d2a40-0002") + 40);
        const QString cutDb = dir.file(QStringLiteral("cut.sqlite"));
        const ImportSummary c = test::importInto(cutDb, {dir.write(QStringLiteral("cut.json"), cut)});
        QCOMPARE(c.files[0].records, 1);
        QCOMPARE(c.files[0].quarantined, 1);
        QVERIFY(test::queryText(cutDb, "SELECT reason FROM quarantine").contains(QLatin1String("ends inside this element")));
        // Stray text among a page's members is quarantined; the rows around it are read.
        const QByteArray stray = "{\"total\": 2, oops, \"data\": [" + QJsonDocument(pages[1].value(QStringLiteral("data")).toArray().first().toObject()).toJson(QJsonDocument::Compact)
                               + "]}\n" + first + "\n";
        const ImportSummary s = importAs(dir.file(QStringLiteral("s.sqlite")), {dir.write(QStringLiteral("s.json"), stray)}, QStringLiteral("litellm"));
        QCOMPARE(s.files[0].records, 3);
        QCOMPARE(s.files[0].quarantined, 1);
    }

    void readerPassesOverOtherMembers()
    {
        // A decoy "data" in another member and in a string; pages one after another, an empty one, then a bare array.
        const QByteArray doc = "{\"meta\": {\"data\": [{\"no\": 1}], \"s\": \"\\\"data\\\": [{\"}, "
                               "\"data\" : [ {\"a\": 1} , {\"b\": \"]}\"} ], \"n\": [2]}\n"
                               " {\"data\": []} {\"data\": [{\"c\": 3}]} [{\"d\": 4}]";
        QCOMPARE(elementsOf(doc, "data"), (QStringList{QStringLiteral("{\"a\": 1}"), QStringLiteral("{\"b\": \"]}\"}"),
                                               QStringLiteral("{\"c\": 3}"), QStringLiteral("{\"d\": 4}")}));
        // Escaped quotes in member names; a name that is only like the records member's.
        const QByteArray names = "{\"da\\\"ta\": [{\"x\": 1}], \"dat\": [{\"y\": 2}], \"data\": [{\"z\": 3}]}";
        QCOMPARE(elementsOf(names, "data"), QStringList{QStringLiteral("{\"z\": 3}")});
        // An oversized row is skipped to its end, the next one read.
        const QByteArray big = "{\"data\": [{\"x\": \"" + QByteArray(5000, 'x') + "\"}, {\"y\": 1}]}";
        QCOMPARE(elementsOf(big, "data", 1024), (QStringList{QStringLiteral("<oversized>"), QStringLiteral("{\"y\": 1}")}));
        // A member name longer than any real one is not the records member, and is not held.
        const QByteArray longName = "{\"" + QByteArray(100000, 'd') + "\": [{\"x\": 1}], \"data\": [{\"ok\": 1}]}";
        QCOMPARE(elementsOf(longName, "data", 1024), QStringList{QStringLiteral("{\"ok\": 1}")});
        // The sniffer's view of a page: the members that hold arrays of objects.
        const std::string_view page = R"({"total": 1, "tags": ["a"], "data": [{"k": 1}, {"k": 2}], "x": [{"o": 1}]})";
        const auto members = JsonArrayReader::arrayMembers(page, 10);
        QCOMPARE(members.size(), std::size_t(2));
        QCOMPARE(members[0].name, std::string_view("data"));
        QCOMPARE(members[0].elements.size(), std::size_t(2));
        QCOMPARE(members[1].name, std::string_view("x"));
    }

    void notEveryObjectIsAPage()
    {
        test::ScratchDir dir;
        // A JSON Lines log whose records hold arrays of objects stays JSON Lines.
        const QString tools = dir.write(QStringLiteral("t.jsonl"), R"({"request_id":"r1","account_id":"a","timestamp":1770000000000,"tools":[{"name":"x","request_id":"y"}]})" "\n");
        const SniffResult t = sniffLogFile(tools, FieldMapping());
        QVERIFY(t.ok && !t.jsonArray && t.recordsMember.empty());
        // An OTLP batch is a line of spans, not a page (its records path is inside the line).
        const SniffResult o = sniffLogFile(formatFixture(QStringLiteral("otlp.jsonl")), FieldMapping());
        QVERIFY(o.ok && !o.jsonArray);
        QCOMPARE(o.logFormat, QStringLiteral("otlp"));
        // An object whose arrays hold no requests is refused, in words.
        const ImportSummary s = test::importInto(dir.file(QStringLiteral("c.sqlite")),
                                                 {dir.write(QStringLiteral("x.json"), "{\"data\": [{\"id\": 1}], \"total\": 1}\n")});
        QCOMPARE(s.files[0].outcome, Outcome::Refused);
        QVERIFY2(s.files[0].message.contains(QLatin1String("request_id")), qPrintable(s.files[0].message));
    }
};

QTEST_GUILESS_MAIN(TestLogPages)
#include "tst_logpages.moc"
