#include "core/MultiMatcher.h"

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
    for (int c = 0; c < m_classes; ++c) {
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
        for (int c = 0; c < m_classes; ++c) {
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
    m_next.resize(go.size() * static_cast<size_t>(m_classes));
    for (std::size_t s = 0; s < go.size(); ++s)
        for (int c = 0; c < m_classes; ++c)
            m_next[s * static_cast<size_t>(m_classes) + static_cast<size_t>(c)] = go[s][static_cast<size_t>(c)];
    m_hasOutput.resize(go.size());
    for (std::size_t s = 0; s < go.size(); ++s)
        m_hasOutput[s] = m_output[s].any();
}

MultiMatcher::Hits MultiMatcher::match(std::string_view text) const
{
    Hits hits;
    std::int32_t s = 0;
    const auto classes = static_cast<size_t>(m_classes);
    for (char ch : text) {
        s = m_next[static_cast<size_t>(s) * classes + m_class[static_cast<unsigned char>(ch)]];
        if (m_hasOutput[static_cast<size_t>(s)])
            hits |= m_output[static_cast<size_t>(s)];
    }
    return hits;
}

} // namespace ds
