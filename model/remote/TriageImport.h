#pragma once

#include "ingest/ImportTypes.h"
#include "remote/TriageRun.h"

#include <QString>

#include <memory>
#include <vector>

namespace ds {

class CancelToken;
class ClickHouseSource;

// An import with remote tables read through the triage (docs/CLICKHOUSE_TRIAGE.md): the local files first (the
// accounts file says what the remote table does not: creation times, payment fingerprints, e-mail domains), then
// each table's triage on its server, then only the chosen accounts' rows pulled through the importer. Each table's
// triage is recorded in the case in the same transaction as its pull, so a failed or cancelled pull leaves neither.
struct TriageImportResult
{
    ImportSummary summary;          // of the files and the pulls together (the last import's case totals)
    std::vector<TriageOutcome> triages; // one per source, in order
    QString error;                  // a triage that could not run: one sentence; nothing of that source was pulled
};

// `request` holds the local files (and no streams); `sources` are prepared (ClickHouseSource::prepare). Blocks:
// a worker thread or the CLI's main thread.
TriageImportResult importWithTriage(const ImportRequest& request,
                                    const std::vector<std::shared_ptr<ClickHouseSource>>& sources,
                                    const TriageSettings& settings, const TriageSqlOptions& sqlOptions,
                                    const QStringList& publicEmailDomains, ImportProgress& progress,
                                    const CancelToken& cancel, const ProgressCallback& onProgress = {});

// The importer's view of `source` once `outcome` restricted its pull: the triage is recorded in the case
// (storeTriage) inside the pull's own transaction, so a pull that fails or is cancelled leaves no triage behind.
// Used by importWithTriage and by the GUI's Open from ClickHouse. Any thread; the importer calls what it holds.
StreamedLog triagedStreamedLog(ClickHouseSource& source, const TriageOutcome& outcome, const TriageSettings& settings);

// One line for the analyst: how many rows of how many the triage chose, from how many accounts and why.
QString triageSummaryLine(const QString& address, const TriageOutcome& outcome);

} // namespace ds
