#include "data/BackgroundTask.h"

#include "workspace/ReadConnection.h"

#include <QSemaphore>

#include <atomic>
#include <memory>

namespace ds {

QThreadPool* viewPool()
{
    static QThreadPool* pool = [] {
        auto* p = new QThreadPool;
        // Two loaders at a time: enough for a table page and a chart, and the
        // threads stay alive so their per-thread case connections are reused.
        p->setMaxThreadCount(2);
        p->setExpiryTimeout(-1);
        return p;
    }();
    return pool;
}

void closeCaseConnections(const QString& casePath)
{
    if (casePath.isEmpty())
        return;
    retireReadConnections(casePath);
    // A connection belongs to its thread, so each view thread drops its own: one task per thread, each
    // held (at most two seconds) until all have started, so no thread takes two and leaves one out.
    const int threads = viewPool()->maxThreadCount();
    auto arrived = std::make_shared<std::atomic<int>>(0);
    auto allThere = std::make_shared<QSemaphore>(0);
    for (int i = 0; i < threads; ++i)
        viewPool()->start([arrived, allThere, threads] {
            dropRetiredReadConnections();
            if (arrived->fetch_add(1) + 1 == threads)
                allThere->release(threads - 1);
            else
                allThere->tryAcquire(1, 2000);
        });
}

} // namespace ds
