#pragma once

#include "detect/DetectionOutcome.h"
#include "detect/PopulationIndicators.h"

#include <QJsonObject>

#include <vector>

namespace ds {

class SqliteDb;
struct LinkGraph;
struct DetectSettings;

// Stores a run's results in the detection tables (one transaction). Writer thread.
void storeOutcome(SqliteDb& db, std::int64_t run, const DetectionOutcome& outcome,
                  const std::vector<AccountProfile>& profiles, const std::vector<IndicatorValues>& percentiles,
                  const std::vector<IndicatorBaseline>& baselines, const LinkGraph& graph, const DetectSettings& settings);

} // namespace ds
