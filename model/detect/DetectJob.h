#pragma once

#include "core/PolledTask.h"
#include "detect/Detector.h"

#include <QObject>

namespace ds {

// Runs a Detector in the thread pool for the GUI: emits progress from a 100 ms
// timer on the owner's thread (never from the worker) and finished() once, with
// the summary. Create, use and destroy it on one thread (the GUI thread);
// destroying it cancels and waits for the worker.
class DetectJob : public QObject
{
    Q_OBJECT
public:
    DetectJob(QString databasePath, DetectSettings settings, QObject* parent = nullptr);

    void start();
    void cancel() { m_task.cancel(); }
    bool isRunning() const { return m_task.isRunning(); }

Q_SIGNALS:
    // `stage` is a DetectStage; `fraction` 0..1 within the stage.
    void progressChanged(int stage, const QString& stageName, double fraction, qint64 requestsRead);
    void finished(const ds::DetectSummary& summary);

private:
    void emitProgress(const DetectProgress& progress);

    QString m_path;
    DetectSettings m_settings;
    PolledTask<DetectSummary, DetectProgress> m_task;
};

} // namespace ds

Q_DECLARE_METATYPE(ds::DetectSummary)
