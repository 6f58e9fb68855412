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
#include "core/Sqlite.h"

namespace ds {

// The thread pool of the views' loaders, separate from the global pool that
// import and detection keep busy, so tables still page while analysis runs.
QThreadPool* viewPool();

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
// arrives after the receiver died is never delivered. Exceptions become errors.
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
        } catch (const CaseOpenError& e) {
            r.error = e.message();
        } catch (const std::exception& e) {
            r.error = QString::fromUtf8(e.what());
        }
        return r;
    })
                           .onThreadPool(*viewPool())
                           .withPriority(priority)
                           .spawn());
}

} // namespace ds
