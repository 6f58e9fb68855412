#include "ingest/FeatureStage.h"

#include "ingest/CaseRequestIds.h"
#include "ingest/TextPackStage.h"

#include <QtConcurrent/QtConcurrentMap>

#include <vector>

namespace ds {

PromptFeatures promptFeaturesOf(const RecordBatch& batch, const ParsedRequest& r)
{
    return extractPromptFeatures(batch.view(r.systemPrompt), batch.view(r.prompt),
                                 r.toolCount == kNoInt ? 0 : static_cast<int>(r.toolCount));
}

void computePromptFeatures(RecordBatch& batch, const CaseRequestIds* caseRequests, TextPackStage* packing)
{
    // caseRequests does not change while a file is parsed: read from any thread.
    // The packing stage's row-order pass needs the deferred rows first.
    const bool deferFirst = packing && caseRequests && caseRequests->size() > 0;
    if (deferFirst)
        for (ParsedRequest& r : batch.requests)
            r.featuresDeferred = !caseRequests->find(r.ridHash).empty();
    else if (packing)
        for (ParsedRequest& r : batch.requests)
            r.featuresDeferred = false;
    if (packing)
        packing->prepare(batch);
    auto compute = [&batch, caseRequests, packing](ParsedRequest& r) {
        if (!packing)
            r.featuresDeferred = caseRequests && !caseRequests->find(r.ridHash).empty();
        if (!r.featuresDeferred)
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
            compute(batch.requests[i]);
    };
    auto pack = [&](std::size_t c) { packing->packRows(batch, chunks[c].first, chunks[c].second, c); };
    if (chunks.size() <= 1) {
        for (std::size_t c = 0; c < chunks.size(); ++c) {
            features(c);
            if (packing)
                pack(c);
        }
        return;
    }
    std::vector<std::size_t> order(chunks.size());
    for (std::size_t c = 0; c < chunks.size(); ++c)
        order[c] = c;
    // Two passes, not both per chunk: each thread keeps one kind of work's
    // tables (the feature lexicons, zstd's dictionary) in its cache for a while.
    QtConcurrent::blockingMap(order, [&](const std::size_t& c) { features(c); });
    if (packing)
        QtConcurrent::blockingMap(order, [&](const std::size_t& c) { pack(c); });
}

} // namespace ds
