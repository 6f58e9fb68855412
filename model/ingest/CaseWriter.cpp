#include "ingest/CaseWriter.h"

#include "core/Hashing.h"
#include "core/Logging.h"

#include <QDateTime>

namespace ds {

std::size_t CaseWriter::StringHash::operator()(std::string_view s) const noexcept { return hash64(s); }

CaseWriter::CaseWriter(SqliteDb& db)
    : m_db(db)
{
}

CaseWriter::~CaseWriter() = default;

void CaseWriter::loadState()
{
    if (m_loaded)
        return;
    for (int d = 0; d < schema::kDictCount; ++d) {
        const std::string table = schema::dictTable(static_cast<schema::Dict>(d));
        Dictionary& dict = m_dicts[static_cast<size_t>(d)];
        dict.clear();
        SqliteStatement st(m_db, ("SELECT id, value FROM " + table).c_str());
        while (st.step())
            dict.emplace(std::string(st.columnView(1)), st.columnInt(0));
        m_dictInsert[static_cast<size_t>(d)] = SqliteStatement(m_db, ("INSERT INTO " + table + "(value) VALUES(?)").c_str());
    }
    m_accounts.clear();
    {
        SqliteStatement st(m_db, "SELECT id, account_id FROM account");
        while (st.step())
            m_accounts.emplace(std::string(st.columnView(1)), st.columnInt(0));
    }
    const std::int64_t requests = m_db.queryInt("SELECT count(*) FROM request");
    m_requestHashes = FlatU64Set(static_cast<std::size_t>(requests) + 1024);
    {
        SqliteStatement st(m_db, "SELECT rid_hash FROM request");
        while (st.step())
            m_requestHashes.insert(fromSqlInt(st.columnInt(0)));
    }
    m_nextRequestId = m_db.queryInt("SELECT max(id) FROM request", 0) + 1;
    m_ridIndexReady = m_db.queryInt("SELECT count(*) FROM sqlite_schema WHERE type='index' AND name='request_rid'") > 0;

    m_insertAccount = SqliteStatement(m_db, "INSERT INTO account(account_id) VALUES(?)");
    m_upsertAccount = SqliteStatement(m_db, R"SQL(
        INSERT INTO account(account_id, created_at, email_domain, payment_fingerprint, billing_country, org, tier, verified, extra)
        VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
        ON CONFLICT(account_id) DO UPDATE SET
            created_at = coalesce(excluded.created_at, created_at),
            email_domain = coalesce(excluded.email_domain, email_domain),
            payment_fingerprint = coalesce(excluded.payment_fingerprint, payment_fingerprint),
            billing_country = coalesce(excluded.billing_country, billing_country),
            org = coalesce(excluded.org, org),
            tier = coalesce(excluded.tier, tier),
            verified = coalesce(excluded.verified, verified),
            extra = coalesce(excluded.extra, extra)
        RETURNING id)SQL");
    m_insertRequest = SqliteStatement(m_db, R"SQL(
        INSERT INTO request(id, rid_hash, ts, account, org, api_key, ip, user_agent, model, endpoint, system_prompt,
            stop_reason, tool_count, prompt_tokens, completion_tokens, max_tokens, latency_ms, status, prompt_bytes,
            skeleton_hash, head_hash, simhash, prompt_flags, category, source_file, line, tail_hash)
        VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23,
               ?24, ?25, ?26, ?27))SQL");
    m_insertText = SqliteStatement(m_db, "INSERT INTO request_text(id, request_id, prompt, tools, extra) VALUES(?1, ?2, ?3, ?4, ?5)");
    m_insertQuarantine = SqliteStatement(m_db, "INSERT INTO quarantine(source_file, line, reason, raw) VALUES(?1, ?2, ?3, ?4)");
    m_loaded = true;
}

void CaseWriter::forgetUncommitted()
{
    // Ids handed out inside a rolled-back transaction no longer exist: reload.
    m_loaded = false;
}

std::int64_t CaseWriter::intern(schema::Dict dict, std::string_view value)
{
    if (value.empty())
        return 0;
    Dictionary& d = m_dicts[static_cast<size_t>(dict)];
    if (auto it = d.find(value); it != d.end())
        return it->second;
    SqliteStatement& ins = m_dictInsert[static_cast<size_t>(dict)];
    ins.bindText(1, value, true);
    ins.run();
    const std::int64_t id = m_db.lastInsertRowId();
    d.emplace(std::string(value), id);
    return id;
}

std::int64_t CaseWriter::internAccount(std::string_view accountId)
{
    if (auto it = m_accounts.find(accountId); it != m_accounts.end())
        return it->second;
    m_insertAccount.bindText(1, accountId, true);
    m_insertAccount.run();
    const std::int64_t id = m_db.lastInsertRowId();
    m_accounts.emplace(std::string(accountId), id);
    return id;
}

bool CaseWriter::isKnownRequest(std::uint64_t ridHash, std::string_view requestId)
{
    if (m_requestHashes.insert(ridHash))
        return false; // a hash never seen: certainly new
    // Seen before: confirm on the text, so a 64-bit hash collision never drops a request.
    if (!m_ridIndexReady) {
        m_db.exec("CREATE INDEX IF NOT EXISTS request_rid ON request(rid_hash)");
        m_ridIndexReady = true;
        m_findRequest = SqliteStatement();
    }
    if (!m_findRequest.handle())
        m_findRequest = SqliteStatement(m_db, "SELECT 1 FROM request r JOIN request_text t ON t.id = r.id "
                                              "WHERE r.rid_hash = ?1 AND t.request_id = ?2 LIMIT 1");
    m_findRequest.bind(1, toSqlInt(ridHash));
    m_findRequest.bindText(2, requestId, true);
    const bool found = m_findRequest.step();
    m_findRequest.reset();
    return found;
}

std::int64_t CaseWriter::beginFile(const FileReport& file, const QString& mappingJson)
{
    loadState();
    SqliteStatement st(m_db, R"SQL(
        INSERT INTO source_file(path, size, sha256, kind, format, compression, mapping, records, inserted, quarantined, imported_at)
        VALUES(?1, ?2, '', ?3, ?4, ?5, ?6, 0, 0, 0, ?7))SQL");
    st.bindText(1, file.path);
    st.bind(2, file.size);
    st.bindText(3, recordKindName(file.kind));
    st.bindText(4, file.format);
    st.bindText(5, file.compression);
    if (mappingJson.isEmpty())
        st.bindNull(6);
    else
        st.bindText(6, mappingJson);
    st.bind(7, QDateTime::currentMSecsSinceEpoch());
    st.run();
    return m_db.lastInsertRowId();
}

void CaseWriter::writeBatch(const RecordBatch& batch, std::int64_t fileId, FileReport& report)
{
    for (const RequestRow& row : batch.requests)
        writeRequest(batch, row, fileId, report);
    for (const AccountRow& row : batch.accounts) {
        writeAccount(batch, row);
        ++report.records;
        ++report.inserted;
        if (row.createdAt != kNoInt) {
            report.firstTs = report.firstTs ? std::min(*report.firstTs, row.createdAt) : row.createdAt;
            report.lastTs = report.lastTs ? std::max(*report.lastTs, row.createdAt) : row.createdAt;
        }
    }
    for (const QuarantineRow& q : batch.quarantine) {
        m_insertQuarantine.bind(1, fileId);
        m_insertQuarantine.bind(2, q.line);
        m_insertQuarantine.bindText(3, batch.view(q.reason), true);
        m_insertQuarantine.bindBlob(4, batch.view(q.raw));
        m_insertQuarantine.run();
        ++report.quarantined;
    }
}

void CaseWriter::writeRequest(const RecordBatch& batch, const RequestRow& r, std::int64_t fileId, FileReport& report)
{
    ++report.records;
    report.firstTs = report.firstTs ? std::min(*report.firstTs, r.ts) : r.ts;
    report.lastTs = report.lastTs ? std::max(*report.lastTs, r.ts) : r.ts;
    const std::string_view requestId = batch.view(r.requestId);
    if (isKnownRequest(r.ridHash, requestId))
        return;

    using schema::Dict;
    const std::int64_t id = m_nextRequestId++;
    auto optInt = [](SqliteStatement& st, int i, std::int64_t v) { v == kNoInt ? st.bindNull(i) : st.bind(i, v); };
    SqliteStatement& st = m_insertRequest;
    st.bind(1, id);
    st.bind(2, toSqlInt(r.ridHash));
    st.bind(3, r.ts);
    st.bind(4, internAccount(batch.view(r.accountId)));
    st.bindId(5, intern(Dict::Org, batch.view(r.orgId)));
    st.bindId(6, intern(Dict::ApiKey, batch.view(r.apiKeyId)));
    st.bindId(7, intern(Dict::Ip, batch.view(r.ip)));
    st.bindId(8, intern(Dict::UserAgent, batch.view(r.userAgent)));
    st.bindId(9, intern(Dict::Model, batch.view(r.model)));
    st.bindId(10, intern(Dict::Endpoint, batch.view(r.endpoint)));
    st.bindId(11, intern(Dict::SystemPrompt, batch.view(r.systemPrompt)));
    st.bindId(12, intern(Dict::StopReason, batch.view(r.stopReason)));
    optInt(st, 13, r.toolCount);
    optInt(st, 14, r.promptTokens);
    optInt(st, 15, r.completionTokens);
    optInt(st, 16, r.maxTokens);
    optInt(st, 17, r.latencyMs);
    optInt(st, 18, r.status);
    st.bind(19, static_cast<std::int64_t>(r.features.bytes));
    st.bind(20, toSqlInt(r.features.skeletonHash));
    st.bind(21, toSqlInt(r.features.headHash));
    st.bind(22, toSqlInt(r.features.simhash));
    st.bind(23, static_cast<std::int64_t>(r.features.flags));
    st.bind(24, static_cast<std::int64_t>(r.features.category));
    st.bind(25, fileId);
    st.bind(26, r.line);
    st.bind(27, toSqlInt(r.features.tailHash));
    st.run();

    SqliteStatement& tx = m_insertText;
    tx.bind(1, id);
    tx.bindText(2, requestId, true);
    r.prompt.present ? tx.bindText(3, batch.view(r.prompt), true) : tx.bindNull(3);
    r.tools.present ? tx.bindText(4, batch.view(r.tools), true) : tx.bindNull(4);
    r.extra.present ? tx.bindText(5, batch.view(r.extra), true) : tx.bindNull(5);
    tx.run();
    ++report.inserted;
}

void CaseWriter::writeAccount(const RecordBatch& batch, const AccountRow& a)
{
    using schema::Dict;
    SqliteStatement& st = m_upsertAccount;
    st.bindText(1, batch.view(a.accountId), true);
    a.createdAt == kNoInt ? st.bindNull(2) : st.bind(2, a.createdAt);
    st.bindId(3, intern(Dict::EmailDomain, batch.view(a.emailDomain)));
    st.bindId(4, intern(Dict::PaymentFingerprint, batch.view(a.paymentFingerprint)));
    a.billingCountry.present ? st.bindText(5, batch.view(a.billingCountry), true) : st.bindNull(5);
    st.bindId(6, intern(Dict::Org, batch.view(a.orgId)));
    a.tier.present ? st.bindText(7, batch.view(a.tier), true) : st.bindNull(7);
    a.verified < 0 ? st.bindNull(8) : st.bind(8, a.verified);
    a.extra.present ? st.bindText(9, batch.view(a.extra), true) : st.bindNull(9);
    std::int64_t id = 0;
    if (st.step())
        id = st.columnInt(0);
    st.reset();
    m_accounts.emplace(std::string(batch.view(a.accountId)), id);
}

void CaseWriter::finishFile(std::int64_t fileId, const FileReport& report)
{
    SqliteStatement st(m_db, R"SQL(
        UPDATE source_file SET sha256 = ?2, records = ?3, inserted = ?4, quarantined = ?5, first_ts = ?6, last_ts = ?7
        WHERE id = ?1)SQL");
    st.bind(1, fileId);
    st.bindText(2, report.sha256);
    st.bind(3, report.records);
    st.bind(4, report.inserted);
    st.bind(5, report.quarantined);
    st.bindOptional(6, report.firstTs);
    st.bindOptional(7, report.lastTs);
    st.run();
}

std::int64_t CaseWriter::findSameFile(const QString& sha256, const QString& mappingJson, std::int64_t excludeId)
{
    SqliteStatement st(m_db, "SELECT id FROM source_file WHERE sha256 = ?1 AND coalesce(mapping, '') = ?2 AND id != ?3");
    st.bindText(1, sha256);
    st.bindText(2, mappingJson);
    st.bind(3, excludeId);
    return st.step() ? st.columnInt(0) : 0;
}

} // namespace ds
