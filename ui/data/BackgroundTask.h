#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>
#include <QtConcurrent/qtconcurrenttask.h>

#include <functional>
#include <stdexcept>

#include "core/CancelToken.h"
#include "core/CaseDatabase.h"
#include "core/FailureText.h"
#include "core/Sqlite.h"

namespace ds {

// The thread pool of the views' loaders, separate from the global pool that
// import and detection keep busy, so tables still page while analysis runs.
QThreadPool* viewPool();

// The case at `casePath` was closed (another one opened): every view thread closes its read
// connection to it (workspace/ReadConnection.h), so the file is not held open behind the analyst.
void closeCaseConnections(const QString& casePath);

// The result of a background task: a value, or why there is none.
template<typename T>
struct TaskResult
{
    T value{};
    QString error;
    bool cancelled = false;
    bool ok() const { return error.isEmpty() && !cancelled; }
};

// Priorities on the views' pool: rows a table is about to show go before whole-view loads
// (evidence, graph layout, timeline), which queue behind each other on the two threads.
constexpr int kVisibleRowsPriority = 1;

// Runs `work` on the views' pool and delivers its result to `done` on the
// receiver's thread. The watcher is parented to the receiver, so a result that
// arrives after the receiver died is never delivered. Any exception becomes the error.
// Tasks of a higher `priority` start first among those waiting.
template<typename T>
void runInBackground(QObject* receiver, std::function<T()> work, std::function<void(TaskResult<T>)> done, int priority = 0)
{
    auto* watcher = new QFutureWatcher<TaskResult<T>>(receiver);
    QObject::connect(watcher, &QFutureWatcher<TaskResult<T>>::finished, receiver, [watcher, done = std::move(done)] {
        done(watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::task([work = std::move(work)] {
        TaskResult<T> r;
        try {
            r.value = work();
        } catch (const Cancelled&) {
            r.cancelled = true;
        } catch (...) {
            // The one rule for failed background work (core/FailureText.h), out of memory included.
            r.error = failureText(std::current_exception());
        }
        return r;
    })
                           .onThreadPool(*viewPool())
                           .withPriority(priority)
                           .spawn());
}

} // namespace ds
