#include "text/HarvestFeatures.h"

#include <algorithm>
#include <bit>
#include <cstring>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace ds {

namespace {

constexpr std::uint64_t kUnigramSeed = 0x756e69; // "uni"
constexpr std::uint64_t kBigramSeed = 0x6269;    // "bi"

bool isLetter(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80; }
bool isDigit(unsigned char c) { return c >= '0' && c <= '9'; }

// Punctuation that marks code, schemas and templates; each is a token of its own.
bool isMarkToken(unsigned char c)
{
    return std::strchr("{}()[]=<>#:;`$|_", c) != nullptr && c != '\0';
}

// Tokens of one text, appended as 64-bit hashes: lower-cased words, every number as "0", marks.
void tokenHashes(std::string_view text, std::vector<std::uint64_t>& tokens, int& numbers)
{
    char word[64];
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n && tokens.size() < static_cast<std::size_t>(kHarvestMaxTokens)) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (isLetter(c)) {
            std::size_t len = 0;
            while (i < n && (isLetter(static_cast<unsigned char>(text[i])) || text[i] == '\'')) {
                char ch = text[i++];
                if (ch >= 'A' && ch <= 'Z')
                    ch = static_cast<char>(ch - 'A' + 'a');
                if (ch != '\'' && len < sizeof word)
                    word[len++] = ch;
            }
            tokens.push_back(XXH3_64bits_withSeed(word, len, kUnigramSeed));
        } else if (isDigit(c)) {
            while (i < n && (isDigit(static_cast<unsigned char>(text[i])) || text[i] == '.' || text[i] == ','))
                ++i;
            ++numbers;
            tokens.push_back(XXH3_64bits_withSeed("0", 1, kUnigramSeed));
        } else {
            if (isMarkToken(c)) {
                // Runs of one mark ("```", ">>>", "==") are one token.
                std::size_t len = 0;
                while (i < n && static_cast<unsigned char>(text[i]) == c && len < 3) {
                    ++i;
                    ++len;
                }
                const char mark[3] = {static_cast<char>(c), static_cast<char>(c), static_cast<char>(c)};
                tokens.push_back(XXH3_64bits_withSeed(mark, len, kUnigramSeed));
                continue;
            }
            ++i;
        }
    }
}

std::uint32_t bucketOf(std::uint64_t h) { return static_cast<std::uint32_t>(h >> (64 - kHarvestHashBits)); }

} // namespace

void harvestFeatureIndices(std::string_view systemPrompt, std::string_view prompt, int toolCount,
                           const PromptFeatures& features, std::vector<std::uint32_t>& out)
{
    out.clear();
    thread_local std::vector<std::uint64_t> tokens;
    tokens.clear();
    int numbers = 0;
    tokenHashes(systemPrompt, tokens, numbers);
    tokenHashes(prompt, tokens, numbers);
    // Distinct buckets through a bitmap (32 KB, in cache) cleared after use: a sort
    // of every request's indices cost the import more than the hashing.
    thread_local std::vector<std::uint64_t> seen(kHarvestBuckets / 64, 0);
    auto addBucket = [&](std::uint32_t b) {
        std::uint64_t& word = seen[b >> 6];
        const std::uint64_t bit = std::uint64_t(1) << (b & 63);
        if (!(word & bit)) {
            word |= bit;
            out.push_back(b);
        }
    };
    for (std::size_t t = 0; t < tokens.size(); ++t) {
        addBucket(bucketOf(tokens[t]));
        if (t + 1 < tokens.size()) {
            const std::uint64_t pair[2] = {tokens[t], tokens[t + 1]};
            addBucket(bucketOf(XXH3_64bits_withSeed(pair, sizeof pair, kBigramSeed)));
        }
    }
    for (std::uint32_t b : out)
        seen[b >> 6] = 0;

    auto dense = [&](std::uint32_t offset) { out.push_back(kHarvestBuckets + offset); };
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

} // namespace ds
