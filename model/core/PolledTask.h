#pragma once

#include "core/CancelToken.h"
#include "core/FailureText.h"

#include <QFutureWatcher>
#include <QObject>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>
#include <memory>

namespace ds {

// The machinery shared by the GUI's background jobs (import, detection, report):
// runs one function in the thread pool, lets the owner read its progress on a
// 100 ms timer (the worker only writes atomics, never signals), and hands the
// result back once on the owner's thread. Destroying it cancels the worker and
// waits for it. The worker holds its own references to progress and cancel
// token, so it never touches a destroyed job. Whatever the work throws (out of
// memory included) comes back as a result whose `error` says it (core/FailureText.h):
// an exception never reaches the owner's event loop. Owner thread only.
template<class Result, class Progress>
class PolledTask
{
public:
    PolledTask(QObject* owner, std::function<void(const Progress&)> onTick, std::function<void(const Result&)> onFinished)
        : m_onTick(std::move(onTick))
        , m_onFinished(std::move(onFinished))
    {
        m_timer.setInterval(100);
        QObject::connect(&m_timer, &QTimer::timeout, owner, [this] { m_onTick(*m_progress); });
        QObject::connect(&m_watcher, &QFutureWatcher<Result>::finished, owner, [this] {
            m_timer.stop();
            m_onTick(*m_progress);
            m_onFinished(m_watcher.result());
        });
    }
    ~PolledTask()
    {
        if (m_watcher.isRunning()) {
            m_cancel->requestCancel();
            m_watcher.waitForFinished();
        }
    }
    PolledTask(const PolledTask&) = delete;
    PolledTask& operator=(const PolledTask&) = delete;

    // Starts `work(Progress&, const CancelToken&) -> Result` unless a run is under way. Result has a
    // QString `error`, and may have a bool `cancelled`.
    template<class Work>
    void start(Work work)
    {
        if (m_watcher.isRunning())
            return;
        m_progress = std::make_shared<Progress>();
        m_cancel = std::make_shared<CancelToken>();
        m_watcher.setFuture(QtConcurrent::run([work = std::move(work), progress = m_progress, cancel = m_cancel] {
            try {
                return work(*progress, *cancel);
            } catch (...) {
                Result failed{};
                if constexpr (requires { failed.cancelled = true; }) {
                    try {
                        throw;
                    } catch (const Cancelled&) {
                        failed.cancelled = true;
                        return failed;
                    } catch (...) {
                    }
                }
                failed.error = failureText(std::current_exception());
                return failed;
            }
        }));
        m_timer.start();
    }
    void cancel() { m_cancel->requestCancel(); }
    bool isRunning() const { return m_watcher.isRunning(); }
    const Progress& progress() const { return *m_progress; }

private:
    std::function<void(const Progress&)> m_onTick;
    std::function<void(const Result&)> m_onFinished;
    std::shared_ptr<Progress> m_progress = std::make_shared<Progress>();
    std::shared_ptr<CancelToken> m_cancel = std::make_shared<CancelToken>();
    QFutureWatcher<Result> m_watcher;
    QTimer m_timer;
};

} // namespace ds
