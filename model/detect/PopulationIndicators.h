#pragma once

#include "detect/AccountProfile.h"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace ds {

struct CaseSnapshot;
struct DetectSettings;

// Heavy users of each template key across the population (account ids, sorted).
using TemplateUsers = std::unordered_map<std::uint64_t, std::vector<std::uint32_t>>;

// The indicators that need the whole population: release chasing (a model's
// release is its first appearance in the case), accounts per e-mail domain,
// lockstep (same template, same window, several accounts) and template peers;
// then each account's facet and behaviour scores. Returns the heavy users of
// every template shared by two or more accounts. Orchestrating thread.
TemplateUsers completeIndicators(std::vector<AccountProfile>& profiles, const CaseSnapshot& snapshot,
                                 const DetectSettings& settings);

// Population baseline of one indicator, for "this account vs everyone".
struct IndicatorBaseline
{
    std::int64_t accounts = 0; // accounts with a value
    double mean = 0, p50 = 0, p90 = 0, p99 = 0;
};

// Computes the baselines over active accounts and each account's percentile
// (0..1, share of accounts with a lower value; NaN where the value is unknown).
// `percentiles[account][indicator]`. Any single thread.
std::vector<IndicatorBaseline> computeBaselines(const std::vector<AccountProfile>& profiles,
                                                std::vector<IndicatorValues>& percentiles);

} // namespace ds
