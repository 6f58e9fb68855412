#pragma once

#include <cstdint>
#include <vector>

namespace ds {

// A set of 64-bit hashes with open addressing: 8 bytes a slot, at most 70 %
// full, no allocation per element. Used where millions of ids are checked for
// membership (request-id dedupe). Not thread-safe: one owner thread.
class FlatU64Set
{
public:
    explicit FlatU64Set(std::size_t expected = 1024) { rehash(capacityFor(expected)); }

    // Returns true if `key` was inserted, false if it was already present.
    bool insert(std::uint64_t key)
    {
        if (key == kEmpty) {
            const bool had = m_hasZero;
            m_hasZero = true;
            m_size += had ? 0 : 1;
            return !had;
        }
        if ((m_size + 1) * 10 > m_slots.size() * 7)
            rehash(m_slots.size() * 2);
        std::size_t i = slotOf(key);
        while (true) {
            std::uint64_t& s = m_slots[i];
            if (s == kEmpty) {
                s = key;
                ++m_size;
                return true;
            }
            if (s == key)
                return false;
            i = (i + 1) & m_mask;
        }
    }

    bool contains(std::uint64_t key) const
    {
        if (key == kEmpty)
            return m_hasZero;
        std::size_t i = slotOf(key);
        while (true) {
            const std::uint64_t s = m_slots[i];
            if (s == kEmpty)
                return false;
            if (s == key)
                return true;
            i = (i + 1) & m_mask;
        }
    }

    // Starts loading the slot where `key` would be, some lookups ahead of need.
    void prefetch(std::uint64_t key) const { __builtin_prefetch(&m_slots[slotOf(key)]); }

    std::size_t size() const { return m_size; }
    void reserve(std::size_t n)
    {
        if (capacityFor(n) > m_slots.size())
            rehash(capacityFor(n));
    }

private:
    static constexpr std::uint64_t kEmpty = 0;

    static std::size_t capacityFor(std::size_t n)
    {
        std::size_t c = 64;
        while (c * 7 < n * 10 + 10)
            c *= 2;
        return c;
    }
    std::size_t slotOf(std::uint64_t key) const
    {
        // The keys are already hashes; mix anyway so sequential test keys spread out.
        key ^= key >> 33;
        key *= 0xff51afd7ed558ccdULL;
        key ^= key >> 33;
        return static_cast<std::size_t>(key) & m_mask;
    }
    void rehash(std::size_t capacity)
    {
        std::vector<std::uint64_t> old;
        old.swap(m_slots);
        m_slots.assign(capacity, kEmpty);
        m_mask = capacity - 1;
        const bool hadZero = m_hasZero;
        m_size = hadZero ? 1 : 0;
        for (std::uint64_t k : old)
            if (k != kEmpty)
                insert(k);
    }

    std::vector<std::uint64_t> m_slots;
    std::size_t m_mask = 0;
    std::size_t m_size = 0;
    bool m_hasZero = false;
};

} // namespace ds
