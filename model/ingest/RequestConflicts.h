#pragma once

#include "core/Sqlite.h"
#include "ingest/RecordBatch.h"

#include <QByteArray>
#include <QStringList>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ds {

// Copies of one request_id that differ are evidence (a log rewritten, two
// systems disagreeing, a planted record): the case keeps the first copy as the
// request and every differing copy in request_conflict, with its content and
// what differs, so none vanishes. Identical repeats stay silent.
namespace conflicts {
// Creates request_conflict when missing (new cases, older cases on their next
// import, and knownschema's reference). Any thread with its own connection.
void ensureSchema(SqliteDb& db);
// Whether the case has the table (cases from before it existed do not).
bool hasTable(SqliteDb& db);
} // namespace conflicts

// A request's content as copies are compared: interned values by their id
// (0: absent, equal ids are equal strings), counts (kNoInt: absent), text as given.
struct RequestContent
{
    // account, org, api_key, ip, user_agent, model, endpoint, system_prompt, stop_reason
    static constexpr int kRefCount = 9;
    // prompt_tokens, completion_tokens, max_tokens, latency_ms, status
    static constexpr int kNumberCount = 5;
    // prompt, tools, extra
    static constexpr int kTextCount = 3;

    std::int64_t ts = 0;
    std::array<std::int64_t, kRefCount> refs{};
    std::array<std::int64_t, kNumberCount> numbers{};
    std::array<std::string, kTextCount> texts;
};

// Compares a repeated request with the copy the case keeps and records a copy
// that differs in request_conflict. The import's writer thread only, inside the
// file's transaction (a rollback takes its conflicts with it), on a case whose
// request_conflict exists (conflicts::ensureSchema).
class ConflictRecorder
{
public:
    explicit ConflictRecorder(SqliteDb& db);
    // Accounts (id -> account_id) the writer has interned but not written: a
    // copy's account may have no row (CaseWriter writes one only for kept records).
    void setUnwrittenAccounts(const std::unordered_map<std::int64_t, std::string>* accounts) { m_unwrittenAccounts = accounts; }

    // The content of stored request row `id` (the kept copy, or a copy a bulk
    // load wrote before settling it). Its request_text row must be written.
    RequestContent stored(std::int64_t id);
    static RequestContent fromBatch(const RecordBatch& batch, const ParsedRequest& r);
    // The canonical names of the fields in which the copies differ; empty when they are the same.
    static QStringList differences(const RequestContent& kept, const RequestContent& copy);
    // Records the copy read at `fileId`:`line` as differing from request row `keptRow` in `differs`.
    void record(std::int64_t keptRow, std::string_view requestId, std::int64_t fileId, std::int64_t line,
                const QStringList& differs, const RequestContent& copy);

private:
    // The copy as a JSON object of canonical fields (interned ids resolved), for the analyst to read.
    QByteArray toJson(std::string_view requestId, const RequestContent& copy);

    SqliteDb& m_db;
    const std::unordered_map<std::int64_t, std::string>* m_unwrittenAccounts = nullptr;
    SqliteStatement m_readRow, m_insert;
    std::array<SqliteStatement, RequestContent::kRefCount> m_refValue;
};

} // namespace ds
