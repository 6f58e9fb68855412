// LiteLLM proxy spend logs: one `LiteLLM_SpendLogs` row per line, as PostgreSQL's row_to_json (or the proxy's
// /spend/logs API) prints it. Shape from LiteLLM's schema.prisma and migrations (model LiteLLM_SpendLogs: request_id,
// call_type, api_key, spend, total_tokens, prompt_tokens, completion_tokens, startTime/endTime/completionStartTime
// as TIMESTAMP(3) without zone, model, model_group, custom_llm_provider, api_base, user, metadata JSONB,
// cache_hit, cache_key, request_tags, team_id, end_user, requester_ip_address, messages JSONB,
// response JSONB, session_id, status, proxy_server_request JSONB) and from the proxy's spend_tracking_utils.py
// (api_key is the SHA-256 hex of the virtual key; metadata keeps user_api_key*, requester_ip_address and, for
// failures, error_information). Prompts are stored with store_prompts_in_spend_logs on: `messages` in OpenAI
// format, the client's body in `proxy_server_request`. No user agent is logged.
#include "core/JsonText.h"
#include "sim/SimLogFormat.h"
#include "sim/SimLogMessages.h"

#include <QCryptographicHash>
#include <charconv>

namespace ds {

namespace {

class LiteLlmLogFormat final : public SimLogFormat
{
public:
    const char* name() const override { return "litellm"; }

    void append(std::string& out, const SimLogRecord& r, const SimLogTurns& t) override
    {
        // Two accounts in five are the gateway's end users (the `user` field of the request, logged as end_user)
        // behind the proxy's own user; the others own their virtual key.
        const bool viaEndUser = simLogHash(r.accountId, 5) % 5 < 2;
        const std::string_view user = viaEndUser ? std::string_view("default_user_id") : r.accountId;
        const std::string_view endUser = viaEndUser ? std::string_view(r.accountId) : std::string_view();
        const bool ok = r.status == 200;
        const SimLogShape shape = simLogShapeFor(r);

        keyHash(r.apiKeyId.empty() ? r.accountId : r.apiKeyId);
        m_messages.clear();
        simAppendOpenAiMessages(m_messages, r, t, shape);

        out += "{\"request_id\":\"chatcmpl-";
        simAppendUuid(out, r.requestId, 1);
        out += R"(","call_type":"acompletion","api_key":)";
        appendJsonString(out, m_keyHash);
        simAppendKey(out, "spend");
        appendDouble(out,
                     ok ? static_cast<double>(r.promptTokens) * 3e-6 + static_cast<double>(r.completionTokens) * 15e-6
                        : 0.0);
        simAppendKey(out, "total_tokens");
        simAppendInt(out, r.promptTokens + r.completionTokens);
        simAppendKey(out, "prompt_tokens");
        simAppendInt(out, r.promptTokens);
        simAppendKey(out, "completion_tokens");
        simAppendInt(out, r.completionTokens);
        timestamp(out, "startTime", r.ts);
        timestamp(out, "endTime", r.ts + r.latencyMs);
        timestamp(out, "completionStartTime", r.ts + r.latencyMs / 4);
        simAppendKey(out, "model");
        appendJsonString(out, r.model);
        simAppendKey(out, "model_id");
        out += '"';
        simAppendHexId(out, r.model, 2, 32);
        out += '"';
        simAppendKey(out, "model_group");
        appendJsonString(out, r.model);
        out += R"(,"custom_llm_provider":"anthropic","api_base":"https://api.anthropic.com/v1/messages","user":)";
        appendJsonString(out, user);
        out += R"(,"metadata":{"user_api_key":)";
        appendJsonString(out, m_keyHash);
        out += R"(,"user_api_key_alias":null,"user_api_key_team_id":)";
        nullable(out, r.orgId);
        out += R"(,"user_api_key_user_id":)";
        appendJsonString(out, user);
        out += R"(,"user_api_key_team_alias":null,"spend_logs_metadata":null,"requester_ip_address":)";
        appendJsonString(out, r.ip);
        out += R"(,"additional_usage_values":{"cache_creation_input_tokens":0,"cache_read_input_tokens":0})";
        if (!ok) {
            out += R"(,"error_information":{"error_code":")";
            simAppendInt(out, r.status);
            out += R"(","error_class":)";
            appendJsonString(out, r.status == 429 ? "RateLimitError" : "APIError");
            out += R"(,"llm_provider":"anthropic","error_message":"litellm.APIError: AnthropicException"})";
        }
        out += R"(},"cache_hit":"False","cache_key":"Cache OFF","request_tags":[],"team_id":)";
        nullable(out, r.orgId);
        simAppendKey(out, "end_user");
        appendJsonString(out, endUser);
        simAppendKey(out, "requester_ip_address");
        appendJsonString(out, r.ip);
        simAppendKey(out, "messages");
        out += m_messages;
        simAppendKey(out, "response");
        if (ok) {
            out += R"({"id":"chatcmpl-)";
            simAppendUuid(out, r.requestId, 1);
            out += R"(","object":"chat.completion","model":)";
            appendJsonString(out, r.model);
            out += R"(,"choices":[{"index":0,"finish_reason":")";
            out += simOpenAiFinishReason(r);
            out += R"("}],"usage":{"prompt_tokens":)";
            simAppendInt(out, r.promptTokens);
            out += R"(,"completion_tokens":)";
            simAppendInt(out, r.completionTokens);
            out += "}}";
        } else {
            out += "{}";
        }
        simAppendKey(out, "session_id");
        out += '"';
        simAppendUuid(out, r.accountId, 9);
        out += '"';
        simAppendKey(out, "status");
        out += ok ? "\"success\"" : "\"failure\"";
        simAppendKey(out, "proxy_server_request");
        out += R"({"model":)";
        appendJsonString(out, r.model);
        out += R"(,"messages":)";
        out += m_messages;
        out += R"(,"max_tokens":)";
        simAppendInt(out, r.maxTokens);
        if (!r.tools.empty()) {
            out += R"(,"tools":)";
            simAppendOpenAiTools(out, r);
        }
        if (!endUser.empty()) {
            out += R"(,"user":)";
            appendJsonString(out, endUser);
        }
        out += '}';
        simAppendKey(out, "request_duration_ms");
        simAppendInt(out, r.latencyMs);
        out += "}\n";
    }

private:
    // LiteLLM stores hash_token(key): SHA-256 hex of the "sk-..." virtual key, never the key itself.
    void keyHash(const std::string& keyId)
    {
        if (keyId == m_lastKeyId)
            return;
        m_lastKeyId = keyId;
        const QByteArray token = "sk-" + QByteArray::fromStdString(keyId);
        m_keyHash = QCryptographicHash::hash(token, QCryptographicHash::Sha256).toHex().toStdString();
    }

    static void timestamp(std::string& out, std::string_view key, std::int64_t ms)
    {
        // row_to_json prints TIMESTAMP(3) as ISO 8601 without a zone: "2026-02-01T00:00:43.143".
        simAppendKey(out, key);
        out += '"';
        simAppendDateTime(out, ms, 'T', 3);
        out += '"';
    }

    static void nullable(std::string& out, const std::string& v)
    {
        if (v.empty())
            out += "null";
        else
            appendJsonString(out, v);
    }

    static void appendDouble(std::string& out, double v)
    {
        char buf[32];
        const auto res = std::to_chars(buf, buf + sizeof buf, v);
        out.append(buf, res.ptr);
    }

    std::string m_lastKeyId;
    std::string m_keyHash;
    std::string m_messages;
};

} // namespace

std::unique_ptr<SimLogFormat> makeLiteLlmLogFormat()
{
    return std::make_unique<LiteLlmLogFormat>();
}

} // namespace ds
