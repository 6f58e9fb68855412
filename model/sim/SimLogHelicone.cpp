// Helicone request logs: rows of the ClickHouse table `request_response_rmt` as `SELECT ... FORMAT JSONEachRow`
// prints them. Shape from Helicone's ClickHouse migration that creates the table (response_id, response_created_at
// DateTime64(3), latency/status/completion_tokens/prompt_tokens Int64, model, request_id UUID, request_created_at,
// user_id, organization_id UUID, proxy_key_id Nullable(UUID), threat, time_to_first_token, provider, target_url,
// country_code, properties Map, scores Map, request_body String, response_body String, assets, updated_at) and from
// ClickHouse's JSON output rules: 64-bit integers as quoted strings (output_format_json_quote_64bit_integers, on by
// default), DateTime64(3) as "YYYY-MM-DD HH:MM:SS.mmm", Map as an object, the provider's request body as one JSON
// string. Helicone keeps no client address and no user agent in this table; the account is the Helicone-User-Id.
#include "core/JsonText.h"
#include "sim/SimLogFormat.h"
#include "sim/SimLogMessages.h"

namespace ds {

namespace {

class HeliconeLogFormat final : public SimLogFormat
{
public:
    const char* name() const override { return "helicone"; }

    void append(std::string& out, const SimLogRecord& r, const SimLogTurns& t) override
    {
        const bool ok = r.status == 200;
        out += R"({"response_id":")";
        simAppendUuid(out, r.requestId, 21);
        out += '"';
        dateTime(out, "response_created_at", r.ts + r.latencyMs);
        quotedInt(out, "latency", r.latencyMs);
        quotedInt(out, "status", r.status);
        // Nullable(Int64): failed requests have no usage.
        nullableInt(out, "completion_tokens", ok, r.completionTokens);
        nullableInt(out, "prompt_tokens", ok, r.promptTokens);
        simAppendKey(out, "model");
        appendJsonString(out, r.model);
        out += R"(,"request_id":")";
        simAppendUuid(out, r.requestId, 22);
        out += '"';
        dateTime(out, "request_created_at", r.ts);
        simAppendKey(out, "user_id");
        appendJsonString(out, r.accountId);
        // The Helicone organisation is the operator's, the same on every row.
        out += R"(,"organization_id":"6f1c2a4e-5b7d-4e8f-9a0b-1c2d3e4f5a6b","proxy_key_id":)";
        if (r.apiKeyId.empty()) {
            out += "null";
        } else {
            out += '"';
            simAppendUuid(out, r.apiKeyId, 23);
            out += '"';
        }
        out += R"(,"threat":null,"time_to_first_token":)";
        if (ok) {
            out += '"';
            simAppendInt(out, r.latencyMs / 4);
            out += '"';
        } else {
            out += "null";
        }
        out += R"(,"provider":"ANTHROPIC","target_url":"https://api.anthropic.com/v1/messages","country_code":null)";
        out += R"(,"properties":{)";
        if (!r.orgId.empty()) {
            // A custom property (Helicone-Property-Team header) the operator sets per customer organisation.
            out += R"("Helicone-Property-Team":)";
            appendJsonString(out, r.orgId);
        }
        out += R"(},"scores":{},"request_body":)";
        m_body.clear();
        simAppendAnthropicBody(m_body, r, t, simLogShapeFor(r), false);
        appendJsonString(out, m_body);
        out += R"(,"response_body":)";
        m_body.clear();
        if (ok)
            simAppendAnthropicResponse(m_body, r);
        else if (r.status == 429)
            m_body = R"({"type":"error","error":{"type":"rate_limit_error","message":"Rate limit exceeded"}})";
        else
            m_body = R"({"type":"error","error":{"type":"api_error","message":"Internal server error"}})";
        appendJsonString(out, m_body);
        out += R"(,"assets":[])";
        dateTime(out, "updated_at", r.ts + r.latencyMs + 850);
        out += "}\n";
    }

private:
    static void dateTime(std::string& out, std::string_view key, std::int64_t ms)
    {
        simAppendKey(out, key);
        out += '"';
        simAppendDateTime(out, ms, ' ', 3);
        out += '"';
    }

    static void quotedInt(std::string& out, std::string_view key, std::int64_t v)
    {
        simAppendKey(out, key);
        out += '"';
        simAppendInt(out, v);
        out += '"';
    }

    static void nullableInt(std::string& out, std::string_view key, bool present, std::int64_t v)
    {
        if (present) {
            quotedInt(out, key, v);
        } else {
            simAppendKey(out, key);
            out += "null";
        }
    }

    std::string m_body;
};

} // namespace

std::unique_ptr<SimLogFormat> makeHeliconeLogFormat()
{
    return std::make_unique<HeliconeLogFormat>();
}

} // namespace ds
