#pragma once

#include "detect/PopulationCounts.h"
#include "remote/TriageRows.h"

#include <vector>

namespace ds {

class SqliteDb;
struct CaseSnapshot;

// The population behind a triage's pull (issue 15): for every IP, network and user agent the pulled accounts use,
// how many accounts of the whole remote table use it (valuePopulationSql), and how the table's shared values divide
// by size (valueSizesSql), and when the table's accounts began (accountStartsSql). Detection reads them back as PopulationCounts so the links among the pulled accounts, and
// the communities' normalisation, are those of the whole table (docs/CLICKHOUSE_TRIAGE.md).

// Case storage: triage_value (run, kind, value, accounts), triage_value_size (run, kind, accounts, value_count) and
// triage_start (run, minute, accounts).
// Created by knownschema::createAll() and by the first triage in older cases. Writer thread.
void ensureTriagePopulationSchema(SqliteDb& db);

// Records one triage's figures under triage_run `run`. Writer thread, inside the pull's transaction.
void storeTriagePopulation(SqliteDb& db, std::int64_t run, const std::vector<ValuePopulation>& values,
                           const std::vector<ValuePopulation>& sizes,
                           const std::vector<std::pair<std::int64_t, std::int64_t>>& starts);

// The newest triage's population, keyed by the case's ids (`snap` names the networks), with `accounts` the whole
// table's account count from its baselines; empty (not present()) when the case has no triage or the triage
// measured no values (a case made before they were). Detection's orchestrating thread, any connection.
PopulationCounts loadTriagePopulation(SqliteDb& db, const CaseSnapshot& snap);

} // namespace ds
