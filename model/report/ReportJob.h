#pragma once

#include "core/CancelToken.h"
#include "report/ReportWriter.h"

#include <QFutureWatcher>
#include <QObject>
#include <QTimer>

#include <memory>

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
    ~ReportJob() override;
    Q_DISABLE_COPY_MOVE(ReportJob)

    void start();
    void cancel();
    bool isRunning() const { return m_watcher.isRunning(); }

Q_SIGNALS:
    void progressChanged(double fraction); // 0..1
    void finished(const ds::ReportResult& result);

private:
    ReportRequest m_request;
    std::shared_ptr<std::atomic<int>> m_progress = std::make_shared<std::atomic<int>>(0);
    std::shared_ptr<CancelToken> m_cancel = std::make_shared<CancelToken>();
    QFutureWatcher<ReportResult> m_watcher;
    QTimer m_timer;
};

} // namespace ds

Q_DECLARE_METATYPE(ds::ReportResult)
