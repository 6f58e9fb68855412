#include "ingest/CaseWriter.h"

#include "core/CaseDatabase.h"
#include "core/Hashing.h"
#include "core/Logging.h"
#include "ingest/FeatureStage.h"

#include <QDateTime>

namespace ds {

CaseWriter::CaseWriter(SqliteDb& db)
    : m_db(db)
    , m_text(db)
    , m_conflicts(db)
{
    m_conflicts.setUnwrittenAccounts(&m_accountsAwaitingUse);
}

CaseWriter::~CaseWriter() = default;

void CaseWriter::loadState()
{
    if (m_loaded)
        return;
    for (int d = 0; d < schema::kDictCount; ++d) {
        const std::string table = schema::dictTable(static_cast<schema::Dict>(d));
        m_dictInsert[static_cast<size_t>(d)] =
            SqliteStatement(m_db, ("INSERT INTO " + table + "(id, value) VALUES(?1, ?2)").c_str());
    }
    m_nextRequestId = m_db.queryInt("SELECT max(id) FROM request", 0) + 1;
    m_ridIndexReady = m_db.queryInt("SELECT count(*) FROM sqlite_schema WHERE type='index' AND name='request_rid'") > 0;
    m_findRequest = SqliteStatement();
    m_caseRowId = SqliteStatement();

    m_insertAccount = SqliteStatement(m_db, "INSERT INTO account(id, account_id) VALUES(?1, ?2)");
    m_updateAccount = SqliteStatement(m_db, R"SQL(
        UPDATE account SET
            created_at = coalesce(?2, created_at),
            email_domain = coalesce(?3, email_domain),
            payment_fingerprint = coalesce(?4, payment_fingerprint),
            billing_country = coalesce(?5, billing_country),
            org = coalesce(?6, org),
            tier = coalesce(?7, tier),
            verified = coalesce(?8, verified),
            extra = coalesce(?9, extra)
        WHERE id = ?1)SQL");
    m_insertRequest = SqliteStatement(m_db, R"SQL(
        INSERT INTO request(id, rid_hash, ts, account, org, api_key, ip, user_agent, model, endpoint, system_prompt,
            stop_reason, tool_count, prompt_tokens, completion_tokens, max_tokens, latency_ms, status, prompt_bytes,
            skeleton_hash, head_hash, simhash, prompt_flags, category, source_file, line, tail_hash, task_hash, harvest)
        VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23,
               ?24, ?25, ?26, ?27, ?28, ?29))SQL");
    m_insertQuarantine = SqliteStatement(m_db, "INSERT INTO quarantine(source_file, line, reason, raw) VALUES(?1, ?2, ?3, ?4)");
    conflicts::ensureSchema(m_db); // cases from before the table gain it (rolled back with the file if need be)
    m_loaded = true;
}

void CaseWriter::forgetUncommitted()
{
    // Ids handed out inside a rolled-back transaction no longer exist: reload.
    m_loaded = false;
    m_bulk = false;
    m_rebuildRequestIdIndex = false;
    m_unsettled.clear();
    m_accountsAwaitingUse.clear();
    m_collisionsWritten = FlatU64Set(64);
    m_text.forgetUncommitted();
}

void CaseWriter::writeNewEntries(const RecordBatch& batch)
{
    for (const NewDictEntry& e : batch.newEntries) {
        if (e.dict == schema::kDictCount) { // written once a kept record uses it (ensureAccountRow)
            m_accountsAwaitingUse.emplace(e.id, std::string(batch.view(e.value)));
            continue;
        }
        SqliteStatement& st = m_dictInsert[static_cast<size_t>(e.dict)];
        st.bind(1, e.id);
        st.bindText(2, batch.view(e.value), true);
        st.run();
    }
}

void CaseWriter::ensureAccountRow(std::int64_t accountRef)
{
    if (m_accountsAwaitingUse.empty())
        return;
    const auto it = m_accountsAwaitingUse.find(accountRef);
    if (it == m_accountsAwaitingUse.end())
        return;
    m_insertAccount.bind(1, accountRef);
    m_insertAccount.bindText(2, it->second, true);
    m_insertAccount.run();
    m_accountsAwaitingUse.erase(it);
}

void CaseWriter::noteRepeat(std::int64_t keptRow, std::int64_t fileId, std::int64_t line, std::string_view requestId,
                            const RequestContent& copy, FileReport& report)
{
    const QStringList differs = ConflictRecorder::differences(m_conflicts.stored(keptRow), copy);
    if (differs.isEmpty())
        return;
    m_conflicts.record(keptRow, requestId, fileId, line, differs, copy);
    ++report.conflicts;
}

std::int64_t CaseWriter::isKnownRequest(std::uint64_t ridHash, std::string_view requestId, bool buildIndex)
{
    // The Interner saw this hash before: confirm on the text, so a 64-bit hash
    // collision never drops a request.
    m_text.flush(); // held-back rows of this file are requests too
    if (buildIndex)
        ensureRequestIdIndex();
    if (!m_findRequest.handle())
        m_findRequest = SqliteStatement(m_db, "SELECT r.id FROM request r JOIN request_text t ON t.id = r.id "
                                              "WHERE r.rid_hash = ?1 AND t.request_id = ?2 ORDER BY r.id LIMIT 1");
    m_findRequest.bind(1, toSqlInt(ridHash));
    m_findRequest.bindText(2, requestId, true);
    const std::int64_t found = m_findRequest.step() ? m_findRequest.columnInt(0) : 0;
    m_findRequest.reset();
    return found;
}

std::int64_t CaseWriter::isCommittedRequest(const ParsedRequest& r, std::string_view requestId)
{
    // Reads one row by its id (only request_id: the prompt's overflow pages stay unread).
    if (!m_caseRowId.handle())
        m_caseRowId = SqliteStatement(m_db, "SELECT request_id FROM request_text WHERE id = ?1");
    m_caseRowId.bind(1, r.caseRow);
    const bool same = m_caseRowId.step() && m_caseRowId.columnView(0) == requestId;
    m_caseRowId.reset();
    if (same) {
        ++m_confirmedInCase;
        return r.caseRow;
    }
    // Committed requests whose ids collide with each other: all of them by
    // hash. Rare enough (a 64-bit collision inside the case) for a scan where
    // request_rid is missing.
    if (r.caseRowsShareHash) {
        if (const std::int64_t kept = isKnownRequest(r.ridHash, requestId, false)) {
            ++m_confirmedInCase;
            return kept;
        }
    }
    return 0; // a new request whose id hash collides with a committed one
}

void CaseWriter::ensureRequestIdIndex()
{
    if (m_ridIndexReady)
        return;
    CaseDatabase::ensureIndexes(m_db, true);
    m_ridIndexReady = true;
    m_findRequest = SqliteStatement(); // prepared against the schema without it
}

void CaseWriter::finishBulkLoad(FileReport& report)
{
    m_text.flush();
    if (!m_bulk)
        return;
    m_bulk = false;
    if (m_rebuildRequestIdIndex || !m_unsettled.empty())
        ensureRequestIdIndex();
    if (m_unsettled.empty())
        return;
    // Rows are numbered in arrival order, so the first copy of a request has
    // the smallest id: a row is a duplicate when an earlier one has its id.
    SqliteStatement earlier(m_db, R"SQL(
        SELECT r.id, d.line, d.source_file, t.request_id
        FROM request d JOIN request r ON r.rid_hash = d.rid_hash AND r.id < d.id
        JOIN request_text t ON t.id = r.id
        WHERE d.id = ?1 AND t.request_id = (SELECT request_id FROM request_text WHERE id = ?1)
        ORDER BY r.id LIMIT 1)SQL");
    SqliteStatement dropRequest(m_db, "DELETE FROM request WHERE id = ?1");
    SqliteStatement dropText(m_db, "DELETE FROM request_text WHERE id = ?1");
    for (const auto& [id, account] : m_unsettled) {
        earlier.bind(1, id);
        if (!earlier.step()) {
            earlier.reset();
            ensureAccountRow(account); // a new request whose id hash collided: kept
            continue;
        }
        const std::int64_t kept = earlier.columnInt(0), line = earlier.columnInt(1), file = earlier.columnInt(2);
        const std::string requestId(earlier.columnView(3));
        earlier.reset();
        noteRepeat(kept, file, line, requestId, m_conflicts.stored(id), report);
        dropRequest.bind(1, id);
        dropRequest.run();
        dropText.bind(1, id);
        dropText.run();
        --report.inserted;
    }
    qCInfo(lcIngest) << m_unsettled.size() << "possible duplicates checked after the load";
    m_unsettled.clear();
    m_unsettled.shrink_to_fit();
}

std::int64_t CaseWriter::beginFile(const FileReport& file, const QString& mappingJson)
{
    loadState();
    m_confirmedInCase = 0;
    m_collisionsWritten = FlatU64Set(64);
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
    const std::int64_t fileId = m_db.lastInsertRowId();
    m_text.beginFile(fileId);
    return fileId;
}

void CaseWriter::writeBatch(const RecordBatch& batch, std::int64_t fileId, FileReport& report)
{
    if (m_beforeEachBatch)
        m_beforeEachBatch();
    writeNewEntries(batch);
    for (const ParsedRequest& row : batch.requests)
        writeRequest(batch, row, fileId, report);
    for (const ParsedAccount& row : batch.accounts) {
        writeAccount(batch, row);
        ++report.records;
        ++report.inserted;
        if (row.createdAt != kNoInt) {
            report.firstTs = report.firstTs ? std::min(*report.firstTs, row.createdAt) : row.createdAt;
            report.lastTs = report.lastTs ? std::max(*report.lastTs, row.createdAt) : row.createdAt;
        }
    }
    for (const ParsedQuarantine& q : batch.quarantine) {
        m_insertQuarantine.bind(1, fileId);
        m_insertQuarantine.bind(2, q.line);
        m_insertQuarantine.bindText(3, batch.view(q.reason), true);
        m_insertQuarantine.bindBlob(4, batch.view(q.raw));
        m_insertQuarantine.run();
        if (report.quarantined++ == 0)
            report.firstQuarantineReason = QString::fromUtf8(batch.view(q.reason).data(),
                                                             static_cast<qsizetype>(batch.view(q.reason).size()));
    }
}

void CaseWriter::writeRequest(const RecordBatch& batch, const ParsedRequest& r, std::int64_t fileId, FileReport& report)
{
    ++report.records;
    report.firstTs = report.firstTs ? std::min(*report.firstTs, r.ts) : r.ts;
    report.lastTs = report.lastTs ? std::max(*report.lastTs, r.ts) : r.ts;
    const std::string_view requestId = batch.view(r.requestId);
    // A request already in the case is confirmed on its committed row and never
    // written, bulk load or not: nothing to delete after the load.
    bool maybeDuplicate = r.maybeDuplicate;
    if (r.caseRow) {
        if (const std::int64_t kept = isCommittedRequest(r, requestId)) {
            noteRepeat(kept, fileId, r.line, requestId, ConflictRecorder::fromBatch(batch, r), report);
            return;
        }
        // A new request whose id hash collides with a committed one. The
        // Interner leaves such hashes out of this file's set (nearly all are
        // requests in the case): a repeat of it in this file is caught here.
        maybeDuplicate = !m_collisionsWritten.insert(r.ridHash);
    }
    if (maybeDuplicate && !m_bulk) {
        if (const std::int64_t kept = isKnownRequest(r.ridHash, requestId)) {
            noteRepeat(kept, fileId, r.line, requestId, ConflictRecorder::fromBatch(batch, r), report);
            return;
        }
    }

    // The parser side deferred the features of a row whose hash is in the case: it is written after all.
    const PromptFeatures features = r.featuresDeferred ? promptFeaturesOf(batch, r) : PromptFeatures{};
    const PromptFeatures& f = r.featuresDeferred ? features : r.features;
    const std::int64_t id = m_nextRequestId++;
    if (maybeDuplicate && m_bulk)
        m_unsettled.push_back({id, r.accountRef}); // its account's row waits for the verdict
    else
        ensureAccountRow(r.accountRef);
    auto optInt = [](SqliteStatement& st, int i, std::int64_t v) { v == kNoInt ? st.bindNull(i) : st.bind(i, v); };
    SqliteStatement& st = m_insertRequest;
    st.bind(1, id);
    st.bind(2, toSqlInt(r.ridHash));
    st.bind(3, r.ts);
    st.bind(4, r.accountRef);
    st.bindId(5, r.orgRef);
    st.bindId(6, r.apiKeyRef);
    st.bindId(7, r.ipRef);
    st.bindId(8, r.userAgentRef);
    st.bindId(9, r.modelRef);
    st.bindId(10, r.endpointRef);
    st.bindId(11, r.systemPromptRef);
    st.bindId(12, r.stopReasonRef);
    optInt(st, 13, r.toolCount);
    optInt(st, 14, r.promptTokens);
    optInt(st, 15, r.completionTokens);
    optInt(st, 16, r.maxTokens);
    optInt(st, 17, r.latencyMs);
    optInt(st, 18, r.status);
    st.bind(19, static_cast<std::int64_t>(f.bytes));
    st.bind(20, toSqlInt(f.skeletonHash));
    st.bind(21, toSqlInt(f.headHash));
    st.bind(22, toSqlInt(f.simhash));
    st.bind(23, static_cast<std::int64_t>(f.flags));
    st.bind(24, static_cast<std::int64_t>(f.category));
    st.bind(25, fileId);
    st.bind(26, r.line);
    st.bind(27, toSqlInt(f.tailHash));
    st.bind(28, toSqlInt(f.taskHash));
    st.bind(29, static_cast<std::int64_t>(f.harvest));
    st.run();

    PrePackedText pre;
    pre.generation = batch.packGeneration;
    for (int i = 0; i < 3; ++i) {
        pre.state[i] = r.packed[i].state;
        if (r.packed[i].state == PackedRef::Packed)
            pre.packed[i] = batch.packedView(r.packed[i]);
    }
    pre.promptHashed = r.promptHashed;
    pre.promptHashLow = r.promptHashLow;
    pre.promptHashHigh = r.promptHashHigh;
    m_text.write(id, requestId, batch.view(r.prompt), batch.view(r.tools), batch.view(r.extra), maybeDuplicate && m_bulk,
                 &pre);
    ++report.inserted;
}

void CaseWriter::writeAccount(const RecordBatch& batch, const ParsedAccount& a)
{
    // The account row exists (written now or by an earlier file): fill in what this file knows.
    ensureAccountRow(a.accountRef);
    SqliteStatement& st = m_updateAccount;
    st.bind(1, a.accountRef);
    a.createdAt == kNoInt ? st.bindNull(2) : st.bind(2, a.createdAt);
    st.bindId(3, a.emailDomainRef);
    st.bindId(4, a.paymentFingerprintRef);
    a.billingCountry.present ? st.bindText(5, batch.view(a.billingCountry), true) : st.bindNull(5);
    st.bindId(6, a.orgRef);
    a.tier.present ? st.bindText(7, batch.view(a.tier), true) : st.bindNull(7);
    a.verified < 0 ? st.bindNull(8) : st.bind(8, a.verified);
    a.extra.present ? st.bindText(9, batch.view(a.extra), true) : st.bindNull(9);
    st.run();
}

void CaseWriter::finishFile(std::int64_t fileId, const FileReport& report)
{
    m_text.flush();
    qCInfo(lcIngest) << m_confirmedInCase << "requests found already in the case by row id, not written";
    SqliteStatement st(m_db, R"SQL(
        UPDATE source_file SET sha256 = ?2, records = ?3, inserted = ?4, quarantined = ?5, first_ts = ?6, last_ts = ?7,
            size = ?8
        WHERE id = ?1)SQL");
    st.bind(1, fileId);
    st.bindText(2, report.sha256);
    st.bind(3, report.records);
    st.bind(4, report.inserted);
    st.bind(5, report.quarantined);
    st.bindOptional(6, report.firstTs);
    st.bindOptional(7, report.lastTs);
    st.bind(8, report.size); // a stream's size is known once it is read
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
