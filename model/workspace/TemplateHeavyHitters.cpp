#include "workspace/TemplateHeavyHitters.h"

#include <algorithm>

namespace ds {

TemplateHeavyHitters::TemplateHeavyHitters(std::size_t counters)
    : m_capacity(std::max<std::size_t>(1, counters))
{
    m_heap.reserve(m_capacity);
    m_pos.reserve(m_capacity * 2);
}

void TemplateHeavyHitters::seed(std::vector<std::pair<std::int64_t, std::int64_t>> exact)
{
    m_heap.clear();
    m_pos.clear();
    const std::size_t keep = std::min(m_capacity, exact.size());
    std::partial_sort(
        exact.begin(), exact.begin() + static_cast<std::ptrdiff_t>(keep), exact.end(),
        [](const auto& x, const auto& y) { return x.second != y.second ? x.second > y.second : x.first < y.first; });
    for (std::size_t i = 0; i < keep; ++i) {
        m_pos[exact[i].first] = m_heap.size();
        m_heap.push_back({ exact[i].first, exact[i].second, 0 });
        siftUp(m_heap.size() - 1);
    }
    // When keys were left out the summary is full (keep == capacity) and each left-out key's count is at most the
    // smallest kept one, which unmonitoredBound() then reports.
}

void TemplateHeavyHitters::add(std::int64_t key)
{
    if (auto it = m_pos.find(key); it != m_pos.end()) {
        ++m_heap[it->second].count;
        siftDown(it->second);
        return;
    }
    if (m_heap.size() < m_capacity) {
        m_pos[key] = m_heap.size();
        m_heap.push_back({ key, 1, 0 });
        siftUp(m_heap.size() - 1);
        return;
    }
    // Evict the smallest counter: the new key may have occurred up to that many times unseen (the invariant), so it
    // takes that count plus one, and that much error.
    Counter& root = m_heap.front();
    m_pos.erase(root.key);
    root = { key, root.count + 1, root.count };
    m_pos[key] = 0;
    siftDown(0);
}

std::vector<TemplateHeavyHitters::Counter> TemplateHeavyHitters::ranked() const
{
    std::vector<Counter> out = m_heap;
    std::sort(out.begin(), out.end(), [](const Counter& x, const Counter& y) {
        return x.count != y.count ? x.count > y.count : x.key < y.key;
    });
    return out;
}

std::int64_t TemplateHeavyHitters::unmonitoredBound() const
{
    return m_heap.size() < m_capacity ? 0 : m_heap.front().count;
}

void TemplateHeavyHitters::swapAt(std::size_t a, std::size_t b)
{
    std::swap(m_heap[a], m_heap[b]);
    m_pos[m_heap[a].key] = a;
    m_pos[m_heap[b].key] = b;
}

void TemplateHeavyHitters::siftUp(std::size_t i)
{
    while (i > 0) {
        const std::size_t parent = (i - 1) / 2;
        if (m_heap[parent].count <= m_heap[i].count)
            return;
        swapAt(i, parent);
        i = parent;
    }
}

void TemplateHeavyHitters::siftDown(std::size_t i)
{
    for (;;) {
        const std::size_t l = 2 * i + 1, r = l + 1;
        std::size_t least = i;
        if (l < m_heap.size() && m_heap[l].count < m_heap[least].count)
            least = l;
        if (r < m_heap.size() && m_heap[r].count < m_heap[least].count)
            least = r;
        if (least == i)
            return;
        swapAt(i, least);
        i = least;
    }
}

} // namespace ds
