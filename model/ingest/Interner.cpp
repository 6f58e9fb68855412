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
    m_loaded = true;
}

void Interner::beginFile(SqliteDb& db)
{
    // The committed requests survive a rollback (only committed rows are ever
    // added), so after the first file this reads only what was committed since.
    m_fileRequests = FlatU64Set(); // released first: update() briefly holds the case's ids twice
    m_caseRequests.update(db);
}

namespace {

// The interned fields of a request with their dictionaries, in one order for
// hashing ahead and resolving.
template<typename Row>
auto fieldsOf(Row& r)
{
    using schema::Dict;
    constexpr int kAccount = schema::kDictCount;
    return std::array<std::pair<int, decltype(&r.accountId)>, 9>{{
        {kAccount, &r.accountId},
        {static_cast<int>(Dict::Org), &r.orgId},
        {static_cast<int>(Dict::ApiKey), &r.apiKeyId},
        {static_cast<int>(Dict::Ip), &r.ip},
        {static_cast<int>(Dict::UserAgent), &r.userAgent},
        {static_cast<int>(Dict::Model), &r.model},
        {static_cast<int>(Dict::Endpoint), &r.endpoint},
        {static_cast<int>(Dict::SystemPrompt), &r.systemPrompt},
        {static_cast<int>(Dict::StopReason), &r.stopReason},
    }};
}

bool absent(const TextRef& ref) { return !ref.present || ref.length == 0; }

} // namespace

std::int64_t Interner::intern(RecordBatch& batch, int dict, const TextRef& ref)
{
    return absent(ref) ? 0 : intern(batch, dict, ref, hash64(batch.view(ref)));
}

std::int64_t Interner::intern(RecordBatch& batch, int dict, const TextRef& ref, std::uint64_t h)
{
    if (absent(ref))
        return 0;
    const std::string_view value = batch.view(ref);
    StringIdMap& map = m_maps[static_cast<size_t>(dict)];
    if (const std::int64_t id = map.find(h, value))
        return id;
    const std::int64_t id = m_nextId[static_cast<size_t>(dict)]++;
    map.insert(h, value, id);
    batch.newEntries.push_back(NewDictEntry{dict, id, ref});
    return id;
}

void Interner::hashAndPrefetch(const RecordBatch& batch, const ParsedRequest& row, RowHashes& hashes) const
{
    const auto fields = fieldsOf(row);
    for (int f = 0; f < kRequestFields; ++f) {
        const auto& [dict, ref] = fields[static_cast<size_t>(f)];
        if (absent(*ref))
            continue;
        hashes[static_cast<size_t>(f)] = hash64(batch.view(*ref));
        m_maps[static_cast<size_t>(dict)].prefetch(hashes[static_cast<size_t>(f)]);
    }
    m_fileRequests.prefetch(row.ridHash);
    m_caseRequests.prefetchDirectory(row.ridHash);
}

void Interner::resolve(RecordBatch& batch, ParsedRequest& r, const RowHashes& hashes)
{
    const auto fields = fieldsOf(r);
    std::array<std::int64_t, kRequestFields> ids{};
    for (int f = 0; f < kRequestFields; ++f) {
        const auto& [dict, ref] = fields[static_cast<size_t>(f)];
        ids[static_cast<size_t>(f)] = intern(batch, dict, *ref, hashes[static_cast<size_t>(f)]);
    }
    r.accountRef = ids[0];
    r.orgRef = ids[1];
    r.apiKeyRef = ids[2];
    r.ipRef = ids[3];
    r.userAgentRef = ids[4];
    r.modelRef = ids[5];
    r.endpointRef = ids[6];
    r.systemPromptRef = ids[7];
    r.stopReasonRef = ids[8];
    // A hash seen before may be the same request (or, very rarely, a collision): the writer checks,
    // against the committed row found here first, then against this file's earlier rows.
    // A hash of the case stays out of this file's set: almost always the
    // request is in the case and is not written (in a re-import, most of the
    // file); the writer tracks the collisions it writes.
    const std::span<const CaseRequestIds::Entry> committed = m_caseRequests.find(r.ridHash);
    r.caseRow = committed.empty() ? 0 : committed.front().row;
    r.caseRowsShareHash = committed.size() > 1;
    r.maybeDuplicate = committed.empty() && !m_fileRequests.insert(r.ridHash);
}

void Interner::resolve(RecordBatch& batch)
{
    // Row i is hashed and its slots prefetched kAhead rows before it is
    // resolved: enough rows to cover a memory access, few enough that the
    // prefetched lines are still in L1/L2. The committed request ids take two
    // steps (directory, then bucket): the second half-way.
    constexpr std::size_t kAhead = 8;
    std::array<RowHashes, kAhead + 1> ring;
    std::vector<ParsedRequest>& rows = batch.requests;
    const std::size_t n = rows.size();
    for (std::size_t i = 0; i < n + kAhead; ++i) {
        if (i < n)
            hashAndPrefetch(batch, rows[i], ring[i % ring.size()]);
        if (i >= kAhead / 2 && i - kAhead / 2 < n)
            m_caseRequests.prefetchBucket(rows[i - kAhead / 2].ridHash);
        if (i >= kAhead)
            resolve(batch, rows[i - kAhead], ring[(i - kAhead) % ring.size()]);
    }
    for (ParsedAccount& a : batch.accounts)
        resolve(batch, a);
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
