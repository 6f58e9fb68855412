#include "text/HarvestFeatures.h"

#include "text/ByteScan16.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include <QtGlobal>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace ds {

namespace {

constexpr std::uint64_t kUnigramSeed = 0x756e69; // "uni"
constexpr std::uint64_t kBigramSeed = 0x6269;    // "bi"

// Byte classes of the tokeniser, one table lookup a byte (a strchr() per mark showed in profiles).
enum ByteClass : std::uint8_t {
    ClassLetter = 1, // a-z, A-Z and every byte of a multi-byte UTF-8 character
    ClassDigit = 2,
    ClassMark = 4,   // punctuation that marks code, schemas and templates; each is a token of its own
    ClassApostrophe = 8,
};

constexpr std::array<std::uint8_t, 256> kClass = [] {
    std::array<std::uint8_t, 256> t{};
    for (int c = 0; c < 256; ++c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80)
            t[c] |= ClassLetter;
        if (c >= '0' && c <= '9')
            t[c] |= ClassDigit;
    }
    for (const char* m = "{}()[]=<>#:;`$|_"; *m; ++m)
        t[static_cast<unsigned char>(*m)] |= ClassMark;
    t['\''] |= ClassApostrophe;
    return t;
}();

constexpr std::array<char, 256> kLower = [] {
    std::array<char, 256> t{};
    for (int c = 0; c < 256; ++c)
        t[c] = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return t;
}();

// Hashes that do not depend on the text: every number is "0", a mark run is one to three of one mark.
struct FixedTokens
{
    std::uint64_t number;
    std::array<std::array<std::uint64_t, 3>, 256> marks{}; // [mark byte][run length - 1], for mark bytes only
    FixedTokens()
    {
        number = XXH3_64bits_withSeed("0", 1, kUnigramSeed);
        for (int c = 0; c < 256; ++c) {
            if (!(kClass[c] & ClassMark))
                continue;
            const char mark[3] = {static_cast<char>(c), static_cast<char>(c), static_cast<char>(c)};
            for (std::size_t len = 1; len <= 3; ++len)
                marks[c][len - 1] = XXH3_64bits_withSeed(mark, len, kUnigramSeed);
        }
    }
};

const FixedTokens& fixedTokens()
{
    static const FixedTokens t;
    return t;
}

// Tokens of one text, passed as 64-bit hashes to token(h): lower-cased words (apostrophes dropped),
// every number as "0", marks. `count` is the tokens seen so far over all texts (at most kHarvestMaxTokens).
template<typename Token>
[[gnu::always_inline]] inline void forEachToken(std::string_view text, int& count, int& numbers, Token&& token)
{
    const FixedTokens& fixed = fixedTokens();
    char word[64 + 16]; // spare bytes: scan16() stores 16, the copy loop writes before it checks the length
    const unsigned char* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n && count < kHarvestMaxTokens) {
        const unsigned char c = p[i];
        const std::uint8_t cls = kClass[c];
        if (cls & ClassLetter) {
            std::size_t len = 0;
            // Most words end within 16 bytes and hold no apostrophe: found and lower-cased at once.
            if (i + 16 <= n) {
                const ByteMasks16 m = scan16(p + i, word, '\'');
                const unsigned run = leadingRun16(m.letters | m.high | m.extra);
                if (run < 16 && !(m.extra & ((1u << run) - 1))) {
                    len = run;
                    i += run;
                }
            }
            while (i < n) {
                const unsigned char ch = p[i];
                const std::uint8_t k = kClass[ch];
                if (!(k & (ClassLetter | ClassApostrophe)))
                    break;
                ++i;
                word[len] = kLower[ch];
                len += (k & ClassLetter) && len < 64; // apostrophes are not kept; longer words keep 64 bytes
            }
            ++count;
            token(XXH3_64bits_withSeed(word, len, kUnigramSeed));
        } else if (cls & ClassDigit) {
            while (i < n && ((kClass[p[i]] & ClassDigit) || p[i] == '.' || p[i] == ','))
                ++i;
            ++numbers;
            ++count;
            token(fixed.number);
        } else if (cls & ClassMark) {
            // Runs of one mark ("```", ">>>", "==") are one token.
            std::size_t len = 0;
            while (i < n && p[i] == c && len < 3) {
                ++i;
                ++len;
            }
            ++count;
            token(fixed.marks[c][len - 1]);
        } else {
            ++i;
        }
    }
}

std::uint32_t bucketOf(std::uint64_t h) { return static_cast<std::uint32_t>(h >> (64 - kHarvestHashBits)); }

std::uint64_t bigramOf(std::uint64_t first, std::uint64_t second)
{
    const std::uint64_t pair[2] = {first, second};
    return XXH3_64bits_withSeed(pair, sizeof pair, kBigramSeed);
}

// Every hashed bucket of a request in order, duplicates included: unigram of token 0, then for each
// next token the bigram it ends and its unigram. Returns how many numbers the texts hold.
template<typename Bucket>
[[gnu::always_inline]] inline int forEachBucket(std::string_view systemPrompt, std::string_view prompt, Bucket&& bucket)
{
    int count = 0, numbers = 0;
    bool first = true;
    std::uint64_t previous = 0;
    auto token = [&](std::uint64_t h) {
        if (!first)
            bucket(bucketOf(bigramOf(previous, h)));
        first = false;
        previous = h;
        bucket(bucketOf(h));
    };
    forEachToken(systemPrompt, count, numbers, token);
    forEachToken(prompt, count, numbers, token);
    return numbers;
}

// The dense features of a request, each passed once as its index offset.
template<typename Dense>
void forEachDense(std::string_view systemPrompt, std::string_view prompt, int toolCount, const PromptFeatures& features,
                  int numbers, Dense&& dense)
{
    for (std::uint32_t b = 0; b < 7; ++b)
        if (features.flags & (1u << b))
            dense(DenseFlags + b);
    dense(DenseCategory + static_cast<std::uint32_t>(features.category));
    dense(DenseLength + std::min<std::uint32_t>(15, static_cast<std::uint32_t>(std::bit_width(features.bytes))));
    dense(DenseNumbers + (numbers == 0 ? 0 : numbers == 1 ? 1 : numbers <= 3 ? 2 : numbers <= 7 ? 3 : 4));
    if (toolCount > 0)
        dense(DenseTools);
    if (!systemPrompt.empty())
        dense(DenseSystem);
    if (features.taskHash)
        dense(DenseTask);
    const auto lines = 1 + std::count(prompt.begin(), prompt.end(), '\n');
    dense(DenseLines + (lines == 1 ? 0 : lines <= 5 ? 1 : lines <= 20 ? 2 : 3));
    if (prompt.find('?') != std::string_view::npos)
        dense(DenseQuestion);
}

// Distinct buckets through a bitmap (32 KB, in cache) cleared after use: a sort
// of every request's indices cost the import more than the hashing.
std::vector<std::uint64_t>& seenBuckets()
{
    thread_local std::vector<std::uint64_t> seen(kHarvestBuckets / 64, 0);
    return seen;
}

} // namespace

void harvestFeatureIndices(std::string_view systemPrompt, std::string_view prompt, int toolCount,
                           const PromptFeatures& features, std::vector<std::uint32_t>& out)
{
    out.clear();
    std::vector<std::uint64_t>& seen = seenBuckets();
    const int numbers = forEachBucket(systemPrompt, prompt, [&](std::uint32_t b) {
        std::uint64_t& word = seen[b >> 6];
        const std::uint64_t bit = std::uint64_t(1) << (b & 63);
        if (!(word & bit)) {
            word |= bit;
            out.push_back(b);
        }
    });
    for (std::uint32_t b : out)
        seen[b >> 6] = 0;
    forEachDense(systemPrompt, prompt, toolCount, features, numbers,
                 [&](std::uint32_t offset) { out.push_back(kHarvestBuckets + offset); });
}

HarvestWeights::HarvestWeights(const std::vector<std::int32_t>& weights)
    : weighted(kHarvestBuckets / 64, 0), rankBase(kHarvestBuckets / 64, 0), dense(kHarvestDenseCount, 0)
{
    if (weights.size() != kHarvestFeatureCount)
        return; // no model: every sum is 0
    for (std::uint32_t b = 0; b < kHarvestBuckets; ++b) {
        if (b % 64 == 0)
            rankBase[b >> 6] = static_cast<std::uint16_t>(bucketWeights.size());
        if (weights[b] != 0) {
            weighted[b >> 6] |= std::uint64_t(1) << (b & 63);
            bucketWeights.push_back(weights[b]);
        }
    }
    std::copy(weights.begin() + kHarvestBuckets, weights.end(), dense.begin());
}

std::int64_t harvestWeightSum(std::string_view systemPrompt, std::string_view prompt, int toolCount,
                              const PromptFeatures& features, const HarvestWeights& weights)
{
    // A bucket without a weight adds 0, so only weighted buckets are deduplicated
    // (by rank, in a bitmap of a few words on the stack) and read.
    constexpr std::size_t kMaxRanks = 1u << 16; // rankBase is 16-bit
    const std::size_t ranks = weights.bucketWeights.size();
    if (ranks > kMaxRanks)
        qFatal("harvest model: too many weighted buckets");
    thread_local std::vector<std::uint64_t> seen;
    seen.assign((ranks + 63) / 64, 0);
    std::uint64_t* seenRanks = seen.data();
    const std::uint64_t* weighted = weights.weighted.data();
    const std::uint16_t* rankBase = weights.rankBase.data();
    const std::int32_t* bucketWeights = weights.bucketWeights.data();
    std::int64_t sum = 0;
    const int numbers = forEachBucket(systemPrompt, prompt, [&](std::uint32_t b) {
        const std::uint64_t word = weighted[b >> 6];
        const std::uint64_t bit = std::uint64_t(1) << (b & 63);
        if (!(word & bit))
            return;
        const std::uint32_t r = rankBase[b >> 6] + static_cast<std::uint32_t>(std::popcount(word & (bit - 1)));
        std::uint64_t& s = seenRanks[r >> 6];
        const std::uint64_t rbit = std::uint64_t(1) << (r & 63);
        if (!(s & rbit)) {
            s |= rbit;
            sum += bucketWeights[r];
        }
    });
    forEachDense(systemPrompt, prompt, toolCount, features, numbers,
                 [&](std::uint32_t offset) { sum += weights.dense[offset]; });
    return sum;
}

} // namespace ds
