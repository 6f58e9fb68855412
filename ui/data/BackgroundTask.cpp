#include "data/BackgroundTask.h"

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

} // namespace ds
