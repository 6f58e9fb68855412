#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <string_view>
#include <vector>

namespace ds {

// Finds which of up to 128 short ASCII phrases occur in a text, in one pass
// (Aho-Corasick automaton compiled to a dense table), ignoring ASCII case.
// The import runs it on every prompt, so it replaces dozens of substring
// searches with one scan. Build once; matching is const and any thread may
// share one instance.
class MultiMatcher
{
public:
    static constexpr std::size_t kMaxPhrases = 128;
    using Hits = std::bitset<kMaxPhrases>;

    explicit MultiMatcher(const std::vector<std::string_view>& phrases);

    // Bit i is set when phrases[i] occurs in `text`.
    Hits match(std::string_view text) const;
    std::size_t phraseCount() const { return m_phraseCount; }

private:
    int classOf(unsigned char c) const { return m_class[c]; }
    // Walks the automaton over [begin, end) from `step` (0: the start state); returns where it ended.
    std::uint32_t walk(const unsigned char* begin, const unsigned char* end, Hits& hits, std::uint32_t step = 0) const;
    // K interleaved walks over K slices of the text (see match()).
    template<std::size_t K>
    void walkSlices(const unsigned char* text, std::size_t n, Hits& hits) const;
    bool hasOutput(std::uint32_t step) const { return step >= m_firstOutput; }
    const Hits& outputOf(std::uint32_t step) const { return m_output[step / m_classes]; }

    std::array<std::uint8_t, 256> m_class{}; // byte -> alphabet class (0: a byte no phrase uses)
    std::uint32_t m_classes = 1;
    // A transition holds the next state's row offset (state * m_classes), so
    // the walk needs no multiplication. States are numbered so that those
    // where phrases end come last: "has output" is one comparison beside the
    // chain of dependent table reads, not a flag bit masked out inside it.
    std::vector<std::uint32_t> m_step;       // row offset + class -> next row offset
    std::uint32_t m_firstOutput = 0;         // row offset of the first state with output
    std::vector<Hits> m_output;              // phrases ending at each state (with suffix links folded in)
    std::size_t m_phraseCount = 0;
    std::size_t m_longest = 0;               // bytes of the longest phrase
};

} // namespace ds
