#pragma once

#include "detect/DetectionOutcome.h"
#include "detect/PopulationIndicators.h"

#include <vector>

namespace ds {

class SqliteDb;
struct CaseSnapshot;
struct DetectSettings;
struct EvidenceCoverage;

// Writes the reasons of every flagged cluster and account: one sentence each
// with the numbers (the account or network against the population median or
// percentile) and its evidence as JSON (request ids, shared values, time
// windows). Reads dictionary values and prompt excerpts through `db`. When the
// logs lack kinds of evidence (`coverage`), every flagged network and every
// account flagged on its own ends with a reason saying which ("evidence_gaps"),
// and sentences leave out the numbers of a kind the logs do not carry.
// Orchestrating thread.
void explainOutcome(DetectionOutcome& outcome, const std::vector<AccountProfile>& profiles,
                    const std::vector<IndicatorValues>& percentiles, const std::vector<IndicatorBaseline>& baselines,
                    const CaseSnapshot& snapshot, SqliteDb& db, const DetectSettings& settings,
                    const EvidenceCoverage& coverage);

} // namespace ds
