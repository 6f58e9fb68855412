#pragma once

#include "text/PromptFeatures.h"

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace ds {

// A slice of a batch's text arena. Offsets, not pointers, so the arena may grow.
struct TextRef
{
    std::size_t offset = 0;
    std::size_t length = 0;
    bool present = false;
};

constexpr std::int64_t kNoInt = std::numeric_limits<std::int64_t>::min();

// One of a request's prompt, tools or extra as packed on the parser side
// (ingest/TextPackStage.h), in one of the batch's packedArenas.
struct PackedRef
{
    enum State : std::uint8_t {
        NotPacked,          // absent, or left to the writer
        PredictedReference, // a prompt that a recent row stored in full, most likely: not packed
        Packed,    // the packed bytes are in the arena
        AsText,    // packing would not shrink it: stored as TEXT
    };
    std::uint32_t arena = 0;
    std::uint32_t length = 0;
    std::size_t offset = 0;
    State state = NotPacked;
};

// One request, normalised to the canonical format; text lives in the batch arena.
struct ParsedRequest
{
    std::int64_t line = 0;
    std::int64_t ts = 0;
    std::uint64_t ridHash = 0;
    TextRef requestId, accountId, orgId, apiKeyId, ip, userAgent, model, endpoint, systemPrompt, prompt, tools,
        stopReason, extra;
    // Ids in the interning tables, filled by the Interner (0: absent).
    std::int64_t accountRef = 0, orgRef = 0, apiKeyRef = 0, ipRef = 0, userAgentRef = 0, modelRef = 0, endpointRef = 0,
                 systemPromptRef = 0, stopReasonRef = 0;
    bool maybeDuplicate = false; // its request-id hash was seen before in this file: the writer checks the text
    // A committed request with the same request-id hash (0: none), which the
    // writer compares on the text; `caseRowsShareHash`: more than one has it.
    std::int64_t caseRow = 0;
    bool caseRowsShareHash = false;
    // Its request-id hash is in the case, so it is almost surely not written:
    // `features` are left empty by the parser side and computed by the writer
    // only if it is (a collision).
    bool featuresDeferred = false;
    std::int64_t toolCount = kNoInt, promptTokens = kNoInt, completionTokens = kNoInt, maxTokens = kNoInt,
                 latencyMs = kNoInt, status = kNoInt;
    PromptFeatures features;
    // Filled on the parser side when the import packs there (ingest/TextPackStage.h):
    // prompt, tools, extra; and the prompt's xxh3-128, which the writer keys repeated prompts by.
    PackedRef packed[3];
    bool promptHashed = false;
    std::uint64_t promptHashLow = 0, promptHashHigh = 0;
};

// One account record from an accounts file.
struct ParsedAccount
{
    std::int64_t line = 0;
    TextRef accountId, emailDomain, paymentFingerprint, billingCountry, orgId, tier, extra;
    std::int64_t accountRef = 0, emailDomainRef = 0, paymentFingerprintRef = 0, orgRef = 0;
    std::int64_t createdAt = kNoInt;
    int verified = -1; // -1 unknown, 0 false, 1 true
};

// A record that could not be read, kept aside with its raw bytes.
struct ParsedQuarantine
{
    std::int64_t line = 0;
    TextRef reason;
    TextRef raw;
};

// A string the Interner saw for the first time: the writer inserts it with this
// id before the rows of the batch that refer to it. `dict` is a schema::Dict, or
// schema::kDictCount for the account table.
struct NewDictEntry
{
    int dict = 0;
    std::int64_t id = 0;
    TextRef value;
};

// What the parser thread hands to the writer thread: a few thousand records
// with one text arena, so a batch costs a handful of allocations, not one per field.
struct RecordBatch
{
    std::string arena;
    std::vector<ParsedRequest> requests;
    std::vector<ParsedAccount> accounts;
    std::vector<ParsedQuarantine> quarantine;
    std::vector<NewDictEntry> newEntries;
    std::int64_t rawBytesRead = 0; // position in the file after this batch, for progress
    // Records the mapping's "where" left out (OpenTelemetry spans that are not model calls,
    // Langfuse observations that are not generations): counted, not quarantined.
    std::int64_t skipped = 0;
    // Request text packed on the parser side, one arena per pool task, and the
    // writer's dictionary generation it was packed with (0: none).
    std::vector<std::string> packedArenas;
    std::uint64_t packGeneration = 0;

    TextRef store(std::string_view text)
    {
        TextRef r{arena.size(), text.size(), true};
        arena.append(text);
        return r;
    }
    std::string_view view(const TextRef& r) const
    {
        return r.present ? std::string_view(arena.data() + r.offset, r.length) : std::string_view();
    }
    std::string_view packedView(const PackedRef& r) const
    {
        return std::string_view(packedArenas[r.arena].data() + r.offset, r.length);
    }
    std::size_t recordCount() const { return requests.size() + accounts.size() + quarantine.size(); }
    void clear()
    {
        arena.clear();
        requests.clear();
        accounts.clear();
        quarantine.clear();
        newEntries.clear();
        skipped = 0;
        for (std::string& a : packedArenas)
            a.clear();
        packGeneration = 0;
    }
};

} // namespace ds
