#include "sim/SimRequest.h"

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

// JSON string with the escapes RFC 8259 requires; UTF-8 passes through (the corpora are valid UTF-8).
void appendString(std::string& out, std::string_view s)
{
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(s.data() + start, i - start);
        start = i + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    out.append(s.data() + start, s.size() - start);
    out += '"';
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
    appendString(out, r.requestId);
    out += ",\"timestamp\":\"";
    simAppendIso(out, r.ts);
    out += '"';
    key(out, "account_id");
    appendString(out, r.account->id);
    if (!r.account->org.empty()) {
        key(out, "org_id");
        appendString(out, r.account->org);
    }
    if (r.apiKey) {
        key(out, "api_key_id");
        appendString(out, *r.apiKey);
    }
    key(out, "ip");
    appendString(out, r.ip);
    key(out, "user_agent");
    appendString(out, r.userAgent);
    key(out, "model");
    appendString(out, r.model);
    key(out, "endpoint");
    appendString(out, r.endpoint);
    if (!r.systemPrompt.empty()) {
        key(out, "system_prompt");
        appendString(out, r.systemPrompt);
    }
    key(out, "prompt");
    appendString(out, r.prompt);
    if (!r.tools.empty()) {
        key(out, "tools");
        out += '[';
        for (std::size_t i = 0; i < r.tools.size(); ++i) {
            if (i)
                out += ',';
            appendString(out, r.tools[i]);
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
        appendString(out, r.stopReason);
    }
    key(out, "latency_ms");
    appendInt(out, r.latencyMs);
    key(out, "status");
    appendInt(out, r.status);
    out += "}\n";
}

} // namespace ds
