#include "text/PromptFeatures.h"

#include "core/BitVotes.h"
#include "core/Hashing.h"
#include "core/MultiMatcher.h"
#include "text/HarvestModel.h"
#include "text/PromptSkeleton.h"
#include "text/TaskFingerprint.h"

#include <array>
#include <string>
#include <vector>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace ds {

const char* taskCategoryName(TaskCategory c)
{
    switch (c) {
    case TaskCategory::Other: return "other";
    case TaskCategory::Chat: return "chat";
    case TaskCategory::Writing: return "writing";
    case TaskCategory::Coding: return "coding";
    case TaskCategory::Maths: return "maths";
    case TaskCategory::Reasoning: return "reasoning";
    case TaskCategory::Agentic: return "agentic";
    }
    return "other";
}

namespace {


constexpr std::array<std::string_view, 12> kCot = {
    "step by step", "step-by-step", "internal reasoning", "chain of thought", "chain-of-thought",
    "show your reasoning", "explain your reasoning", "reasoning process", "show your work", "think through",
    "full reasoning", "thought process"};
constexpr std::array<std::string_view, 11> kGrading = {
    "rubric", "[[rating]]", "on a scale of", "score the", "rate the", "grade the", "impartial judge",
    "evaluate the quality", "which assistant", "assign a score", "rating: [["};
constexpr std::array<std::string_view, 7> kSensitive = {
    "politically", "sensitive", "controversial", "censor", "safe alternative", "neutral phrasing", "taboo"};
constexpr std::array<std::string_view, 5> kRewrite = {"rewrite", "rephrase", "reformulate", "reword", "paraphrase"};
constexpr std::array<std::string_view, 12> kCode = {
    "```", "def ", "#include", "function ", "return ", "public static", "import ", "console.log", "=> {",
    "python", "javascript", "sql"};
constexpr std::array<std::string_view, 9> kCodingAsk = {
    "code", "implement", "function", "program", "script", "bug", "compile", "refactor", "algorithm"};
constexpr std::array<std::string_view, 10> kMaths = {
    "how many", "how much", "calculate", "solve", "equation", "total", "percent", "probability", "integer",
    "sum of"};
constexpr std::array<std::string_view, 9> kWriting = {
    "write a", "essay", "story", "poem", "email", "letter", "blog", "summarize", "translate"};
constexpr std::array<std::string_view, 6> kToolSchema = {
    "\"parameters\"", "\"properties\"", "function call", "tool call", "\"function\"", "available tools"};
constexpr std::array<std::string_view, 6> kLong = {
    "in full detail", "exhaustive", "as detailed as possible", "at least 1000 words", "comprehensive",
    "do not omit"};

// Every marker group in one automaton, so a request's text is scanned once
// (dozens of substring searches per prompt dominated the import's time).
struct MarkerGroup
{
    const std::string_view* begin;
    std::size_t first, count; // bit range in MultiMatcher::Hits
    MultiMatcher::Hits mask;  // the same range as a mask
};

struct MarkerIndex
{
    std::vector<MarkerGroup> groups;
    MultiMatcher matcher;
};

template<size_t N>
void addGroup(std::vector<std::string_view>& phrases, std::vector<MarkerGroup>& groups, const std::array<std::string_view, N>& g)
{
    MultiMatcher::Hits mask;
    for (std::size_t i = 0; i < N; ++i)
        mask.set(phrases.size() + i);
    groups.push_back({g.data(), phrases.size(), N, mask});
    phrases.insert(phrases.end(), g.begin(), g.end());
}

const MarkerIndex& markerIndex()
{
    static const MarkerIndex index = [] {
        std::vector<std::string_view> phrases;
        std::vector<MarkerGroup> groups;
        addGroup(phrases, groups, kCot);
        addGroup(phrases, groups, kGrading);
        addGroup(phrases, groups, kSensitive);
        addGroup(phrases, groups, kRewrite);
        addGroup(phrases, groups, kCode);
        addGroup(phrases, groups, kCodingAsk);
        addGroup(phrases, groups, kMaths);
        addGroup(phrases, groups, kWriting);
        addGroup(phrases, groups, kToolSchema);
        addGroup(phrases, groups, kLong);
        return MarkerIndex{std::move(groups), MultiMatcher(phrases)};
    }();
    return index;
}

// Which marker phrases occur in a request's system prompt and prompt (ASCII case ignored).
struct MarkerHits
{
    MultiMatcher::Hits hits;
};

MarkerHits scanMarkers(std::string_view systemPrompt, std::string_view prompt)
{
    const MultiMatcher& m = markerIndex().matcher;
    return MarkerHits{m.match(systemPrompt) | m.match(prompt)};
}

// How many distinct phrases of `group` occur.
template<size_t N>
int countAny(const MarkerHits& text, const std::array<std::string_view, N>& group)
{
    for (const MarkerGroup& g : markerIndex().groups)
        if (g.begin == group.data())
            return static_cast<int>((text.hits & g.mask).count());
    return 0;
}

// Whether one phrase of `group` occurs.
template<size_t N>
bool hasPhrase(const MarkerHits& text, const std::array<std::string_view, N>& group, std::string_view phrase)
{
    for (const MarkerGroup& g : markerIndex().groups)
        if (g.begin == group.data())
            for (std::size_t i = 0; i < g.count; ++i)
                if (group[i] == phrase)
                    return text.hits.test(g.first + i);
    return false;
}

int digitCount(std::string_view s)
{
    int n = 0;
    for (char c : s)
        n += c >= '0' && c <= '9';
    return n;
}

// hash64() (core/Hashing.cpp) is XXH3_64bits, called here inline: a SimHash
// hashes a hundred short shingles per prompt and the calls showed in profiles.
// It must stay exactly hash64() (tst_text_features checks simhash against it).
std::uint64_t shingleHash(const char* bytes, std::size_t size) { return XXH3_64bits(bytes, size); }

std::uint64_t simhashOf(const SkeletonBuilder& skeleton)
{
    // Word 3-shingles: long enough to carry word order, short enough that one
    // changed slot disturbs only three shingles. Each bit is the majority vote
    // of the shingles' hashes.
    const std::size_t words = skeleton.wordCount();
    if (words < 3)
        return hash64(skeleton.skeleton());
    // Shingle w runs from word w's start to one byte before word w + 3's (its
    // separator), the last one to the end: the same bytes as wordsFrom(w, 3).
    const char* text = skeleton.skeleton().data();
    const std::uint32_t* starts = skeleton.wordStarts();
    // Hashes go to a block first, then to the votes in one go (see BitVotes::add).
    std::array<std::uint64_t, 64> block;
    std::size_t inBlock = 0;
    BitVotes votes;
    for (std::size_t w = 0; w + 3 < words; ++w) {
        block[inBlock++] = shingleHash(text + starts[w], starts[w + 3] - 1 - starts[w]);
        if (inBlock == block.size()) {
            votes.add(block.data(), inBlock);
            inBlock = 0;
        }
    }
    block[inBlock++] = shingleHash(text + starts[words - 3], skeleton.skeleton().size() - starts[words - 3]);
    votes.add(block.data(), inBlock);
    return votes.majority();
}

} // namespace

std::span<const std::string_view> markerPhrases(MarkerList list)
{
    switch (list) {
    case MarkerList::ReasoningDemand: return kCot;
    case MarkerList::Grading: return kGrading;
    case MarkerList::Sensitive: return kSensitive;
    case MarkerList::Rewrite: return kRewrite;
    case MarkerList::Code: return kCode;
    case MarkerList::Maths: return kMaths;
    case MarkerList::LongAnswer: return kLong;
    }
    return {};
}

PromptFeatures extractPromptFeatures(std::string_view systemPrompt, std::string_view prompt, int toolCount)
{
    PromptFeatures f;
    f.bytes = static_cast<std::uint32_t>(systemPrompt.size() + prompt.size());

    // The whole skeleton is the system prompt's, a paragraph break, then the
    // prompt's (just the prompt's when there is no system prompt).
    thread_local SkeletonBuilder skeleton;
    skeleton.clear();
    if (!systemPrompt.empty()) {
        skeleton.appendPart(systemPrompt);
        skeleton.paragraphBreak();
    }
    const std::size_t promptStart = skeleton.skeleton().size();
    const std::size_t firstWord = skeleton.appendPart(prompt);
    const std::size_t words = skeleton.wordCount();
    const std::string_view promptSkel = skeleton.skeleton().substr(promptStart);
    f.skeletonHash = hash64(skeleton.skeleton());
    // Template keys: at most kTemplateWords words at the start of the prompt's
    // first paragraph and at the end of its last. A window of fewer than
    // kMinTemplateWords words ("hi", "0") is too generic to identify a
    // template: 0 says "no key". Seeds keep a one-paragraph prompt's head and
    // tail keys apart.
    std::size_t headWords = 0;
    while (firstWord + headWords < words && headWords < static_cast<std::size_t>(kTemplateWords)
           && (headWords == 0 || !skeleton.startsParagraph(firstWord + headWords)))
        ++headWords;
    std::size_t tailWords = 0;
    while (words - tailWords > firstWord && tailWords < static_cast<std::size_t>(kTemplateWords)) {
        ++tailWords;
        if (skeleton.startsParagraph(words - tailWords))
            break;
    }
    f.headHash = headWords >= kMinTemplateWords ? hash64(skeleton.wordsFrom(firstWord, headWords), 0x68656164) : 0;
    f.tailHash = tailWords >= kMinTemplateWords ? hash64(skeleton.wordsFrom(words - tailWords, tailWords), 0x7461696c) : 0;
    f.simhash = simhashOf(skeleton);

    const MarkerHits text = scanMarkers(systemPrompt, prompt);

    if (countAny(text, kCot))
        f.flags |= FlagCotElicitation;
    if (countAny(text, kGrading))
        f.flags |= FlagGrading;
    if (countAny(text, kSensitive) && countAny(text, kRewrite))
        f.flags |= FlagSensitiveRewrite;
    const int codeHits = countAny(text, kCode);
    if (codeHits >= 2 || hasPhrase(text, kCode, "```"))
        f.flags |= FlagCode;
    if (toolCount > 0 || countAny(text, kToolSchema) >= 2)
        f.flags |= FlagToolSchema;
    if (prompt.find("\n\n") != std::string_view::npos && promptSkel.size() > 200)
        f.flags |= FlagMultiTurn;
    if (countAny(text, kLong))
        f.flags |= FlagLongOutputAsked;

    if (f.flags & FlagToolSchema)
        f.category = TaskCategory::Agentic;
    else if (f.flags & FlagCode || countAny(text, kCodingAsk) >= 2)
        f.category = TaskCategory::Coding;
    else if (f.flags & (FlagGrading | FlagSensitiveRewrite))
        f.category = TaskCategory::Reasoning;
    else if (countAny(text, kMaths) >= 1 && digitCount(prompt) >= 2)
        f.category = TaskCategory::Maths;
    else if (f.flags & FlagCotElicitation)
        f.category = TaskCategory::Reasoning;
    else if (countAny(text, kWriting))
        f.category = TaskCategory::Writing;
    else if (!prompt.empty())
        f.category = TaskCategory::Chat;
    f.taskHash = taskFingerprint(prompt);
    // Last: the model reads the flags, category and task fingerprint above.
    f.harvest = static_cast<std::uint16_t>(harvestScore(systemPrompt, prompt, toolCount, f));
    return f;
}

} // namespace ds
