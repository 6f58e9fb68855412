#pragma once

#include "ingest/RecordBatch.h"

namespace ds {

class CaseRequestIds;
class PromptFeatureCache;
class TextPackStage;

// Computes the PromptFeatures of every request in a batch, spread over the
// thread pool with the calling thread taking part. Features are a pure function
// of each row's text, so the result does not depend on the split; running them
// in parallel keeps the parser thread from being the import's bottleneck (they
// were about a third of its time). Called on the parser thread before a batch
// is handed to the writer. Rows whose request-id hash `caseRequests` holds
// (already in the case, unless a collision) are skipped and marked
// featuresDeferred: a re-import spends no feature work on what it will not write.
// With `packing`, the same pool tasks pack the request text for the writer.
// With `cache`, a text whose features it holds (or an earlier row of the batch
// computes) is not computed again: the same features, once per distinct text.
void computePromptFeatures(RecordBatch& batch, const CaseRequestIds* caseRequests = nullptr,
                           TextPackStage* packing = nullptr, PromptFeatureCache* cache = nullptr);

// The features of one request (what computePromptFeatures stores), any thread.
PromptFeatures promptFeaturesOf(const RecordBatch& batch, const ParsedRequest& row);

} // namespace ds
