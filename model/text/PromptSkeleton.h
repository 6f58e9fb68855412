#pragma once

#include <string>
#include <string_view>

namespace ds {

// A prompt's skeleton: the text with what varies between fills of one template
// masked out, so requests made from the same template share a skeleton.
// Numbers become '0', quoted text '"_"', fenced code '```_```', inline code
// '`_`', mid-sentence capitalised words (names) 'N', URLs and e-mail addresses
// 'U'; letters are lower-cased and runs of whitespace become one space, except
// that paragraph breaks (blank lines) are kept as '\n'.
// Pure function: any thread.
std::string promptSkeleton(std::string_view prompt);

// The first paragraph of a skeleton (up to the first '\n'), where templates
// usually put their fixed instruction.
std::string_view firstParagraph(std::string_view skeleton);
// The last paragraph, where templates put trailing instructions ("Answer in JSON").
std::string_view lastParagraph(std::string_view skeleton);

// The first (last) `words` space-separated words of `text`, as one view.
std::string_view leadingWords(std::string_view text, int words);
std::string_view trailingWords(std::string_view text, int words);

} // namespace ds
