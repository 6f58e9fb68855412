#include "core/MultiMatcher.h"

#include <algorithm>
#include <deque>
#include <limits>
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
    // Renumber: the start state first, then the states without output, then
    // those with output (when the start state has output, every state has).
    std::vector<std::uint32_t> order;
    order.reserve(go.size());
    order.push_back(0);
    for (bool withOutput : {false, true})
        for (std::size_t s = 1; s < go.size(); ++s)
            if (m_output[s].any() == withOutput)
                order.push_back(static_cast<std::uint32_t>(s));
    std::vector<std::uint32_t> renamed(go.size());
    for (std::size_t k = 0; k < order.size(); ++k)
        renamed[order[k]] = static_cast<std::uint32_t>(k);
    if (go.size() * m_classes > std::numeric_limits<std::uint32_t>::max())
        throw std::invalid_argument("MultiMatcher: automaton too large");
    std::size_t firstOutput = 0;
    while (firstOutput < order.size() && !m_output[order[firstOutput]].any())
        ++firstOutput;
    m_firstOutput = static_cast<std::uint32_t>(firstOutput * m_classes);
    m_step.resize(go.size() * m_classes);
    std::vector<Hits> output(go.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        const std::size_t s = order[k];
        output[k] = m_output[s];
        for (std::uint32_t c = 0; c < m_classes; ++c)
            m_step[k * m_classes + c] = renamed[static_cast<std::size_t>(go[s][c])] * m_classes;
    }
    m_output = std::move(output);
    for (std::string_view p : phrases)
        m_longest = std::max(m_longest, p.size());
}

std::uint32_t MultiMatcher::walk(const unsigned char* begin, const unsigned char* end, Hits& hits, std::uint32_t s) const
{
    for (const unsigned char* p = begin; p < end; ++p) {
        s = m_step[s + m_class[*p]];
        if (hasOutput(s)) [[unlikely]]
            hits |= outputOf(s);
    }
    return s;
}

template<std::size_t K>
void MultiMatcher::walkSlices(const unsigned char* text, std::size_t n, Hits& hits) const
{
    // K walks of `len` bytes each, every one starting the longest phrase less
    // one byte before the previous one ends, so any phrase lies whole inside
    // one of them (the last is cut at the end of the text). Hits are a set: a
    // phrase found twice is harmless. Equal lengths keep the walks
    // interleaved to the end; only the last one's few missing bytes are
    // left, which the others finish alone.
    const std::size_t overlap = m_longest - 1;
    const std::size_t len = (n + (K - 1) * overlap + K - 1) / K;
    const std::size_t stride = len - overlap;
    const std::size_t together = n - (K - 1) * stride; // the last walk's length, at most len
    std::array<std::uint32_t, K> s{};
    for (std::size_t i = 0; i < together; ++i) {
        bool any = false;
        for (std::size_t k = 0; k < K; ++k) {
            s[k] = m_step[s[k] + m_class[text[k * stride + i]]];
            any |= hasOutput(s[k]);
        }
        if (any) [[unlikely]] {
            for (std::size_t k = 0; k < K; ++k)
                if (hasOutput(s[k]))
                    hits |= outputOf(s[k]);
        }
    }
    for (std::size_t k = 0; k + 1 < K; ++k)
        walk(text + k * stride + together, text + k * stride + len, hits, s[k]);
}

MultiMatcher::Hits MultiMatcher::match(std::string_view text) const
{
    // Each byte's step waits on the previous one's table read. Interleaved
    // walks over slices of the text keep several reads in flight: four for
    // a long text, two for a medium one, where a slice must still be long
    // next to the bytes each walk re-reads before its slice.
    Hits hits;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    if (m_longest == 0)
        return hits;
    if (n >= 128 && n >= 8 * m_longest)
        walkSlices<4>(p, n, hits);
    else if (n >= 64 && n >= 4 * m_longest)
        walkSlices<2>(p, n, hits);
    else
        walk(p, p + n, hits);
    return hits;
}

} // namespace ds
