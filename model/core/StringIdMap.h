#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ds {

// Maps strings to integer ids with open addressing on a caller-supplied 64-bit
// hash (computed once, where the bytes are hot), verifying the string on every
// hash match so collisions are exact. The interning dictionaries of the import
// use it. One owner thread.
class StringIdMap
{
public:
    // Id of `value` (whose hash is `hash`), or 0 when absent.
    std::int64_t find(std::uint64_t hash, std::string_view value) const
    {
        if (m_slots.empty())
            return 0;
        for (std::size_t i = hash & m_mask;; i = (i + 1) & m_mask) {
            const Slot& s = m_slots[i];
            if (s.id == 0)
                return 0;
            if (s.hash == hash && m_strings[static_cast<std::size_t>(s.index)] == value)
                return s.id;
        }
    }

    // Adds `value` with `id` (> 0); the caller has checked it is absent.
    void insert(std::uint64_t hash, std::string_view value, std::int64_t id)
    {
        if ((m_size + 1) * 4 > m_slots.size() * 3)
            grow();
        m_strings.emplace_back(value);
        place(Slot{hash, id, static_cast<std::int64_t>(m_strings.size() - 1)});
        ++m_size;
    }

    std::size_t size() const { return m_size; }
    void clear()
    {
        m_slots.clear();
        m_strings.clear();
        m_size = 0;
        m_mask = 0;
    }

private:
    struct Slot
    {
        std::uint64_t hash = 0;
        std::int64_t id = 0; // 0: empty
        std::int64_t index = 0;
    };

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
    std::vector<std::string> m_strings;
    std::size_t m_size = 0;
    std::size_t m_mask = 0;
};

} // namespace ds
