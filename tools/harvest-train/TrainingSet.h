#pragma once

#include "sim/SimCorpus.h"
#include "text/CorpusSplit.h"

#include <string>
#include <vector>

namespace ds {

// One labelled request of the harvest model's training or held-out set.
struct HarvestExample
{
    std::string systemPrompt, prompt;
    int toolCount = 0;
    bool harvest = false;
    std::string kind; // e.g. "math-wrapped", "chat": for the per-kind table of the calibration
};

// Which wrapper phrasings the generated requests use: the training set and the
// held-out set have disjoint lists, so the calibration measures paraphrases the
// model never saw, on tasks it never saw (the other corpus part).
enum class Phrasing { Training, Evaluation };

// Builds the labelled requests from the corpora's `part` (corpusSplit of each
// task's own text), deterministically. Main thread of the tool only.
std::vector<HarvestExample> buildHarvestSet(const SimCorpus& corpus, CorpusPart part, Phrasing phrasing);

} // namespace ds
