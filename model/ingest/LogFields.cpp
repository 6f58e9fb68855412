#include "ingest/LogFields.h"

#include <array>

namespace ds {

namespace {
constexpr std::array<std::string_view, kFieldCount> kNames = {
    "request_id", "timestamp",     "account_id", "org_id",        "api_key_id",          "ip",
    "user_agent", "model",         "endpoint",   "system_prompt", "prompt",              "tools",
    "prompt_tokens", "completion_tokens", "max_tokens", "stop_reason", "latency_ms",     "status",
    "created_at", "email_domain",  "payment_fingerprint", "billing_country", "tier",     "verified"};
} // namespace

std::string_view fieldName(Field f)
{
    const auto i = static_cast<size_t>(f);
    return i < kNames.size() ? kNames[i] : std::string_view("?");
}

Field fieldFromName(std::string_view name)
{
    // Linear scan over 24 short names beats hashing at this size, and keys are
    // looked up once per CSV header, or once per JSON key.
    if (name.empty())
        return Field::Unknown;
    for (size_t i = 0; i < kNames.size(); ++i)
        if (kNames[i].size() == name.size() && kNames[i][0] == name[0] && kNames[i] == name)
            return static_cast<Field>(i);
    return Field::Unknown;
}

const char* recordKindName(RecordKind k) { return k == RecordKind::Requests ? "requests" : "accounts"; }

} // namespace ds
