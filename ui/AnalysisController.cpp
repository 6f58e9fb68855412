#include "AnalysisController.h"

#include "data/BackgroundTask.h"
#include "detect/DetectJob.h"
#include "case/AnalysisStatus.h"
#include "ingest/ImportJob.h"
#include "text/DisplayText.h"
#include "workspace/ReadConnection.h"

#include <QFileInfo>

namespace ds {

AnalysisController::AnalysisController(QObject* parent)
    : QObject(parent)
{
}

AnalysisController::~AnalysisController() = default;

void AnalysisController::setState(State s, const QString& reason)
{
    m_reason = s == State::Complete || s == State::NoCase ? QString() : reason;
    m_state = s;
    Q_EMIT stateChanged(s);
}

void AnalysisController::reportProgress(double fraction, const QString& stage, bool estimate)
{
    int eta = -1;
    const qint64 elapsed = m_stageClock.elapsed();
    // An ETA from less than 3 % done or 1 s of work is noise; say nothing instead.
    if (estimate && fraction > 0.03 && elapsed > 1000)
        eta = static_cast<int>(elapsed * (1.0 - fraction) / fraction / 1000.0);
    Q_EMIT progress(fraction, stage, eta);
}

namespace {

// One ImportRequest per distinct choice: the files recognised by their content first (accounts
// files among them are then imported before requests, as one import orders them), then each
// forced format or mapping file in the order the files were given.
QList<ImportRequest> importParts(const QString& casePath, const QStringList& files, const QList<FormatChoice>& choices)
{
    QList<ImportRequest> parts;
    QList<FormatChoice> keys;
    auto partFor = [&](const FormatChoice& c) -> ImportRequest& {
        const qsizetype i = keys.indexOf(c);
        if (i >= 0)
            return parts[i];
        keys << c;
        parts << ImportRequest{casePath, {}, c.mappingPath, c.format};
        return parts.last();
    };
    partFor(FormatChoice{}); // first, even if it stays empty
    for (qsizetype i = 0; i < files.size(); ++i)
        partFor(choices.value(i)).files << files[i];
    parts.removeIf([](const ImportRequest& r) { return r.files.isEmpty(); });
    return parts;
}

} // namespace

void AnalysisController::importAndAnalyse(const QString& casePath, const QStringList& files,
                                          const QList<FormatChoice>& choices)
{
    if (isBusy() || files.isEmpty())
        return;
    startImport(casePath, files, importParts(casePath, files, choices));
}

void AnalysisController::importStreamsAndAnalyse(const QString& casePath, const QList<StreamedLog>& streams)
{
    if (isBusy() || streams.isEmpty())
        return;
    ImportRequest request;
    request.databasePath = casePath;
    request.streams = streams;
    startImport(casePath, {}, {request});
}

void AnalysisController::startImport(const QString& casePath, const QStringList& files, const QList<ImportRequest>& parts)
{
    m_casePath = casePath;
    m_importFiles = files;
    m_parts = parts;
    for (ImportRequest& r : m_parts)
        r.beforeEachBatch = m_beforeEachBatch;
    m_part = 0;
    m_merged = {};
    m_partsRecords = m_partsQuarantined = 0;
    // Each part's share of the progress bar: its bytes on disk.
    QList<double> bytes;
    double total = 0;
    for (const ImportRequest& r : m_parts) {
        double b = 0;
        for (const QString& f : r.files)
            b += static_cast<double>(std::max<qint64>(QFileInfo(f).size(), 1));
        for (const StreamedLog& l : r.streams)
            b += static_cast<double>(std::max<qint64>(l.sizeHint, 1));
        bytes << b;
        total += b;
    }
    m_partShare.clear();
    for (double b : bytes)
        m_partShare << b / total;
    m_stageClock.start();
    setState(State::Importing, tr("Analysis incomplete: importing logs. Figures will change."));
    startImportPart();
}

void AnalysisController::startImportPart()
{
    auto* job = new ImportJob(m_parts[m_part], this);
    m_import = job;
    double before = 0;
    for (int i = 0; i < m_part; ++i)
        before += m_partShare[i];
    const double share = m_partShare[m_part];
    connect(job, &ImportJob::progressChanged, this,
            [this, before, share](qint64 done, qint64 total, qint64 records, qint64 quarantined, bool finishing,
                                  const QString& checkingFile) {
                const double fraction =
                    total > 0 ? before + share * static_cast<double>(done) / static_cast<double>(total) : -1.0;
                if (!checkingFile.isEmpty()) {
                    // A file name is attacker-chosen text: escaped, and cut so that the
                    // sentence fits the stage label's fixed 64 characters (seen cut on a screenshot).
                    reportProgress(fraction,
                                   tr("Checking if %1 is already in the case")
                                       .arg(displaytext::embedded(QFileInfo(checkingFile).fileName(), 24)),
                                   false);
                    return;
                }
                // Earlier parts' counts are added: one import, to the analyst.
                records += m_partsRecords;
                quarantined += m_partsQuarantined;
                // As short as the reading text: the status bar gives the stage a fixed width.
                const QString stage = finishing ? tr("Sorting indexes: %L1 records, %L2 quarantined")
                                                : tr("Importing: %L1 records, %L2 quarantined");
                // Bytes read say nothing about the time the index sort still takes: no ETA then.
                reportProgress(fraction, stage.arg(records).arg(quarantined), !finishing);
            });
    connect(job, &ImportJob::finished, this, &AnalysisController::onImportPartFinished);
    job->start();
}

void AnalysisController::onImportPartFinished(const ImportSummary& summary)
{
    if (m_import)
        m_import->deleteLater();
    m_merged.files += summary.files;
    for (const FileReport& f : summary.files) {
        m_partsRecords += f.records;
        m_partsQuarantined += f.quarantined;
    }
    // The case only grows during an import: its latest totals are the largest.
    m_merged.requestsInCase = std::max(m_merged.requestsInCase, summary.requestsInCase);
    m_merged.accountsInCase = std::max(m_merged.accountsInCase, summary.accountsInCase);
    m_merged.quarantinedInCase = std::max(m_merged.quarantinedInCase, summary.quarantinedInCase);
    m_merged.conflictsInCase = std::max(m_merged.conflictsInCase, summary.conflictsInCase);
    m_merged.cancelled = summary.cancelled;
    m_merged.error = summary.error;
    if (summary.cancelled || !summary.error.isEmpty() || ++m_part >= m_parts.size()) {
        // Reported in the order the files were given.
        auto byGivenOrder = [this](const FileReport& a, const FileReport& b) {
            return indexOfFile(a.path) < indexOfFile(b.path);
        };
        std::stable_sort(m_merged.files.begin(), m_merged.files.end(), byGivenOrder);
        onImportFinished(m_merged);
        return;
    }
    startImportPart();
}

qsizetype AnalysisController::indexOfFile(const QString& absolutePath) const
{
    for (qsizetype i = 0; i < m_importFiles.size(); ++i)
        if (QFileInfo(m_importFiles[i]).absoluteFilePath() == absolutePath)
            return i;
    return m_importFiles.size();
}

void AnalysisController::onImportFinished(const ImportSummary& summary)
{
    m_lastImport = summary;
    if (m_import)
        m_import->deleteLater();
    QStringList notes;
    for (const FileReport& f : summary.files)
        if (!f.message.isEmpty())
            notes << f.message;
    if (!summary.error.isEmpty()) {
        Q_EMIT message(summary.error);
        setState(summary.requestsInCase > 0 ? State::Incomplete : State::NoCase,
                 tr("Analysis incomplete: the import failed (%1).").arg(summary.error));
        Q_EMIT dataChanged();
        return;
    }
    // Differing copies of a request_id are evidence the analyst must see (the Quarantine view lists them).
    const QString conflicts = summary.conflictsInCase > 0
                                  ? tr(" %L1 conflicting copies of request ids kept in the Quarantine view.").arg(summary.conflictsInCase)
                                  : QString();
    Q_EMIT message(tr("Imported: %L1 requests from %L2 accounts in the case, %L3 records quarantined.%4 %5")
                       .arg(summary.requestsInCase)
                       .arg(summary.accountsInCase)
                       .arg(summary.quarantinedInCase)
                       .arg(conflicts, notes.join(QLatin1Char(' '))));
    Q_EMIT dataChanged();
    if (summary.cancelled) {
        setState(State::Incomplete, tr("Analysis incomplete: the import was cancelled; detection has not run."));
        return;
    }
    startDetection();
}

void AnalysisController::openCase(const QString& casePath)
{
    if (isBusy())
        return;
    m_casePath = casePath;
    Q_EMIT dataChanged();
    checkDetectionState();
}

void AnalysisController::cancel()
{
    // Each QPointer read once: checked and used as one pointer.
    if (ImportJob* job = m_import)
        job->cancel();
    if (DetectJob* job = m_detect)
        job->cancel();
}

void AnalysisController::runDetection()
{
    if (!isBusy() && !m_casePath.isEmpty())
        startDetection();
}

void AnalysisController::startDetection()
{
    auto* job = new DetectJob(m_casePath, DetectSettings{}, this);
    m_detect = job;
    m_stageClock.start();
    setState(State::Detecting, tr("Analysis incomplete: detection is running. Clusters, scores and reasons are not final."));
    connect(job, &DetectJob::progressChanged, this, [this](int stage, const QString& stageName, double fraction, qint64) {
        // Stages weigh differently; the scan dominates, so it takes most of the bar.
        static constexpr double start[] = {0.0, 0.02, 0.55, 0.65, 0.8, 0.9, 0.95, 1.0};
        const int s = std::clamp(stage, 0, 6);
        const double overall = start[s] + (start[s + 1] - start[s]) * std::clamp(fraction, 0.0, 1.0);
        reportProgress(overall, tr("Detecting: %1").arg(stageName));
    });
    connect(job, &DetectJob::finished, this, &AnalysisController::onDetectFinished);
    job->start();
}

void AnalysisController::onDetectFinished(const DetectSummary& summary)
{
    if (m_detect)
        m_detect->deleteLater();
    if (summary.cancelled) {
        setState(State::Incomplete, tr("Analysis incomplete: detection was cancelled before it finished."));
        Q_EMIT message(tr("Detection cancelled"));
        return;
    }
    if (!summary.error.isEmpty()) {
        setState(State::Incomplete, tr("Analysis incomplete: detection failed (%1).").arg(summary.error));
        Q_EMIT message(tr("Detection failed: %1").arg(summary.error));
        return;
    }
    QString carried;
    if (!summary.reviewsCarried.isEmpty())
        carried = QLatin1Char(' ') + tr("Verdicts of the previous run: %1").arg(summary.reviewsCarried.join(QLatin1Char(' ')));
    Q_EMIT message(tr("Detection finished: %L1 flagged networks, %L2 flagged accounts of %L3.")
                       .arg(summary.flaggedClusters)
                       .arg(summary.flaggedAccounts)
                       .arg(summary.accounts)
                   + carried);
    setState(State::Complete);
    Q_EMIT resultsChanged();
    if (!summary.reviewsCarried.isEmpty())
        Q_EMIT verdictsCarried(summary.reviewsCarried);
}

void AnalysisController::checkDetectionState()
{
    const quint64 generation = ++m_generation;
    // The same judgement the report uses (case/AnalysisStatus.h), so the banner and the report agree.
    std::function<AnalysisStatus()> work = [path = m_casePath] { return analysisStatus(readConnection(path)); };
    runInBackground<AnalysisStatus>(this, std::move(work), [this, generation](TaskResult<AnalysisStatus> r) {
        if (generation != m_generation || isBusy())
            return;
        if (!r.ok())
            setState(State::Incomplete, tr("Analysis incomplete: the case could not be read (%1).").arg(r.error));
        else if (!r.value.complete)
            setState(State::Incomplete, tr("Analysis incomplete: %1 (Analysis > Run detection)").arg(r.value.reason));
        else
            setState(State::Complete);
        if (r.ok() && r.value.run)
            Q_EMIT resultsChanged();
    });
}

} // namespace ds
