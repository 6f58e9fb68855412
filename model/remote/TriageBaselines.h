#pragma once

#include "detect/Indicators.h"

#include <QByteArray>
#include <QString>

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace ds {

class SqliteDb;
struct AccountProfile;
struct IndicatorBaseline;

// The population baselines the server computed over every account of the remote table (remote/TriageSql.h,
// baselinesSql): for each indicator it measures, how many accounts have a value, their mean and the percentiles
// 1..99. A case holding only the triage's candidates would otherwise compare them with each other. Value type.
struct RemoteBaseline
{
    Indicator indicator = Indicator::Requests;
    std::int64_t accounts = 0;
    double mean = 0;
    std::array<double, 99> percentiles{}; // percentiles[i]: the value at (i + 1) %
};

// Reads baselinesSql's one row. Throws TriageFormatError (remote/TriageRows.h) when it is not that row.
std::vector<RemoteBaseline> parseRemoteBaselines(const QByteArray& jsonEachRow);

// The share of the population under `value` (0..1), read from the percentiles: 0 below the 1st, 1 above the 99th,
// linear between two neighbours. The local baselines' meaning (detect/PopulationIndicators.h, computeBaselines).
double remotePercentile(const RemoteBaseline& baseline, double value);

// Detection's optional override: for each indicator the remote baselines cover, the baseline shown and every
// account's percentile come from the whole remote population instead of the accounts in the case. Indicators they
// do not cover keep the local figures. Detection's orchestrating thread.
void applyRemoteBaselines(const std::vector<RemoteBaseline>& remote, const std::vector<AccountProfile>& profiles,
                          std::vector<IndicatorBaseline>& baselines, std::vector<IndicatorValues>& percentiles);

// Case storage: the triage of the last remote import (triage_run, triage_account, triage_baseline). Created by
// knownschema::createAll() and by the first triage in older cases. Writer thread.
void ensureTriageSchema(SqliteDb& db);
// The baselines of the newest triage, empty when the case has none (or no such tables). Any connection.
std::vector<RemoteBaseline> loadRemoteBaselines(SqliteDb& db);

} // namespace ds
