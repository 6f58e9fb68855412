#pragma once

#include "remote/ClickHouseClient.h"
#include "remote/ClickHouseSource.h"
#include "remote/TriageBaselines.h"
#include "remote/TriageColumns.h"
#include "remote/TriageSelect.h"

#include <QHash>
#include <QList>
#include <QString>

#include <cstdint>
#include <vector>

namespace ds {

class CancelToken;
class FieldMapping;
class SqliteDb;
struct DetectSettings;

// The triage of one remote table: the queries sent, what they found and whom to pull. Value type.
struct TriageOutcome
{
    ClickHouseResponse response; // not ok: why the triage could not run, one sentence
    TriageSelection selection;
    std::vector<RemoteBaseline> baselines;
    std::vector<ValuePopulation> values, valueSizes; // the population behind the pulled accounts' values
    std::vector<std::pair<std::int64_t, std::int64_t>> starts; // the table's accounts' first requests by minute
    QList<ClickHouseSource::SentQuery> sent;
    std::int64_t accountsTotal = 0; // accounts with minRequests or more
    std::int64_t startedAtMs = 0, finishedAtMs = 0;
    bool ok() const { return response.ok(); }
};

// Where the triage reads each field of `table` as `mapping` (a format preset) maps it: the first of a rule's
// sources the table holds; a source inside a JSON column (Helicone's request_body.messages) reads that column's
// whole text, and then template fingerprints are left out (every row's JSON starts alike). `where` is the pull's
// time range condition. Any thread.
TriageColumns triageColumnsFor(const ClickHouseTableInfo& table, const FieldMapping& mapping, const QString& where);

// What the case knows of each account from accounts files imported before the triage (created_at, private e-mail
// domains, payment fingerprints), keyed by account id. `publicDomains` as detection's settings list them. Any
// connection; the calling thread.
QHash<QString, TriageAccountInfo> readTriageAccountInfo(SqliteDb& db, const QStringList& publicDomains);

// Runs the triage queries on the source's table (its time range and format), chooses the accounts and restricts
// the source's pull to them. The queries are added to the source's provenance (remote_query) by the import. Blocks:
// call from a worker thread or the CLI's main thread.
TriageOutcome runTriage(ClickHouseSource& source, const QHash<QString, TriageAccountInfo>& info,
                        const TriageSettings& settings, const TriageSqlOptions& sqlOptions, const CancelToken* cancel);

// Records the outcome in the case (triage_run, triage_account, triage_baseline, triage_value, triage_value_size,
// triage_start); detection then reads the baselines (Detector, applyRemoteBaselines) and the population
// (loadTriagePopulation). Writer thread, inside or outside a transaction.
void storeTriage(SqliteDb& db, const QString& address, const TriageOutcome& outcome, const TriageSettings& settings);

} // namespace ds
