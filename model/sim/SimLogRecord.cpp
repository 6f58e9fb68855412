#include "sim/SimLogRecord.h"

#include "core/Timestamp.h"

#include <charconv>
#include <simdjson.h>

namespace ds {

namespace {

std::string str(simdjson::dom::object obj, const char* key)
{
    std::string_view v;
    if (obj[key].get(v) == simdjson::SUCCESS)
        return std::string(v);
    return {};
}

std::int64_t integer(simdjson::dom::object obj, const char* key, bool* present = nullptr)
{
    std::int64_t v = 0;
    const bool ok = obj[key].get(v) == simdjson::SUCCESS;
    if (present)
        *present = ok;
    return ok ? v : 0;
}

void append2(std::string& out, unsigned v)
{
    out += static_cast<char>('0' + v / 10);
    out += static_cast<char>('0' + v % 10);
}

} // namespace

bool simParseCanonicalLine(std::string_view line, SimLogRecord& out, std::string* error)
{
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(line.data(), line.size(), true).get(doc) != simdjson::SUCCESS) {
        *error = "not JSON";
        return false;
    }
    simdjson::dom::object obj;
    if (doc.get(obj) != simdjson::SUCCESS) {
        *error = "not a JSON object";
        return false;
    }
    out = SimLogRecord {};
    out.requestId = str(obj, "request_id");
    out.accountId = str(obj, "account_id");
    std::string_view ts;
    if (obj["timestamp"].get(ts) == simdjson::SUCCESS) {
        const auto parsed = timestamp::parseRfc3339(ts);
        if (!parsed) {
            *error = "timestamp is not RFC 3339";
            return false;
        }
        out.ts = *parsed;
    } else {
        out.ts = integer(obj, "timestamp");
    }
    if (out.requestId.empty() || out.accountId.empty()) {
        *error = "request_id or account_id missing";
        return false;
    }
    out.orgId = str(obj, "org_id");
    out.apiKeyId = str(obj, "api_key_id");
    out.ip = str(obj, "ip");
    out.userAgent = str(obj, "user_agent");
    out.model = str(obj, "model");
    out.endpoint = str(obj, "endpoint");
    out.systemPrompt = str(obj, "system_prompt");
    out.prompt = str(obj, "prompt");
    simdjson::dom::array tools;
    if (obj["tools"].get(tools) == simdjson::SUCCESS) {
        for (simdjson::dom::element t : tools) {
            std::string_view name;
            if (t.get(name) == simdjson::SUCCESS)
                out.tools.emplace_back(name);
        }
    }
    out.promptTokens = integer(obj, "prompt_tokens", &out.hasTokens);
    out.completionTokens = integer(obj, "completion_tokens");
    out.maxTokens = integer(obj, "max_tokens");
    out.stopReason = str(obj, "stop_reason");
    out.latencyMs = integer(obj, "latency_ms");
    bool hasStatus = false;
    out.status = integer(obj, "status", &hasStatus);
    if (!hasStatus)
        out.status = 200;
    return true;
}

std::uint64_t simLogHash(std::string_view text, std::uint64_t salt)
{
    std::uint64_t h = 14695981039346656037ULL ^ (salt * 0x9E3779B97F4A7C15ULL);
    for (const char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    // Final avalanche (splitmix64), so that nearby texts give unrelated bits.
    h ^= h >> 30;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 27;
    h *= 0x94D049BB133111EBULL;
    h ^= h >> 31;
    return h;
}

void simAppendHexId(std::string& out, std::string_view text, std::uint64_t salt, int bytes)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < bytes; i += 8) {
        const std::uint64_t h = simLogHash(text, salt * 31 + static_cast<std::uint64_t>(i));
        for (int b = 0; b < 8 && i + b < bytes; ++b) {
            const auto byte = static_cast<unsigned>((h >> (8 * b)) & 0xFF);
            out += hex[byte >> 4];
            out += hex[byte & 15];
        }
    }
}

void simAppendUuid(std::string& out, std::string_view text, std::uint64_t salt)
{
    std::string hex;
    simAppendHexId(hex, text, salt, 16);
    hex[12] = '4'; // version 4
    hex[16] = "89ab"[simLogHash(text, salt + 7) & 3]; // RFC 4122 variant
    out.append(hex, 0, 8);
    out += '-';
    out.append(hex, 8, 4);
    out += '-';
    out.append(hex, 12, 4);
    out += '-';
    out.append(hex, 16, 4);
    out += '-';
    out.append(hex, 20, 12);
}

void simAppendInt(std::string& out, std::int64_t v)
{
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, res.ptr);
}

void simAppendDateTime(std::string& out, std::int64_t ms, char sep, int fractionDigits)
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
    simAppendInt(out, y);
    out += '-';
    append2(out, m);
    out += '-';
    append2(out, d);
    out += sep;
    const auto secs = static_cast<unsigned>(rem / 1000);
    append2(out, secs / 3600);
    out += ':';
    append2(out, secs / 60 % 60);
    out += ':';
    append2(out, secs % 60);
    if (fractionDigits > 0) {
        out += '.';
        const auto milli = static_cast<unsigned>(rem % 1000);
        out += static_cast<char>('0' + milli / 100);
        append2(out, milli % 100);
        for (int i = 3; i < fractionDigits; ++i)
            out += '0';
    }
}

void simAppendKey(std::string& out, std::string_view key, bool first)
{
    if (!first)
        out += ',';
    out += '"';
    out += key;
    out += "\":";
}

} // namespace ds
