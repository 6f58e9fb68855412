#pragma once

#include "detect/Indicators.h"

namespace ds {

struct DetectSettings;

// Turns an account's raw indicators into facet scores (0..1) and the weighted
// behaviour score, writing them into the Score* and Behaviour slots of `ind`.
// Unknown (NaN) indicators score 0: missing data never raises suspicion. Pure: any thread.
void scoreBehaviour(IndicatorValues& ind, const DetectSettings& settings);

// Linear ramp: 0 at `lo`, 1 at `hi` (either direction), clamped; NaN gives 0.
double ramp(double value, double lo, double hi);

} // namespace ds
