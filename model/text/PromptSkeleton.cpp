#include "text/PromptSkeleton.h"

#include <algorithm>
#include <array>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

bool isAlpha(char c) { return kClass[static_cast<unsigned char>(c)] & kAlpha; }

#if defined(__SSE2__)
// Bytes of x in [lo, lo + count), as 0xff lanes: x + (0x80 - lo) < -128 + count, signed.
__m128i bytesIn(__m128i x, char lo, char count)
{
    return _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8(static_cast<char>(0x80 - lo))),
                          _mm_set1_epi8(static_cast<char>(-128 + count)));
}

unsigned maskOf(__m128i lanes) { return static_cast<unsigned>(_mm_movemask_epi8(lanes)); }
#endif

// Copies the word starting at s[j] (its first byte a word byte) lower-cased to
// `out`, up to the first byte that is not a word byte or n; returns where it
// stopped in s. Words end at unpredictable lengths: finding the end 16 bytes
// at a time spares a mispredicted branch per word. May write up to 15 bytes
// past the word (the caller's buffer has the slack); never reads past n.
size_t lowerWord(const unsigned char* s, size_t j, size_t n, char*& out)
{
    char* w = out;
#if defined(__SSE2__)
    while (j + 16 <= n) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + j));
        const __m128i upper = bytesIn(v, 'A', 26);
        const __m128i letter = bytesIn(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 26);
        const __m128i high = _mm_cmplt_epi8(v, _mm_setzero_si128());
        const __m128i digit = bytesIn(v, '0', 10);
        const auto is = [&v](char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
        const __m128i joiner = _mm_or_si128(_mm_or_si128(is('_'), is('-')), is('\''));
        const __m128i word = _mm_or_si128(_mm_or_si128(letter, high), _mm_or_si128(digit, joiner));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(w), _mm_add_epi8(v, _mm_and_si128(upper, _mm_set1_epi8(0x20))));
        const unsigned stop = ~maskOf(word) & 0xffffu;
        if (stop) {
            const unsigned k = static_cast<unsigned>(__builtin_ctz(stop));
            out = w + k;
            return j + k;
        }
        j += 16;
        w += 16;
    }
#endif
    while (j < n && (kClass[s[j]] & kWordByte))
        *w++ = kLowered[s[j++]];
    out = w;
    return j;
}

// Plain text from a lower-case word at s[i] on: lower-case letters, single
// spaces and punctuation no rule treats specially (not quotes, backticks,
// '@', ':', digits, capitals, other whitespace or non-ASCII). Its skeleton is
// the text itself, each space a separator that starts a word, so it is copied
// 16 bytes at a time instead of token by token. The run ends at a space after
// a letter, so its last word is whole and a plain word (what follows is left
// to the general loop). Returns the run's end (i: no run); writes its bytes
// to `out` (and up to 15 bytes further) and the starts of the words it begins
// to `words`; `at` is out's offset in the skeleton. Never reads past n.
size_t plainRun(const unsigned char* s, size_t i, size_t n, char* out, std::uint32_t at, std::uint32_t*& words)
{
    size_t end = i;
#if defined(__SSE2__)
    std::uint32_t* const wordsBefore = words;
    unsigned spaceBefore = 0, letterBefore = 0; // whether the byte before the block is one; s[i] is a letter
    for (size_t j = i; j + 16 <= n; j += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + j));
        const auto is = [&v](char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
        // Capitals, digits and ':' (the byte after '9'), quotes, backticks, '@'.
        const __m128i quotes = _mm_or_si128(_mm_or_si128(is('"'), is('\'')), _mm_or_si128(is('`'), is('@')));
        const __m128i special = _mm_or_si128(_mm_or_si128(bytesIn(v, 'A', 26), bytesIn(v, '0', 11)), quotes);
        const unsigned space = maskOf(is(' '));
        const unsigned letter = maskOf(bytesIn(v, 'a', 26));
        const unsigned plain = maskOf(_mm_andnot_si128(special, bytesIn(v, '!', 94))) | space;
        const unsigned stop = (~plain & 0xffffu) | (space & ((space << 1) | spaceBefore)) | 0x10000u;
        const unsigned kept = (1u << __builtin_ctz(stop)) - 1; // bytes before the first that ends the run
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + (j - i)), v);
        const unsigned spaces = space & kept;
        if (const unsigned cuts = spaces & ((letter << 1) | letterBefore))
            end = j + static_cast<size_t>(31 - __builtin_clz(cuts));
        for (unsigned m = spaces; m; m &= m - 1)
            *words++ = at + static_cast<std::uint32_t>(j - i) + static_cast<std::uint32_t>(__builtin_ctz(m)) + 1;
        if (kept != 0xffffu)
            break;
        spaceBefore = space >> 15;
        letterBefore = letter >> 15;
    }
    // Words begun after the end are the general loop's.
    const std::uint32_t last = at + static_cast<std::uint32_t>(end - i);
    while (words > wordsBefore && words[-1] > last)
        --words;
#else
    (void)s, (void)n, (void)out, (void)at, (void)words;
#endif
    return end;
}

// Finds the closing quote for a quote at `open`, on the same paragraph and
// within a bounded distance, so an apostrophe ("don't") is not a quote.
size_t closingQuote(std::string_view s, size_t open, char q)
{
    constexpr size_t kMaxQuoted = 400;
    if (q == '\'' && open > 0 && isAlpha(s[open - 1]))
        return std::string_view::npos;
    const size_t close = s.substr(0, open + kMaxQuoted + 1).find(q, open + 1);
    if (close == std::string_view::npos || close == open + 1)
        return std::string_view::npos;
    // s[close] is no '\n', so a blank line before it lies wholly inside.
    return s.substr(open + 1, close - open - 1).find("\n\n") == std::string_view::npos ? close : std::string_view::npos;
}

} // namespace

std::string promptSkeleton(std::string_view prompt)
{
    SkeletonBuilder b;
    b.appendPart(prompt);
    return std::string(b.skeleton());
}

void SkeletonBuilder::clear()
{
    m_size = 0;
    m_wordCount = 0;
    // The buffers only grow (six bytes per byte of the longest text so far);
    // after an outsized prompt, give the memory back instead of keeping it
    // for the thread's life.
    constexpr std::size_t kKeepBytes = 4 << 20;
    if (m_out.size() > kKeepBytes) {
        std::string().swap(m_out);
        std::vector<std::uint32_t>().swap(m_words);
    }
}

void SkeletonBuilder::reserveFor(std::size_t textBytes)
{
    // A part's skeleton is at most twice its text plus one byte (every token
    // but "```_```" and "`_`" is at most as long as its text, those are at most
    // twice plus one, a separator needs whitespace in the text); the slack
    // covers the 16-byte writes that run past the end and a paragraph break.
    const std::size_t bytes = m_size + 2 * textBytes + 32;
    if (bytes > m_out.size())
        m_out.resize(std::max(bytes, 2 * m_out.size()));
    // Each word takes at least one byte of text.
    const std::size_t words = m_wordCount + textBytes + 1;
    if (words > m_words.size())
        m_words.resize(std::max(words, 2 * m_words.size()));
}

void SkeletonBuilder::paragraphBreak()
{
    reserveFor(0);
    m_out[m_size++] = '\n';
}

std::string_view SkeletonBuilder::wordsFrom(std::size_t first, std::size_t count) const
{
    if (count == 0 || first >= m_wordCount)
        return {};
    const std::size_t last = std::min(first + count, m_wordCount);
    const std::size_t end = last < m_wordCount ? m_words[last] - 1 : m_size;
    return skeleton().substr(m_words[first], end - m_words[first]);
}

std::size_t SkeletonBuilder::appendPart(std::string_view text)
{
    // The import's hottest loop: the output is sized once for the whole part
    // and written through raw pointers, not appended token by token.
    reserveFor(text.size());
    const std::size_t firstWord = m_wordCount;
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    char* const base = m_out.data();
    char* const partStart = base + m_size;
    char* out = partStart;
    std::uint32_t* words = m_words.data() + m_wordCount;
    bool pendingSpace = false;
    int newlines = 0;
    bool sentenceStart = true;

    // One separator between tokens that had whitespace between them: '\n' for a
    // blank line, else a space; each separator starts a word. Tokens without
    // whitespace between them ("word,") stay one word. The part's first token
    // gets no separator.
    const auto separate = [&] {
        if (out != partStart) {
            if (!pendingSpace)
                return;
            *out++ = newlines >= 2 ? '\n' : ' ';
        }
        *words++ = static_cast<std::uint32_t>(out - base);
        pendingSpace = false;
        newlines = 0;
    };

    size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        const std::uint8_t cls = kClass[c];
        if (cls & kSpace) {
            pendingSpace = true;
            do {
                if (s[i] == '\n') {
                    ++newlines;
                    sentenceStart = true; // a line starts with a capital without being a name
                }
                ++i;
            } while (i < n && (kClass[s[i]] & kSpace));
            continue;
        }
        if (cls & kAlpha) {
            separate();
            if (cls & kLower) {
                const size_t end = plainRun(s, i, n, out, static_cast<std::uint32_t>(out - base), words);
                if (end > i) {
                    out += end - i;
                    i = end;
                    sentenceStart = false;
                    continue;
                }
            }
            // Lower-case while scanning; a URL or a name replaces what was written.
            const bool name = (cls & kUpper) && !sentenceStart;
            char* w = out;
            size_t j = lowerWord(s, i, n, w);
            // URLs and e-mail addresses vary per fill: mask the whole run up to whitespace.
            if (j < n && (s[j] == '@' || (s[j] == ':' && j + 2 < n && s[j + 1] == '/' && s[j + 2] == '/'))) {
                while (j < n && !(kClass[s[j]] & kSpace))
                    ++j;
                *out++ = 'U';
            } else if (name && j - i > 1) {
                *out++ = 'N';
            } else {
                out = w;
            }
            sentenceStart = false;
            i = j;
            continue;
        }
        separate();
        if (cls & kDigit) {
            // A number with its separators and decimal part: 1,234.5 or 3.14 or 2026-02-03.
            while (i < n) {
                const unsigned char d = s[i];
                if ((kClass[d] & kDigit)
                    || ((d == '.' || d == ',' || d == ':' || d == '-' || d == '/') && i + 1 < n
                        && (kClass[s[i + 1]] & kDigit)))
                    ++i;
                else
                    break;
            }
            *out++ = '0';
            sentenceStart = false;
            continue;
        }
        if (c == '`') {
            if (text.substr(i, 3) == "```") {
                const size_t end = text.find("```", i + 3);
                out = std::copy_n("```_```", 7, out);
                i = end == std::string_view::npos ? n : end + 3;
                continue;
            }
            const size_t end = text.find('`', i + 1);
            if (end != std::string_view::npos && end - i < 200
                && text.substr(i, end - i).find('\n') == std::string_view::npos) {
                out = std::copy_n("`_`", 3, out);
                i = end + 1;
                continue;
            }
        }
        if (c == '"' || c == '\'') {
            const size_t end = closingQuote(text, i, static_cast<char>(c));
            if (end != std::string_view::npos) {
                out = std::copy_n("\"_\"", 3, out);
                i = end + 1;
                sentenceStart = false;
                continue;
            }
        }
        // Punctuation is kept (it is part of a template's shape) and ends sentences.
        *out++ = static_cast<char>(c);
        sentenceStart = c == '.' || c == '?' || c == '!' || c == ':' || c == '#' || c == '-' || c == '*' || c == '('
                        || c == '[' || c == '>';
        ++i;
    }
    m_size = static_cast<std::size_t>(out - base);
    m_wordCount = static_cast<std::size_t>(words - m_words.data());
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
