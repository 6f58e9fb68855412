#pragma once

#include "detect/Indicators.h"

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace ds {

struct DetectSettings;

// One request as detection reads it from the narrow `request` table (ids of 0 = absent).
struct RequestRow
{
    std::int64_t id = 0;
    std::int64_t ts = 0;
    std::uint32_t account = 0;
    std::uint32_t ip = 0, userAgent = 0, model = 0, systemPrompt = 0, stopReason = 0;
    std::int32_t promptTokens = 0, completionTokens = 0, maxTokens = 0;
    std::uint64_t headHash = 0, tailHash = 0, simhash = 0;
    std::uint32_t flags = 0;
    std::uint8_t category = 0;
    std::uint64_t taskHash = 0; // request.task_hash: the task with its wrapper stripped (0: none, or an older case)
    std::int32_t harvest = 0;   // request.harvest: request-level harvest score, 0..1000
    std::int32_t toolCount = 0; // request.tool_count: tools offered (0 also when unknown)
};

// One task an account asked (request.task_hash), kept for task links (detect/LinkTasks.h).
struct TaskUse
{
    std::uint64_t hash = 0;
    std::int64_t firstTs = 0;   // first time the account asked it
    std::int64_t request = 0;   // request id of that first time
    std::uint16_t harvest = 0;  // highest request harvest score among the account's asks, 0..1000
    std::uint16_t count = 0;    // asks (saturating)
};

// What the accounts table says about an account.
struct AccountInfo
{
    static constexpr std::int64_t kUnknown = std::numeric_limits<std::int64_t>::min();
    std::int64_t createdAt = kUnknown;
    std::uint32_t emailDomain = 0, payment = 0;
    double rateLimitPerMinute = 60;
};

// The ways a request names its template: exact head, tail or system prompt, or
// the near-duplicate family of its SimHash (detect/TemplateFamilies.h); and the
// account's whole prompt profile, shared by accounts drawing from one prompt pool.
enum class TemplateKind : std::uint8_t { Head = 0, Tail = 1, SystemPrompt = 2, Family = 3, Profile = 4 };
constexpr int kTemplateKindCount = 5;
const char* templateKindName(TemplateKind k);

// A template an account uses heavily (see DetectSettings::templateMinUses/Share).
struct HeavyTemplate
{
    std::uint64_t key = 0;     // kind-tagged identity, comparable across accounts
    std::uint64_t value = 0;   // head/tail hash, system_prompt id, or the family's SimHash centroid
    TemplateKind kind = TemplateKind::Head;
    std::uint32_t count = 0;
    std::int64_t sampleRequest = 0; // a request id made from it
    std::int64_t firstTs = 0, lastTs = 0;
};

// Use of one model by an account, for release chasing.
struct ModelUse
{
    std::uint32_t model = 0;
    std::int64_t firstTs = 0;
    std::uint32_t count = 0;
    std::uint32_t requestsFromFirst = 0; // the account's requests from firstTs on
    std::int64_t firstRequest = 0;       // request id at firstTs (release-start evidence)
};

// Everything detection keeps about one account after reading its requests.
// Built on a scan thread, then read and completed on the orchestrating thread.
struct AccountProfile
{
    IndicatorValues ind{};
    std::int64_t requests = 0;
    std::int64_t outputTokens = 0;
    std::int64_t firstTs = 0, lastTs = 0;
    std::int64_t firstRequest = 0, lastRequest = 0; // request ids at firstTs and lastTs (hand-off evidence)
    std::uint32_t peakLimitMinute = 0; // requests in the peak minute
    std::vector<std::uint32_t> ips, networks, userAgents; // distinct, sorted
    std::vector<HeavyTemplate> templates;
    std::vector<std::pair<std::uint32_t, std::int32_t>> templateWindows; // (index into templates, window number)
    std::vector<ModelUse> models;
    std::vector<std::int64_t> sampleRequests; // a few request ids, spread over the account's life
    // Prompt profile (detect/TemplateFamilies.h): the bitwise majority of the request
    // SimHashes on the bits where it is clear (mask); 0 mask = none. The sync windows
    // with any request go with it, for lockstep on the profile (freed after lockstep).
    std::uint64_t profileMask = 0, profileValue = 0;
    std::vector<std::int32_t> activeWindows;
    // Accounts too small to judge (fewer than minRequestsForRates requests): every
    // template key they used with its count, so a short-lived replacement account
    // can still be tied to the network whose templates it used.
    std::vector<std::pair<std::uint64_t, std::uint32_t>> lightKeys;
    // The account's tasks (detect/LinkTasks.h): a bottom-k sketch by hash (the taskSketchSize smallest task hashes),
    // sorted by hash, so two accounts keep the same shared tasks whatever else they asked.
    std::vector<TaskUse> tasks;
    // Harvest profile (docs/HARVEST_SIGNAL.md): up to 8 harvest-class request ids spread over the account's
    // life, and up to 8 request ids of its tasks that other accounts also asked (evidence for the reasons).
    std::vector<std::int64_t> harvestSamples, sharedTaskSamples;
};

// Computes the per-request-derived indicators of one account from its requests
// in time order. `ipNetwork` maps ip ids to network ids. Pure: any thread.
AccountProfile profileAccount(std::span<const RequestRow> rows, const AccountInfo& info,
                              const std::vector<std::uint32_t>& ipNetwork, std::uint32_t maxTokensStopId,
                              const DetectSettings& settings);

// Template key of a request's head, tail or system prompt (0: none).
std::uint64_t templateKey(TemplateKind kind, std::uint64_t value);

} // namespace ds
