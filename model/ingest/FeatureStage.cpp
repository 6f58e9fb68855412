#include "ingest/FeatureStage.h"

#include "ingest/CaseRequestIds.h"

#include <QtConcurrent/QtConcurrentMap>

#include <vector>

namespace ds {

PromptFeatures promptFeaturesOf(const RecordBatch& batch, const ParsedRequest& r)
{
    return extractPromptFeatures(batch.view(r.systemPrompt), batch.view(r.prompt),
                                 r.toolCount == kNoInt ? 0 : static_cast<int>(r.toolCount));
}

void computePromptFeatures(RecordBatch& batch, const CaseRequestIds* caseRequests)
{
    // caseRequests does not change while a file is parsed: read from any thread.
    auto compute = [&batch, caseRequests](ParsedRequest& r) {
        r.featuresDeferred = caseRequests && !caseRequests->find(r.ridHash).empty();
        if (!r.featuresDeferred)
            r.features = promptFeaturesOf(batch, r);
    };
    constexpr std::size_t kChunk = 256;
    if (batch.requests.size() <= kChunk) {
        for (ParsedRequest& r : batch.requests)
            compute(r);
        return;
    }
    // Chunks, not single rows: one task per ~256 prompts keeps the pool's overhead negligible.
    std::vector<std::pair<std::size_t, std::size_t>> chunks;
    for (std::size_t begin = 0; begin < batch.requests.size(); begin += kChunk)
        chunks.emplace_back(begin, std::min(begin + kChunk, batch.requests.size()));
    QtConcurrent::blockingMap(chunks, [&](const std::pair<std::size_t, std::size_t>& c) {
        for (std::size_t i = c.first; i < c.second; ++i)
            compute(batch.requests[i]);
    });
}

} // namespace ds
