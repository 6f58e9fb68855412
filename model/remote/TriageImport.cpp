#include "remote/TriageImport.h"

#include "core/CancelToken.h"
#include "core/CaseDatabase.h"
#include "ingest/Importer.h"
#include "remote/ClickHouseSource.h"

namespace ds {

TriageImportResult importWithTriage(const ImportRequest& request,
                                    const std::vector<std::shared_ptr<ClickHouseSource>>& sources,
                                    const TriageSettings& settings, const TriageSqlOptions& sqlOptions,
                                    const QStringList& publicEmailDomains, ImportProgress& progress,
                                    const CancelToken& cancel, const ProgressCallback& onProgress)
{
    TriageImportResult out;
    ImportRequest local = request;
    local.streams.clear();
    if (!local.files.isEmpty()) {
        out.summary = Importer::run(local, progress, cancel, onProgress);
        if (out.summary.cancelled || !out.summary.error.isEmpty())
            return out;
    }
    QHash<QString, TriageAccountInfo> info;
    try {
        SqliteDb db = CaseDatabase::openForWriting(request.databasePath);
        info = readTriageAccountInfo(db, publicEmailDomains);
    } catch (const std::exception& e) {
        out.summary.error = QString::fromUtf8(e.what());
        return out;
    }

    ImportRequest remote;
    remote.databasePath = request.databasePath;
    remote.maxRecordBytes = request.maxRecordBytes;
    for (const std::shared_ptr<ClickHouseSource>& source : sources) {
        TriageOutcome outcome = runTriage(*source, info, settings, sqlOptions, &cancel);
        if (!outcome.ok()) {
            out.error = outcome.response.message;
            out.summary.cancelled = outcome.response.error == ClickHouseError::Cancelled;
            return out;
        }
        out.triages.push_back(outcome);
        remote.streams.append(triagedStreamedLog(*source, outcome, settings));
    }
    if (remote.streams.isEmpty())
        return out;
    const ImportSummary pulled = Importer::run(remote, progress, cancel, onProgress);
    out.summary.files += pulled.files;
    out.summary.requestsInCase = pulled.requestsInCase;
    out.summary.accountsInCase = pulled.accountsInCase;
    out.summary.quarantinedInCase = pulled.quarantinedInCase;
    out.summary.cancelled = pulled.cancelled;
    out.summary.error = pulled.error;
    return out;
}

StreamedLog triagedStreamedLog(ClickHouseSource& source, const TriageOutcome& outcome, const TriageSettings& settings)
{
    StreamedLog log = source.streamedLog();
    log.recordProvenance = [inner = log.recordProvenance, outcome, address = source.url().redacted(),
                            settings](SqliteDb& db, std::int64_t sourceFileId, const FileReport& report) {
        if (inner)
            inner(db, sourceFileId, report);
        storeTriage(db, address, outcome, settings);
    };
    return log;
}

QString triageSummaryLine(const QString& address, const TriageOutcome& o)
{
    const TriageSelection& s = o.selection;
    const double share = s.rowsTotal ? 100.0 * static_cast<double>(s.rowsPulled) / static_cast<double>(s.rowsTotal) : 0.0;
    QString line = QStringLiteral("triage: %1: %2 of %3 rows chosen (%4 %), %5 of %6 accounts: %7 candidates, %8 linked to them")
                       .arg(address)
                       .arg(s.rowsPulled)
                       .arg(s.rowsTotal)
                       .arg(share, 0, 'f', 1)
                       .arg(s.pulled.size())
                       .arg(o.accountsTotal)
                       .arg(s.candidates - s.droppedCandidates)
                       .arg(s.linked - s.droppedLinked);
    if (s.droppedCandidates + s.droppedLinked > 0)
        line += QStringLiteral("; %1 left out by the row budget").arg(s.droppedCandidates + s.droppedLinked);
    return line;
}

} // namespace ds
