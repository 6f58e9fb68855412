#include "FormatFixtures.h"
#include "TestSupport.h"
#include "core/Timestamp.h"
#include "ingest/FieldMapping.h"
#include "ingest/ImportTypes.h"
#include "ingest/Importer.h"
#include "ingest/LogFormats.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ds;
using ds::test::formatFixture;
using ds::test::formatFixtureRecords;
using ds::test::importAs;
using Outcome = FileReport::Outcome;

namespace {

// How one file was read: the log format it was recognised as, its records read and quarantined. One comparison
// instead of three, with all three in the failure message.
struct FileRead
{
    QString format;
    std::int64_t records = 0, quarantined = 0;
    bool operator==(const FileRead&) const = default;
};

FileRead readOf(const ImportSummary& s, int file = 0)
{
    const FileReport& f = s.files[file];
    return {f.logFormat, f.records, f.quarantined};
}

char* toString(const FileRead& r)
{
    return QTest::toString(QStringLiteral("%1: %2 records, %3 quarantined").arg(r.format).arg(r.records).arg(r.quarantined));
}

// Request columns of the n-th request (by id) as text: "account|prompt|system|tools|turns".
QString requestSummary(const QString& db, int n)
{
    const QByteArray sql = QStringLiteral(
                               "SELECT a.account_id || '|' || coalesce(ds_text(t.prompt), '') || '|' || "
                               "coalesce((SELECT value FROM system_prompt s WHERE s.id = r.system_prompt), '') || '|' || "
                               "coalesce(r.tool_count, '') || '|' || coalesce(json_extract(ds_text(t.extra), '$.turns'), '') "
                               "FROM request r JOIN account a ON a.id = r.account JOIN request_text t ON t.id = r.id "
                               "ORDER BY r.id LIMIT 1 OFFSET %1")
                               .arg(n)
                               .toUtf8();
    return test::queryText(db, sql.constData());
}

} // namespace

// The shipped log formats (resources/formats), the mapping language they are written in,
// the message shapes they read and how a log's format is recognised.
class TestLogFormats : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyPresetLoadsAndIsListed()
    {
        const QStringList names = logformats::presetNames();
        QCOMPARE(names, (QStringList{QStringLiteral("canonical"), QStringLiteral("litellm"), QStringLiteral("helicone"),
                                     QStringLiteral("langfuse"), QStringLiteral("bedrock"), QStringLiteral("otlp")}));
        for (const QString& name : names) {
            QString error;
            const QByteArray text = logformats::presetJson(name);
            QVERIFY2(!text.isEmpty(), qPrintable(name));
            QVERIFY2(FieldMapping::fromJson(text, &error).has_value(), qPrintable(name + QStringLiteral(": ") + error));
            QVERIFY(logformats::presetMapping(name));
        }
        QVERIFY(logformats::presetMapping(QStringLiteral("canonical"))->isIdentity());
        QVERIFY(!logformats::presetMapping(QStringLiteral("splunk")));
        QVERIFY(logformats::presetJson(QStringLiteral("../../etc/passwd")).isEmpty());
    }

    void detectsEachFixtureByContent_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("format");
        for (const char* f : {"litellm", "helicone", "langfuse", "bedrock", "otlp"})
            QTest::newRow(f) << QStringLiteral("%1.jsonl").arg(QLatin1String(f)) << QString::fromLatin1(f);
    }
    void detectsEachFixtureByContent()
    {
        QFETCH(QString, file);
        QFETCH(QString, format);
        QCOMPARE(logformats::detectFormat(formatFixture(file)), format);
    }

    void canonicalLogsStayCanonical()
    {
        test::ScratchDir dir;
        const QString log = dir.write(QStringLiteral("c.jsonl"), test::requestJson(QStringLiteral("r1"), QStringLiteral("a1"), 1770000000000) + "\n");
        QCOMPARE(logformats::detectFormat(log), QStringLiteral("canonical"));
        QString why;
        QVERIFY(logformats::detectFormat(dir.write(QStringLiteral("b.bin"), QByteArray("\0\1\2", 3)), &why).isEmpty());
        QVERIFY(why.contains(QLatin1String("binary")));
    }

    void litellmRows()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const ImportSummary s = test::importInto(db, {formatFixture(QStringLiteral("litellm.jsonl"))});
        QCOMPARE(s.files[0].outcome, Outcome::Imported);
        QCOMPARE(readOf(s), (FileRead{QStringLiteral("litellm"), 3, 0}));
        // end_user, else user (empty), else the hashed api_key; a timestamp without a zone is UTC.
        QCOMPARE(requestSummary(db, 0), QStringLiteral("cust-1842|What is the capital of France?|You are a concise assistant.||0"));
        QCOMPARE(requestSummary(db, 1),
                 QStringLiteral("88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b|Describe this image|Answer in JSON.|2|2"));
        // proxy_server_request stored as a JSON string, Anthropic system blocks.
        QCOMPARE(requestSummary(db, 2),
                 QStringLiteral("5a0b2f6e9d8c7b6a5f4e3d2c1b0a99887766554433221100ffeeddccbbaa9988|Summarise RFC 3339.|Be brief.||0"));
        QCOMPARE(test::queryInt(db, "SELECT ts FROM request ORDER BY id LIMIT 1"), 1769904043143);
        QCOMPARE(test::queryInt(db, "SELECT latency_ms FROM request ORDER BY id LIMIT 1"), 877);
        QCOMPARE(test::queryText(db, "SELECT value FROM ip ORDER BY id LIMIT 1"), QStringLiteral("203.0.113.7"));
        // status is "success", not an HTTP status: kept, once, in extra.
        QCOMPARE(test::queryText(db, "SELECT ds_text(extra) FROM request_text ORDER BY id LIMIT 1").count(QLatin1String("\"status\"")), 1);
    }

    // psql's \copy (SELECT * FROM "LiteLLM_SpendLogs") TO ... CSV HEADER: the same rows as litellm.jsonl, with JSON
    // columns as JSON text in cells and NULL as an empty cell. Recognised as litellm, read as the JSON rows are: an
    // empty end_user falls back to user and api_key, the prompt is found inside the messages cell.
    void litellmCsvReadsAsItsJsonRows()
    {
        QCOMPARE(logformats::detectFormat(formatFixture(QStringLiteral("litellm-psql.csv"))), QStringLiteral("litellm"));
        test::ScratchDir dir;
        const QString json = dir.file(QStringLiteral("json.sqlite"));
        const QString csv = dir.file(QStringLiteral("csv.sqlite"));
        QCOMPARE(readOf(test::importInto(json, {formatFixture(QStringLiteral("litellm.jsonl"))})), (FileRead{QStringLiteral("litellm"), 3, 0}));
        const ImportSummary s = test::importInto(csv, {formatFixture(QStringLiteral("litellm-psql.csv"))});
        QCOMPARE(readOf(s), (FileRead{QStringLiteral("litellm"), 3, 0}));
        QCOMPARE(s.files[0].format, QStringLiteral("csv"));
        for (int n = 0; n < 3; ++n)
            QCOMPARE(requestSummary(csv, n), requestSummary(json, n));
        QCOMPARE(test::queryInt(csv, "SELECT ts FROM request ORDER BY id LIMIT 1"), 1769904043143);
        QCOMPARE(test::queryText(csv, "SELECT group_concat(value) FROM (SELECT value FROM ip ORDER BY id)"),
                 test::queryText(json, "SELECT group_concat(value) FROM (SELECT value FROM ip ORDER BY id)"));
    }

    // A record without any of the account fields a format tries is quarantined with those fields named, as they
    // are in the user's log; the canonical format names its own field.
    void missingAccountNamesTheFieldsTried()
    {
        test::ScratchDir dir;
        QFile in(formatFixture(QStringLiteral("litellm-psql.csv")));
        QVERIFY(in.open(QIODevice::ReadOnly));
        QList<QByteArray> rows = in.readAll().split('\n');
        // Row 3 has no end_user and no user; blank its api_key too.
        rows[3].replace("5a0b2f6e9d8c7b6a5f4e3d2c1b0a99887766554433221100ffeeddccbbaa9988", "");
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("l.csv"), rows.join('\n'))});
        QCOMPARE(readOf(s), (FileRead{QStringLiteral("litellm"), 2, 1}));
        QCOMPARE(test::queryText(db, "SELECT reason FROM quarantine"),
                 QStringLiteral("no account: end_user, user and api_key are all empty or absent"));
        QCOMPARE(s.files[0].firstQuarantineReason, test::queryText(db, "SELECT reason FROM quarantine"));
    }

    // An import that read files but could keep none of their records failed, whatever was written: exit 1 with the
    // first reason; some records kept is a success (exit 0) with the rest in quarantine.
    void everyRecordQuarantinedExitsOne()
    {
        test::ScratchDir dir;
        const QString bad = dir.write(QStringLiteral("bad.jsonl"), "{\"request_id\":\"r1\",\"timestamp\":1770000000000}\n"
                                                                   "{\"request_id\":\"r2\",\"timestamp\":1770000000000}\n");
        const QString good = dir.write(QStringLiteral("good.jsonl"),
                                       test::requestJson(QStringLiteral("r3"), QStringLiteral("a1"), 1770000000000) + "\n");
        const test::CliResult all = test::runCli({QStringLiteral("import"), QStringLiteral("--db"),
                                                  dir.file(QStringLiteral("a.sqlite")), bad});
        QCOMPARE(all.exitCode, 1);
        QVERIFY2(all.out.contains("every record was quarantined; the first because: missing required field account_id"),
                 all.out.constData());
        QVERIFY2(all.err.contains("every record read was quarantined"), all.err.constData());
        const test::CliResult some = test::runCli({QStringLiteral("import"), QStringLiteral("--db"),
                                                   dir.file(QStringLiteral("b.sqlite")), bad, good});
        QCOMPARE(some.exitCode, 0);
        QVERIFY(!some.err.contains("every record"));
    }

    void heliconeRows()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const ImportSummary s = test::importInto(db, {formatFixture(QStringLiteral("helicone.jsonl"))});
        QCOMPARE(readOf(s), (FileRead{QStringLiteral("helicone"), 2, 0}));
        QCOMPARE(requestSummary(db, 0), QStringLiteral("cust-1842|What is the capital of France?|You are a concise assistant.||0"));
        // user_id empty: proxy_key_id. Anthropic tool_result text counts as the user's turn.
        QCOMPARE(requestSummary(db, 1),
                 QStringLiteral("9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d|42 rows\nNow chart it.|Answer in JSON.|1|2"));
        // Quoted 64-bit integers are numbers.
        QCOMPARE(test::queryInt(db, "SELECT prompt_tokens + completion_tokens + status FROM request ORDER BY id LIMIT 1"), 42 + 19 + 200);
        QCOMPARE(test::queryInt(db, "SELECT ts FROM request ORDER BY id DESC LIMIT 1"), 1769904062500);
        QCOMPARE(test::queryText(db, "SELECT value FROM stop_reason ORDER BY id"), QStringLiteral("stop"));
    }

    // Helicone rows name no user unless the client sent Helicone-User-Id: the proxy key, else the organisation, as
    // an account that says where it came from; none of them is quarantined.
    void heliconeRowsWithoutUser()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const ImportSummary s = test::importInto(db, {formatFixture(QStringLiteral("helicone-no-user.jsonl"))});
        QCOMPARE(readOf(s), (FileRead{QStringLiteral("helicone"), 3, 0}));
        QCOMPARE(test::queryText(db, "SELECT group_concat(a.account_id, ' ') FROM (SELECT account FROM request ORDER BY id) r "
                                     "JOIN account a ON a.id = r.account"),
                 QStringLiteral("helicone-org:2f1e0d9c-8b7a-4c6d-9e0f-1a2b3c4d5e6f 6b5a4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d "
                                "helicone-org:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"));
        // The user's own mapping may still prefer to quarantine them: the reason names the fields it tried.
        const QString map = dir.write(QStringLiteral("m.json"), R"({"extends": "helicone", "fields": {"account_id": {"first_of": ["user_id", "proxy_key_id"]}}})");
        const QString db2 = dir.file(QStringLiteral("strict.sqlite"));
        QCOMPARE(readOf(test::importInto(db2, {formatFixture(QStringLiteral("helicone-no-user.jsonl"))}, map)),
                 (FileRead{QStringLiteral("helicone"), 1, 2}));
        QCOMPARE(test::queryText(db2, "SELECT DISTINCT reason FROM quarantine"),
                 QStringLiteral("no account: user_id and proxy_key_id are both empty or absent"));
    }

    void langfuseGenerationsOnly()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const ImportSummary s = test::importInto(db, {formatFixture(QStringLiteral("langfuse.jsonl"))});
        QCOMPARE(readOf(s), (FileRead{QStringLiteral("langfuse"), 2, 0}));
        QCOMPARE(s.files[0].skipped, 1); // the SPAN
        QCOMPARE(requestSummary(db, 0), QStringLiteral("cust-1842|What is the capital of France?|You are a concise assistant.||0"));
        QCOMPARE(requestSummary(db, 1), QStringLiteral("cust-77|Tell me a joke|||2"));
        QCOMPARE(test::queryInt(db, "SELECT ts FROM request ORDER BY id LIMIT 1"), 1769904043143); // microseconds cut to ms
        QCOMPARE(test::queryInt(db, "SELECT max_tokens FROM request ORDER BY id LIMIT 1"), 256); // "256" in a JSON string
    }

    // Langfuse's UI export and public API write camelCase, pretty-printed: recognised as langfuse, as an array or as an
    // API page, read as the blob export is; a user only in the metadata counts, no user at all is named as such.
    void langfuseCamelCaseExport()
    {
        const QString file = formatFixture(QStringLiteral("langfuse-observations.json"));
        QCOMPARE(logformats::detectFormat(file), QStringLiteral("langfuse"));
        test::ScratchDir dir;
        const QString blob = dir.file(QStringLiteral("blob.sqlite"));
        test::importInto(blob, {formatFixture(QStringLiteral("langfuse.jsonl"))});
        QFile in(file);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray array = in.readAll();
        const QString page = dir.write(QStringLiteral("page.json"), "{\n  \"data\": " + array + ",\n  \"meta\": {\"page\": 1, \"limit\": 50, "
                                                                   "\"totalItems\": 4, \"totalPages\": 1}\n}\n");
        for (const QString& f : {file, page}) {
            const QString db = dir.file(QFileInfo(f).baseName() + QStringLiteral(".sqlite"));
            const ImportSummary s = test::importInto(db, {f});
            QCOMPARE(readOf(s), (FileRead{QStringLiteral("langfuse"), 2, 1}));
            QCOMPARE(s.files[0].skipped, 1);
            for (int n = 0; n < 2; ++n)
                QCOMPARE(requestSummary(db, n), requestSummary(blob, n));
            QCOMPARE(test::queryInt(db, "SELECT ts FROM request ORDER BY id LIMIT 1"), 1769904043143);
            QCOMPARE(test::queryInt(db, "SELECT max_tokens FROM request ORDER BY id LIMIT 1"), 256);
            QCOMPARE(test::queryText(db, "SELECT group_concat(value) FROM (SELECT value FROM model ORDER BY id)"),
                     QStringLiteral("gpt-4o-mini,claude-3-5-haiku"));
            QCOMPARE(test::queryText(db, "SELECT reason FROM quarantine"),
                     QStringLiteral("no account: user_id, userId, metadata.user_id and metadata.userId are all empty or absent"));
        }
        // An array without a request id is refused as what it is, not as "JSON Lines".
        const QString noId = dir.write(QStringLiteral("n.json"), "[\n  {\"model\": \"m\", \"prompt\": \"p\"}\n]\n");
        QString why;
        QVERIFY(logformats::detectFormat(noId, &why).isEmpty());
        QVERIFY2(why.contains(QLatin1String("is a JSON array of records with request fields")), qPrintable(why));
    }

    void bedrockInvokeModelAndConverse()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const ImportSummary s = test::importInto(db, {formatFixture(QStringLiteral("bedrock.jsonl"))});
        QCOMPARE(readOf(s), (FileRead{QStringLiteral("bedrock"), 2, 0}));
        QCOMPARE(requestSummary(db, 0), QStringLiteral("arn:aws:sts::123456789012:assumed-role/app-role/cust-1842|What is the "
                                                       "capital of France?|You are a concise assistant.|1|0"));
        QCOMPARE(requestSummary(db, 1), QStringLiteral("arn:aws:iam::123456789012:user/reseller-7|List three primes.|Answer in JSON.|2|2"));
        QCOMPARE(test::queryInt(db, "SELECT max_tokens FROM request ORDER BY id DESC LIMIT 1"), 200);
        QCOMPARE(test::queryText(db, "SELECT group_concat(value) FROM endpoint"), QStringLiteral("InvokeModel,Converse"));
    }

    void tokenCountsWhereEachFormatKeepsThem()
    {
        // Helicone rows whose token columns are null: the response body's usage, OpenAI's prompt_tokens or Anthropic's
        // input_tokens. Langfuse observations whose usage_details carry the provider's usage types, not input/output.
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const ImportSummary h = test::importInto(db, {formatFixture(QStringLiteral("helicone-usage.jsonl"))});
        QCOMPARE(h.files[0].logFormat, QStringLiteral("helicone"));
        QCOMPARE(h.files[0].records, 2);
        const ImportSummary l = importAs(db, {formatFixture(QStringLiteral("langfuse-usage.jsonl"))}, QStringLiteral("langfuse"));
        QCOMPARE(l.files[0].records, 2);
        QCOMPARE(test::queryText(db, "SELECT group_concat(t) FROM (SELECT prompt_tokens || '/' || completion_tokens AS t "
                                     "FROM request ORDER BY id)"),
                 QStringLiteral("11/3,12/4,21/5,22/6"));
    }

    void jsonArrayDocuments()
    {
        // LiteLLM's GET /spend/logs returns the rows as one JSON array, not one a line; so do other list APIs.
        test::ScratchDir dir;
        const QJsonArray rows = formatFixtureRecords(QStringLiteral("litellm.jsonl"));
        QVERIFY(!rows.isEmpty());
        QCOMPARE(rows.size(), 3);
        const QByteArray pretty = QJsonDocument(rows).toJson(QJsonDocument::Indented);
        const QByteArray compact = QJsonDocument(rows).toJson(QJsonDocument::Compact);
        const QString lines = dir.file(QStringLiteral("lines.sqlite"));
        QCOMPARE(test::importInto(lines, {formatFixture(QStringLiteral("litellm.jsonl"))}).files[0].records, 3);
        // One element a line, as a list is often written: its last line alone would parse as JSON Lines.
        QByteArray perLine = "[\n";
        for (int i = 0; i < rows.size(); ++i)
            perLine += QJsonDocument(rows[i].toObject()).toJson(QJsonDocument::Compact) + (i + 1 < rows.size() ? ",\n" : "\n");
        perLine += "]\n";
        for (const QByteArray& doc : {pretty, compact, perLine}) {
            const QString db = dir.file(QStringLiteral("case-%1.sqlite").arg(doc.size()));
            const QString file = dir.write(QStringLiteral("spend-%1.json").arg(doc.size()), "\xEF\xBB\xBF" + doc);
            const ImportSummary s = test::importInto(db, {file});
            QCOMPARE(readOf(s), (FileRead{QStringLiteral("litellm"), 3, 0}));
            QCOMPARE(s.files[0].format, QStringLiteral("json"));
            // Read as the same rows as the JSON Lines export (prompts, turns, accounts, times).
            for (int i = 0; i < 3; ++i)
                QCOMPARE(requestSummary(db, i), requestSummary(lines, i));
            QCOMPARE(test::queryText(db, "SELECT group_concat(ts) FROM (SELECT ts FROM request ORDER BY id)"),
                     test::queryText(lines, "SELECT group_concat(ts) FROM (SELECT ts FROM request ORDER BY id)"));
        }

        // A download cut short: the elements before the cut are read, the cut one quarantined as such.
        const QString cut = dir.write(QStringLiteral("cut.json"), pretty.left(pretty.size() - 40));
        const QString cutDb = dir.file(QStringLiteral("cut.sqlite"));
        const ImportSummary c = test::importInto(cutDb, {cut});
        QCOMPARE(c.files[0].records, 2);
        QCOMPARE(c.files[0].quarantined, 1);
        const QString reason = test::queryText(cutDb, "SELECT line || ': ' || reason FROM quarantine");
        QVERIFY2(reason.startsWith(QLatin1String("3: ")) && reason.contains(QLatin1String("ends inside this element")),
                 qPrintable(reason));

        // Arrays of anything but records are still refused, in words.
        const ImportSummary none = test::importInto(dir.file(QStringLiteral("none.sqlite")),
                                                    {dir.write(QStringLiteral("n.json"), "[1, 2, [3]]\n")});
        QCOMPARE(none.files[0].outcome, Outcome::Refused);
        QVERIFY2(none.files[0].message.contains(QLatin1String("JSON array without objects")), qPrintable(none.files[0].message));
    }

    void bedrockOtherModelBodies()
    {
        // Llama, Titan, Cohere and Nova InvokeModel bodies: the prompt is one text, the token limit has another name.
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const ImportSummary s = test::importInto(db, {formatFixture(QStringLiteral("bedrock-models.jsonl"))});
        QCOMPARE(readOf(s), (FileRead{QStringLiteral("bedrock"), 4, 0}));
        QCOMPARE(requestSummary(db, 0), QStringLiteral("arn:aws:iam::123456789012:user/llama-user|<|begin_of_text|><|start_header_id|>"
                                                       "user<|end_header_id|>\n\nName three rivers.<|eot_id|><|start_header_id|>"
                                                       "assistant<|end_header_id|>\n\n|||"));
        QCOMPARE(requestSummary(db, 1), QStringLiteral("arn:aws:iam::123456789012:user/titan-user|Summarise: the meeting moved to Tuesday.|||"));
        QCOMPARE(requestSummary(db, 2), QStringLiteral("arn:aws:iam::123456789012:user/cohere-user|Translate to French: good morning|"
                                                       "You are a translator.||"));
        QCOMPARE(requestSummary(db, 3), QStringLiteral("arn:aws:iam::123456789012:user/nova-user|Define entropy.|Be brief.||0"));
        QCOMPARE(test::queryText(db, "SELECT group_concat(max_tokens) FROM (SELECT max_tokens FROM request ORDER BY id)"),
                 QStringLiteral("512,300,100,150"));
        QCOMPARE(test::queryText(db, "SELECT group_concat(value) FROM (SELECT s.value FROM request r JOIN stop_reason s "
                                     "ON s.id = r.stop_reason ORDER BY r.id)"),
                 QStringLiteral("stop,FINISH,COMPLETE,end_turn"));
    }

    void otlpConventionsBefore137()
    {
        // gen_ai.system, gen_ai.usage.prompt_tokens/completion_tokens and enduser.id: what most instrumentations still write.
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const ImportSummary s = test::importInto(db, {formatFixture(QStringLiteral("otlp-v1.36.jsonl"))});
        QCOMPARE(readOf(s), (FileRead{QStringLiteral("otlp"), 1, 0}));
        QCOMPARE(test::queryText(db, "SELECT account_id FROM account"), QStringLiteral("cust-3301"));
        QCOMPARE(test::queryInt(db, "SELECT prompt_tokens FROM request"), 57);
        QCOMPARE(test::queryInt(db, "SELECT completion_tokens FROM request"), 21);
        QCOMPARE(test::queryInt(db, "SELECT ts FROM request"), 1769904120002);
        QCOMPARE(test::queryText(db, "SELECT json_extract(ds_text(extra), '$.\"gen_ai.system\"') FROM request_text"),
                 QStringLiteral("openai"));
    }

    void otlpSpansAreRecords()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const ImportSummary s = test::importInto(db, {formatFixture(QStringLiteral("otlp.jsonl"))});
        // One line, four spans: two model calls, one HTTP span skipped, one without a span id quarantined alone.
        QCOMPARE(readOf(s), (FileRead{QStringLiteral("otlp"), 2, 1}));
        QCOMPARE(s.files[0].skipped, 1);
        QCOMPARE(requestSummary(db, 0), QStringLiteral("cust-1842|What is the capital of France?|You are a concise assistant.||0"));
        // No user.id on the span: the resource's. System from the system turns; tools from a JSON string.
        QCOMPARE(requestSummary(db, 1), QStringLiteral("tenant-default|List three primes.|Answer in JSON.|3|2"));
        QCOMPARE(test::queryInt(db, "SELECT ts FROM request ORDER BY id LIMIT 1"), 1769904043143); // nanoseconds as a string
        QCOMPARE(test::queryInt(db, "SELECT ts FROM request ORDER BY id DESC LIMIT 1"), 1769904062500); // as a number
        QCOMPARE(test::queryInt(db, "SELECT completion_tokens FROM request ORDER BY id LIMIT 1"), 19);
        QCOMPARE(test::queryText(db, "SELECT value FROM stop_reason"), QStringLiteral("stop"));
        const QString reason = test::queryText(db, "SELECT reason FROM quarantine");
        QVERIFY2(reason.contains(QLatin1String("record 4 of 4")) && reason.contains(QLatin1String("no request id: spanId")), qPrintable(reason));
        QVERIFY(test::queryText(db, "SELECT CAST(raw AS TEXT) FROM quarantine").startsWith(QLatin1String("{\"traceId\":\"6c9f\",\"spanId\":\"\"")));
        QCOMPARE(test::queryText(db, "SELECT json_extract(ds_text(extra), '$.\"service.name\"') FROM request_text ORDER BY id LIMIT 1"),
                 QStringLiteral("chat-gateway"));
    }

    // One JSON document over many lines: a pretty-printed OTLP request is read whole as its batch line is, a CloudWatch
    // Logs answer as the records its events' messages hold; anything else is refused with the way out.
    void singleDocuments()
    {
        test::ScratchDir dir;
        const QString lines = dir.file(QStringLiteral("lines.sqlite"));
        const QString pretty = dir.file(QStringLiteral("pretty.sqlite"));
        const ImportSummary l = test::importInto(lines, {formatFixture(QStringLiteral("otlp.jsonl"))});
        const ImportSummary p = test::importInto(pretty, {formatFixture(QStringLiteral("otlp-pretty.json"))});
        QCOMPARE(readOf(p), readOf(l));
        QCOMPARE(readOf(p).format, QStringLiteral("otlp"));
        QCOMPARE(p.files[0].format, QStringLiteral("json"));
        QCOMPARE(p.files[0].skipped, l.files[0].skipped);
        for (int n = 0; n < 2; ++n)
            QCOMPARE(requestSummary(pretty, n), requestSummary(lines, n));

        const QString cw = dir.file(QStringLiteral("cw.sqlite"));
        const QString jsonl = dir.file(QStringLiteral("jsonl.sqlite"));
        QCOMPARE(logformats::detectFormat(formatFixture(QStringLiteral("bedrock-cloudwatch.json"))), QStringLiteral("bedrock"));
        const ImportSummary c = test::importInto(cw, {formatFixture(QStringLiteral("bedrock-cloudwatch.json"))});
        QCOMPARE(readOf(c), readOf(test::importInto(jsonl, {formatFixture(QStringLiteral("bedrock.jsonl"))})));
        QCOMPARE(readOf(c), (FileRead{QStringLiteral("bedrock"), 2, 0}));
        for (int n = 0; n < 2; ++n)
            QCOMPARE(requestSummary(cw, n), requestSummary(jsonl, n));
        QCOMPARE(test::queryText(cw, "SELECT group_concat(ts) FROM (SELECT ts FROM request ORDER BY id)"),
                 test::queryText(jsonl, "SELECT group_concat(ts) FROM (SELECT ts FROM request ORDER BY id)"));
        // The same answer on one line (jq -c .), and an event without a message: quarantined alone.
        QFile in(formatFixture(QStringLiteral("bedrock-cloudwatch.json")));
        QVERIFY(in.open(QIODevice::ReadOnly));
        QJsonObject answer = QJsonDocument::fromJson(in.readAll()).object();
        QJsonArray events = answer.value(QStringLiteral("events")).toArray();
        events.append(QJsonObject{{QStringLiteral("timestamp"), qint64(1769904200000)}});
        answer.insert(QStringLiteral("events"), events);
        const QString compact = dir.write(QStringLiteral("c.json"), QJsonDocument(answer).toJson(QJsonDocument::Compact) + "\n");
        const QString one = dir.file(QStringLiteral("one.sqlite"));
        QCOMPARE(readOf(test::importInto(one, {compact})), (FileRead{QStringLiteral("bedrock"), 2, 1}));
        QVERIFY(test::queryText(one, "SELECT reason FROM quarantine").contains(QLatin1String("without a \"message\" string")));

        // A single canonical record, pretty-printed, is a record.
        const QString record = dir.write(QStringLiteral("r.json"), "{\n  \"request_id\": \"r1\",\n  \"account_id\": \"a1\",\n"
                                                                 "  \"timestamp\": 1770000000000\n}\n");
        QCOMPARE(readOf(test::importInto(dir.file(QStringLiteral("r.sqlite")), {record})), (FileRead{QStringLiteral("canonical"), 1, 0}));
        // A document bigger than the record limit is quarantined by its ends, not held.
        ImportProgress progress;
        CancelToken cancel;
        ImportRequest small{dir.file(QStringLiteral("s.sqlite")), {formatFixture(QStringLiteral("otlp-pretty.json"))}, {}};
        small.maxRecordBytes = 1024;
        const ImportSummary big = Importer::run(small, progress, cancel);
        QCOMPARE(readOf(big), (FileRead{QStringLiteral("otlp"), 0, 1}));
        QVERIFY(test::queryText(small.databasePath, "SELECT reason FROM quarantine").contains(QLatin1String("record limit")));
        // Neither: refused, with the jq way out for CloudWatch answers of other logs.
        const QString other = dir.write(QStringLiteral("o.json"), "{\n  \"events\": [\n    {\"message\": \"hello\"}\n  ]\n}\n");
        QString why;
        QVERIFY(logformats::detectFormat(other, &why).isEmpty());
        QVERIFY2(why.contains(QLatin1String("one JSON object over many lines")) && why.contains(QLatin1String("fromjson")), qPrintable(why));
    }

    void forcedFormatAppliesToEveryFile()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        // Forced: a canonical log read as LiteLLM has none of its fields.
        const QString canonical = dir.write(QStringLiteral("c.jsonl"), test::requestJson(QStringLiteral("r1"), QStringLiteral("a1"), 1770000000000) + "\n");
        const ImportSummary s = importAs(db, {formatFixture(QStringLiteral("litellm.jsonl")), canonical}, QStringLiteral("litellm"));
        QCOMPARE(s.files[0].logFormat, QStringLiteral("litellm"));
        QCOMPARE(s.files[0].records, 3);
        QCOMPARE(s.files[1].logFormat, QStringLiteral("litellm"));
        QCOMPARE(s.files[1].quarantined, 1);
        const ImportSummary bad = importAs(db, {canonical}, QStringLiteral("splunk"));
        QVERIFY(bad.error.contains(QLatin1String("not a log format")));
    }

    void mappingExtendsAPreset()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        // The operator's own account choice: the team, then a constant.
        const QString map = dir.write(QStringLiteral("m.json"),
                                      R"({"extends": "litellm", "fields": {"account_id": {"first_of": ["team_id", {"value": "no-team"}]}}})");
        const ImportSummary s = test::importInto(db, {formatFixture(QStringLiteral("litellm.jsonl"))}, map);
        QCOMPARE(s.files[0].logFormat, QStringLiteral("litellm"));
        QCOMPARE(s.files[0].records, 3);
        QCOMPARE(test::queryText(db, "SELECT group_concat(account_id) FROM (SELECT account_id FROM account ORDER BY id)"),
                 QStringLiteral("team-a,no-team"));
        QVERIFY(test::queryText(db, "SELECT mapping FROM source_file").contains(QLatin1String("proxy_server_request")));
        QString error;
        QVERIFY(!FieldMapping::fromJson(R"({"extends": "nosuch", "fields": {}})", &error));
        QVERIFY(error.contains(QLatin1String("not a format")));
    }

    void mappingLanguage()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QString map = dir.write(QStringLiteral("m.json"), R"({"fields": {
            "request_id": "meta.ids[1]",
            "account_id": {"first_of": ["who", "body.user", {"value": "anon"}]},
            "timestamp": {"from": "t", "zone": "+02:00"},
            "prompt": {"from": "body.messages", "pick": "last_user"},
            "prompt_tokens": "usage.in",
            "model": {"value": "m1"}
        }})");
        const QByteArray log =
            "{\"meta\":{\"ids\":[\"x\",\"q1\"]},\"who\":\"u1\",\"t\":\"2026-02-01 02:00:00.5\",\"body\":\"{\\\"messages\\\":[{\\\"role\\\":\\\"user\\\",\\\"content\\\":\\\"hi\\\"}]}\",\"usage\":{\"in\":\"17\"}}\n"
            R"({"meta":{"ids":["x","q2"]},"who":null,"t":"2026-02-01T00:00:01Z","body":{"user":"u2","messages":[]},"usage":{"in":3}})" "\n"
            R"({"meta":{"ids":["x","q3"]},"t":"2026-02-01T00:00:02","body":"not json"})" "\n"
            R"({"meta":{"ids":["x","q4"]},"t":"2026-02-01 01:58:60"})" "\n";
        const ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("x.jsonl"), log)}, map);
        QCOMPARE(readOf(s), (FileRead{QStringLiteral("mapping"), 3, 1})); // one: a second :60 outside 23:59 UTC
        QVERIFY(test::queryText(db, "SELECT reason FROM quarantine").contains(QLatin1String("01:58:60")));
        QCOMPARE(test::queryText(db, "SELECT group_concat(account_id) FROM (SELECT account_id FROM account ORDER BY id)"),
                 QStringLiteral("u1,u2,anon"));
        QCOMPARE(test::queryInt(db, "SELECT ts FROM request ORDER BY id LIMIT 1"), 1769904000500); // 02:00 at +02:00
        QCOMPARE(test::queryInt(db, "SELECT sum(prompt_tokens) FROM request"), 20);
        QCOMPARE(test::queryText(db, "SELECT group_concat(coalesce(prompt, '-')) FROM (SELECT ds_text(prompt) AS prompt FROM request_text ORDER BY id)"),
                 QStringLiteral("hi,-,-"));
        QCOMPARE(test::queryText(db, "SELECT group_concat(value) FROM model"), QStringLiteral("m1"));
    }

    void epochConversions()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QString seconds = dir.write(QStringLiteral("s.json"), R"({"fields": {"timestamp": {"from": "t", "convert": "epoch_s"}}})");
        const QString nanos = dir.write(QStringLiteral("n.json"), R"({"fields": {"timestamp": {"from": "t", "convert": "epoch_ns"}}})");
        const QByteArray s = R"({"request_id":"s1","account_id":"a","t":1769904043.143})" "\n"
                             R"({"request_id":"s2","account_id":"a","t":"1769904043.5"})" "\n";
        const QByteArray n = R"({"request_id":"n1","account_id":"a","t":"1769904043143000000"})" "\n"
                             R"({"request_id":"n2","account_id":"a","t":1769904043144000000})" "\n";
        QCOMPARE(test::importInto(db, {dir.write(QStringLiteral("s.jsonl"), s)}, seconds).files[0].records, 2);
        QCOMPARE(test::importInto(db, {dir.write(QStringLiteral("n.jsonl"), n)}, nanos).files[0].records, 2);
        QCOMPARE(test::queryText(db, "SELECT group_concat(ts) FROM (SELECT ts FROM request ORDER BY id)"),
                 QStringLiteral("1769904043143,1769904043500,1769904043143,1769904043144"));
    }

    void epochConversionsAreExact()
    {
        // A double holds nanoseconds since 1970 only to 256 ns: 1769904043002000000 read as one is ...001999872,
        // a millisecond early, and ...002999999 rounds up to ...003. Digits are converted as digits.
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QString nanos = dir.write(QStringLiteral("n.json"), R"({"fields": {"timestamp": {"from": "t", "convert": "epoch_ns"}}})");
        const QString micros = dir.write(QStringLiteral("u.json"), R"({"fields": {"timestamp": {"from": "t", "convert": "epoch_us"}}})");
        const QString seconds = dir.write(QStringLiteral("s.json"), R"({"fields": {"timestamp": {"from": "t", "convert": "epoch_s"}}})");
        const QByteArray n = R"({"request_id":"n1","account_id":"a","t":"1769904043002000000"})" "\n"
                             R"({"request_id":"n2","account_id":"a","t":1769904043002000000})" "\n"
                             R"({"request_id":"n3","account_id":"a","t":"1769904043002999999"})" "\n";
        const QByteArray u = R"({"request_id":"u1","account_id":"a","t":1769904043002999})" "\n";
        const QByteArray s = R"({"request_id":"s1","account_id":"a","t":"1769904043.002"})" "\n"
                             R"({"request_id":"s2","account_id":"a","t":1769904043.0029})" "\n"
                             R"({"request_id":"s3","account_id":"a","t":"1.769904043e9"})" "\n";
        QCOMPARE(test::importInto(db, {dir.write(QStringLiteral("n.jsonl"), n)}, nanos).files[0].records, 3);
        QCOMPARE(test::importInto(db, {dir.write(QStringLiteral("u.jsonl"), u)}, micros).files[0].records, 1);
        QCOMPARE(test::importInto(db, {dir.write(QStringLiteral("s.jsonl"), s)}, seconds).files[0].records, 3);
        QCOMPARE(test::queryText(db, "SELECT group_concat(ts) FROM (SELECT ts FROM request ORDER BY id)"),
                 QStringLiteral("1769904043002,1769904043002,1769904043002,1769904043002,1769904043002,1769904043002,"
                                "1769904043000"));
        // Exponents fall back to the double (s3 above); signs, overflow and a bare '.' are not decimal digits.
        QCOMPARE(FieldMapping::decimalToEpochMillis("1769904043002000000", Convert::EpochNanos).value(), 1769904043002);
        QVERIFY(!FieldMapping::decimalToEpochMillis("9999999999999999999", Convert::EpochNanos));
        QVERIFY(!FieldMapping::decimalToEpochMillis("-1", Convert::EpochMillis));
        QVERIFY(!FieldMapping::decimalToEpochMillis("12.", Convert::EpochSeconds));
    }

    void rejectsBadNewRules_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");
        QTest::newRow("pick") << QByteArray(R"({"fields": {"prompt": {"from": "m", "pick": "first"}}})") << "unknown pick";
        QTest::newRow("zone") << QByteArray(R"({"fields": {"timestamp": {"from": "t", "zone": "Europe/Paris"}}})") << "zone";
        QTest::newRow("zone on text") << QByteArray(R"({"fields": {"prompt": {"from": "t", "zone": "UTC"}}})") << "applies to timestamp";
        QTest::newRow("prefix with a pick") << QByteArray(R"({"fields": {"account_id": {"from": "m", "pick": "text", "prefix": "x:"}}})") << "prefix";
        QTest::newRow("empty prefix") << QByteArray(R"({"fields": {"account_id": {"from": "m", "prefix": ""}}})") << "prefix";
        QTest::newRow("empty first_of") << QByteArray(R"({"fields": {"prompt": {"first_of": []}}})") << "first_of";
        QTest::newRow("bad index") << QByteArray(R"({"fields": {"prompt": "a[x]"}, "keep": ["b[x]"]})") << "array index";
        QTest::newRow("records") << QByteArray(R"({"fields": {}, "records": "a[]."})") << "ends with";
    }
    void rejectsBadNewRules()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        QString why;
        QVERIFY(!FieldMapping::fromJson(json, &why));
        QVERIFY2(why.contains(error), qPrintable(why));
    }

    void hostileMappingStaysSmall()
    {
        // 200 KB of dotted path: refused in one sentence, no quadratic prefix list (issue 17, item 6).
        QByteArray path;
        for (int i = 0; i < 100000; ++i)
            path += "a.";
        path += "b";
        QString why;
        QVERIFY(!FieldMapping::fromJson("{\"fields\": {\"prompt\": \"" + path + "\"}}", &why));
        QVERIFY2(why.contains(QLatin1String("longer than")), qPrintable(why));
        QByteArray deep = "{\"fields\": {}, \"extends\": \"litellm\"}";
        QVERIFY(FieldMapping::fromJson(deep, &why).has_value());
    }

    void timestampsWithZone()
    {
        using namespace ds::timestamp;
        QCOMPARE(parseWithZone("2026-02-01T00:00:43.143", 0).value(), 1769904043143);
        QCOMPARE(parseWithZone("2026-02-01 00:00:43.143143", 0).value(), 1769904043143);
        QCOMPARE(parseWithZone("2026-02-01 00:00:43", 60).value(), 1769904043000 - 3600000);
        QCOMPARE(parseWithZone("2026-02-01T00:00:43Z", 60).value(), 1769904043000); // its own offset wins
        QVERIFY(!parseWithZone("2026-02-01 00:00", 0));
        QVERIFY(!parseWithZone("2026-02-01 00:00:43 junk", 0));
        // A second :60 only as a leap second (23:59:60 UTC).
        QVERIFY(parseRfc3339("2016-12-31T23:59:60Z"));
        QVERIFY(parseRfc3339("2017-01-01T00:59:60+01:00"));
        QVERIFY(!parseRfc3339("2026-02-01T12:30:60Z"));
        QVERIFY(!parseWithZone("2026-02-01 12:30:60", 0));
    }

    void requestsWithoutRequestIdAreRefused()
    {
        // Issue 17, item 3: a log whose id goes by another name is not an accounts file.
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QString log = dir.write(QStringLiteral("r.jsonl"),
                                      R"({"requestId":"r1","account_id":"a1","timestamp":1770000000000,"prompt":"hi"})" "\n");
        const ImportSummary s = test::importInto(db, {log});
        QCOMPARE(s.files[0].outcome, Outcome::Refused);
        QVERIFY2(s.files[0].message.contains(QLatin1String("no request_id")) && s.files[0].message.contains(QLatin1String("--mapping"))
                     && s.files[0].message.contains(QLatin1String("timestamp")),
                 qPrintable(s.files[0].message));
        // account_id alone is neither kind; with account fields it is an accounts file.
        const ImportSummary bare = test::importInto(db, {dir.write(QStringLiteral("a.csv"), "account_id,note\na1,x\n")});
        QCOMPARE(bare.files[0].outcome, Outcome::Refused);
        QVERIFY(bare.files[0].message.contains(QLatin1String("neither request fields nor account fields")));
        const ImportSummary accounts = test::importInto(db, {dir.write(QStringLiteral("b.csv"), "account_id,tier\na1,pro\n")});
        QCOMPARE(accounts.files[0].outcome, Outcome::Imported);
        QCOMPARE(accounts.files[0].kind, RecordKind::Accounts);
    }

    void duplicateKeysAndBlankIds()
    {
        // Issue 17, item 14: a key given twice, or a CSV column named twice, is never "last wins".
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QByteArray log = R"({"request_id":"r1","account_id":"a1","account_id":"a2","timestamp":1770000000000})" "\n"
                               R"({"request_id":"   ","account_id":"a1","timestamp":1770000000000})" "\n"
                               R"({"request_id":"r3","account_id":"a1","timestamp":1770000000000})" "\n";
        const ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("d.jsonl"), log)});
        QCOMPARE(s.files[0].records, 1);
        QCOMPARE(s.files[0].quarantined, 2);
        QVERIFY(test::queryText(db, "SELECT reason FROM quarantine ORDER BY line LIMIT 1").contains(QLatin1String("\"account_id\" appears twice")));
        QVERIFY(test::queryText(db, "SELECT reason FROM quarantine ORDER BY line DESC LIMIT 1").contains(QLatin1String("request_id")));
        const ImportSummary csv = test::importInto(db, {dir.write(QStringLiteral("d.csv"), "request_id,account_id,timestamp,account_id\nr9,a,1770000000000,b\n")});
        QCOMPARE(csv.files[0].outcome, Outcome::Refused);
        QVERIFY2(csv.files[0].message.contains(QLatin1String("\"account_id\" twice")), qPrintable(csv.files[0].message));
    }

    void cliPrintsFormatsAndNamesThem()
    {
        const test::CliResult printed = test::runCli({QStringLiteral("import"), QStringLiteral("--print-format"), QStringLiteral("helicone")});
        QCOMPARE(printed.exitCode, 0);
        QString error;
        const auto m = FieldMapping::fromJson(printed.out, &error);
        QVERIFY2(m.has_value(), qPrintable(error));
        QCOMPARE(m->formatName(), QStringLiteral("helicone"));
        QCOMPARE(test::runCli({QStringLiteral("import"), QStringLiteral("--print-format"), QStringLiteral("nope")}).exitCode, 2);

        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QString map = dir.write(QStringLiteral("m.json"), R"({"extends": "otlp", "fields": {}})");
        const test::CliResult both = test::runCli({QStringLiteral("import"), QStringLiteral("--db"), db, QStringLiteral("--format"),
                                                   QStringLiteral("otlp"), QStringLiteral("--mapping"), map, formatFixture(QStringLiteral("otlp.jsonl"))});
        QCOMPARE(both.exitCode, 2);
        QVERIFY(both.err.contains("not both"));
        QCOMPARE(test::runCli({QStringLiteral("scan"), QStringLiteral("--json"), dir.file(QStringLiteral("o.json")), QStringLiteral("--format"),
                               QStringLiteral("otlp"), QStringLiteral("--mapping"), map, formatFixture(QStringLiteral("otlp.jsonl"))})
                     .exitCode,
                 2);

        const test::CliResult r = test::runCli({QStringLiteral("import"), QStringLiteral("--db"), db, QStringLiteral("--json"),
                                                formatFixture(QStringLiteral("otlp.jsonl")), formatFixture(QStringLiteral("bedrock.jsonl"))});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray files = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("files")).toArray();
        QCOMPARE(files.size(), 2);
        QCOMPARE(files[0].toObject().value(QStringLiteral("format")).toString(), QStringLiteral("otlp"));
        QCOMPARE(files[0].toObject().value(QStringLiteral("records")).toInt(), 2); // spans
        QCOMPARE(files[0].toObject().value(QStringLiteral("skipped")).toInt(), 1);
        QCOMPARE(files[1].toObject().value(QStringLiteral("format")).toString(), QStringLiteral("bedrock"));
    }
};

QTEST_GUILESS_MAIN(TestLogFormats)
#include "tst_logformats.moc"
