// Langfuse v3 blob-storage export, enriched observations (observations_v2/, JSONL): one observation per line with
// its trace's fields. Shape from Langfuse's blob export field reference and its ClickHouse `observations` export
// query (id, trace_id, project_id, environment, type, parent_observation_id, start_time, end_time, name, metadata,
// level, status_message, version, input, output, provided_model_name, model_parameters, usage_details,
// cost_details, completion_start_time, prompt_name, prompt_version; enriched rows add user_id, session_id,
// trace_name, tags, release). Timestamps are UTC "YYYY-MM-DD HH:MM:SS.ffffff"; `input` is the generation's input
// serialised to a JSON string (the messages array, or {messages, tools} when tools were offered, as the OpenAI
// integration records it). No client address, user agent or API key.
#include "core/JsonText.h"
#include "sim/SimLogFormat.h"
#include "sim/SimLogMessages.h"

namespace ds {

namespace {

class LangfuseLogFormat final : public SimLogFormat
{
public:
    const char* name() const override { return "langfuse"; }

    void append(std::string& out, const SimLogRecord& r, const SimLogTurns& t) override
    {
        const bool ok = r.status == 200;
        out += R"({"id":")";
        simAppendUuid(out, r.requestId, 31);
        out += R"(","trace_id":")";
        simAppendHexId(out, r.requestId, 32, 16);
        out += R"(","project_id":"cm4x2project0prod","environment":"production","type":"GENERATION",)"
               R"("parent_observation_id":null)";
        dateTime(out, "start_time", r.ts);
        dateTime(out, "end_time", r.ts + r.latencyMs);
        out += R"(,"name":"anthropic-chat","metadata":{)";
        if (!r.orgId.empty()) {
            out += R"("tenant_id":)";
            appendJsonString(out, r.orgId);
        }
        out += R"(},"level":)";
        out += ok ? "\"DEFAULT\",\"status_message\":null" : "\"ERROR\",\"status_message\":";
        if (!ok) {
            out += "\"HTTP ";
            simAppendInt(out, r.status);
            out += '"';
        }
        out += R"(,"version":null,"input":)";
        m_input.clear();
        if (r.tools.empty()) {
            simAppendOpenAiMessages(m_input, r, t, simLogShapeFor(r));
        } else {
            m_input += "{\"messages\":";
            simAppendOpenAiMessages(m_input, r, t, simLogShapeFor(r));
            m_input += ",\"tools\":";
            simAppendOpenAiTools(m_input, r);
            m_input += '}';
        }
        appendJsonString(out, m_input);
        out += R"(,"output":)";
        out += ok ? R"("{\"role\":\"assistant\",\"content\":\"\"}")" : "null";
        simAppendKey(out, "provided_model_name");
        appendJsonString(out, r.model);
        out += R"(,"model_parameters":{"max_tokens":")";
        simAppendInt(out, r.maxTokens);
        out += R"("},"usage_details":{)";
        if (ok) {
            out += "\"input\":";
            simAppendInt(out, r.promptTokens);
            out += ",\"output\":";
            simAppendInt(out, r.completionTokens);
            out += ",\"total\":";
            simAppendInt(out, r.promptTokens + r.completionTokens);
        }
        out += R"(},"cost_details":{})";
        if (ok) {
            dateTime(out, "completion_start_time", r.ts + r.latencyMs / 4);
        } else {
            out += R"(,"completion_start_time":null)";
        }
        out += R"(,"prompt_name":null,"prompt_version":null,"user_id":)";
        appendJsonString(out, r.accountId);
        out += R"(,"session_id":")";
        simAppendUuid(out, r.accountId, 33);
        out += R"(","trace_name":"chat","tags":[],"release":null})";
        out += '\n';
    }

private:
    static void dateTime(std::string& out, std::string_view key, std::int64_t ms)
    {
        simAppendKey(out, key);
        out += '"';
        simAppendDateTime(out, ms, ' ', 6);
        out += '"';
    }

    std::string m_input;
};

} // namespace

std::unique_ptr<SimLogFormat> makeLangfuseLogFormat()
{
    return std::make_unique<LangfuseLogFormat>();
}

} // namespace ds
