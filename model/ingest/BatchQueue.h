#pragma once

#include "ingest/RecordBatch.h"

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

namespace ds {

// A bounded hand-off of record batches from the parser thread to the writer
// thread. Bounded so a fast parser cannot run ahead and fill memory; closable
// from either side so a cancel or an error unblocks both.
class BatchQueue
{
public:
    explicit BatchQueue(std::size_t capacity)
        : m_capacity(capacity)
    {
    }

    // Parser side. Returns false if the queue was closed (stop producing).
    bool push(std::unique_ptr<RecordBatch> batch)
    {
        std::unique_lock lock(m_mutex);
        m_notFull.wait(lock, [&] { return m_closed || m_items.size() < m_capacity; });
        if (m_closed)
            return false;
        m_items.push_back(std::move(batch));
        m_notEmpty.notify_one();
        return true;
    }

    // Writer side. Returns nullptr once the queue is finished and drained, or closed.
    std::unique_ptr<RecordBatch> pop()
    {
        std::unique_lock lock(m_mutex);
        m_notEmpty.wait(lock, [&] { return m_closed || m_finished || !m_items.empty(); });
        if (m_closed || m_items.empty())
            return nullptr;
        auto b = std::move(m_items.front());
        m_items.pop_front();
        m_notFull.notify_one();
        return b;
    }

    // Parser side: no more batches will come.
    void finish()
    {
        std::lock_guard lock(m_mutex);
        m_finished = true;
        m_notEmpty.notify_all();
    }

    // Either side: abandon the hand-off.
    void close()
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_items.clear();
        m_notEmpty.notify_all();
        m_notFull.notify_all();
    }

    // Returns a spent batch for reuse (keeps arena capacity), or a new one.
    std::unique_ptr<RecordBatch> recycle(std::unique_ptr<RecordBatch> spent = nullptr)
    {
        std::lock_guard lock(m_mutex);
        if (spent) {
            spent->clear();
            m_spare.push_back(std::move(spent));
            return nullptr;
        }
        if (m_spare.empty())
            return std::make_unique<RecordBatch>();
        auto b = std::move(m_spare.back());
        m_spare.pop_back();
        return b;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_notEmpty, m_notFull;
    std::deque<std::unique_ptr<RecordBatch>> m_items;
    std::deque<std::unique_ptr<RecordBatch>> m_spare;
    std::size_t m_capacity;
    bool m_finished = false;
    bool m_closed = false;
};

} // namespace ds
