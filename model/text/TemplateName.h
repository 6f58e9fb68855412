#pragma once

#include <QString>

#include <cstdint>
#include <string_view>

namespace ds {
class SqliteDb;
}

// What a prompt template is called wherever Distillscope names one: the network list, the Templates tab, the
// evidence report and the STIX bundle. A template is named in words by its fixed text (the first and last words
// of its skeleton, what varies between fills shown as placeholders), with its fingerprint
// (text/TemplateFingerprint.h, the value partners match) as the secondary detail. Every place takes the name from
// here, so one template reads the same everywhere. Pure functions and per-connection reads: any thread, each with
// its own connection.
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

// Which fixed words name a template. Detection finds templates by the opening of a prompt, by its ending
// (text/PromptFeatures.h: up to kTemplateWords words of the first or last paragraph) or whole; only those words
// are the same in every fill, so only they name it.
enum class Part {
    Whole,        // “first words … last words” of the whole skeleton
    Opening,      // “the opening words …”: the words the head key covers
    Ending,       // “… the ending words”: the words the tail key covers
    SystemPrompt, // the system prompt, whole
    AsViewsGroup, // Opening when the request has a head key, else Whole: the grouping of the Templates tab
};

// The words of a skeleton (text/PromptSkeleton.h) as a name: placeholders made readable ("…" for quoted text,
// "#" for a number, "[name]", "[link]", "[code]"), control and direction characters neutralised, in curly quotes.
// Whole: its first and last kEndWords words joined by " … " when it is longer. Empty skeleton: empty.
QString wordsOfSkeleton(std::string_view skeleton, Part part = Part::Whole);

// The name of the template of a request with this system prompt and prompt. The words come from the prompt's
// skeleton (the system prompt's when the prompt has no words); the fingerprint from both, as the import stores it.
TemplateName of(std::string_view systemPrompt, std::string_view prompt, Part part = Part::Whole);

// The name of the template request `requestId` (request.id) was made from, read from the case: its stored
// fingerprint and its words. Empty when there is no such request.
TemplateName ofRequest(SqliteDb& db, std::int64_t requestId, Part part = Part::Whole);

} // namespace ds::templatename
