#pragma once

#include "text/HarvestFeatures.h"

#include <QString>

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace ds {

struct PromptFeatures;

// The request-level harvest model: a logistic regression over the features of
// text/HarvestFeatures, trained offline (tools/harvest-train, liblinear) and
// compiled in as resources/harvest_model.txt. Scores are integers: weights are
// fixed-point, summed in a fixed order, and the 0..1000 score is read from a
// table of margins, so a request scores the same on every run and thread.
// Immutable after loading: any thread may score.
class HarvestModel
{
public:
    // Parses the text format written by tools/harvest-train; false (and a message) when it is not one.
    bool parse(std::string_view text, QString* error);

    // The model compiled into the program, loaded on first use (thread-safe).
    static const HarvestModel& shared();

    bool isLoaded() const { return !m_weights.empty(); }
    // Fixed-point margin (scale kScale) of feature occurrences (HarvestFeatures): bias plus their weights.
    std::int64_t margin(const std::vector<std::uint32_t>& indices) const;
    // 0..1000: round(1000 * logistic(margin / kScale)).
    int scoreOfMargin(std::int64_t margin) const;
    int score(const std::vector<std::uint32_t>& indices) const { return scoreOfMargin(margin(indices)); }
    // The margin of a request's features, the same as margin(harvestFeatureIndices(...)) but not listing them.
    std::int64_t marginOf(std::string_view systemPrompt, std::string_view prompt, int toolCount,
                          const PromptFeatures& features) const;

    static constexpr std::int64_t kScale = 4096;

private:
    std::vector<std::int32_t> m_weights; // one per feature index
    HarvestWeights m_scoring; // m_weights as the import's scoring reads them
    std::int64_t m_bias = 0;
    std::array<std::int64_t, 1000> m_steps{}; // margin at which the score reaches k + 1 (k = 0..999)
};

// The harvest score of one request, 0..1000, with the compiled-in model (0 if it is missing).
// Any thread.
int harvestScore(std::string_view systemPrompt, std::string_view prompt, int toolCount, const PromptFeatures& features);

} // namespace ds
