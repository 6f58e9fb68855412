#pragma once

#include <cstdint>
#include <string_view>

namespace ds {

// The canonical fields of docs/LOG_FORMAT.md, as small integers so
// parsers route values without string compares after the header or key lookup.
enum class Field : std::uint8_t {
    // request records
    RequestId,
    Timestamp,
    AccountId,
    OrgId,
    ApiKeyId,
    Ip,
    UserAgent,
    Model,
    Endpoint,
    SystemPrompt,
    Prompt,
    Tools,
    PromptTokens,
    CompletionTokens,
    MaxTokens,
    StopReason,
    LatencyMs,
    Status,
    // account records (account_id and org_id are shared with requests)
    CreatedAt,
    EmailDomain,
    PaymentFingerprint,
    BillingCountry,
    Tier,
    Verified,
    Unknown, // not in the format: kept in the record's `extra` JSON
};
constexpr int kFieldCount = static_cast<int>(Field::Unknown);

std::string_view fieldName(Field f);
// Canonical name -> Field, or Field::Unknown.
Field fieldFromName(std::string_view name);

// What a file holds, decided from its fields: requests carry request_id;
// accounts carry account_id and no request_id.
enum class RecordKind : std::uint8_t { Requests, Accounts };
const char* recordKindName(RecordKind k);

} // namespace ds
