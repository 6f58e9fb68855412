#pragma once

#include "core/CaseSchema.h"
#include "core/FlatU64Set.h"
#include "core/Sqlite.h"
#include "core/StringIdMap.h"
#include "ingest/CaseRequestIds.h"
#include "ingest/RecordBatch.h"

#include <array>

namespace ds {

// Resolves the repeated strings of records (account ids, IPs, user agents,
// models, keys...) to the integer ids of the case's interning tables, handing
// out new ids itself and listing the new entries in the batch for the writer to
// insert. Also looks every request id up among the case's committed requests
// (CaseRequestIds: the row to confirm it against) and among this file's earlier
// ones, so the writer only reads the database for possible duplicates. Used by
// the writer thread alone, just
// before each batch is written: during a load the writer waits on the parser
// side now and then, while the parser thread and the feature pool are busy
// throughout, so the work costs least there (measured: loads 8 % shorter than
// with resolving on the parser thread).
//
// A batch is resolved at once, not row by row: its lookups land on random
// slots of tables larger than the CPU caches (a million request-id hashes,
// tens of thousands of accounts and addresses), so each row's slots are
// prefetched a few rows before they are needed.
class Interner
{
public:
    // Reads the dictionaries from the case (call again after a rollback).
    void load(SqliteDb& db);
    bool isLoaded() const { return m_loaded; }
    void invalidate() { m_loaded = false; }
    // Before a file's first batch, inside its transaction but before any of
    // its rows are written: adds the requests committed since the last file to
    // the case's request ids and forgets the last file's own.
    void beginFile(SqliteDb& db);
    // The requests committed before this file; unchanged until the next beginFile().
    const CaseRequestIds& caseRequests() const { return m_caseRequests; }

    // Fills the id fields of every row of the batch, in order, adding new
    // dictionary entries to `batch.newEntries`.
    void resolve(RecordBatch& batch);

private:
    static constexpr int kRequestFields = 9; // the interned fields of a request (see fieldsOf)
    using RowHashes = std::array<std::uint64_t, kRequestFields>;

    std::int64_t intern(RecordBatch& batch, int dict, const TextRef& ref);
    std::int64_t intern(RecordBatch& batch, int dict, const TextRef& ref, std::uint64_t hash);
    void hashAndPrefetch(const RecordBatch& batch, const ParsedRequest& row, RowHashes& hashes) const;
    void resolve(RecordBatch& batch, ParsedRequest& row, const RowHashes& hashes);
    void resolve(RecordBatch& batch, ParsedAccount& row);

    static constexpr int kAccountDict = schema::kDictCount; // the account table is interned like the others
    std::array<StringIdMap, schema::kDictCount + 1> m_maps;
    std::array<std::int64_t, schema::kDictCount + 1> m_nextId{};
    CaseRequestIds m_caseRequests; // committed before this file
    FlatU64Set m_fileRequests;     // request-id hashes of this file so far
    bool m_loaded = false;
};

} // namespace ds
