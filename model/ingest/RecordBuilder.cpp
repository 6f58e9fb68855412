#include "ingest/RecordBuilder.h"

#include "core/Hashing.h"
#include "core/JsonText.h"
#include "core/Timestamp.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

namespace ds {

RecordBuilder::RecordBuilder(RecordKind kind, const FieldMapping& mapping)
    : m_kind(kind)
    , m_mapping(mapping)
{
    for (const auto& rule : mapping.rules()) {
        m_convert[static_cast<size_t>(rule.target)] = rule.convert;
        m_zone[static_cast<size_t>(rule.target)] = rule.zoneMinutes;
    }
}

void RecordBuilder::begin(std::int64_t line)
{
    m_line = line;
    // Only the values the last record touched need resetting.
    for (std::uint32_t touched = m_touched; touched; touched &= touched - 1)
        m_values[static_cast<size_t>(__builtin_ctz(touched))] = Value{};
    m_touched = 0;
    m_extra.clear();
    m_duplicate = Field::Unknown;
}

void RecordBuilder::setText(int ruleIndex, std::string_view text)
{
    const Field f = m_mapping.rules()[static_cast<size_t>(ruleIndex)].target;
    Value& v = touch(f);
    v.set = true;
    v.text = text;
    v.source = m_mapping.rules()[static_cast<size_t>(ruleIndex)].source;
}

void RecordBuilder::setNumber(int ruleIndex, double value, bool isInteger,
                              std::int64_t asInteger, std::string_view rawJson)
{
    const Field f = m_mapping.rules()[static_cast<size_t>(ruleIndex)].target;
    Value& v = touch(f);
    v.set = true;
    v.isNumber = true;
    v.number = value;
    v.isInteger = isInteger;
    v.integer = asInteger;
    v.text = rawJson;
    v.source = m_mapping.rules()[static_cast<size_t>(ruleIndex)].source;
}

void RecordBuilder::setBool(int ruleIndex, bool value)
{
    const Field f = m_mapping.rules()[static_cast<size_t>(ruleIndex)].target;
    Value& v = touch(f);
    v.set = true;
    v.boolean = value ? 1 : 0;
    v.text = value ? "true" : "false";
    v.source = m_mapping.rules()[static_cast<size_t>(ruleIndex)].source;
}

void RecordBuilder::setStructured(int ruleIndex, std::string_view rawJson,
                                  std::int64_t elements)
{
    const Field f = m_mapping.rules()[static_cast<size_t>(ruleIndex)].target;
    if (f != Field::Tools) {
        // An object or array where the format expects a scalar: keep it, unmapped.
        putExtraRaw(m_mapping.rules()[static_cast<size_t>(ruleIndex)].source, rawJson);
        return;
    }
    Value& v = touch(f);
    v.set = true;
    v.text = rawJson;
    v.elements = elements;
    v.source = m_mapping.rules()[static_cast<size_t>(ruleIndex)].source;
}

void RecordBuilder::putExtraRaw(std::string_view key, std::string_view rawJson)
{
    if (!m_extra.empty())
        m_extra += ',';
    appendJsonString(m_extra, key);
    m_extra += ':';
    m_extra.append(rawJson);
}

void RecordBuilder::addExtraJson(std::string_view key, std::string_view rawJson) { putExtraRaw(key, rawJson); }

void RecordBuilder::addExtraText(std::string_view key, std::string_view text)
{
    if (!m_extra.empty())
        m_extra += ',';
    appendJsonString(m_extra, key);
    m_extra += ':';
    appendJsonString(m_extra, text);
}

void RecordBuilder::addExtraTextQuotedKey(std::string_view quotedKey, std::string_view text)
{
    if (!m_extra.empty())
        m_extra += ',';
    m_extra += quotedKey;
    m_extra += ':';
    appendJsonString(m_extra, text);
}

void RecordBuilder::applyConstants()
{
    for (const auto& rule : m_mapping.rules()) {
        if (!rule.constant)
            continue;
        Value& v = m_values[static_cast<size_t>(rule.target)];
        if (!v.set) {
            v = Value{};
            v.set = true;
            v.text = *rule.constant;
            m_touched |= 1u << static_cast<unsigned>(rule.target);
        }
    }
}

bool RecordBuilder::integerOf(Field f, std::int64_t& out)
{
    Value& v = m_values[static_cast<size_t>(f)];
    if (!v.set)
        return false;
    // kNoInt is the "absent" mark of the columns: that one value is out of range, not absent.
    std::int64_t read = kNoInt;
    if (v.isNumber) {
        if (v.isInteger)
            read = v.integer;
        else if (std::isfinite(v.number) && v.number == std::floor(v.number) && std::fabs(v.number) < 9.0e15)
            read = static_cast<std::int64_t>(v.number);
    } else if (!v.text.empty() && v.boolean < 0) {
        const char* b = v.text.data();
        const char* e = b + v.text.size();
        std::int64_t parsed = 0;
        auto [p, ec] = std::from_chars(b, e, parsed);
        if (ec == std::errc() && p == e)
            read = parsed;
    }
    if (read != kNoInt) {
        out = read;
        return true;
    }
    // Wrong type or out of range: keep the value as it was, unmapped, in extra
    // (a JSON true stays a boolean there, not the string "true").
    const std::string_view key = v.source.empty() ? fieldName(f) : std::string_view(v.source);
    if (v.isNumber || v.boolean >= 0)
        putExtraRaw(key, v.text);
    else
        addExtraText(key, v.text);
    v.set = false;
    return false;
}

TextRef RecordBuilder::textOf(RecordBatch& batch, Field f)
{
    const Value& v = m_values[static_cast<size_t>(f)];
    if (!v.set || v.text.empty())
        return {}; // an empty string says as much as an absent field
    return batch.store(v.text);
}

bool RecordBuilder::timestampOf(Field f, std::int64_t& out, std::string& why)
{
    const Value& v = m_values[static_cast<size_t>(f)];
    const Convert conv = m_convert[static_cast<size_t>(f)];
    if (conv != Convert::None && !v.text.empty() && v.boolean < 0) {
        // A number's raw text or a string: converted from its digits, exactly, when it is plain decimal.
        if (const auto ms = FieldMapping::decimalToEpochMillis(v.text, conv)) {
            out = *ms;
            return plausible(out, why);
        }
    }
    if (v.isNumber) {
        const auto ms = FieldMapping::toEpochMillis(v.isInteger ? static_cast<double>(v.integer) : v.number,
                                                    conv == Convert::None ? Convert::EpochMillis : conv);
        if (ms && (!v.isInteger || conv != Convert::None)) {
            out = *ms;
        } else if (v.isInteger) {
            out = v.integer;
        } else {
            why = "timestamp is not a number of milliseconds";
            return false;
        }
    } else if (conv != Convert::None && conv != Convert::EpochMillis) {
        double d = 0;
        const char* b = v.text.data();
        auto [p, ec] = std::from_chars(b, b + v.text.size(), d);
        const auto ms = ec == std::errc() && p == b + v.text.size() ? FieldMapping::toEpochMillis(d, conv) : std::nullopt;
        if (!ms) {
            why = "timestamp \"" + std::string(v.text.substr(0, 64)) + "\" is not an epoch number";
            return false;
        }
        out = *ms;
    } else if (const std::optional<int> zone = m_zone[static_cast<size_t>(f)]) {
        auto ms = timestamp::parseWithZone(v.text, *zone);
        if (!ms)
            ms = timestamp::parseEpochMillisText(v.text);
        if (!ms) {
            why = "timestamp \"" + std::string(v.text.substr(0, 64))
                + "\" is neither a date and time (YYYY-MM-DD HH:MM:SS[.fff], with or without an offset) nor epoch milliseconds";
            return false;
        }
        out = *ms;
    } else {
        const auto ms = timestamp::parseAny(v.text);
        if (!ms) {
            why = "timestamp \"" + std::string(v.text.substr(0, 64))
                + "\" is neither RFC 3339 with an offset nor epoch milliseconds"
                + (v.text.size() >= 19 && v.text.size() <= 26 && v.text[4] == '-'
                       ? " (a time without an offset needs \"zone\" in a mapping, e.g. {\"from\": ..., \"zone\": \"UTC\"})"
                       : "");
            return false;
        }
        out = *ms;
    }
    return plausible(out, why);
}

bool RecordBuilder::plausible(std::int64_t ms, std::string& why)
{
    if (ms < timestamp::kMinPlausibleMs || ms > timestamp::kMaxPlausibleMs) {
        why = "timestamp " + std::to_string(ms) + " ms is outside 1990-2200 (wrong unit?)";
        return false;
    }
    return true;
}

std::string RecordBuilder::missingReason(Field f) const
{
    // A user reads the reason beside their own log: name the fields of that log the mapping tried, not only ours.
    for (const FieldMapping::Rule& r : m_mapping.rules()) {
        if (r.target != f || r.implicit || r.constant)
            continue;
        std::vector<std::string_view> tried;
        for (const FieldMapping::Source& s : r.sources)
            if (!s.constant)
                tried.push_back(std::string_view(s.path).substr(0, 80));
        if (tried.empty())
            break;
        const char* what = f == Field::AccountId ? "account" : f == Field::RequestId ? "request id" : nullptr;
        std::string why = "no " + (what ? std::string(what) : std::string(fieldName(f))) + ": ";
        for (std::size_t i = 0; i < tried.size(); ++i) {
            if (i > 0)
                why += i + 1 == tried.size() ? " and " : ", ";
            why += tried[i];
        }
        return why + (tried.size() == 1 ? " is empty or absent" : tried.size() == 2 ? " are both empty or absent" : " are all empty or absent");
    }
    return "missing required field " + std::string(fieldName(f));
}

void RecordBuilder::quarantine(RecordBatch& batch, std::int64_t line, std::string_view reason, std::string_view raw)
{
    ParsedQuarantine q;
    q.line = line;
    q.reason = batch.store(reason);
    q.raw = batch.store(raw);
    batch.quarantine.push_back(q);
}

bool RecordBuilder::finish(RecordBatch& batch, std::string_view raw)
{
    applyConstants();
    if (m_duplicate != Field::Unknown) {
        const Value& v = m_values[static_cast<size_t>(m_duplicate)];
        const std::string_view name = v.source.empty() ? fieldName(m_duplicate) : std::string_view(v.source);
        quarantine(batch, m_line,
                   "the key \"" + std::string(name.substr(0, 80)) + "\" appears twice in the record: which value holds cannot be known",
                   raw);
        return false;
    }
    auto missing = [&](Field f) {
        const Value& v = m_values[static_cast<size_t>(f)];
        // An id of spaces names nobody.
        return !v.set || v.text.empty() || (!v.isNumber && v.text.find_first_not_of(" \t\r\n") == std::string_view::npos);
    };

    if (m_kind == RecordKind::Accounts) {
        if (missing(Field::AccountId)) {
            quarantine(batch, m_line, missingReason(Field::AccountId), raw);
            return false;
        }
        ParsedAccount a;
        a.line = m_line;
        if (!missing(Field::CreatedAt)) {
            std::string why;
            std::int64_t ms = 0;
            if (!timestampOf(Field::CreatedAt, ms, why)) {
                quarantine(batch, m_line, "created_at: " + why, raw);
                return false;
            }
            a.createdAt = ms;
        }
        const Value& ver = m_values[static_cast<size_t>(Field::Verified)];
        if (ver.set) {
            if (ver.boolean >= 0)
                a.verified = ver.boolean;
            else if (ver.text == "true" || ver.text == "1" || ver.text == "TRUE" || ver.text == "True")
                a.verified = 1;
            else if (ver.text == "false" || ver.text == "0" || ver.text == "FALSE" || ver.text == "False")
                a.verified = 0;
            else if (!ver.text.empty())
                addExtraText(ver.source.empty() ? fieldName(Field::Verified) : std::string_view(ver.source), ver.text);
        }
        a.accountId = textOf(batch, Field::AccountId);
        a.emailDomain = textOf(batch, Field::EmailDomain);
        a.paymentFingerprint = textOf(batch, Field::PaymentFingerprint);
        a.billingCountry = textOf(batch, Field::BillingCountry);
        a.orgId = textOf(batch, Field::OrgId);
        a.tier = textOf(batch, Field::Tier);
        if (!m_extra.empty())
            a.extra = batch.store("{" + m_extra + "}");
        batch.accounts.push_back(a);
        return true;
    }

    for (Field f : {Field::RequestId, Field::AccountId, Field::Timestamp}) {
        if (missing(f)) {
            quarantine(batch, m_line, missingReason(f), raw);
            return false;
        }
    }
    ParsedRequest r;
    r.line = m_line;
    std::string why;
    if (!timestampOf(Field::Timestamp, r.ts, why)) {
        quarantine(batch, m_line, why, raw);
        return false;
    }
    integerOf(Field::PromptTokens, r.promptTokens);
    integerOf(Field::CompletionTokens, r.completionTokens);
    integerOf(Field::MaxTokens, r.maxTokens);
    integerOf(Field::LatencyMs, r.latencyMs);
    integerOf(Field::Status, r.status);
    const Value& tools = m_values[static_cast<size_t>(Field::Tools)];
    if (tools.set) {
        if (tools.elements >= 0)
            r.toolCount = tools.elements;
        else if (tools.isNumber && tools.isInteger)
            r.toolCount = tools.integer;
        else if (!tools.text.empty() && tools.text.front() == '[') // a CSV cell holding a JSON array
            r.toolCount = 1 + static_cast<std::int64_t>(std::count(tools.text.begin(), tools.text.end(), ','));
        else
            integerOf(Field::Tools, r.toolCount);
    }

    const std::string_view rid = m_values[static_cast<size_t>(Field::RequestId)].text;
    r.ridHash = hash64(rid);
    r.requestId = textOf(batch, Field::RequestId);
    r.accountId = textOf(batch, Field::AccountId);
    r.orgId = textOf(batch, Field::OrgId);
    r.apiKeyId = textOf(batch, Field::ApiKeyId);
    r.ip = textOf(batch, Field::Ip);
    r.userAgent = textOf(batch, Field::UserAgent);
    r.model = textOf(batch, Field::Model);
    r.endpoint = textOf(batch, Field::Endpoint);
    r.systemPrompt = textOf(batch, Field::SystemPrompt);
    r.prompt = textOf(batch, Field::Prompt);
    r.tools = tools.set ? batch.store(tools.text) : TextRef{};
    r.stopReason = textOf(batch, Field::StopReason);
    if (!m_extra.empty()) { // "{" + m_extra + "}", written in place
        r.extra = TextRef{batch.arena.size(), m_extra.size() + 2, true};
        batch.arena += '{';
        batch.arena += m_extra;
        batch.arena += '}';
    }
    // Ids (Interner::resolve) and r.features (computePromptFeatures) are filled for the whole batch.
    batch.requests.push_back(r);
    return true;
}

} // namespace ds
