#include "text/TaskFingerprint.h"

#include "core/Hashing.h"

#include <algorithm>
#include <string>
#include <unordered_set>
#include <vector>

namespace ds {

namespace {

// Words that carry no task: function words, and the vocabulary of wrappers
// (asking for reasoning, formats and lengths, greetings and politeness, naming
// the task). A sentence is wrapper when at most a quarter of its words are
// outside this list. Task sentences use some of these words too, but never
// mostly these ("Explain why the sky is blue" keeps "sky", "blue").
constexpr std::string_view kInstructionWords[] = {
    // function words
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "for", "with", "by", "at", "as", "is", "are", "was",
    "be", "been", "being", "this", "that", "these", "those", "it", "its", "i", "me", "my", "you", "your", "yours", "we",
    "our", "us", "can", "could", "would", "will", "should", "must", "may", "might", "do", "does", "did", "so", "if",
    "then", "each", "every", "all", "any", "some", "how", "what", "not", "no", "just", "also", "here", "there",
    "below", "above", "following", "next", "first", "finally", "before", "after", "up", "out", "into", "from",
    "about", "more", "very", "really", "too", "s", "t", "re", "ll", "ve", "d", "m", "im", "let", "lets", "have",
    "has", "am", "when", "where", "which", "way", "while", "own", "only", "both", "one", "them", "they", "their",
    // reasoning asked for
    "step", "steps", "stepwise", "think", "thinking", "thought", "thoughts", "reason", "reasoning", "reasons",
    "logic", "logical", "work", "working", "workings", "process", "explain", "explaining", "explanation",
    "explanations", "show", "showing", "walk", "through", "detail", "detailed", "details", "full", "fully",
    "complete", "thorough", "thoroughly", "careful", "carefully", "clear", "clearly", "intermediate", "chain",
    "justify", "justification", "derivation", "derive", "rationale", "arriving", "arrive", "conclusion", "aloud",
    "loud", "explicitly", "explicit", "internal", "inner", "monologue", "scratchpad", "spell", "lay", "break",
    "down", "breakdown", "tell", "method", "approach", "describe", "leave", "skip", "omit", "nothing", "out",
    "visible", "trace", "along", "understand", "verify", "check", "double",
    // format and length
    "answer", "answers", "final", "result", "solution", "solve", "response", "respond", "reply", "output",
    "format", "formatted", "json", "markdown", "bullet", "bullets", "list", "box", "boxed", "latex", "end", "line",
    "words", "short", "brief", "briefly", "concise", "long", "include", "including", "state", "present", "give",
    "provide", "write", "put", "make", "sure", "keep", "use", "using", "plain", "text", "point", "points",
    // greetings, politeness, naming the task
    "hi", "hello", "hey", "thanks", "thank", "cheers", "greetings", "dear", "please", "kindly", "help", "need",
    "want", "like", "love", "appreciate", "know", "follow", "get", "ok", "okay", "good", "great", "morning",
    "hope", "doing", "well", "question", "questions", "problem", "problems", "task", "tasks", "exercise",
    "assistant", "quick", "try", "attempt", "consider", "given", "attached", "now", "again", "go", "assignment",
    "homework", "challenge", "puzzle", "figure", "mind", "day", "today", "going", "evening", "afternoon", "night",
    "weekend", "week", "fine", "nice", "sorry", "bother", "wondering", "wonder", "something", "anything", "stuck",
    "trying", "struggling", "confused", "friend", "buddy", "everyone", "folks", "team", "sir", "madam", "grateful"};

bool isWordByte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

// How many instruction words in a row at a sentence's end make a glued-on wrapper.
constexpr std::size_t kGluedWords = 3;

bool isSymbol(unsigned char c)
{
    switch (c) {
    case '(': case ')': case '[': case ']': case '{': case '}': case '<': case '>': case '=': case '+': case '-':
    case '*': case '/': case '%': case '#': case '&': case '|': case '^': case '~': case '$': case '@': case '\\':
        return true;
    default: return false;
    }
}

struct Lexicon
{
    std::unordered_set<std::uint64_t> words;
    Lexicon()
    {
        for (std::string_view w : kInstructionWords)
            words.insert(hash64(w));
    }
};

const Lexicon& lexicon()
{
    static const Lexicon l;
    return l;
}

// One sentence's words, and how many are content (not instruction words; numbers count as content).
struct Sentence
{
    std::size_t firstToken = 0, tokenCount = 0; // words and symbols
    std::size_t wordCount = 0;
    int content = 0;
    bool digits = false;
};

} // namespace

std::uint64_t taskFingerprint(std::string_view prompt)
{
    const Lexicon& lex = lexicon();
    thread_local std::string words; // lower-cased words, each followed by ' '
    thread_local std::vector<std::uint32_t> wordStart;
    thread_local std::vector<std::uint8_t> instruction; // per token: 1 for an instruction word
    words.clear();
    wordStart.clear();
    instruction.clear();

    std::size_t bestCount = 0; // the longest span so far
    int bestContent = 0;
    std::size_t spanWords = 0; // the open span: words kept since it began
    int spanContent = 0;
    thread_local std::vector<std::uint32_t> spanWordList; // word indexes in the open span
    thread_local std::vector<std::uint32_t> bestWordList;
    spanWordList.clear();
    bestWordList.clear();

    auto closeSpan = [&] {
        if (spanWords > bestCount || (spanWords == bestCount && spanContent > bestContent)) {
            bestCount = spanWords;
            bestContent = spanContent;
            bestWordList = spanWordList;
        }
        spanWords = 0;
        spanContent = 0;
        spanWordList.clear();
    };

    Sentence s;
    auto endSentence = [&] {
        if (s.wordCount == 0) {
            s = Sentence{};
            s.firstToken = wordStart.size();
            return;
        }
        // A wrapper glued to the end of a task sentence without a full stop ("... lazy dog Please walk
        // me through your reasoning"): a trailing run of kGluedWords instruction words is cut off.
        std::size_t run = 0;
        while (run < s.tokenCount && instruction[s.firstToken + s.tokenCount - 1 - run])
            ++run;
        if (run >= kGluedWords && run < s.wordCount) {
            s.tokenCount -= run;
            s.wordCount -= run;
        }
        const bool wrapper = s.content * 4 <= static_cast<int>(s.wordCount);
        const bool tooShort = s.wordCount < 4 && !s.digits;
        if (wrapper && !tooShort) {
            closeSpan();
        } else if (!wrapper && !tooShort) {
            for (std::size_t w = s.firstToken; w < s.firstToken + s.tokenCount; ++w)
                spanWordList.push_back(static_cast<std::uint32_t>(w));
            spanWords += s.wordCount;
            spanContent += s.content;
        }
        // tooShort: skipped, the span goes on.
        s = Sentence{};
        s.firstToken = wordStart.size();
    };

    const std::size_t n = prompt.size();
    std::size_t i = 0;
    int newlines = 0; // consecutive line ends seen (2: paragraph break)
    while (i < n) {
        const unsigned char c = static_cast<unsigned char>(prompt[i]);
        if (isWordByte(c)) {
            newlines = 0;
            const std::size_t start = words.size();
            bool digit = false;
            while (i < n && isWordByte(static_cast<unsigned char>(prompt[i]))) {
                char ch = prompt[i];
                if (ch >= 'A' && ch <= 'Z')
                    ch = static_cast<char>(ch - 'A' + 'a');
                digit |= ch >= '0' && ch <= '9';
                words.push_back(ch);
                ++i;
            }
            // "C++", "C#", "F#": the language is part of the task.
            while (i < n && (prompt[i] == '+' || prompt[i] == '#'))
                words.push_back(prompt[i++]);
            wordStart.push_back(static_cast<std::uint32_t>(start));
            words.push_back(' ');
            const std::string_view w(words.data() + start, words.size() - 1 - start);
            ++s.wordCount;
            ++s.tokenCount;
            const bool instr = !digit && lex.words.count(hash64(w));
            instruction.push_back(instr);
            s.digits |= digit;
            s.content += !instr;
            continue;
        }
        if (c == '\n') {
            endSentence();
            if (++newlines == 2)
                closeSpan();
            ++i;
            continue;
        }
        if (c == '\r' || c == ' ' || c == '\t') {
            ++i;
            continue;
        }
        newlines = 0;
        if (c == '.' || c == '?' || c == '!' || c == ':' || c == ';') {
            // A sentence ends at its mark, after any closing brackets or quotes, before white space.
            std::size_t j = i + 1;
            while (j < n && (prompt[j] == ')' || prompt[j] == ']' || prompt[j] == '"' || prompt[j] == '\''))
                ++j;
            if (j == n || prompt[j] == ' ' || prompt[j] == '\n' || prompt[j] == '\r' || prompt[j] == '\t') {
                endSentence();
                i = j;
                continue;
            }
        } else if (isSymbol(c)) {
            // Brackets and operators tell code tasks apart ("(" against "<"); they are tokens of the
            // task but not words. Quotes and sentence marks are not: wrappers add them around tasks.
            wordStart.push_back(static_cast<std::uint32_t>(words.size()));
            words.push_back(static_cast<char>(c));
            words.push_back(' ');
            instruction.push_back(0);
            ++s.tokenCount;
        }
        ++i;
    }
    endSentence();
    closeSpan();

    if (bestCount < static_cast<std::size_t>(kTaskMinWords) || bestContent < kTaskMinContentWords)
        return 0;
    std::string joined;
    joined.reserve(bestCount * 8);
    for (std::uint32_t w : bestWordList) {
        const std::size_t start = wordStart[w];
        const std::size_t end = words.find(' ', start);
        joined.append(words, start, end - start);
        joined.push_back(' ');
    }
    const std::uint64_t h = hash64(joined, 0x7461736b); // "task"
    return h ? h : 1;
}

} // namespace ds
