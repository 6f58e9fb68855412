#include "text/TaskFingerprint.h"

#include "text/ByteScan16.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <QtGlobal>

#include <algorithm>
#include <array>

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

// Byte classes, one table lookup a byte: the scan below reads every byte of every prompt.
enum ByteClass : std::uint8_t {
    ClassWord = 1,   // a-z, A-Z, 0-9, _ and every byte of a multi-byte UTF-8 character
    ClassDigit = 2,
    ClassSymbol = 4, // brackets and operators: tokens of a code task, not words
    ClassMark = 8,   // may end a sentence: . ? ! : ;
    ClassSpace = 16, // ' ' '\t' '\r' (not '\n': it ends a sentence and counts towards a paragraph break)
};

constexpr std::array<std::uint8_t, 256> kClass = [] {
    std::array<std::uint8_t, 256> t{};
    for (int c = 0; c < 256; ++c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80)
            t[c] |= ClassWord;
        if (c >= '0' && c <= '9')
            t[c] |= ClassDigit;
    }
    for (const char* m = "()[]{}<>=+-*/%#&|^~$@\\"; *m; ++m)
        t[static_cast<unsigned char>(*m)] |= ClassSymbol;
    for (const char* m = ".?!:;"; *m; ++m)
        t[static_cast<unsigned char>(*m)] |= ClassMark;
    t[' '] |= ClassSpace;
    t['\t'] |= ClassSpace;
    t['\r'] |= ClassSpace;
    return t;
}();

constexpr std::array<char, 256> kLower = [] {
    std::array<char, 256> t{};
    for (int c = 0; c < 256; ++c)
        t[c] = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return t;
}();

constexpr std::uint64_t kSpanSeed = 0x7461736b; // "task"
constexpr std::uint64_t kSymbolMark = 0x73796d626f6cull; // keeps a symbol apart from a word of the same byte
constexpr std::size_t kMaxWordBytes = 64;               // longer words are told apart by their first 64 bytes

// One token into a span's running hash: order matters, and every bit of both mixes (splitmix64's finaliser).
std::uint64_t foldToken(std::uint64_t span, std::uint64_t token)
{
    std::uint64_t x = (span ^ token) + 0x9e3779b97f4a7c15ull + (span << 6) + (span >> 2);
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

// How many instruction words in a row at a sentence's end make a glued-on wrapper.
constexpr std::size_t kGluedWords = 3;

// The instruction words' hashes in a two-choice (cuckoo) table: the import looks
// up every word of every prompt, and whether a word is an instruction word is a
// coin toss in real text, so the lookup has no branch (a probing loop's
// mispredictions, and a node-based set's misses before it, showed in profiles).
struct Lexicon
{
    static constexpr std::size_t kSlots = 1024; // per table, a power of two; ~370 words in 2 x 1024 slots
    std::array<std::uint64_t, kSlots> first{};  // 0: empty (no word hashes to 0 in practice; such a word is content)
    std::array<std::uint64_t, kSlots> second{};
    static std::size_t firstSlot(std::uint64_t h) { return h & (kSlots - 1); }
    static std::size_t secondSlot(std::uint64_t h) { return (h >> 32) & (kSlots - 1); }
    Lexicon()
    {
        for (std::string_view w : kInstructionWords) {
            std::uint64_t h = XXH3_64bits(w.data(), w.size());
            if (h == 0 || contains(h))
                continue; // a word listed twice ("out")
            // Cuckoo insertion: a word takes its first slot, moving the one there to its other slot, and so on.
            for (int kick = 0; h; ++kick) {
                if (kick > 1000)
                    qFatal("TaskFingerprint: the instruction-word table cannot be built");
                std::uint64_t& a = first[firstSlot(h)];
                std::swap(a, h);
                if (!h)
                    break;
                std::uint64_t& b = second[secondSlot(h)];
                std::swap(b, h);
            }
        }
    }
    bool contains(std::uint64_t h) const
    {
        return (h != 0) & ((first[firstSlot(h)] == h) | (second[secondSlot(h)] == h));
    }
};

const Lexicon& lexicon()
{
    static const Lexicon l;
    return l;
}

// A symbol token's hash by its byte, computed once (code tasks are mostly symbols).
struct SymbolHashes
{
    std::array<std::uint64_t, 256> hash{};
    SymbolHashes()
    {
        for (int c = 0; c < 256; ++c) {
            const char sym = static_cast<char>(c);
            hash[static_cast<std::size_t>(c)] = XXH3_64bits(&sym, 1) ^ kSymbolMark;
        }
    }
};

const SymbolHashes& symbolHashes()
{
    static const SymbolHashes h;
    return h;
}

// One sentence's words, and how many are content (not instruction words; numbers count as content).
struct Sentence
{
    std::size_t tokenCount = 0; // words and symbols
    std::size_t wordCount = 0;
    int content = 0;
    bool digits = false;
    std::size_t trailing = 0;             // instruction words at the end (a glued-on wrapper when kGluedWords+)
    std::uint64_t fold = 0;               // the span's hash with this sentence's tokens so far
    std::uint64_t foldBeforeTrailing = 0; // ... up to its last token that is not an instruction word
};

} // namespace

std::uint64_t taskFingerprint(std::string_view prompt)
{
    const Lexicon& lex = lexicon();
    const SymbolHashes& symbols = symbolHashes();
    // Spans are hashed as they grow (a fold of their tokens' hashes), so no text is copied.
    std::size_t bestWords = 0;
    int bestContent = 0;
    std::uint64_t bestHash = 0;
    std::size_t spanWords = 0;
    int spanContent = 0;
    std::uint64_t spanHash = kSpanSeed;

    auto closeSpan = [&] {
        if (spanWords > bestWords || (spanWords == bestWords && spanContent > bestContent)) {
            bestWords = spanWords;
            bestContent = spanContent;
            bestHash = spanHash;
        }
        spanWords = 0;
        spanContent = 0;
        spanHash = kSpanSeed;
    };

    Sentence s;
    auto endSentence = [&] {
        if (s.wordCount > 0) {
            // A wrapper glued to the end of a task sentence without a full stop ("... lazy dog Please walk
            // me through your reasoning"): a trailing run of kGluedWords instruction words is cut off.
            const std::size_t run = s.trailing;
            std::uint64_t fold = s.fold;
            if (run >= kGluedWords && run < s.wordCount) {
                s.tokenCount -= run;
                s.wordCount -= run;
                fold = s.foldBeforeTrailing; // the last token left is not an instruction word
            }
            const bool wrapper = s.content * 4 <= static_cast<int>(s.wordCount);
            const bool tooShort = s.wordCount < 4 && !s.digits;
            if (wrapper && !tooShort) {
                closeSpan();
            } else if (!wrapper && !tooShort) {
                spanHash = fold;
                spanWords += s.wordCount;
                spanContent += s.content;
            }
            // tooShort: skipped, the span goes on.
        }
        s = Sentence{};
    };
    // The sentence is folded into the span's hash as its tokens come, not when it ends (the fold is a chain
    // of multiplications; done alongside the scan it costs almost nothing). The span does not change within
    // a sentence: endSentence() and closeSpan() run between sentences.
    auto addToken = [&](std::uint64_t h, bool instr) {
        s.fold = foldToken(s.tokenCount ? s.fold : spanHash, h);
        ++s.tokenCount;
        // Without branches: instruction words and others alternate at random in real text.
        s.trailing = instr ? s.trailing + 1 : 0;
        s.foldBeforeTrailing = instr ? s.foldBeforeTrailing : s.fold;
    };

    const std::size_t n = prompt.size();
    std::size_t i = 0;
    int newlines = 0; // consecutive line ends seen (2: paragraph break)
    char word[kMaxWordBytes + 16]; // spare bytes: scan16() stores 16, the copy loop writes before it checks
    const unsigned char* p = reinterpret_cast<const unsigned char*>(prompt.data());
    while (i < n) {
        const unsigned char c = p[i];
        const std::uint8_t cls = kClass[c];
        if (cls & ClassWord) {
            newlines = 0;
            std::size_t len = 0;
            std::uint8_t digit = 0;
            // Most words end within 16 bytes: found, lower-cased and checked for digits at once.
            if (i + 16 <= n) {
                const ByteMasks16 m = scan16(p + i, word, '_');
                const unsigned run = leadingRun16(m.letters | m.digits | m.high | m.extra);
                if (run < 16) {
                    len = run;
                    i += run;
                    digit = (m.digits & ((1u << run) - 1)) ? ClassDigit : 0;
                }
            }
            while (i < n) {
                const unsigned char ch = p[i];
                const std::uint8_t k = kClass[ch];
                if (!(k & ClassWord))
                    break;
                ++i;
                digit |= k;
                word[len] = kLower[ch];
                len += len < kMaxWordBytes;
            }
            // "C++", "C#", "F#": the language is part of the task.
            while (i < n && (p[i] == '+' || p[i] == '#')) {
                word[len] = static_cast<char>(p[i]);
                len += len < kMaxWordBytes;
                ++i;
            }
            const bool hasDigit = digit & ClassDigit;
            const std::uint64_t h = XXH3_64bits(word, len);
            const bool instr = !hasDigit & lex.contains(h);
            addToken(h, instr);
            ++s.wordCount;
            s.digits |= hasDigit;
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
        if (cls & ClassSpace) {
            ++i;
            continue;
        }
        newlines = 0;
        if (cls & ClassMark) {
            // A sentence ends at its mark, after any closing brackets or quotes, before white space.
            std::size_t j = i + 1;
            while (j < n && (prompt[j] == ')' || prompt[j] == ']' || prompt[j] == '"' || prompt[j] == '\''))
                ++j;
            if (j == n || prompt[j] == ' ' || prompt[j] == '\n' || prompt[j] == '\r' || prompt[j] == '\t') {
                endSentence();
                i = j;
                continue;
            }
        } else if (cls & ClassSymbol) {
            // Brackets and operators tell code tasks apart ("(" against "<"); they are tokens of the
            // task but not words. Quotes and sentence marks are not: wrappers add them around tasks.
            addToken(symbols.hash[c], false);
        }
        ++i;
    }
    endSentence();
    closeSpan();

    if (bestWords < static_cast<std::size_t>(kTaskMinWords) || bestContent < kTaskMinContentWords)
        return 0;
    const std::uint64_t h = foldToken(bestHash, bestWords); // the length too: a fold is not a hash of the text
    return h ? h : 1;
}

} // namespace ds
