#pragma once

#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ds {

// Sixteen bytes of text classified at once, for the import's word scanners
// (text/TaskFingerprint, text/HarvestFeatures): a word's end is found with one
// bit scan instead of a branch a byte, whose misprediction at every word end
// showed in profiles. Bit k of each mask is byte k. Pure functions: any thread.
struct ByteMasks16
{
    unsigned letters = 0; // A-Z, a-z
    unsigned digits = 0;  // 0-9
    unsigned high = 0;    // >= 0x80 (bytes of multi-byte UTF-8 characters)
    unsigned extra = 0;   // equal to the `extra` byte asked for
};

#if defined(__SSE2__)
constexpr bool kHaveByteScan16 = true;

// Classifies p[0..16) and stores its ASCII lower-case copy to lower[0..16).
inline ByteMasks16 scan16(const unsigned char* p, char* lower, unsigned char extra)
{
    const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // lo <= c < lo + count, unsigned, with SSE2's signed compare: both sides shifted by 0x80.
    const auto inRange = [&c](unsigned char lo, unsigned char count) {
        const __m128i x = _mm_xor_si128(_mm_sub_epi8(c, _mm_set1_epi8(static_cast<char>(lo))),
                                        _mm_set1_epi8(static_cast<char>(0x80)));
        return _mm_cmplt_epi8(x, _mm_set1_epi8(static_cast<char>(count ^ 0x80)));
    };
    const __m128i upper = inRange('A', 26);
    const __m128i letters = _mm_or_si128(upper, inRange('a', 26));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(lower), _mm_add_epi8(c, _mm_and_si128(upper, _mm_set1_epi8(0x20))));
    ByteMasks16 m;
    m.letters = static_cast<unsigned>(_mm_movemask_epi8(letters));
    m.digits = static_cast<unsigned>(_mm_movemask_epi8(inRange('0', 10)));
    m.high = static_cast<unsigned>(_mm_movemask_epi8(c));
    m.extra = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(c, _mm_set1_epi8(static_cast<char>(extra)))));
    return m;
}
#else
constexpr bool kHaveByteScan16 = false;

inline ByteMasks16 scan16(const unsigned char* p, char* lower, unsigned char extra)
{
    ByteMasks16 m;
    for (unsigned k = 0; k < 16; ++k) {
        const unsigned char c = p[k];
        const bool upper = c >= 'A' && c <= 'Z';
        lower[k] = static_cast<char>(upper ? c + 0x20 : c);
        m.letters |= unsigned(upper || (c >= 'a' && c <= 'z')) << k;
        m.digits |= unsigned(c >= '0' && c <= '9') << k;
        m.high |= unsigned(c >= 0x80) << k;
        m.extra |= unsigned(c == extra) << k;
    }
    return m;
}
#endif

// How many bytes from bit 0 are set in a 16-bit mask (16 when all are).
inline unsigned leadingRun16(unsigned mask) { return static_cast<unsigned>(__builtin_ctz(~mask)); }

} // namespace ds
