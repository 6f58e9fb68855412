#pragma once

#include "core/CancelToken.h"
#include "detect/Detector.h"

#include <QFutureWatcher>
#include <QObject>
#include <QTimer>

#include <memory>

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
    ~DetectJob() override;

    void start();
    void cancel();
    bool isRunning() const;

Q_SIGNALS:
    // `stage` is a DetectStage; `fraction` 0..1 within the stage.
    void progressChanged(int stage, const QString& stageName, double fraction, qint64 requestsRead);
    void finished(const ds::DetectSummary& summary);

private:
    void emitProgress();

    QString m_path;
    DetectSettings m_settings;
    std::shared_ptr<DetectProgress> m_progress = std::make_shared<DetectProgress>();
    std::shared_ptr<CancelToken> m_cancel = std::make_shared<CancelToken>();
    QFutureWatcher<DetectSummary> m_watcher;
    QTimer m_timer;
};

} // namespace ds

Q_DECLARE_METATYPE(ds::DetectSummary)
