#include "detect/DetectJob.h"

#include "case/ReviewCarry.h"
#include "core/Sqlite.h"

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
        DetectSummary summary = Detector::run(path, settings, progress, cancel);
        // The analyst's verdicts follow their networks into the new run, here on the
        // worker, before the views reload and show the new run.
        if (summary.error.isEmpty() && !summary.cancelled && summary.run > 0) {
            try {
                summary.reviewsCarried = carryClusterReviews(path, summary.run).sentences();
            } catch (const std::exception& e) {
                summary.error = QStringLiteral("the analyst's verdicts could not be carried to the new run: %1")
                                    .arg(QString::fromUtf8(e.what()));
            }
        }
        return summary;
    });
}

void DetectJob::emitProgress(const DetectProgress& p)
{
    const int stage = p.stage.load();
    Q_EMIT progressChanged(stage, QLatin1String(detectStageName(static_cast<DetectStage>(stage))), p.fraction(),
                           p.requestsRead.load());
}

} // namespace ds
