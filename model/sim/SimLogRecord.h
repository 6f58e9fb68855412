#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ds {

// One canonical request as read back from the simulator's requests.jsonl, the input of the writers that re-write
// simulated traffic in a gateway's or cloud's own log format (SimLogFormat.h). Plain data; any one thread.
struct SimLogRecord
{
    std::string requestId;
    std::int64_t ts = 0; // epoch milliseconds
    std::string accountId;
    std::string orgId;
    std::string apiKeyId;
    std::string ip;
    std::string userAgent;
    std::string model;
    std::string endpoint;
    std::string systemPrompt;
    std::string prompt;
    std::vector<std::string> tools;
    bool hasTokens = false; // errors carry no token counts
    std::int64_t promptTokens = 0;
    std::int64_t completionTokens = 0;
    std::int64_t maxTokens = 0;
    std::string stopReason;
    std::int64_t latencyMs = 0;
    std::int64_t status = 200;
};

// The conversation a writer wraps around a record: real clients resend earlier turns, so the prompt of a request
// is its last user turn. `previousPrompt` is the account's previous request text (empty: a first turn).
struct SimLogTurns
{
    std::string_view previousPrompt;
    bool toolResult = false; // the earlier turn ended in a tool call whose result opens the last user turn
};

// Parses one canonical JSON line (see docs/LOG_FORMAT.md). False, with `error`, when the line is not one.
bool simParseCanonicalLine(std::string_view line, SimLogRecord& out, std::string* error);

// Stable 64-bit hash (FNV-1a) of text: the writers derive ids and per-record variety from it, so the same input
// gives the same bytes on every platform.
std::uint64_t simLogHash(std::string_view text, std::uint64_t salt = 0);
// A version-4-shaped UUID ("8-4-4-4-12" lowercase hex) derived from `text`.
void simAppendUuid(std::string& out, std::string_view text, std::uint64_t salt);
// Lowercase hex of `n` random-looking bytes derived from `text` (OTLP trace and span ids).
void simAppendHexId(std::string& out, std::string_view text, std::uint64_t salt, int bytes);
// UTC date and time "YYYY-MM-DD<sep>HH:MM:SS" followed by `fractionDigits` (0, 3 or 6) of the second.
void simAppendDateTime(std::string& out, std::int64_t epochMs, char sep, int fractionDigits);
void simAppendInt(std::string& out, std::int64_t v);
// ,"key": (a leading comma unless `first`).
void simAppendKey(std::string& out, std::string_view key, bool first = false);

} // namespace ds
