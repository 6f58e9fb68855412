#pragma once

#include "core/ZeroedTable.h"
#include "text/PromptFeatures.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ds {

// Remembers the prompt features of recent request texts, so an import computes
// them once per distinct text instead of once per row. Real traffic repeats
// prompts word for word (retries, scripts, templates without slots, the same
// question from many accounts): a fifth of the rows of the `campaign`
// simulation, and the features are the import's largest cost (about 40 % of
// its CPU).
//
// Features are a pure function of (system prompt, prompt, tool count), so a
// remembered value is exactly what computing it again would give: the case
// does not depend on the cache. The key is xxh3-128 of those inputs, the hash
// the request-text writer already trusts to store a repeated prompt as a
// reference. The table is direct-mapped and fixed in size: memory stays
// bounded and which rows hit does not depend on timing.
//
// A batch is looked up before the pool computes it and stored after, so the
// pool threads never touch the table (FeatureStage.cpp). Rows of one batch
// with the same text share one computation through a pending slot.
//
// Threads: one at a time (the parser thread).
class PromptFeatureCache
{
public:
    struct Key
    {
        std::uint64_t low = 0, high = 0;
        bool operator==(const Key&) const = default;
    };

    // 2^19 slots of 88 bytes (46 MB, made on first use): on the
    // campaign simulation about four fifths of the repeats an unbounded table
    // would find (2^16 slots: two fifths).
    static constexpr std::size_t kDefaultSlots = std::size_t{1} << 19;
    // `slots` is rounded up to a power of two.
    explicit PromptFeatureCache(std::size_t slots = kDefaultSlots);
    PromptFeatureCache(const PromptFeatureCache&) = delete;
    PromptFeatureCache& operator=(const PromptFeatureCache&) = delete;

    static Key keyOf(std::string_view systemPrompt, std::string_view prompt, int toolCount);

    // What a lookup found.
    enum class Found : std::uint8_t {
        Nothing,  // compute it, then store()
        Features, // `features` is filled
        Pending,  // a row of this batch computes it: `row` names it
    };
    // Starts loading the slot of `key` into the CPU cache: a batch's keys are
    // prefetched in one pass and looked up in the next, since each slot is a
    // miss in a table this size.
    void prefetch(const Key& key) { __builtin_prefetch(&slotOf(key), 1); }
    // A number for the next batch's lookups (never 0).
    std::uint32_t nextBatch();
    // Looks `key` up for row `row` of batch number `batch`. On a miss the slot
    // is claimed for that row, so later rows of the batch with the same text
    // find it Pending.
    Found lookup(const Key& key, std::uint32_t batch, std::uint32_t row, PromptFeatures& features,
                 std::uint32_t& pendingRow);
    // The features of a row that lookup() left Nothing: remembered if the row still holds its slot.
    void store(const Key& key, std::uint32_t batch, std::uint32_t row, const PromptFeatures& features);

    // Rows answered from the table or by another row of their batch, since the cache was made.
    std::int64_t hits() const { return m_hits; }

private:
    // All zero bytes: empty (no key is {0, 0}; keyOf() sees to it).
    struct Slot
    {
        Key key;
        PromptFeatures features;
        std::uint32_t pendingBatch = 0; // 0: `features` is valid; else claimed by row `pendingRow` of that batch
        std::uint32_t pendingRow = 0;
    };
    Slot& slotOf(const Key& key);

    ZeroedTable<Slot> m_slots; // made on first use
    std::size_t m_mask = 0;
    std::uint32_t m_batch = 0;
    std::int64_t m_hits = 0;
};

} // namespace ds
