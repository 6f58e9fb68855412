#include "core/MultiMatcher.h"

#include <algorithm>
#include <deque>
#include <stdexcept>

namespace ds {

namespace {
unsigned char lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c - 'A' + 'a') : c; }
} // namespace

MultiMatcher::MultiMatcher(const std::vector<std::string_view>& phrases)
    : m_phraseCount(phrases.size())
{
    if (phrases.size() > kMaxPhrases)
        throw std::invalid_argument("MultiMatcher: too many phrases");
    // Alphabet: only bytes that occur in some phrase get a class of their own,
    // so the table stays small (states x classes) and cache-friendly.
    for (std::string_view p : phrases)
        for (char ch : p) {
            const unsigned char c = lower(static_cast<unsigned char>(ch));
            if (!m_class[c])
                m_class[c] = static_cast<std::uint8_t>(m_classes++);
        }
    for (int c = 'A'; c <= 'Z'; ++c)
        m_class[static_cast<size_t>(c)] = m_class[static_cast<size_t>(c - 'A' + 'a')];

    // Trie.
    std::vector<std::vector<std::int32_t>> go(1, std::vector<std::int32_t>(static_cast<size_t>(m_classes), -1));
    m_output.assign(1, Hits());
    for (std::size_t i = 0; i < phrases.size(); ++i) {
        std::int32_t s = 0;
        for (char ch : phrases[i]) {
            const int c = classOf(lower(static_cast<unsigned char>(ch)));
            auto& slot = go[static_cast<size_t>(s)][static_cast<size_t>(c)];
            if (slot < 0) {
                slot = static_cast<std::int32_t>(go.size());
                go.emplace_back(static_cast<size_t>(m_classes), -1);
                m_output.emplace_back();
            }
            s = slot;
        }
        m_output[static_cast<size_t>(s)].set(i);
    }
    // Breadth-first: failure links folded into a complete transition table.
    std::vector<std::int32_t> fail(go.size(), 0);
    std::deque<std::int32_t> queue;
    for (std::uint32_t c = 0; c < m_classes; ++c) {
        auto& t = go[0][static_cast<size_t>(c)];
        if (t < 0)
            t = 0;
        else
            queue.push_back(t);
    }
    while (!queue.empty()) {
        const std::int32_t s = queue.front();
        queue.pop_front();
        m_output[static_cast<size_t>(s)] |= m_output[static_cast<size_t>(fail[static_cast<size_t>(s)])];
        for (std::uint32_t c = 0; c < m_classes; ++c) {
            auto& t = go[static_cast<size_t>(s)][static_cast<size_t>(c)];
            const std::int32_t viaFail = go[static_cast<size_t>(fail[static_cast<size_t>(s)])][static_cast<size_t>(c)];
            if (t < 0) {
                t = viaFail;
            } else {
                fail[static_cast<size_t>(t)] = viaFail;
                queue.push_back(t);
            }
        }
    }
    m_step.resize(go.size() * m_classes);
    for (std::size_t s = 0; s < go.size(); ++s)
        for (std::uint32_t c = 0; c < m_classes; ++c) {
            const auto t = static_cast<std::uint32_t>(go[s][c]);
            m_step[s * m_classes + c] = t * m_classes | (m_output[t].any() ? kHasOutput : 0u);
        }
    if (m_step.size() > kOffsetMask)
        throw std::invalid_argument("MultiMatcher: automaton too large");
    for (std::string_view p : phrases)
        m_longest = std::max(m_longest, p.size());
}

std::uint32_t MultiMatcher::walk(const unsigned char* begin, const unsigned char* end, Hits& hits, std::uint32_t s) const
{
    for (const unsigned char* p = begin; p < end; ++p) {
        s = m_step[(s & kOffsetMask) + m_class[*p]];
        if (s & kHasOutput) [[unlikely]]
            hits |= outputOf(s);
    }
    return s;
}

MultiMatcher::Hits MultiMatcher::match(std::string_view text) const
{
    // Each byte's step waits on the previous one's table read. Two walks over
    // the two halves of the text, interleaved, keep two reads in flight. The
    // second starts early by the longest phrase less one byte, so a phrase
    // across the middle is found by it; the first finds everything that ends
    // before the middle. Hits are a set, so a phrase found twice is harmless.
    Hits hits;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    constexpr std::size_t kMinSplit = 64;
    if (m_longest == 0)
        return hits;
    if (n < kMinSplit || n < 4 * m_longest) {
        walk(p, p + n, hits);
        return hits;
    }
    const std::size_t mid = n / 2;
    const unsigned char* a = p;
    const unsigned char* b = p + mid - (m_longest - 1);
    const std::size_t together = mid; // the second walk is longer: n - mid + m_longest - 1 >= mid
    std::uint32_t sa = 0, sb = 0;
    for (std::size_t i = 0; i < together; ++i) {
        sa = m_step[(sa & kOffsetMask) + m_class[a[i]]];
        sb = m_step[(sb & kOffsetMask) + m_class[b[i]]];
        if ((sa | sb) & kHasOutput) [[unlikely]] {
            if (sa & kHasOutput)
                hits |= outputOf(sa);
            if (sb & kHasOutput)
                hits |= outputOf(sb);
        }
    }
    walk(b + together, p + n, hits, sb);
    return hits;
}

} // namespace ds
