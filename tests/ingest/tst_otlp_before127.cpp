#include "FormatFixtures.h"
#include "TestSupport.h"
#include "ingest/FieldMapping.h"
#include "ingest/ImportTypes.h"
#include "ingest/Importer.h"
#include "ingest/OtelValues.h"

#include <QTest>

#include <cstring>
#include <string>

using namespace ds;
using ds::test::formatFixture;

namespace {

// "account|prompt|system|turns|in/out|stop|ts" of every request, by id.
QString requests(const QString& db)
{
    return test::queryText(db, "SELECT group_concat(s, ';') FROM (SELECT a.account_id || '|' || coalesce(ds_text(t.prompt), '') "
                               "|| '|' || coalesce((SELECT value FROM system_prompt p WHERE p.id = r.system_prompt), '') || '|' "
                               "|| coalesce(json_extract(ds_text(t.extra), '$.turns'), '') || '|' || coalesce(r.prompt_tokens, '') "
                               "|| '/' || coalesce(r.completion_tokens, '') || '|' "
                               "|| coalesce((SELECT value FROM stop_reason x WHERE x.id = r.stop_reason), '') || '|' || r.ts "
                               "AS s FROM request r JOIN account a ON a.id = r.account JOIN request_text t ON t.id = r.id ORDER BY r.id)");
}

// One OTLP line of one span with these attributes (JSON text of the list).
QByteArray spanLine(const QByteArray& attributes, const QByteArray& events = "[]")
{
    return R"({"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"spans":[{"traceId":"ab","spanId":"s1",)"
           R"("startTimeUnixNano":"1769905000000000000","attributes":)"
           + attributes + R"(,"events":)" + events + "}]}]}]}\n";
}

QByteArray attr(const char* key, const QByteArray& value) { return "{\"key\":\"" + QByteArray(key) + "\",\"value\":{\"stringValue\":" + value + "}}"; }

} // namespace

// OpenTelemetry GenAI spans written before the semantic conventions 1.27: the prompt as the span event
// gen_ai.content.prompt (conventions 1.24 to 1.26), or as numbered attributes gen_ai.prompt.N.* (OpenLLMetry).
class TestOtlpBefore127 : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fixtureSpansAreRequests()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const ImportSummary s = test::importInto(db, {formatFixture(QStringLiteral("otlp-before-1.27.jsonl"))});
        QCOMPARE(s.files[0].logFormat, QStringLiteral("otlp"));
        QCOMPARE(s.files[0].records, 2);
        QCOMPARE(s.files[0].skipped, 1); // OpenLLMetry's workflow span: no model call
        QCOMPARE(s.files[0].quarantined, 0);
        // OpenLLMetry: llm.user; the last user turn's parts (the image adds no text); the user and assistant turns
        // before it; the completion's finish reason. The 1.26 event: OpenAI messages in a JSON string.
        QCOMPARE(requests(db), QStringLiteral("cust-5120|What is in this image?|You are a helpful assistant.|2|31/9|stop|1769905000123;"
                                              "cust-7781|What is the capital of France?|Answer in one word.|0|22/2|stop|1769905002250"));
        QCOMPARE(test::queryText(db, "SELECT group_concat(value) FROM (SELECT m.value FROM request r JOIN model m ON m.id = r.model ORDER BY r.id)"),
                 QStringLiteral("gpt-4o,gpt-4"));
        QCOMPARE(test::queryText(db, "SELECT group_concat(max_tokens) FROM (SELECT max_tokens FROM request ORDER BY id)"),
                 QStringLiteral("300,50"));
    }

    void numberedToolDefinitionsAreToolsOffered()
    {
        // OpenLLMetry's llm.request.functions.N.* and AgentOps's gen_ai.request.functions.N.*: one tool per N, the
        // parameters' JSON string written as that JSON; a span without them offers none.
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const ImportSummary s = test::importInto(db, {formatFixture(QStringLiteral("otlp-openllmetry-tools.jsonl"))});
        QCOMPARE(s.files[0].logFormat, QStringLiteral("otlp"));
        QCOMPARE(s.files[0].records, 3);
        QCOMPARE(s.files[0].quarantined, 0);
        QCOMPARE(test::queryText(db, "SELECT group_concat(s, ';') FROM (SELECT a.account_id || '|' || coalesce(r.tool_count, '') "
                                     "|| '|' || coalesce(ds_text(t.prompt), '') AS s FROM request r JOIN account a ON a.id = r.account "
                                     "JOIN request_text t ON t.id = r.id ORDER BY r.ts)"),
                 QStringLiteral("cust-3001|2|What is the weather in Lisbon?;cust-3002|2|Find papers on sparse attention;cust-3001||Thanks!"));
        QCOMPARE(test::queryText(db, "SELECT ds_text(t.tools) FROM request r JOIN request_text t ON t.id = r.id ORDER BY r.ts LIMIT 1"),
                 QStringLiteral(R"([{"description":"Current weather for a city","name":"get_weather","parameters":{"type":"object",)"
                                R"("properties":{"city":{"type":"string","description":"City name"}},"required":["city"]}},)"
                                R"({"description":"Local time in a time zone","name":"get_time","parameters":{"type":"object",)"
                                R"("properties":{"tz":{"type":"string"}}}}])"));
        QCOMPARE(test::queryText(db, "SELECT ds_text(t.tools) FROM request r JOIN request_text t ON t.id = r.id ORDER BY r.ts LIMIT 1 OFFSET 1"),
                 QStringLiteral(R"([{"description":"Search the web","name":"web_search","parameters":{"type":"object",)"
                                R"("properties":{"query":{"type":"string"}},"required":["query"]}},)"
                                R"({"description":"Is the service up","name":"ping","parameters":"null"}])"));
    }

    void numberedToolsHelper()
    {
        // Any order, gaps, a repeated field (the first wins), keys that are not PREFIX.N.FIELD.
        simdjson::dom::parser parser;
        const char* json = R"([{"key":"f.3.name","value":{"stringValue":"c"}},{"key":"f.0.name","value":{"stringValue":"a"}},
                               {"key":"f.3.name","value":{"stringValue":"again"}},{"key":"f.0.description","value":{"intValue":"7"}},
                               {"key":"f.0.","value":{"stringValue":"x"}},{"key":"f.x.name","value":{"stringValue":"x"}},
                               {"key":"fx.1.name","value":{"stringValue":"x"}},{"key":"f.1"},{"value":{}},"text"])";
        simdjson::dom::element doc;
        QVERIFY(parser.parse(json, std::strlen(json)).get(doc) == simdjson::SUCCESS);
        std::vector<otel::IndexedField> out;
        QCOMPARE(otel::indexedFields(doc.get_array().value_unsafe(), "f", out), std::size_t(2));
        QCOMPARE(out.size(), std::size_t(3));
        QCOMPARE(out[0].index, 0u);
        QCOMPARE(out[0].field, std::string_view("description"));
        QCOMPARE(out[1].field, std::string_view("name"));
        QCOMPARE(out[2].index, 3u);
        QCOMPARE(out[2].value.get_string().value_unsafe(), std::string_view("c"));
        // More numbers than kept: the lowest kMaxMessages.
        std::string many = "[";
        for (std::size_t i = otel::kMaxMessages + 5; i-- > 0;)
            many += "{\"key\":\"f." + std::to_string(i) + ".name\",\"value\":{\"stringValue\":\"t\"}}" + (i ? "," : "]");
        QVERIFY(parser.parse(many).get(doc) == simdjson::SUCCESS);
        QCOMPARE(otel::indexedFields(doc.get_array().value_unsafe(), "f", out), otel::kMaxMessages);
        QCOMPARE(out.back().index, static_cast<std::uint32_t>(otel::kMaxMessages - 1));
    }

    void numberedMessagesInAnyOrder()
    {
        // Attributes are a list, not a map: nothing promises the numbers come in order, or that role precedes content.
        test::ScratchDir dir;
        const QByteArray attrs = "[" + attr("gen_ai.system", "\"anthropic\"") + "," + attr("enduser.id", "\"u9\"") + ","
                               + attr("gen_ai.prompt.10.content", "\"tenth\"") + "," + attr("gen_ai.prompt.10.role", "\"user\"") + ","
                               + attr("gen_ai.prompt.2.role", "\"user\"") + "," + attr("gen_ai.prompt.2.content", "\"second\"") + ","
                               + attr("gen_ai.prompt.1.content", "\"rule one\"") + "," + attr("gen_ai.prompt.1.role", "\"system\"") + ","
                               + attr("gen_ai.prompt.0.role", "\"system\"") + "," + attr("gen_ai.prompt.0.content", "\"rule zero\"") + ","
                               + attr("gen_ai.prompt.x.role", "\"user\"") + "," + attr("gen_ai.prompt.3", "\"no field\"") + ","
                               + attr("gen_ai.promptx.4.role", "\"user\"") + "]";
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("o.jsonl"), spanLine(attrs))});
        QCOMPARE(s.files[0].records, 1);
        QCOMPARE(requests(db), QStringLiteral("u9|tenth|rule zero\n\nrule one|1|/||1769905000000"));
    }

    void promptsThatAreJsonText()
    {
        // A content of parts is a JSON string of the list; a prompt that is itself JSON text stays the user's text.
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QByteArray attrs = "[" + attr("gen_ai.system", "\"openai\"") + "," + attr("llm.user", "\"u3\"") + ","
                               + attr("gen_ai.prompt.0.role", "\"user\"") + ","
                               + attr("gen_ai.prompt.0.content", "\"{\\\"task\\\": \\\"sum\\\", \\\"xs\\\": [1, 2]}\"") + "]";
        QCOMPARE(test::importInto(db, {dir.write(QStringLiteral("a.jsonl"), spanLine(attrs))}).files[0].records, 1);
        const QByteArray list = "[" + attr("gen_ai.system", "\"openai\"") + "," + attr("llm.user", "\"u3\"") + ","
                              + attr("gen_ai.prompt.0.role", "\"user\"") + "," + attr("gen_ai.prompt.0.content", "\"[3, 4]\"") + "]";
        QCOMPARE(test::importInto(db, {dir.write(QStringLiteral("b.jsonl"), spanLine(list).replace("\"s1\"", "\"s2\""))}).files[0].records, 1);
        QCOMPARE(test::queryText(db, "SELECT group_concat(p, ';') FROM (SELECT ds_text(prompt) AS p FROM request_text ORDER BY id)"),
                 QStringLiteral("{\"task\": \"sum\", \"xs\": [1, 2]};[3, 4]"));
    }

    void eventWithoutUserTurnAndNoContent()
    {
        // Content capture off (the default of most instrumentations): the span is still a request, without a prompt.
        test::ScratchDir dir;
        const QByteArray noContent = "[" + attr("gen_ai.system", "\"openai\"") + "," + attr("enduser.id", "\"u1\"") + "]";
        const QByteArray events = R"([{"name":"gen_ai.content.prompt","attributes":[)" + attr("gen_ai.prompt", "\"[{\\\"role\\\":\\\"system\\\",\\\"content\\\":\\\"only rules\\\"}]\"") + "]}]";
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        QCOMPARE(test::importInto(db, {dir.write(QStringLiteral("a.jsonl"), spanLine(noContent))}).files[0].records, 1);
        const QByteArray second = spanLine(noContent, events).replace("\"s1\"", "\"s2\"");
        QCOMPARE(test::importInto(db, {dir.write(QStringLiteral("b.jsonl"), second)}).files[0].records, 1);
        QCOMPARE(requests(db), QStringLiteral("u1||||/||1769905000000;u1||only rules||/||1769905000000"));
    }

    void indexedMessagesHelper()
    {
        simdjson::dom::parser parser;
        const char* json = R"([{"key":"p.1.role","value":{"stringValue":"user"}},{"key":"p.0.content","value":{"stringValue":"a"}},
                               {"key":"p.1.content","value":{"intValue":"7"}},{"key":"p.4294967296.role","value":{"stringValue":"x"}},
                               {"key":"p.0.role","value":{"stringValue":"system"}},{"key":"p.0.role","value":{"stringValue":"again"}},
                               {"key":"p..role","value":{"stringValue":"x"}},{"key":7},{"value":{}},"text"])";
        simdjson::dom::element doc;
        QVERIFY(parser.parse(json, std::strlen(json)).get(doc) == simdjson::SUCCESS);
        std::vector<otel::IndexedMessage> out;
        otel::indexedMessages(doc.get_array().value_unsafe(), "p", out);
        QCOMPARE(out.size(), std::size_t(2));
        QCOMPARE(out[0].index, 0u);
        QCOMPARE(out[0].role, std::string_view("system")); // the first role given wins
        QCOMPARE(out[0].content.get_string().value_unsafe(), std::string_view("a"));
        QCOMPARE(out[1].role, std::string_view("user"));
        QVERIFY(out[1].hasContent && out[1].content.is_string()); // "7": an intValue as its string
    }

    void mappingLanguageForOldSpans()
    {
        QString error;
        // "indexed" needs a pick from messages; "where" takes one path or first_of.
        const QByteArray json1 = R"({"fields": {"prompt": {"from": "attributes", "indexed": "gen_ai.prompt"}}})";
        QVERIFY(!FieldMapping::fromJson(json1, &error));
        QVERIFY2(error.contains(QLatin1String("indexed")), qPrintable(error));
        const QByteArray json2 = R"({"fields": {"prompt": {"from": "a", "indexed": "", "pick": "last_user"}}})";
        QVERIFY(!FieldMapping::fromJson(json2, &error));
        const QByteArray json3 = R"({"fields": {"prompt": {"from": "a", "indexed": "p", "pick": "system"}}})";
        QVERIFY(FieldMapping::fromJson(json3, &error));
        // Numbered objects without a pick: the tools offered only.
        QVERIFY(FieldMapping::fromJson(R"({"fields": {"tools": {"from": "attributes", "indexed": "llm.request.functions"}}})", &error));
        QVERIFY(!FieldMapping::fromJson(R"({"fields": {"model": {"from": "attributes", "indexed": "llm.request.functions"}}})", &error));
        QVERIFY2(error.contains(QLatin1String("for tools")), qPrintable(error));
        const QByteArray json4 = R"({"where": {"first_of": ["a", "b{c}"]}, "fields": {"request_id": "id"}})";
        const auto m = FieldMapping::fromJson(json4, &error);
        QVERIFY2(m, qPrintable(error));
        QCOMPARE(m->where()->paths.size(), std::size_t(2));
        const QByteArray json5 = R"({"where": {"first_of": []}, "fields": {}})";
        QVERIFY(!FieldMapping::fromJson(json5, &error));
        const QByteArray json6 = R"({"where": {"first_of": ["a."]}, "fields": {}})";
        QVERIFY(!FieldMapping::fromJson(json6, &error));
    }
};

QTEST_GUILESS_MAIN(TestOtlpBefore127)
#include "tst_otlp_before127.moc"
