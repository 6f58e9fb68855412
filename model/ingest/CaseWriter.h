#pragma once

#include "core/CaseSchema.h"
#include "core/FlatU64Set.h"
#include "core/Sqlite.h"
#include "ingest/ImportTypes.h"
#include "ingest/RecordBatch.h"
#include "ingest/RequestConflicts.h"
#include "ingest/RequestTextWriter.h"

#include <array>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ds {

// The single writer of an import: turns record batches (already interned by the
// Interner, on the same thread) into rows of the case database, and skips requests
// already in the case (request_id is the identity), confirming each on the
// committed row the Interner found by its hash before anything is written. Lives on the writer thread
// with its connection. A file is written inside one transaction opened by the
// caller; after a rollback call forgetUncommitted() (and invalidate the Interner).
class CaseWriter
{
public:
    explicit CaseWriter(SqliteDb& db);
    ~CaseWriter();
    CaseWriter(const CaseWriter&) = delete;
    CaseWriter& operator=(const CaseWriter&) = delete;

    // Request text is packed on the parser side where it can be (the importer's stage; null: here).
    void setTextPackStage(TextPackStage* stage) { m_text.setPackStage(stage); }
    // Request text values bound as the parser side packed them, and values packed here.
    std::int64_t prePackedValues() const { return m_text.prePackedValues(); }
    std::int64_t selfPackedValues() const { return m_text.selfPackedValues(); }

    // Records a file's provenance row (counts filled in by finishFile) and returns its id.
    std::int64_t beginFile(const FileReport& file, const QString& mappingJson);
    void writeBatch(const RecordBatch& batch, std::int64_t fileId, FileReport& report);
    // Tests: called at the start of every writeBatch (ImportRequest::beforeEachBatch).
    void setBeforeEachBatch(std::function<void()> hook) { m_beforeEachBatch = std::move(hook); }
    void finishFile(std::int64_t fileId, const FileReport& report);
    // An earlier committed file with the same bytes and mapping, or 0.
    std::int64_t findSameFile(const QString& sha256, const QString& mappingJson, std::int64_t excludeId);

    void forgetUncommitted();
    // The request indexes were dropped for a bulk load (`hadRequestIdIndex`:
    // request_rid was among them). Possible duplicates (a request-id hash seen
    // before) are then written like the others and settled after the load:
    // confirming each at once would need request_rid, built mid-load and then
    // updated row by row in random order.
    void requestIndexesDropped(bool hadRequestIdIndex)
    {
        m_ridIndexReady = false;
        m_bulk = true;
        m_rebuildRequestIdIndex = hadRequestIdIndex;
    }
    // After a bulk load's core index build (nothing otherwise): builds
    // request_rid again if the case had it or the load's possible duplicates
    // need it, and removes the rows written as possible duplicates that are
    // indeed requests already in the case (same request_id, an earlier row).
    void finishBulkLoad(FileReport& report);

private:
    std::function<void()> m_beforeEachBatch;
    void loadState();
    void writeNewEntries(const RecordBatch& batch);
    // The row of the request with this id in the case, 0 when there is none;
    // `buildIndex`: build request_rid for the lookup first if the case lacks it (else a scan).
    std::int64_t isKnownRequest(std::uint64_t ridHash, std::string_view requestId, bool buildIndex = true);
    // A request id read again: when this copy differs from the kept row in any
    // field, it is recorded in request_conflict (ingest/RequestConflicts.h), so
    // a repeated id with other content is never dropped without a trace.
    void noteRepeat(std::int64_t keptRow, std::int64_t fileId, std::int64_t line, std::string_view requestId,
                    const RequestContent& copy, FileReport& report);
    // The committed row of this request when the Interner found one by its hash (ParsedRequest::caseRow), else 0.
    std::int64_t isCommittedRequest(const ParsedRequest& row, std::string_view requestId);
    // Builds request_rid the first time the case needs it, sorted like the other indexes.
    void ensureRequestIdIndex();
    void writeRequest(const RecordBatch& batch, const ParsedRequest& row, std::int64_t fileId, FileReport& report);
    void writeAccount(const RecordBatch& batch, const ParsedAccount& row);
    // Writes the row of an account the Interner handed out and no kept row has used yet.
    void ensureAccountRow(std::int64_t accountRef);

    SqliteDb& m_db;
    bool m_loaded = false;
    std::array<SqliteStatement, schema::kDictCount> m_dictInsert;
    std::int64_t m_nextRequestId = 1;
    bool m_ridIndexReady = false;
    bool m_bulk = false;                   // this file is a bulk load (see requestIndexesDropped)
    bool m_rebuildRequestIdIndex = false;  // the bulk load dropped a request_rid the case had
    struct Unsettled
    {
        std::int64_t row, account;
    };
    std::vector<Unsettled> m_unsettled;    // rows of this load written as possible duplicates
    // New accounts (id -> account_id) whose row waits for the first request the
    // case keeps or account record: an account read only in conflicting copies
    // gets no row (request_conflict.copy names it). Lives as long as the Interner's ids.
    std::unordered_map<std::int64_t, std::string> m_accountsAwaitingUse;

    std::int64_t m_confirmedInCase = 0;    // requests of this file found committed already (not written)
    FlatU64Set m_collisionsWritten;        // hashes of this file's new requests that collide with committed ones

    SqliteStatement m_insertAccount, m_updateAccount, m_insertRequest, m_insertQuarantine, m_findRequest;
    RequestTextWriter m_text; // request_text rows, packed
    SqliteStatement m_caseRowId; // request_id of one row, by row id
    ConflictRecorder m_conflicts; // repeats compared with the kept row, differing ones recorded
};

} // namespace ds
