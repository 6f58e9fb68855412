#pragma once

#include "ingest/ImportPreview.h"
#include "ingest/ImportTypes.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QStringList>

namespace ds {

class DetectJob;
class ImportJob;
struct DetectSummary;

// Runs the analysis of a case in the background: import of new files, then
// detection. Reports one progress fraction with an ETA, a stage text, and the
// analysis state every view shows in its banner. Owns the jobs; GUI thread only.
class AnalysisController : public QObject
{
    Q_OBJECT
public:
    enum class State {
        NoCase,     // nothing open
        Importing,
        Detecting,
        Complete,   // detection finished on the current data
        Incomplete, // data present but no finished detection (cancelled, failed, not run)
    };
    Q_ENUM(State)

    explicit AnalysisController(QObject* parent = nullptr);
    ~AnalysisController() override;

    // Imports `files` into the case at `casePath`, then runs detection. `choices` (parallel to
    // `files`; empty: every file recognised by its content) say how each file is read: files
    // with the same choice are imported together, those recognised by content first.
    void importAndAnalyse(const QString& casePath, const QStringList& files, const QList<FormatChoice>& choices = {});
    // The same for logs that are not files (a ClickHouse table: ClickHouseSource::streamedLog()).
    void importStreamsAndAnalyse(const QString& casePath, const QList<StreamedLog>& streams);
    // Opens an existing case: its state comes from what the database holds.
    void openCase(const QString& casePath);
    // Runs detection on the open case.
    void runDetection();
    void cancel();

    State state() const { return m_state; }
    QString casePath() const { return m_casePath; }
    bool isBusy() const { return m_state == State::Importing || m_state == State::Detecting; }
    // Why the analysis is incomplete, for the banners; empty when complete.
    QString incompleteReason() const { return m_reason; }
    const ImportSummary& lastImport() const { return m_lastImport; }
    // Tests: runs before each batch an import writes, and may throw (ImportRequest::beforeEachBatch).
    void setBeforeEachImportBatch(std::function<void()> hook) { m_beforeEachBatch = std::move(hook); }

Q_SIGNALS:
    void stateChanged(ds::AnalysisController::State state);
    // Detection results were written (or found when opening the case).
    void resultsChanged();
    // fraction in [0,1] (or -1 when unknown), stage text, seconds left (-1 unknown).
    void progress(double fraction, const QString& stage, int etaSeconds);
    // New data was committed to the case (views reload).
    void dataChanged();
    // A re-run of detection carried the analyst's verdicts of the run before: what happened to each
    // (case/ReviewCarry.h sentences).
    void verdictsCarried(const QStringList& sentences);
    // One-line outcome of a stage for the status bar.
    void message(const QString& text);

private:
    void setState(State s, const QString& reason = {});
    void startImport(const QString& casePath, const QStringList& files, const QList<ImportRequest>& parts);
    void startImportPart();
    void onImportPartFinished(const ImportSummary& summary);
    void onImportFinished(const ImportSummary& summary);
    qsizetype indexOfFile(const QString& absolutePath) const;
    // `estimate`: whether `fraction` predicts the time left (an ETA is shown).
    void reportProgress(double fraction, const QString& stage, bool estimate = true);
    void checkDetectionState();
    void onDetectFinished(const DetectSummary& summary);
    void startDetection();

    State m_state = State::NoCase;
    QString m_casePath;
    QString m_reason;
    QPointer<ImportJob> m_import;
    QPointer<DetectJob> m_detect;
    ImportSummary m_lastImport;
    // An import in parts, one ImportRequest per format choice, run one after the other.
    QList<ImportRequest> m_parts;
    QList<double> m_partShare; // of the bytes of all parts, for one progress bar
    int m_part = 0;
    QStringList m_importFiles; // in the order given, to report files in that order
    ImportSummary m_merged;
    qint64 m_partsRecords = 0, m_partsQuarantined = 0; // read by the parts already finished
    QElapsedTimer m_stageClock;
    quint64 m_generation = 0;
    std::function<void()> m_beforeEachBatch;
};

} // namespace ds
