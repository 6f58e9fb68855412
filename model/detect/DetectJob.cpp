#include "detect/DetectJob.h"

namespace ds {

DetectJob::DetectJob(QString databasePath, DetectSettings settings, QObject* parent)
    : QObject(parent)
    , m_path(std::move(databasePath))
    , m_settings(std::move(settings))
    , m_task(
          this, [this](const DetectProgress& p) { emitProgress(p); },
          [this](const DetectSummary& s) { Q_EMIT finished(s); })
{
}

void DetectJob::start()
{
    m_task.start([path = m_path, settings = m_settings](DetectProgress& progress, const CancelToken& cancel) {
        return Detector::run(path, settings, progress, cancel);
    });
}

void DetectJob::emitProgress(const DetectProgress& p)
{
    const int stage = p.stage.load();
    Q_EMIT progressChanged(stage, QLatin1String(detectStageName(static_cast<DetectStage>(stage))), p.fraction(),
                           p.requestsRead.load());
}

} // namespace ds
