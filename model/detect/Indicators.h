#pragma once

#include <array>
#include <cstddef>

namespace ds {

// The per-account indicators of docs/THREAT_MODEL.md, in the order they are stored
// (account_indicator.indicator). Adding one: append, never renumber.
enum class Indicator : int {
    Requests = 0,
    RequestsPerActiveDay,
    OutputTokens,
    OutputTokensPerActiveDay,
    ActiveDays,
    InterArrivalCv,
    HourEntropy,
    QuietHoursShare,
    PeakPerMinute,
    PeakVsLimit,
    OutputInputRatio,
    MaxTokensHitShare,
    MeanOutputTokens,
    LongAskShare,
    TopTemplateShare,
    TemplatesPerRequest,
    SystemPromptShare,
    CategoryEntropy,
    CotRate,
    GradingRate,
    SensitiveRewriteRate,
    AgenticCodingShare,
    ReleaseChasing,
    DistinctIps,
    DistinctNetworks,
    DistinctUserAgents,
    EmailDomainAccounts,
    AgeDaysAtFirstUse,
    LockstepShare,
    TemplatePeers,
    TemplatedShare,
    // Behaviour facets (0..1) derived from the raw indicators above.
    ScoreHarvest,
    ScoreTemplating,
    ScoreElicitation,
    ScoreAutomation,
    ScoreNarrow,
    ScoreInfrastructure,
    ScoreRelease,
    Behaviour,
    ShortGapLogSd,
    // Harvest profile (docs/HARVEST_SIGNAL.md): requests whose harvest score reaches harvestRequestMin.
    HarvestClassShare,
    HarvestClassRequests,
    HarvestClassOutput,
    HarvestClassRatio,
    SharedTasks,
    SharedTaskAccounts,
    HarvestFamilies,
    ScoreHarvestProfile,
    HarvestClassCutShare,
    Count
};
constexpr int kIndicatorCount = static_cast<int>(Indicator::Count);

struct IndicatorInfo
{
    const char* key;         // stable identifier (JSON, UI)
    const char* label;       // short human label
    const char* description; // one sentence
};
// Any thread.
const IndicatorInfo& indicatorInfo(Indicator i);
inline const IndicatorInfo& indicatorInfo(int i) { return indicatorInfo(static_cast<Indicator>(i)); }

using IndicatorValues = std::array<double, kIndicatorCount>;

} // namespace ds
