#pragma once

#include <QString>

#include <string_view>

// What two requests share when they share an opening or a task, in words: the Templates tab's other two groupings
// (workspace/PromptGroups.h). An opening is the request's head key (PromptFeatures::headHash: the first paragraph's
// first kTemplateWords skeleton words); a task is its task fingerprint (text/TaskFingerprint.h). The words are
// functions of the prompt alone, so every request of one group could name it, and each names exactly what its key
// was computed from. Pure functions: any thread.
namespace ds::promptpartname {

// The words of a prompt's opening as its head key reads them, placeholders made readable as in a template's name
// (text/TemplateName.h), in curly quotes. Empty when the prompt has no opening key (fewer than kMinTemplateWords).
QString openingWords(std::string_view prompt);

// The part of `prompt` its task fingerprint was computed from: the prompt with the wrapper sentences before and after
// the task cut off. Found with the fingerprint itself (a sentence is cut when the fingerprint stays the same without
// it), so it cannot disagree with the fingerprint's own rules. The whole prompt when it has no task fingerprint.
std::string_view taskBody(std::string_view prompt);

// The task's words: taskBody() on one line, its first and last words when it is long ("a farmer has 17 sheep … after
// 9 weeks?"), numbers and names as written (they are part of the task), control characters neutralised, in curly
// quotes. Empty when the prompt has no task fingerprint.
QString taskWords(std::string_view prompt);

} // namespace ds::promptpartname
