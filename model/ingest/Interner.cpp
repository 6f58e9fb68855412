#include "ingest/Interner.h"

#include "core/Hashing.h"

namespace ds {

void Interner::load(SqliteDb& db)
{
    auto loadTable = [&](int dict, const std::string& sql, const std::string& maxSql) {
        StringIdMap& map = m_maps[static_cast<size_t>(dict)];
        map.clear();
        SqliteStatement st(db, sql.c_str());
        while (st.step()) {
            const std::string_view v = st.columnView(1);
            map.insert(hash64(v), v, st.columnInt(0));
        }
        m_nextId[static_cast<size_t>(dict)] = db.queryInt(maxSql.c_str(), 0) + 1;
    };
    for (int d = 0; d < schema::kDictCount; ++d) {
        const std::string table = schema::dictTable(static_cast<schema::Dict>(d));
        loadTable(d, "SELECT id, value FROM " + table, "SELECT max(id) FROM " + table);
    }
    loadTable(kAccountDict, "SELECT id, account_id FROM account", "SELECT max(id) FROM account");

    m_requestHashes = FlatU64Set(static_cast<std::size_t>(db.queryInt("SELECT count(*) FROM request")) + 1024);
    SqliteStatement st(db, "SELECT rid_hash FROM request");
    while (st.step())
        m_requestHashes.insert(fromSqlInt(st.columnInt(0)));
    m_loaded = true;
}

std::int64_t Interner::intern(RecordBatch& batch, int dict, const TextRef& ref)
{
    if (!ref.present || ref.length == 0)
        return 0;
    const std::string_view value = batch.view(ref);
    const std::uint64_t h = hash64(value);
    StringIdMap& map = m_maps[static_cast<size_t>(dict)];
    if (const std::int64_t id = map.find(h, value))
        return id;
    const std::int64_t id = m_nextId[static_cast<size_t>(dict)]++;
    map.insert(h, value, id);
    batch.newEntries.push_back(NewDictEntry{dict, id, ref});
    return id;
}

void Interner::resolve(RecordBatch& batch, ParsedRequest& r)
{
    using schema::Dict;
    r.accountRef = intern(batch, kAccountDict, r.accountId);
    r.orgRef = intern(batch, static_cast<int>(Dict::Org), r.orgId);
    r.apiKeyRef = intern(batch, static_cast<int>(Dict::ApiKey), r.apiKeyId);
    r.ipRef = intern(batch, static_cast<int>(Dict::Ip), r.ip);
    r.userAgentRef = intern(batch, static_cast<int>(Dict::UserAgent), r.userAgent);
    r.modelRef = intern(batch, static_cast<int>(Dict::Model), r.model);
    r.endpointRef = intern(batch, static_cast<int>(Dict::Endpoint), r.endpoint);
    r.systemPromptRef = intern(batch, static_cast<int>(Dict::SystemPrompt), r.systemPrompt);
    r.stopReasonRef = intern(batch, static_cast<int>(Dict::StopReason), r.stopReason);
    // A hash seen before may be the same request (or, very rarely, a collision): the writer checks.
    r.maybeDuplicate = !m_requestHashes.insert(r.ridHash);
}

void Interner::resolve(RecordBatch& batch, ParsedAccount& a)
{
    using schema::Dict;
    a.accountRef = intern(batch, kAccountDict, a.accountId);
    a.emailDomainRef = intern(batch, static_cast<int>(Dict::EmailDomain), a.emailDomain);
    a.paymentFingerprintRef = intern(batch, static_cast<int>(Dict::PaymentFingerprint), a.paymentFingerprint);
    a.orgRef = intern(batch, static_cast<int>(Dict::Org), a.orgId);
}

} // namespace ds
