#pragma once

#include "detect/DetectionOutcome.h"

namespace ds {

class SqliteDb;

// Partners' indicators as detection evidence: each flagged network and each flagged account whose accounts matched
// an imported indicator (indicators/IndicatorStore.h) gets a reason saying so, after the reasons detection found
// itself ("2 of the 12 accounts share IP range “185.196.110.0/24”, named in the bundle of “Acme AI” (the
// producer's confidence: 80 of 100)."). Hits never flag anything on their own: accounts and networks that
// detection did not flag get no reason. Orchestrating thread, with its connection.
namespace indicators {

void addEvidence(DetectionOutcome& outcome, SqliteDb& db);

} // namespace indicators
} // namespace ds
