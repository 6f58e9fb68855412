#pragma once

#include <cstdint>
#include <string_view>

namespace ds {

// The fingerprint of a request's task with its wrapper stripped (request.task_hash),
// so that one task sent under paraphrased wrappers ("think step by step",
// "show all your reasoning", greetings, format requests) by different accounts
// still matches, and different tasks do not. 0 when the prompt holds no
// substantial task (a greeting, a one-line question).
//
// How: the prompt is cut into paragraphs (blank lines) and sentences (. ? ! :
// followed by white space, and line ends). A sentence made mostly of
// instruction words (elicitation, format, politeness: kInstructionWords in the
// .cpp) is wrapper; it ends the current content span, as a paragraph break
// does. A short sentence without digits ("Hi!", "Quick one:") is skipped
// without ending the span. The longest span (by words) is the task body: its
// lower-cased words and code symbols, in order, are folded into one 64-bit
// hash (xxh3-64 of each token, then a splitmix64 mix per token). A wrapper
// paragraph that is not recognised is usually shorter than the task and is not
// chosen. The system prompt is not read: wrappers live there, tasks rarely.
// Pure function: any thread.
std::uint64_t taskFingerprint(std::string_view prompt);

// The least a span must hold to count as a task: words, and words that are not instruction words.
constexpr int kTaskMinWords = 8;
constexpr int kTaskMinContentWords = 4;

} // namespace ds
