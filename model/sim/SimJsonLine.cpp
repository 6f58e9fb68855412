#include "sim/SimRequest.h"

#include "core/JsonText.h"
#include "core/Timestamp.h"

#include <charconv>

namespace ds {

namespace {

void appendInt(std::string& out, std::int64_t v)
{
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, res.ptr);
}

void append2(std::string& out, unsigned v)
{
    out += static_cast<char>('0' + v / 10);
    out += static_cast<char>('0' + v % 10);
}

void key(std::string& out, const char* k)
{
    out += ",\"";
    out += k;
    out += "\":";
}

} // namespace

void simAppendIso(std::string& out, std::int64_t ms)
{
    std::int64_t days = ms / 86400000;
    std::int64_t rem = ms % 86400000;
    if (rem < 0) {
        rem += 86400000;
        --days;
    }
    int y;
    unsigned m, d;
    timestamp::civilFromDays(days, y, m, d);
    appendInt(out, y);
    out += '-';
    append2(out, m);
    out += '-';
    append2(out, d);
    out += 'T';
    const auto secs = static_cast<unsigned>(rem / 1000);
    append2(out, secs / 3600);
    out += ':';
    append2(out, secs / 60 % 60);
    out += ':';
    append2(out, secs % 60);
    out += '.';
    const auto milli = static_cast<unsigned>(rem % 1000);
    out += static_cast<char>('0' + milli / 100);
    append2(out, milli % 100);
    out += 'Z';
}

void simAppendJsonLine(std::string& out, const SimRequest& r)
{
    out += "{\"request_id\":";
    appendJsonString(out, r.requestId);
    out += ",\"timestamp\":\"";
    simAppendIso(out, r.ts);
    out += '"';
    key(out, "account_id");
    appendJsonString(out, r.account->id);
    if (!r.account->org.empty()) {
        key(out, "org_id");
        appendJsonString(out, r.account->org);
    }
    if (r.apiKey) {
        key(out, "api_key_id");
        appendJsonString(out, *r.apiKey);
    }
    key(out, "ip");
    appendJsonString(out, r.ip);
    key(out, "user_agent");
    appendJsonString(out, r.userAgent);
    key(out, "model");
    appendJsonString(out, r.model);
    key(out, "endpoint");
    appendJsonString(out, r.endpoint);
    if (!r.systemPrompt.empty()) {
        key(out, "system_prompt");
        appendJsonString(out, r.systemPrompt);
    }
    key(out, "prompt");
    appendJsonString(out, r.prompt);
    if (!r.tools.empty()) {
        key(out, "tools");
        out += '[';
        for (std::size_t i = 0; i < r.tools.size(); ++i) {
            if (i)
                out += ',';
            appendJsonString(out, r.tools[i]);
        }
        out += ']';
    }
    if (r.status == 200) {
        key(out, "prompt_tokens");
        appendInt(out, r.promptTokens);
        key(out, "completion_tokens");
        appendInt(out, r.completionTokens);
    }
    key(out, "max_tokens");
    appendInt(out, r.maxTokens);
    if (r.stopReason) {
        key(out, "stop_reason");
        appendJsonString(out, r.stopReason);
    }
    key(out, "latency_ms");
    appendInt(out, r.latencyMs);
    key(out, "status");
    appendInt(out, r.status);
    out += "}\n";
}

} // namespace ds
