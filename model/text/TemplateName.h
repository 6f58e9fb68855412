#pragma once

#include <QString>

#include <cstdint>
#include <string_view>

namespace ds {
class SqliteDb;
}

// What a prompt template is called wherever Distillscope names one: the network list, the Templates tab, the
// evidence report and the STIX bundle. A template IS its fingerprint (text/TemplateFingerprint.h, ds-skeleton-v1:
// the value partners match and the key the Templates tab groups by), and its words are a function of that
// fingerprint alone: the first and last words of its skeleton, what varies between fills shown as placeholders.
// No caller chooses which words to show, so one template cannot read differently in two places. Pure functions
// and per-connection reads: any thread, each with its own connection.
namespace ds::templatename {

struct TemplateName
{
    QString words;       // “write a python function … include unit tests.”: plain text, quotes included, one line
    QString fingerprint; // "ds-skeleton-v1:0123456789abcdef"

    bool isEmpty() const { return fingerprint.isEmpty(); }
    // "“words” (ds-skeleton-v1:…)": both, for a place with room for one line only.
    QString withFingerprint() const;
};

// At most this many words from each end of the skeleton; a shorter template is named whole.
constexpr int kEndWords = 6;

// The words of a skeleton (text/PromptSkeleton.h) as a name: placeholders made readable ("…" for quoted text,
// "#" for a number, "[name]", "[link]", "[code]"), control and direction characters neutralised, in curly quotes;
// its first and last kEndWords words joined by " … " when it is longer. Empty skeleton: empty.
QString wordsOfSkeleton(std::string_view skeleton);

// The name of the template of a request with this system prompt and prompt: the words of the prompt's skeleton
// (the system prompt's when the prompt has no words), the fingerprint of both, as the import stores it.
TemplateName of(std::string_view systemPrompt, std::string_view prompt);

// The name of the template request `requestId` (request.id) was made from, read from the case: its stored
// fingerprint and its words. Empty when there is no such request.
TemplateName ofRequest(SqliteDb& db, std::int64_t requestId);

} // namespace ds::templatename
