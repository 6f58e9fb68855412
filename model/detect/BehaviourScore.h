#pragma once

#include "detect/Indicators.h"

namespace ds {

struct DetectSettings;

// Turns an account's raw indicators into facet scores (0..1) and the weighted
// behaviour score, writing them into the Score* and Behaviour slots of `ind`.
// Unknown (NaN) indicators score 0: missing data never raises suspicion. Pure: any thread.
void scoreBehaviour(IndicatorValues& ind, const DetectSettings& settings);

// The harvest rate (0..1): the harvest profile without its volume part, for accounts too small for the count ramp
// (docs/HARVEST_SIGNAL.md section 6). Share of harvest-class requests, their output length and their output per
// prompt token (or, over two families, their answers cut at the client's max_tokens: section 10), the weakest counting half; half when no task family carries the harvest-class requests or when heavy
// templates make it a harness or a popular product's. 0 under minRequestsForRates requests or
// cohortMinHarvestRequests harvest-class ones. Read from `ind` after scoreBehaviour. Pure: any thread.
double harvestRate(const IndicatorValues& ind, const DetectSettings& settings);

// Linear ramp: 0 at `lo`, 1 at `hi` (either direction), clamped; NaN gives 0.
double ramp(double value, double lo, double hi);

} // namespace ds
