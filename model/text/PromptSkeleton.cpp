#include "text/PromptSkeleton.h"

namespace ds {

namespace {

bool isDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool isUpper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
bool isLower(unsigned char c) { return c >= 'a' && c <= 'z'; }
bool isAlpha(unsigned char c) { return isUpper(c) || isLower(c) || c >= 0x80; }
bool isSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

// Finds the closing quote for a quote at `open`, on the same paragraph and
// within a bounded distance, so an apostrophe ("don't") is not a quote.
size_t closingQuote(std::string_view s, size_t open, char q)
{
    constexpr size_t kMaxQuoted = 400;
    if (q == '\'' && open > 0 && isAlpha(static_cast<unsigned char>(s[open - 1])))
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

std::string promptSkeleton(std::string_view s)
{
    std::string out;
    out.reserve(s.size() / 2 + 16);
    bool sentenceStart = true;
    bool pendingSpace = false;
    int newlines = 0;
    auto emit = [&](std::string_view token) {
        if (!out.empty()) {
            if (newlines >= 2)
                out += '\n';
            else if (pendingSpace || newlines == 1)
                out += ' ';
        }
        pendingSpace = false;
        newlines = 0;
        out += token;
    };

    size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (isSpace(c)) {
            if (c == '\n') {
                ++newlines;
                sentenceStart = true; // a line starts with a capital without being a name
            }
            pendingSpace = true;
            ++i;
            continue;
        }
        if (startsWith(s, i, "```")) {
            const size_t end = s.find("```", i + 3);
            emit("```_```");
            i = end == std::string_view::npos ? s.size() : end + 3;
            continue;
        }
        if (c == '`') {
            const size_t end = s.find('`', i + 1);
            if (end != std::string_view::npos && end - i < 200 && s.substr(i, end - i).find('\n') == std::string_view::npos) {
                emit("`_`");
                i = end + 1;
                continue;
            }
        }
        if (c == '"' || c == '\'') {
            const size_t end = closingQuote(s, i, static_cast<char>(c));
            if (end != std::string_view::npos) {
                emit("\"_\"");
                i = end + 1;
                sentenceStart = false;
                continue;
            }
        }
        if (isDigit(c)) {
            // A number with its separators and decimal part: 1,234.5 or 3.14 or 2026-02-03.
            while (i < s.size()) {
                const auto d = static_cast<unsigned char>(s[i]);
                if (isDigit(d) || ((d == '.' || d == ',' || d == ':' || d == '-' || d == '/') && i + 1 < s.size()
                                   && isDigit(static_cast<unsigned char>(s[i + 1]))))
                    ++i;
                else
                    break;
            }
            emit("0");
            sentenceStart = false;
            continue;
        }
        if (isAlpha(c)) {
            size_t j = i;
            while (j < s.size()) {
                const auto d = static_cast<unsigned char>(s[j]);
                if (isAlpha(d) || isDigit(d) || d == '_' || d == '-' || d == '\'')
                    ++j;
                else
                    break;
            }
            const std::string_view word = s.substr(i, j - i);
            // URLs and e-mail addresses vary per fill: mask the whole run up to whitespace.
            if (startsWith(s, j, "://") || (j < s.size() && s[j] == '@')) {
                while (j < s.size() && !isSpace(static_cast<unsigned char>(s[j])))
                    ++j;
                emit("U");
            } else if (isUpper(c) && !sentenceStart && word.size() > 1) {
                emit("N");
            } else {
                // Lower-case in place after appending: no temporary string per word.
                const std::size_t at = out.size();
                emit(word);
                for (std::size_t k = out.size() - word.size(); k < out.size() && k >= at; ++k)
                    if (isUpper(static_cast<unsigned char>(out[k])))
                        out[k] = static_cast<char>(out[k] - 'A' + 'a');
            }
            sentenceStart = false;
            i = j;
            continue;
        }
        // Punctuation is kept (it is part of a template's shape) and ends sentences.
        const char p[2] = {static_cast<char>(c), 0};
        emit(std::string_view(p, 1));
        sentenceStart = c == '.' || c == '?' || c == '!' || c == ':' || c == '#' || c == '-' || c == '*' || c == '('
                        || c == '[' || c == '>';
        ++i;
    }
    return out;
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
