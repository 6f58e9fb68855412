#pragma once

#include "text/PromptFeatures.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace ds {

// The inputs of the request-level harvest model (text/HarvestModel), shared by
// the import's scoring and the offline training tool (tools/harvest-train) so
// that both see exactly the same features. All are binary (present or not):
// hashed word unigrams and bigrams of the system prompt and prompt, then a few
// dense ones from PromptFeatures (flags, category, length, numbers, tools).
// Pure functions: any thread.

constexpr int kHarvestHashBits = 18;
constexpr std::uint32_t kHarvestBuckets = 1u << kHarvestHashBits;

// Dense features, after the hashed buckets (index kHarvestBuckets + offset).
enum HarvestDense : std::uint32_t {
    DenseFlags = 0,      // 7: one per PromptFlag bit
    DenseCategory = 7,   // 7: one-hot TaskCategory
    DenseLength = 14,    // 16: floor(log2(bytes + 1)), capped
    DenseNumbers = 30,   // 5: how many numbers: 0, 1, 2-3, 4-7, 8+
    DenseTools = 35,     // 1: tools offered
    DenseSystem = 36,    // 1: a system prompt
    DenseTask = 37,      // 1: a substantial task (task fingerprint not 0)
    DenseLines = 38,     // 4: lines: 1, 2-5, 6-20, 21+
    DenseQuestion = 42,  // 1: a question mark
    kHarvestDenseCount = 43
};
constexpr std::uint32_t kHarvestFeatureCount = kHarvestBuckets + kHarvestDenseCount;

// How many tokens of a request are read: the task's shape shows early, and a
// pasted file must not cost the import more than a bounded amount.
constexpr int kHarvestMaxTokens = 3000;

// Replaces `out` with the distinct indices (0-based, < kHarvestFeatureCount) of
// the features present in a request, in order of first occurrence (not sorted:
// the import only sums their weights). `features` are the request's PromptFeatures.
void harvestFeatureIndices(std::string_view systemPrompt, std::string_view prompt, int toolCount,
                           const PromptFeatures& features, std::vector<std::uint32_t>& out);

// A model's weights in the layout the import's scoring reads: of 2^18 hashed
// buckets only a few hundred have a weight, so they are found through a bitmap
// (32 KB, in cache) and ranked into a small array, instead of read from a 1 MB
// table whose misses showed in profiles. Immutable once built: any thread.
struct HarvestWeights
{
    std::vector<std::uint64_t> weighted;  // kHarvestBuckets bits: the bucket's weight is not 0
    std::vector<std::uint16_t> rankBase;  // per 64-bit word of `weighted`: weighted buckets before it
    std::vector<std::int32_t> bucketWeights; // the weighted buckets' weights, in bucket order
    std::vector<std::int32_t> dense;      // kHarvestDenseCount weights of the dense features

    // From one weight per feature index (kHarvestFeatureCount of them).
    explicit HarvestWeights(const std::vector<std::int32_t>& weights = {});
};

// The sum of the weights of the features harvestFeatureIndices() lists, without
// listing them: the import's scoring.
std::int64_t harvestWeightSum(std::string_view systemPrompt, std::string_view prompt, int toolCount,
                              const PromptFeatures& features, const HarvestWeights& weights);

} // namespace ds
