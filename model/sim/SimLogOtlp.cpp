// OpenTelemetry GenAI spans in OTLP/JSON, as the collector's file exporter writes them: one
// ExportTraceServiceRequest per line ({resourceSpans:[{resource, scopeSpans:[{scope, spans:[...]}]}]}), many spans
// per line. Shape from opentelemetry-proto (trace.proto and the OTLP/JSON encoding rules: lowerCamelCase field
// names, traceId/spanId as hex, 64-bit integers such as startTimeUnixNano and intValue as decimal strings, enums as
// numbers, attributes as [{key, value:{stringValue|intValue|arrayValue}}]) and from the GenAI semantic conventions
// (gen_ai.operation.name, gen_ai.provider.name, gen_ai.request.model, gen_ai.request.max_tokens,
// gen_ai.response.id, gen_ai.response.finish_reasons, gen_ai.usage.input_tokens/output_tokens,
// gen_ai.input.messages and gen_ai.system_instructions as JSON strings of parts, gen_ai.tool.definitions) plus the
// general user.id, client.address, user_agent.original, server.address and error.type. No API key attribute exists.
#include "core/JsonText.h"
#include "sim/SimLogFormat.h"
#include "sim/SimLogMessages.h"

namespace ds {

namespace {

class OtlpLogFormat final : public SimLogFormat
{
public:
    const char* name() const override { return "otlp"; }

    void append(std::string& out, const SimLogRecord& r, const SimLogTurns& t) override
    {
        // The batch processor sends when the batch is full or its timer fires: lines of varying span counts.
        if (m_spans > 0 && (m_spans >= m_batchTarget || r.ts - m_batchStart > 5000))
            flush(out);
        if (m_spans == 0) {
            m_batchStart = r.ts;
            m_batchTarget = 20 + static_cast<int>(simLogHash(r.requestId, 51) % 100);
        }
        // Two gateway instances, each its own resource in the same export request.
        const int instance = static_cast<int>(simLogHash(r.requestId, 52) & 1);
        std::string& spans = m_instance[instance];
        if (!spans.empty())
            spans += ',';
        appendSpan(spans, r, t);
        ++m_spans;
    }

    void finish(std::string& out) override
    {
        if (m_spans > 0)
            flush(out);
    }

private:
    void flush(std::string& out)
    {
        out += R"({"resourceSpans":[)";
        bool first = true;
        for (int i = 0; i < 2; ++i) {
            if (m_instance[i].empty())
                continue;
            if (!first)
                out += ',';
            first = false;
            out += R"({"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"llm-gateway"}},)"
                   R"({"key":"service.instance.id","value":{"stringValue":"gateway-)";
            out += static_cast<char>('a' + i);
            out += R"("}},{"key":"telemetry.sdk.language","value":{"stringValue":"python"}},)"
                   R"({"key":"telemetry.sdk.name","value":{"stringValue":"opentelemetry"}}]},)"
                   R"("scopeSpans":[{"scope":{"name":"opentelemetry.instrumentation.anthropic","version":"0.47.1"},)"
                   R"("spans":[)";
            out += m_instance[i];
            out += "]}]}";
            m_instance[i].clear();
        }
        out += "]}\n";
        m_spans = 0;
    }

    static void stringAttr(std::string& out, std::string_view key, std::string_view value)
    {
        out += R"(,{"key":")";
        out += key;
        out += R"(","value":{"stringValue":)";
        appendJsonString(out, value);
        out += "}}";
    }

    static void intAttr(std::string& out, std::string_view key, std::int64_t value)
    {
        out += R"(,{"key":")";
        out += key;
        out += R"(","value":{"intValue":")";
        simAppendInt(out, value);
        out += "\"}}";
    }

    static void nanos(std::string& out, std::string_view key, std::int64_t ms)
    {
        simAppendKey(out, key);
        out += '"';
        simAppendInt(out, ms);
        out += "000000\"";
    }

    void appendSpan(std::string& out, const SimLogRecord& r, const SimLogTurns& t)
    {
        const bool ok = r.status == 200;
        out += R"({"traceId":")";
        simAppendHexId(out, r.requestId, 53, 16);
        out += R"(","spanId":")";
        simAppendHexId(out, r.requestId, 54, 8);
        out += R"(","name":)";
        appendJsonString(out, "chat " + r.model);
        out += R"(,"kind":3)";
        nanos(out, "startTimeUnixNano", r.ts);
        nanos(out, "endTimeUnixNano", r.ts + r.latencyMs);
        out += R"(,"attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}})";
        stringAttr(out, "gen_ai.provider.name", "anthropic");
        stringAttr(out, "gen_ai.request.model", r.model);
        intAttr(out, "gen_ai.request.max_tokens", r.maxTokens);
        stringAttr(out, "server.address", "api.anthropic.com");
        intAttr(out, "server.port", 443);
        stringAttr(out, "gen_ai.response.id", r.requestId);
        if (ok) {
            stringAttr(out, "gen_ai.response.model", r.model);
            out += R"(,{"key":"gen_ai.response.finish_reasons","value":{"arrayValue":{"values":[{"stringValue":)";
            appendJsonString(out, r.stopReason.empty() ? "end_turn" : r.stopReason);
            out += "}]}}}";
            intAttr(out, "gen_ai.usage.input_tokens", r.promptTokens);
            intAttr(out, "gen_ai.usage.output_tokens", r.completionTokens);
        } else {
            stringAttr(out, "error.type", std::to_string(r.status));
        }
        stringAttr(out, "user.id", r.accountId);
        if (!r.ip.empty())
            stringAttr(out, "client.address", r.ip);
        if (!r.userAgent.empty())
            stringAttr(out, "user_agent.original", r.userAgent);
        if (!r.systemPrompt.empty()) {
            m_json.clear();
            simAppendOtelSystem(m_json, r);
            stringAttr(out, "gen_ai.system_instructions", m_json);
        }
        m_json.clear();
        simAppendOtelMessages(m_json, r, t);
        stringAttr(out, "gen_ai.input.messages", m_json);
        if (!r.tools.empty()) {
            m_json.clear();
            simAppendOtelTools(m_json, r);
            stringAttr(out, "gen_ai.tool.definitions", m_json);
        }
        out += R"(],"status":)";
        if (ok) {
            out += "{}";
        } else {
            out += R"({"code":2,"message":"HTTP )";
            simAppendInt(out, r.status);
            out += "\"}";
        }
        out += '}';
    }

    std::string m_instance[2];
    std::string m_json;
    int m_spans = 0;
    int m_batchTarget = 0;
    std::int64_t m_batchStart = 0;
};

} // namespace

std::unique_ptr<SimLogFormat> makeOtlpLogFormat()
{
    return std::make_unique<OtlpLogFormat>();
}

} // namespace ds
