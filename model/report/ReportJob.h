#pragma once

#include "core/PolledTask.h"
#include "report/ReportWriter.h"

#include <QObject>

#include <atomic>

namespace ds {

// Runs a ReportWriter in the thread pool for File > Export report: progress()
// from a 100 ms timer on the owner's thread, finished() once with the result.
// Create, use and destroy on one thread (the GUI thread); destroying it cancels
// and waits for the worker.
class ReportJob : public QObject
{
    Q_OBJECT
public:
    explicit ReportJob(ReportRequest request, QObject* parent = nullptr);
    Q_DISABLE_COPY_MOVE(ReportJob)

    void start();
    void cancel() { m_task.cancel(); }
    bool isRunning() const { return m_task.isRunning(); }

Q_SIGNALS:
    void progressChanged(double fraction); // 0..1
    void finished(const ds::ReportResult& result);

private:
    ReportRequest m_request;
    PolledTask<ReportResult, std::atomic<int>> m_task; // progress in thousandths
};

} // namespace ds

Q_DECLARE_METATYPE(ds::ReportResult)
