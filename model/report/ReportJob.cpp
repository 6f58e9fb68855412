#include "report/ReportJob.h"

#include <QtConcurrent/QtConcurrentRun>

namespace ds {

ReportJob::ReportJob(ReportRequest request, QObject* parent)
    : QObject(parent)
    , m_request(std::move(request))
{
    m_timer.setInterval(100);
    connect(&m_timer, &QTimer::timeout, this, [this] { Q_EMIT progressChanged(m_progress->load() / 1000.0); });
    connect(&m_watcher, &QFutureWatcher<ReportResult>::finished, this, [this] {
        m_timer.stop();
        Q_EMIT progressChanged(m_progress->load() / 1000.0);
        Q_EMIT finished(m_watcher.result());
    });
}

ReportJob::~ReportJob()
{
    m_cancel->requestCancel();
    m_watcher.waitForFinished();
}

void ReportJob::start()
{
    if (m_watcher.isRunning())
        return;
    m_cancel->reset();
    m_progress->store(0);
    // The worker holds its own copies: the job may be destroyed (cancel + wait) while it runs.
    auto progress = m_progress;
    auto cancel = m_cancel;
    const ReportRequest request = m_request;
    m_watcher.setFuture(QtConcurrent::run([request, progress, cancel] { return ReportWriter::write(request, *progress, *cancel); }));
    m_timer.start();
}

void ReportJob::cancel() { m_cancel->requestCancel(); }

} // namespace ds
