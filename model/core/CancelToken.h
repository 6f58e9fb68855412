#pragma once

#include <atomic>

namespace ds {

// A cancellation flag shared between the thread that asks and the worker that
// checks it in every loop. Any thread may call requestCancel() and isCancelled().
class CancelToken
{
public:
    void requestCancel() noexcept { m_cancelled.store(true, std::memory_order_relaxed); }
    bool isCancelled() const noexcept { return m_cancelled.load(std::memory_order_relaxed); }
    void reset() noexcept { m_cancelled.store(false, std::memory_order_relaxed); }

private:
    std::atomic<bool> m_cancelled{false};
};

// Thrown by long jobs when they notice their CancelToken; caught at the job boundary.
struct Cancelled
{
};

} // namespace ds
