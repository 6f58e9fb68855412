#include "detect/DetectJob.h"

#include <QtConcurrent/QtConcurrentRun>

namespace ds {

DetectJob::DetectJob(QString databasePath, DetectSettings settings, QObject* parent)
    : QObject(parent)
    , m_path(std::move(databasePath))
    , m_settings(std::move(settings))
{
    m_timer.setInterval(100);
    connect(&m_timer, &QTimer::timeout, this, &DetectJob::emitProgress);
    connect(&m_watcher, &QFutureWatcher<DetectSummary>::finished, this, [this] {
        m_timer.stop();
        emitProgress();
        Q_EMIT finished(m_watcher.result());
    });
}

DetectJob::~DetectJob()
{
    if (m_watcher.isRunning()) {
        m_cancel->requestCancel();
        m_watcher.waitForFinished();
    }
}

void DetectJob::start()
{
    // The worker holds its own references, so it never touches a destroyed job.
    auto progress = m_progress;
    auto cancel = m_cancel;
    m_watcher.setFuture(QtConcurrent::run([path = m_path, settings = m_settings, progress, cancel] {
        return Detector::run(path, settings, *progress, *cancel);
    }));
    m_timer.start();
}

void DetectJob::cancel() { m_cancel->requestCancel(); }

bool DetectJob::isRunning() const { return m_watcher.isRunning(); }

void DetectJob::emitProgress()
{
    const int stage = m_progress->stage.load();
    Q_EMIT progressChanged(stage, QLatin1String(detectStageName(static_cast<DetectStage>(stage))), m_progress->fraction(),
                           m_progress->requestsRead.load());
}

} // namespace ds
