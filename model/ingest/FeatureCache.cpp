#include "ingest/FeatureCache.h"

#include <xxhash.h>

#include <bit>

namespace ds {

PromptFeatureCache::PromptFeatureCache(std::size_t slots)
    : m_mask(std::bit_ceil(slots < 2 ? std::size_t{2} : slots) - 1)
{
}

PromptFeatureCache::Key PromptFeatureCache::keyOf(std::string_view systemPrompt, std::string_view prompt, int toolCount)
{
    // The system prompt and tool count seed the prompt's hash: a 128-bit hash of all three inputs.
    const std::uint64_t seed = XXH3_64bits_withSeed(systemPrompt.data(), systemPrompt.size(),
                                                    0x666561747572ull ^ static_cast<std::uint32_t>(toolCount));
    const XXH128_hash_t h = XXH3_128bits_withSeed(prompt.data(), prompt.size(), seed);
    Key k{h.low64, h.high64};
    if (k.low == 0 && k.high == 0)
        k.low = 1; // {0, 0} marks an empty slot
    return k;
}

std::uint32_t PromptFeatureCache::nextBatch()
{
    if (++m_batch == 0)
        m_batch = 1;
    return m_batch;
}

PromptFeatureCache::Slot& PromptFeatureCache::slotOf(const Key& key)
{
    if (m_slots.empty())
        m_slots.assign(m_mask + 1);
    return m_slots[key.low & m_mask];
}

PromptFeatureCache::Found PromptFeatureCache::lookup(const Key& key, std::uint32_t batch, std::uint32_t row,
                                                     PromptFeatures& features, std::uint32_t& pendingRow)
{
    Slot& s = slotOf(key);
    if (s.key == key) {
        if (s.pendingBatch == 0) {
            features = s.features;
            ++m_hits;
            return Found::Features;
        }
        if (s.pendingBatch == batch) {
            pendingRow = s.pendingRow;
            ++m_hits;
            return Found::Pending;
        }
        // Claimed by a batch that never stored it (its import failed): claimed again below.
    }
    s.key = key;
    s.pendingBatch = batch;
    s.pendingRow = row;
    return Found::Nothing;
}

void PromptFeatureCache::store(const Key& key, std::uint32_t batch, std::uint32_t row, const PromptFeatures& features)
{
    Slot& s = slotOf(key);
    // A later row of the batch with another text may have taken the slot: then it keeps it.
    if (s.key == key && s.pendingBatch == batch && s.pendingRow == row) {
        s.features = features;
        s.pendingBatch = 0;
    }
}

} // namespace ds
