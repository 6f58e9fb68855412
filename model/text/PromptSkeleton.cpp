#include "text/PromptSkeleton.h"

#include <algorithm>
#include <array>

namespace ds {

namespace {

// Byte classes, one table lookup per byte instead of a chain of comparisons.
enum : std::uint8_t { kSpace = 1, kDigit = 2, kUpper = 4, kLower = 8, kHigh = 16, kJoiner = 32 };
constexpr std::uint8_t kAlpha = kUpper | kLower | kHigh;
constexpr std::uint8_t kWordByte = kAlpha | kDigit | kJoiner;

constexpr auto kClass = [] {
    std::array<std::uint8_t, 256> t{};
    for (unsigned c : {' ', '\t', '\r', '\n', '\f', '\v'})
        t[c] = kSpace;
    for (unsigned c = '0'; c <= '9'; ++c)
        t[c] = kDigit;
    for (unsigned c = 'A'; c <= 'Z'; ++c)
        t[c] = kUpper;
    for (unsigned c = 'a'; c <= 'z'; ++c)
        t[c] = kLower;
    for (unsigned c = 0x80; c < 256; ++c)
        t[c] = kHigh;
    for (unsigned c : {'_', '-', '\''})
        t[c] = kJoiner;
    return t;
}();

constexpr auto kLowered = [] {
    std::array<char, 256> t{};
    for (unsigned c = 0; c < 256; ++c)
        t[c] = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return t;
}();

std::uint8_t classOf(char c) { return kClass[static_cast<unsigned char>(c)]; }
bool isDigit(char c) { return classOf(c) & kDigit; }
bool isAlpha(char c) { return classOf(c) & kAlpha; }
bool isSpace(char c) { return classOf(c) & kSpace; }

// Finds the closing quote for a quote at `open`, on the same paragraph and
// within a bounded distance, so an apostrophe ("don't") is not a quote.
size_t closingQuote(std::string_view s, size_t open, char q)
{
    constexpr size_t kMaxQuoted = 400;
    if (q == '\'' && open > 0 && isAlpha(s[open - 1]))
        return std::string_view::npos;
    for (size_t i = open + 1; i < s.size() && i - open <= kMaxQuoted; ++i) {
        if (s[i] == q)
            return i > open + 1 ? i : std::string_view::npos;
        if (s[i] == '\n' && i + 1 < s.size() && s[i + 1] == '\n')
            return std::string_view::npos;
    }
    return std::string_view::npos;
}

bool startsWith(std::string_view s, size_t at, std::string_view prefix) { return s.substr(at, prefix.size()) == prefix; }

} // namespace

std::string promptSkeleton(std::string_view prompt)
{
    SkeletonBuilder b;
    b.appendPart(prompt);
    return std::string(b.skeleton());
}

void SkeletonBuilder::clear()
{
    m_out.clear();
    m_words.clear();
    m_partStart = 0;
}

void SkeletonBuilder::paragraphBreak()
{
    m_out += '\n';
}

std::string_view SkeletonBuilder::wordsFrom(std::size_t first, std::size_t count) const
{
    if (count == 0 || first >= m_words.size())
        return {};
    const std::size_t last = std::min(first + count, m_words.size());
    const std::size_t end = last < m_words.size() ? m_words[last] - 1 : m_out.size();
    return std::string_view(m_out).substr(m_words[first], end - m_words[first]);
}

inline void SkeletonBuilder::separate()
{
    // One separator between tokens that had whitespace between them: '\n' for a
    // blank line, else a space; each separator starts a word. Tokens without
    // whitespace between them ("word,") stay one word.
    if (m_out.size() > m_partStart) {
        if (m_newlines >= 2)
            m_out += '\n';
        else if (m_pendingSpace || m_newlines == 1)
            m_out += ' ';
        else {
            m_pendingSpace = false;
            return;
        }
    }
    m_words.push_back(static_cast<std::uint32_t>(m_out.size()));
    m_pendingSpace = false;
    m_newlines = 0;
}

inline void SkeletonBuilder::addToken(std::string_view token)
{
    separate();
    m_out.append(token);
}

inline void SkeletonBuilder::emitLowered(std::string_view word)
{
    separate();
    const std::size_t at = m_out.size();
    m_out.resize(at + word.size());
    char* out = m_out.data() + at;
    for (std::size_t k = 0; k < word.size(); ++k)
        out[k] = kLowered[static_cast<unsigned char>(word[k])];
}

std::size_t SkeletonBuilder::appendPart(std::string_view s)
{
    const std::size_t firstWord = m_words.size();
    m_partStart = m_out.size();
    m_pendingSpace = false;
    m_newlines = 0;
    bool sentenceStart = true;
    size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        const std::uint8_t cls = classOf(c);
        if (cls & kSpace) {
            if (c == '\n') {
                ++m_newlines;
                sentenceStart = true; // a line starts with a capital without being a name
            }
            m_pendingSpace = true;
            ++i;
            continue;
        }
        if (cls & kAlpha) {
            size_t j = i + 1;
            while (j < s.size() && (classOf(s[j]) & kWordByte))
                ++j;
            const std::string_view word = s.substr(i, j - i);
            // URLs and e-mail addresses vary per fill: mask the whole run up to whitespace.
            if (startsWith(s, j, "://") || (j < s.size() && s[j] == '@')) {
                while (j < s.size() && !isSpace(s[j]))
                    ++j;
                addToken("U");
            } else if ((cls & kUpper) && !sentenceStart && word.size() > 1) {
                addToken("N");
            } else {
                emitLowered(word);
            }
            sentenceStart = false;
            i = j;
            continue;
        }
        if (cls & kDigit) {
            // A number with its separators and decimal part: 1,234.5 or 3.14 or 2026-02-03.
            while (i < s.size()) {
                const char d = s[i];
                if (isDigit(d) || ((d == '.' || d == ',' || d == ':' || d == '-' || d == '/') && i + 1 < s.size() && isDigit(s[i + 1])))
                    ++i;
                else
                    break;
            }
            addToken("0");
            sentenceStart = false;
            continue;
        }
        if (c == '`') {
            if (startsWith(s, i, "```")) {
                const size_t end = s.find("```", i + 3);
                addToken("```_```");
                i = end == std::string_view::npos ? s.size() : end + 3;
                continue;
            }
            const size_t end = s.find('`', i + 1);
            if (end != std::string_view::npos && end - i < 200 && s.substr(i, end - i).find('\n') == std::string_view::npos) {
                addToken("`_`");
                i = end + 1;
                continue;
            }
        }
        if (c == '"' || c == '\'') {
            const size_t end = closingQuote(s, i, c);
            if (end != std::string_view::npos) {
                addToken("\"_\"");
                i = end + 1;
                sentenceStart = false;
                continue;
            }
        }
        // Punctuation is kept (it is part of a template's shape) and ends sentences.
        addToken(std::string_view(&s[i], 1));
        sentenceStart = c == '.' || c == '?' || c == '!' || c == ':' || c == '#' || c == '-' || c == '*' || c == '('
                        || c == '[' || c == '>';
        ++i;
    }
    return firstWord;
}

std::string_view firstParagraph(std::string_view skeleton)
{
    const size_t nl = skeleton.find('\n');
    return nl == std::string_view::npos ? skeleton : skeleton.substr(0, nl);
}

std::string_view lastParagraph(std::string_view skeleton)
{
    const size_t nl = skeleton.rfind('\n');
    return nl == std::string_view::npos ? skeleton : skeleton.substr(nl + 1);
}

std::string_view leadingWords(std::string_view text, int words)
{
    size_t i = 0;
    int seen = 0;
    while (i < text.size()) {
        if (text[i] == ' ' && ++seen == words)
            return text.substr(0, i);
        ++i;
    }
    return text;
}

std::string_view trailingWords(std::string_view text, int words)
{
    size_t i = text.size();
    int seen = 0;
    while (i > 0) {
        --i;
        if (text[i] == ' ' && ++seen == words)
            return text.substr(i + 1);
    }
    return text;
}

} // namespace ds
