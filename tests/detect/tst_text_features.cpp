#include "core/BitVotes.h"
#include "core/Hashing.h"
#include "text/PromptFeatures.h"
#include "text/PromptSkeleton.h"

#include <QtTest>

#include <iterator>
#include <string>

using namespace ds;

namespace {

struct Case
{
    const char* system;
    const char* prompt;
    int tools;
};

// Plain words, names, numbers, quotes, code, URLs, e-mail, judge and tool
// prompts, non-ASCII, tabs, CRLF, runs of spaces, blank lines.
const Case kCases[] = {
    {"", "", 0},
    {"", "hi there", 0},
    {"", "Natalia sold 48 clips to Bob in April, and then she sold half as many clips in May. How many clips did "
         "Natalia sell altogether in April and May?",
     0},
    {"You are a helpful assistant.",
     "Please review the code below.\n\n```python\ndef add(a, b):\n    return a + b\n```\n\nThen explain your "
     "reasoning step by step, and use `add` in one example.",
     0},
    {"", "Contact me at jane.doe@example.com or visit https://example.com/a?b=c for the 'full' \"report\" on Q3 "
         "revenue: $1,234.56 (up 12.5%) as of 2026-02-03, isn't it?",
     0},
    {"Please act as an impartial judge and evaluate the quality of the responses.",
     "[Question]\nWhich assistant is better?\n\n[The Start of Assistant A's Answer]\nParis is the capital of "
     "France.\n[The End of Assistant A's Answer]\n\nRating: [[5]]",
     0},
    {"", "\xc3\x89" "cris un po\xc3\xa8me sur l'\xc3\xa9t\xc3\xa9 \xc3\xa0 Z\xc3\xbcrich \xe2\x80\x94 na\xc3\xafve "
         "caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 text\tand\ttabs\r\nwith CRLF lines.\r\n\r\nNew paragraph   with   "
         "spaces; rewrite it in a politically neutral phrasing.",
     0},
    {"{\"name\": \"get_weather\", \"parameters\": {\"type\": \"object\", \"properties\": {}}}",
     "What's the weather like in Boston today?", 1},
    {"", "write a comprehensive essay, in full detail, about the history of the printing press and its effect on "
         "literacy, science and politics in early modern europe; do not omit anything important and cite sources",
     0},
};

// A long plain prompt (over 255 shingles, so votes are flushed mid-way).
std::string longPlainPrompt()
{
    static const char* const words[] = {"explain", "the", "difference", "between", "a", "process", "and",
                                        "thread", "in", "operating", "systems", "write", "function", "that",
                                        "returns", "sum", "of", "all", "even", "numbers", "list", "python"};
    std::string text;
    for (int k = 0; k < 700; ++k) {
        text += words[(k * 7) % std::size(words)];
        text += k % 11 == 10 ? ". " : (k % 13 == 12 ? ", " : " ");
        if (k % 97 == 96)
            text += std::to_string(k) + " ";
    }
    return text;
}

struct Stored
{
    std::uint64_t skeletonHash, headHash, tailHash, simhash;
    std::uint32_t flags;
    int category;
    std::uint32_t bytes;
};

// What the import computed for kCases and then longPlainPrompt() before the
// skeleton, SimHash and marker scan were made faster (commit f91ffab).
const Stored kStored[] = {
    {0x2d06800538d394c2ull, 0x0000000000000000ull, 0x0000000000000000ull, 0x2d06800538d394c2ull, 0x0u, 0, 0u},
    {0xe8294cba1fbcf0edull, 0x0000000000000000ull, 0x0000000000000000ull, 0xe8294cba1fbcf0edull, 0x0u, 1, 8u},
    {0x32ba23c8f69b6534ull, 0x1c51448403d59386ull, 0x9632e7490d207350ull, 0xe42e0e95b286ff38ull, 0x0u, 4, 144u},
    {0xbf7c4918db5ebbb4ull, 0x9c637d5e0174a9e4ull, 0x499fe458f16e9b5cull, 0x0d0a981f5d75c1a9ull, 0x9u, 3, 177u},
    {0x4a16514727c2a672ull, 0x43efb40f7a70292cull, 0x895b57672cac3d27ull, 0x42219da89780109cull, 0x0u, 1, 157u},
    {0x2df31f3366286bffull, 0xffba7b9f04287f25ull, 0x0000000000000000ull, 0x15806f08e6d07ed2ull, 0x2u, 5, 230u},
    {0xe1a2cd6718007201ull, 0xb8f50ee36ffe558bull, 0x02c81264a6ce4617ull, 0x83a35701514a9babull, 0x4u, 5, 175u},
    {0xcde58522ef2634d7ull, 0xdfd85e61ad95c6acull, 0x124cf46b93c4bd2full, 0x2143504117b80b81ull, 0x10u, 6, 115u},
    {0x4e3dbcf5501f85ddull, 0x2ff688eef3163f5dull, 0x605cf68a275a1094ull, 0x3040bd5bf020905aull, 0x40u, 2, 205u},
    {0x23c1833e6257efcfull, 0xbb9486ed5cdec629ull, 0x953132955370191cull, 0x2864e690f40046e2ull, 0x8u, 3, 4509u},
};

void compareStored(const PromptFeatures& f, const Stored& s)
{
    QCOMPARE(f.skeletonHash, s.skeletonHash);
    QCOMPARE(f.headHash, s.headHash);
    QCOMPARE(f.tailHash, s.tailHash);
    QCOMPARE(f.simhash, s.simhash);
    QCOMPARE(f.flags, s.flags);
    QCOMPARE(static_cast<int>(f.category), s.category);
    QCOMPARE(f.bytes, s.bytes);
}

std::uint64_t digestOf(const PromptFeatures& f, std::uint64_t seed)
{
    const std::uint64_t fields[] = {f.skeletonHash, f.headHash, f.tailHash, f.simhash, f.flags,
                                    static_cast<std::uint64_t>(f.category), f.bytes};
    return hash64(std::string_view(reinterpret_cast<const char*>(fields), sizeof fields), seed);
}

} // namespace

// Case databases store these features and detection thresholds depend on
// them: a faster extraction must compute exactly the same values.
class TestTextFeatures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void storedValuesDoNotChange()
    {
        for (std::size_t i = 0; i < std::size(kCases); ++i)
            compareStored(extractPromptFeatures(kCases[i].system, kCases[i].prompt, kCases[i].tools), kStored[i]);
        compareStored(extractPromptFeatures({}, longPlainPrompt(), 0), kStored[std::size(kCases)]);
        QCOMPARE(promptSkeleton(kCases[4].prompt),
                 std::string("contact me at jane.U or visit U for the \"_\" \"_\" on N revenue: $0 (up 0%) as of 0, isn't it?"));
    }

    void everyPrefixKeepsItsValues()
    {
        // Cut at every byte, so each fast path (16 bytes at a time) meets the
        // end of the text, a split UTF-8 character or quote at every offset.
        std::string all;
        for (const Case& c : kCases)
            all.append(c.prompt).append("\n\n");
        std::uint64_t skeletons = 0, features = 0;
        for (std::size_t len = 0; len <= all.size(); ++len) {
            const std::string_view prompt = std::string_view(all).substr(0, len);
            skeletons = hash64(promptSkeleton(prompt), skeletons);
            features = digestOf(extractPromptFeatures(std::string_view(all).substr(len), prompt, 0), features);
        }
        QCOMPARE(all.size(), std::size_t(1051));
        QCOMPARE(skeletons, 0x6ff8e807218ba134ull);
        QCOMPARE(features, 0x2ef6aa2ebbb8774aull);
    }

    void simhashIsTheMajorityOfShingleHashes()
    {
        // The definition, through the public pieces: word 3-shingles of the
        // whole skeleton, each hashed with hash64, bitwise majority.
        const std::string text = longPlainPrompt();
        for (std::size_t len : {0, 5, 17, 40, 200, 1100, 1500, 4000}) {
            const std::string_view prompt = std::string_view(text).substr(0, len);
            SkeletonBuilder b;
            b.appendPart("System prompt: be brief.");
            b.paragraphBreak();
            b.appendPart(prompt);
            std::uint64_t expected = hash64(b.skeleton());
            if (b.wordCount() >= 3) {
                BitVotes votes;
                for (std::size_t w = 0; w + 3 <= b.wordCount(); ++w)
                    votes.add(hash64(b.wordsFrom(w, 3)));
                expected = votes.majority();
            }
            QCOMPARE(extractPromptFeatures("System prompt: be brief.", prompt, 0).simhash, expected);
        }
    }
};

QTEST_GUILESS_MAIN(TestTextFeatures)
#include "tst_text_features.moc"
