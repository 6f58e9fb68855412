#pragma once

#include "core/CancelToken.h"
#include "ingest/BatchQueue.h"
#include "ingest/ByteSource.h"
#include "ingest/FieldMapping.h"
#include "ingest/LineReader.h"
#include "ingest/LogFields.h"

#include <QString>

#include <atomic>
#include <string>

namespace ds {

class CaseRequestIds;
class PromptFeatureCache;
class TextPackStage;

// Everything a parser thread needs: where to read, what the records are, where
// to hand the batches, and when to stop.
struct ParseJob
{
    ByteSource& source;
    RecordKind kind;
    const FieldMapping& mapping;
    BatchQueue& queue;
    const CancelToken& cancel;
    // The case's committed requests (read-only during the parse): features of rows found there are deferred.
    const CaseRequestIds* caseRequests = nullptr;
    std::size_t batchRecords = 4096;
    std::size_t batchBytes = 8 << 20;
    // Longer records are quarantined with their first and last bytes, never held whole.
    std::size_t maxRecordBytes = kDefaultMaxRecordBytes;
    // The source is one JSON array of records (SniffResult::jsonArray), not one record a line.
    bool jsonArray = false;
    // Where request text is packed for the writer (null: the writer packs it). Last, so
    // positional initialisers of the fields above keep their meaning.
    TextPackStage* textPacking = nullptr;
    // Features of texts seen before, by text (null: computed for every row).
    PromptFeatureCache* featureCache = nullptr;
    // With jsonArray: the member of the object wrapping the records array (SniffResult::recordsMember), or empty.
    std::string recordsMember{};
    // With jsonArray: the member of each element holding the record as a JSON string (SniffResult::messageMember).
    std::string messageMember{};
    // The source is one JSON document over many lines (SniffResult::wholeDocument), read as one record or batch.
    bool wholeDocument = false;
};

// Reads JSON Lines (one object a line), a JSON array of objects (job.jsonArray) or one JSON document
// (job.wholeDocument), with simdjson's On-Demand API
// and turns each line or element into a canonical record or a quarantine entry. Runs on the parser
// thread. Returns an empty string, or the I/O error that stopped it.
QString parseJsonLines(ParseJob& job);

// When the source's gzip data was damaged, quarantines the part that could not
// be read (as record `line`, after the last one read), so the loss is listed
// with the records, not only in a message. Parser thread.
void quarantineSourceDamage(const ByteSource& source, RecordBatch& batch, std::int64_t line);

} // namespace ds
