#pragma once

#include "ingest/RecordBatch.h"

namespace ds {

// Computes the PromptFeatures of every request in a batch, spread over the
// thread pool with the calling thread taking part. Features are a pure function
// of each row's text, so the result does not depend on the split; running them
// in parallel keeps the parser thread from being the import's bottleneck (they
// were about a third of its time). Called on the parser thread before a batch
// is handed to the writer.
void computePromptFeatures(RecordBatch& batch);

} // namespace ds
