#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace ds {

// A bounded-memory summary of the most frequent keys of a stream (Space-Saving, Metwally et al. 2005): a fixed
// number of counters, each an overestimate of its key's count together with the most it can overestimate by.
// The view tables use it for the template keys of a network with too many to count exactly. Single-threaded:
// one instance belongs to the thread that feeds it (the writer thread).
class TemplateHeavyHitters
{
public:
    struct Counter
    {
        std::int64_t key = 0;
        std::int64_t count = 0; // at least the key's true count
        std::int64_t error = 0; // count - error is at most the key's true count
    };

    explicit TemplateHeavyHitters(std::size_t counters);

    // Starts from exact counts (key, count) of the stream so far, of which the summary keeps the largest. A key
    // left out has a count no larger than the smallest one kept, so the invariant below holds from the start.
    void seed(std::vector<std::pair<std::int64_t, std::int64_t>> exact);

    // Counts one occurrence of `key`.
    void add(std::int64_t key);

    // The counters, largest count first (ties by key).
    std::vector<Counter> ranked() const;

    // The largest true count a key without a counter can have: the smallest counter once the summary is full (every
    // eviction replaced the smallest counter), 0 while it has never evicted (every key seen has a counter).
    std::int64_t unmonitoredBound() const;

    std::size_t size() const { return m_heap.size(); }

private:
    void siftDown(std::size_t i);
    void siftUp(std::size_t i);
    void swapAt(std::size_t a, std::size_t b);

    std::size_t m_capacity;
    std::vector<Counter> m_heap; // min-heap on count: the counter to evict is at the front
    std::unordered_map<std::int64_t, std::size_t> m_pos; // key -> index in m_heap
};

} // namespace ds
