#pragma once

#include "core/ShortEqual.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace ds {

// Maps strings to integer ids with open addressing on a caller-supplied 64-bit
// hash (computed once, where the bytes are hot), verifying the string on every
// hash match so collisions are exact. The interning dictionaries of the import
// use it: millions of lookups of account ids, addresses and keys. A value of
// up to 15 bytes (an IPv4 address, most ids) is stored in its slot, so a lookup
// touches one cache line, which the caller can prefetch ahead. One owner thread.
class StringIdMap
{
public:
    // Id of `value` (whose hash is `hash`), or 0 when absent.
    std::int64_t find(std::uint64_t hash, std::string_view value) const
    {
        if (m_slots.empty())
            return 0;
        const Key key = keyOf(value);
        for (std::size_t i = hash & m_mask;; i = (i + 1) & m_mask) {
            const Slot& s = m_slots[i];
            if (s.id == 0)
                return 0;
            if (s.hash == hash
                && (key.inlined ? s.lo == key.lo && s.hi == key.hi
                                : isLong(s) && shortEqual(m_long[longIndex(s)], value)))
                return s.id;
        }
    }

    // Adds `value` with `id` (> 0); the caller has checked it is absent.
    void insert(std::uint64_t hash, std::string_view value, std::int64_t id)
    {
        if ((m_size + 1) * 5 > m_slots.size() * 3) // at most 60 % full: short probe runs
            grow();
        Slot slot{hash, id, 0, 0};
        const Key key = keyOf(value);
        if (key.inlined) {
            slot.lo = key.lo;
            slot.hi = key.hi;
        } else {
            slot.lo = kLongMark;
            slot.hi = m_long.size();
            m_long.emplace_back(value);
        }
        place(slot);
        ++m_size;
    }

    // Starts loading the slot where a lookup of `hash` begins.
    void prefetch(std::uint64_t hash) const
    {
        if (!m_slots.empty())
            __builtin_prefetch(&m_slots[hash & m_mask]);
    }

    std::size_t size() const { return m_size; }
    void clear()
    {
        m_slots.clear();
        m_long.clear();
        m_size = 0;
        m_mask = 0;
    }

private:
    // 32 bytes, aligned: one cache line holds two whole slots.
    struct alignas(32) Slot
    {
        std::uint64_t hash = 0;
        std::int64_t id = 0; // 0: empty
        // An inlined value: its length in the first byte, its bytes after,
        // zero-padded, so equal values have equal words. A longer one:
        // lo = kLongMark (no inlined value starts with byte 0xff) and hi = its index in m_long.
        std::uint64_t lo = 0;
        std::uint64_t hi = 0;
    };
    struct Key
    {
        bool inlined = false;
        std::uint64_t lo = 0, hi = 0;
    };
    static constexpr std::size_t kMaxInlined = 15;
    static constexpr std::uint64_t kLongMark = 0xff;

    static Key keyOf(std::string_view value)
    {
        Key k;
        if (value.size() > kMaxInlined)
            return k;
        unsigned char bytes[16] = {};
        bytes[0] = static_cast<unsigned char>(value.size());
        if (!value.empty())
            std::memcpy(bytes + 1, value.data(), value.size());
        std::memcpy(&k.lo, bytes, 8);
        std::memcpy(&k.hi, bytes + 8, 8);
        k.inlined = true;
        return k;
    }
    static bool isLong(const Slot& s) { return s.lo == kLongMark; }
    static std::size_t longIndex(const Slot& s) { return static_cast<std::size_t>(s.hi); }

    void place(const Slot& slot)
    {
        for (std::size_t i = slot.hash & m_mask;; i = (i + 1) & m_mask)
            if (m_slots[i].id == 0) {
                m_slots[i] = slot;
                return;
            }
    }
    void grow()
    {
        std::vector<Slot> old;
        old.swap(m_slots);
        m_slots.assign(old.empty() ? 64 : old.size() * 2, Slot{});
        m_mask = m_slots.size() - 1;
        for (const Slot& s : old)
            if (s.id != 0)
                place(s);
    }

    std::vector<Slot> m_slots;
    std::vector<std::string> m_long; // values longer than kMaxInlined
    std::size_t m_size = 0;
    std::size_t m_mask = 0;
};

} // namespace ds
