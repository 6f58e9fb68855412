#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

    // The same as add() on each, faster: the lanes stay in registers (a call
    // between single add()s, to the hash function, makes them round-trip
    // through memory), and with SSE2 a hash's bits are spread to the lanes by
    // shuffles instead of table reads.
    void add(const std::uint64_t* hashes, std::size_t count)
    {
        n += static_cast<std::uint32_t>(count);
#if defined(__SSE2__)
        // Register r holds lanes 2r and 2r + 1: byte q counts bit 16r + q.
        __m128i lanes[4];
        for (unsigned r = 0; r < 4; ++r)
            lanes[r] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&m_lanes[2 * r]));
        const __m128i bit = _mm_set1_epi64x(0x8040201008040201ll); // byte q: 1 << (q % 8)
        for (std::size_t i = 0; i < count; ++i) {
            // Each byte of the hash repeated 8 times, then which of those bytes has "its" bit.
            const __m128i b = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(hashes + i));
            const __m128i b2 = _mm_unpacklo_epi8(b, b);
            const __m128i b4lo = _mm_unpacklo_epi16(b2, b2), b4hi = _mm_unpackhi_epi16(b2, b2);
            const __m128i spread[4] = {_mm_unpacklo_epi32(b4lo, b4lo), _mm_unpackhi_epi32(b4lo, b4lo),
                                       _mm_unpacklo_epi32(b4hi, b4hi), _mm_unpackhi_epi32(b4hi, b4hi)};
            for (unsigned r = 0; r < 4; ++r)
                lanes[r] = _mm_sub_epi8(lanes[r], _mm_cmpeq_epi8(_mm_and_si128(spread[r], bit), bit));
            if (++m_pending == 255) {
                for (unsigned r = 0; r < 4; ++r)
                    _mm_storeu_si128(reinterpret_cast<__m128i*>(&m_lanes[2 * r]), lanes[r]);
                flush();
                for (unsigned r = 0; r < 4; ++r)
                    lanes[r] = _mm_setzero_si128();
            }
        }
        for (unsigned r = 0; r < 4; ++r)
            _mm_storeu_si128(reinterpret_cast<__m128i*>(&m_lanes[2 * r]), lanes[r]);
#else
        std::array<std::uint64_t, 8> lanes = m_lanes;
        for (std::size_t i = 0; i < count; ++i) {
            const std::uint64_t h = hashes[i];
            for (unsigned k = 0; k < 8; ++k)
                lanes[k] += kSpread[(h >> (8 * k)) & 0xffu];
            if (++m_pending == 255) {
                m_lanes = lanes;
                flush();
                lanes = m_lanes;
            }
        }
        m_lanes = lanes;
#endif
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
