#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace ds {

// Lexical markers found in a request's text (bits of request.prompt_flags).
enum PromptFlag : std::uint32_t {
    FlagCotElicitation = 1u << 0,  // asks for step-by-step / internal reasoning to be written out
    FlagGrading = 1u << 1,         // rubric, score or judge prompt (model used as a grader)
    FlagSensitiveRewrite = 1u << 2, // asks to rewrite a sensitive / political question into a "safe" one
    FlagCode = 1u << 3,            // contains or asks for source code
    FlagToolSchema = 1u << 4,      // offers tools or embeds a function schema
    FlagMultiTurn = 1u << 5,       // several user turns joined by blank lines
    FlagLongOutputAsked = 1u << 6, // explicitly asks for a long or exhaustive answer
};

// Coarse task category of a request (request.category), for capability-concentration entropy.
enum class TaskCategory : std::uint8_t { Other = 0, Chat, Writing, Coding, Maths, Reasoning, Agentic };
constexpr int kTaskCategoryCount = 7;
const char* taskCategoryName(TaskCategory c);

// What the import computes from each request's text so that detection can work
// on integers alone: template identity (exact skeleton and its first paragraph),
// a SimHash of the skeleton for near-duplicates, markers and a category.
struct PromptFeatures
{
    std::uint64_t skeletonHash = 0; // xxh3 of the whole skeleton (system prompt + prompt)
    std::uint64_t headHash = 0;     // template head: xxh3 of the prompt skeleton's first paragraph, at most kTemplateWords words
    std::uint64_t tailHash = 0;     // template tail: xxh3 of the last paragraph's last kTemplateWords words
    std::uint64_t simhash = 0;      // 64-bit SimHash over word 3-shingles of the skeleton
    std::uint32_t flags = 0;        // PromptFlag bits
    TaskCategory category = TaskCategory::Other;
    std::uint32_t bytes = 0;        // UTF-8 bytes of system prompt + prompt
    std::uint64_t taskHash = 0;     // the task with its wrapper stripped (text/TaskFingerprint), 0: none
    std::uint16_t harvest = 0;      // request-level harvest score (text/HarvestModel), 0..1000
};

// How many skeleton words make a template's head or tail key. Templates keep
// their fixed instruction at one end and the slot-filled task at the other;
// a bounded window at each end survives the fill while the whole skeleton does not.
constexpr int kTemplateWords = 12;
constexpr int kMinTemplateWords = 5;

// Pure function: any thread. `toolCount` is the number of tools offered (0 if none).
PromptFeatures extractPromptFeatures(std::string_view systemPrompt, std::string_view prompt, int toolCount);

// The marker phrase lists behind the flags and the category (ASCII lower case, matched ignoring ASCII case in the
// system prompt and the prompt). Exposed so that code finding the same markers elsewhere reads these lists, not a
// copy (remote/TriageSql counts them in ClickHouse). Any thread.
enum class MarkerList { ReasoningDemand, Grading, Sensitive, Rewrite, Code, Maths, LongAnswer };
std::span<const std::string_view> markerPhrases(MarkerList list);

// Hamming distance of two SimHashes: small means near-duplicate skeletons.
inline int simhashDistance(std::uint64_t a, std::uint64_t b) { return __builtin_popcountll(a ^ b); }

} // namespace ds
