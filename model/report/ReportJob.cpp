#include "report/ReportJob.h"

namespace ds {

ReportJob::ReportJob(ReportRequest request, QObject* parent)
    : QObject(parent)
    , m_request(std::move(request))
    , m_task(
          this, [this](const std::atomic<int>& thousandths) { Q_EMIT progressChanged(thousandths.load() / 1000.0); },
          [this](const ReportResult& result) { Q_EMIT finished(result); })
{
}

void ReportJob::start()
{
    m_task.start([request = m_request](std::atomic<int>& progress, const CancelToken& cancel) {
        return ReportWriter::write(request, progress, cancel);
    });
}

} // namespace ds
