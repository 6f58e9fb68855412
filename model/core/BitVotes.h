#pragma once

#include <array>
#include <cstdint>

namespace ds {

// Per-bit votes over a set of 64-bit hashes: how many of them have each bit
// set, and their bitwise majority (the SimHash of a text from its shingle
// hashes, the centre of a family of SimHashes). Counts go to eight byte lanes
// first, through a table that spreads a byte's bits one per lane, so a hash
// costs eight additions instead of 64; lanes are flushed before a byte can
// overflow. A value type: one per thread.
struct BitVotes
{
    std::array<std::uint32_t, 64> ones{}; // complete only after flush()
    std::uint32_t n = 0;                  // hashes added

    void add(std::uint64_t h)
    {
        ++n;
        for (unsigned k = 0; k < 8; ++k)
            m_lanes[k] += kSpread[(h >> (8 * k)) & 0xffu];
        if (++m_pending == 255)
            flush();
    }

    void flush()
    {
        for (unsigned k = 0; k < 8; ++k) {
            for (unsigned j = 0; j < 8; ++j)
                ones[8 * k + j] += static_cast<std::uint32_t>((m_lanes[k] >> (8 * j)) & 0xffu);
            m_lanes[k] = 0;
        }
        m_pending = 0;
    }

    void merge(BitVotes other)
    {
        flush();
        other.flush();
        n += other.n;
        for (unsigned b = 0; b < 64; ++b)
            ones[b] += other.ones[b];
    }

    // Bit b is set when more than half of the hashes have it.
    std::uint64_t majority()
    {
        flush();
        std::uint64_t out = 0;
        for (unsigned b = 0; b < 64; ++b)
            if (2 * ones[b] > n)
                out |= 1ull << b;
        return out;
    }

private:
    static constexpr std::array<std::uint64_t, 256> kSpread = [] {
        std::array<std::uint64_t, 256> t{};
        for (unsigned v = 0; v < 256; ++v)
            for (unsigned j = 0; j < 8; ++j)
                if ((v >> j) & 1u)
                    t[v] |= 1ull << (8 * j);
        return t;
    }();

    std::array<std::uint64_t, 8> m_lanes{};
    std::uint32_t m_pending = 0;
};

} // namespace ds
