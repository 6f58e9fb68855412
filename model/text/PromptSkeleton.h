#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ds {

// A prompt's skeleton: the text with what varies between fills of one template
// masked out, so requests made from the same template share a skeleton.
// Numbers become '0', quoted text '"_"', fenced code '```_```', inline code
// '`_`', mid-sentence capitalised words (names) 'N', URLs and e-mail addresses
// 'U'; letters are lower-cased and runs of whitespace become one space, except
// that paragraph breaks (blank lines) are kept as '\n'.
// Pure function: any thread.
std::string promptSkeleton(std::string_view prompt);

// Builds skeletons of one or more texts into one buffer (parts joined by '\n')
// and remembers where each space- or newline-separated word of the skeleton
// starts, so template keys and SimHash shingles need no second pass over it.
// The import runs it on every request: keep one per thread and reuse it, so
// its buffers are allocated once. Not shared between threads.
class SkeletonBuilder
{
public:
    void clear();
    // Appends the skeleton of `text` as it would be on its own (its first
    // token gets no separator). Returns the index of its first word.
    std::size_t appendPart(std::string_view text);
    // Appends a paragraph break ('\n') between parts.
    void paragraphBreak();

    std::string_view skeleton() const { return {m_out.data(), m_size}; }
    std::size_t wordCount() const { return m_wordCount; }
    // Where each word starts in skeleton(), wordCount() of them: word i ends one
    // byte (its separator) before word i + 1 starts, the last at the end.
    const std::uint32_t* wordStarts() const { return m_words.data(); }
    // Word i as a view of skeleton(); wordsFrom(i, n) spans words i..i+n-1 with their separators.
    std::string_view wordsFrom(std::size_t first, std::size_t count) const;
    // True when word i begins a paragraph: it follows a '\n' (or starts the buffer).
    bool startsParagraph(std::size_t i) const { return m_words[i] == 0 || m_out[m_words[i] - 1] == '\n'; }

private:
    // Both buffers only grow (zero-filling is paid once per thread, not per
    // request); m_size and m_wordCount say how much of them is in use.
    void reserveFor(std::size_t textBytes);

    std::string m_out;
    std::size_t m_size = 0;
    std::vector<std::uint32_t> m_words; // offset in m_out where each word starts
    std::size_t m_wordCount = 0;
};

// The first paragraph of a skeleton (up to the first '\n'), where templates
// usually put their fixed instruction.
std::string_view firstParagraph(std::string_view skeleton);
// The last paragraph, where templates put trailing instructions ("Answer in JSON").
std::string_view lastParagraph(std::string_view skeleton);

// The first (last) `words` space-separated words of `text`, as one view.
std::string_view leadingWords(std::string_view text, int words);
std::string_view trailingWords(std::string_view text, int words);

} // namespace ds
