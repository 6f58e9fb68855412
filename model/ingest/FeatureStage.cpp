#include "ingest/FeatureStage.h"

#include "ingest/CaseRequestIds.h"
#include "ingest/FeatureCache.h"
#include "ingest/TextPackStage.h"

#include <QtConcurrent/QtConcurrentMap>

#include <vector>

namespace ds {

namespace {

int toolCountOf(const ParsedRequest& r) { return r.toolCount == kNoInt ? 0 : static_cast<int>(r.toolCount); }

// Which rows of a batch the feature cache answered, and what the pool's results teach it.
// The passes read the rows once (they are large); the others walk small arrays.
class CachePass
{
public:
    CachePass(PromptFeatureCache* cache, RecordBatch& batch)
        : m_cache(cache)
        , m_batch(batch)
    {
        if (!m_cache)
            return;
        m_number = m_cache->nextBatch();
        const std::size_t n = batch.requests.size();
        m_keys.resize(n);
        m_state.assign(n, Skipped);
        for (std::size_t i = 0; i < n; ++i) {
            const ParsedRequest& r = batch.requests[i];
            if (r.featuresDeferred)
                continue;
            m_keys[i] = PromptFeatureCache::keyOf(batch.view(r.systemPrompt), batch.view(r.prompt), toolCountOf(r));
            m_cache->prefetch(m_keys[i]);
            m_state[i] = Computed;
        }
        for (std::size_t i = 0; i < n; ++i) {
            if (m_state[i] != Computed)
                continue;
            std::uint32_t leader = 0;
            switch (m_cache->lookup(m_keys[i], m_number, static_cast<std::uint32_t>(i), batch.requests[i].features,
                                    leader)) {
            case PromptFeatureCache::Found::Features: m_state[i] = Answered; break;
            case PromptFeatureCache::Found::Pending:
                m_state[i] = Answered;
                m_followers.emplace_back(static_cast<std::uint32_t>(i), leader);
                break;
            case PromptFeatureCache::Found::Nothing: break;
            }
        }
    }
    // Whether the pool must compute row i (deferred rows aside).
    bool needed(std::size_t i) const { return !m_cache || m_state[i] != Answered; }
    // After the pool pass: computed rows go into the cache, rows that waited on one copy it.
    void finish()
    {
        if (!m_cache)
            return;
        for (std::size_t i = 0; i < m_state.size(); ++i)
            if (m_state[i] == Computed)
                m_cache->prefetch(m_keys[i]);
        for (std::size_t i = 0; i < m_state.size(); ++i)
            if (m_state[i] == Computed)
                m_cache->store(m_keys[i], m_number, static_cast<std::uint32_t>(i), m_batch.requests[i].features);
        for (const auto& [row, leader] : m_followers)
            m_batch.requests[row].features = m_batch.requests[leader].features;
    }

private:
    enum State : std::uint8_t { Skipped, Computed, Answered };
    PromptFeatureCache* m_cache;
    RecordBatch& m_batch;
    std::uint32_t m_number = 0;
    std::vector<PromptFeatureCache::Key> m_keys;
    std::vector<State> m_state; // Skipped: deferred; Computed: by the pool; Answered: by the cache or another row
    std::vector<std::pair<std::uint32_t, std::uint32_t>> m_followers; // (row, the earlier row of the batch with its text)
};

} // namespace

PromptFeatures promptFeaturesOf(const RecordBatch& batch, const ParsedRequest& r)
{
    return extractPromptFeatures(batch.view(r.systemPrompt), batch.view(r.prompt), toolCountOf(r));
}

void computePromptFeatures(RecordBatch& batch, const CaseRequestIds* caseRequests, TextPackStage* packing,
                           PromptFeatureCache* cache)
{
    // caseRequests does not change while a file is parsed: read from any thread.
    // The packing stage's row-order pass and the cache's need the deferred rows first.
    const bool inOrder = packing || cache;
    const bool anyInCase = caseRequests && caseRequests->size() > 0;
    if (inOrder)
        for (ParsedRequest& r : batch.requests)
            r.featuresDeferred = anyInCase && !caseRequests->find(r.ridHash).empty();
    if (packing)
        packing->prepare(batch);
    CachePass cached(cache, batch);
    auto compute = [&batch, &cached, caseRequests, inOrder](std::size_t i) {
        ParsedRequest& r = batch.requests[i];
        if (!inOrder)
            r.featuresDeferred = caseRequests && !caseRequests->find(r.ridHash).empty();
        if (!r.featuresDeferred && cached.needed(i))
            r.features = promptFeaturesOf(batch, r);
    };
    // Chunks, not single rows: one task per ~256 prompts keeps the pool's overhead negligible.
    constexpr std::size_t kChunk = 256;
    std::vector<std::pair<std::size_t, std::size_t>> chunks;
    for (std::size_t begin = 0; begin < batch.requests.size(); begin += kChunk)
        chunks.emplace_back(begin, std::min(begin + kChunk, batch.requests.size()));
    if (batch.packedArenas.size() < chunks.size())
        batch.packedArenas.resize(chunks.size());
    auto features = [&](std::size_t c) {
        for (std::size_t i = chunks[c].first; i < chunks[c].second; ++i)
            compute(i);
    };
    auto pack = [&](std::size_t c) { packing->packRows(batch, chunks[c].first, chunks[c].second, c); };
    if (chunks.size() <= 1) {
        for (std::size_t c = 0; c < chunks.size(); ++c) {
            features(c);
            if (packing)
                pack(c);
        }
        cached.finish();
        return;
    }
    std::vector<std::size_t> order(chunks.size());
    for (std::size_t c = 0; c < chunks.size(); ++c)
        order[c] = c;
    // Two passes, not both per chunk: each thread keeps one kind of work's
    // tables (the feature lexicons, zstd's dictionary) in its cache for a while.
    QtConcurrent::blockingMap(order, [&](const std::size_t& c) { features(c); });
    cached.finish();
    if (packing)
        QtConcurrent::blockingMap(order, [&](const std::size_t& c) { pack(c); });
}

} // namespace ds
