#include "ingest/RequestConflicts.h"

#include "core/Timestamp.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace ds {

namespace {

const char* const kSchema = R"SQL(
-- Copies of a request_id whose content differs from the copy the case keeps
-- (ingest/RequestConflicts.h): evidence, never dropped.
CREATE TABLE IF NOT EXISTS request_conflict(
    id INTEGER PRIMARY KEY,
    request_id TEXT NOT NULL,
    kept_request INTEGER NOT NULL REFERENCES request(id), -- the copy the case keeps (read first)
    source_file INTEGER NOT NULL REFERENCES source_file(id), -- where the differing copy was read
    line INTEGER NOT NULL,
    differs TEXT NOT NULL, -- canonical names of the fields that differ, comma-separated
    copy TEXT NOT NULL     -- the differing copy's fields as a JSON object
);
CREATE INDEX IF NOT EXISTS request_conflict_file ON request_conflict(source_file, line);
)SQL";

// Canonical field names of RequestContent's members, and where an interned value's text lives.
struct RefField
{
    const char* name;
    const char* lookup;
};
constexpr RefField kRefFields[RequestContent::kRefCount] = {
    {"account_id", "SELECT account_id FROM account WHERE id = ?1"},
    {"org_id", "SELECT value FROM org WHERE id = ?1"},
    {"api_key_id", "SELECT value FROM api_key WHERE id = ?1"},
    {"ip", "SELECT value FROM ip WHERE id = ?1"},
    {"user_agent", "SELECT value FROM user_agent WHERE id = ?1"},
    {"model", "SELECT value FROM model WHERE id = ?1"},
    {"endpoint", "SELECT value FROM endpoint WHERE id = ?1"},
    {"system_prompt", "SELECT value FROM system_prompt WHERE id = ?1"},
    {"stop_reason", "SELECT value FROM stop_reason WHERE id = ?1"},
};
constexpr int kAccountField = 0; // kRefFields' account_id
constexpr const char* kNumberFields[RequestContent::kNumberCount] = {"prompt_tokens", "completion_tokens", "max_tokens",
                                                                     "latency_ms", "status"};
constexpr const char* kTextFields[RequestContent::kTextCount] = {"prompt", "tools", "extra"};

QString fromUtf8(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

} // namespace

void conflicts::ensureSchema(SqliteDb& db) { db.exec(kSchema); }

bool conflicts::hasTable(SqliteDb& db)
{
    return db.queryInt("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'request_conflict'") > 0;
}

ConflictRecorder::ConflictRecorder(SqliteDb& db)
    : m_db(db)
{
}

RequestContent ConflictRecorder::stored(std::int64_t id)
{
    if (!m_readRow.handle())
        m_readRow = SqliteStatement(m_db, R"SQL(
            SELECT r.ts, r.account, r.org, r.api_key, r.ip, r.user_agent, r.model, r.endpoint, r.system_prompt,
                   r.stop_reason, r.prompt_tokens, r.completion_tokens, r.max_tokens, r.latency_ms, r.status,
                   ds_text(t.prompt), ds_text(t.tools), ds_text(t.extra)
            FROM request r JOIN request_text t ON t.id = r.id WHERE r.id = ?1)SQL");
    RequestContent c;
    m_readRow.bind(1, id);
    if (m_readRow.step()) {
        c.ts = m_readRow.columnInt(0);
        int col = 1;
        for (std::int64_t& ref : c.refs) {
            ref = m_readRow.isNull(col) ? 0 : m_readRow.columnInt(col);
            ++col;
        }
        for (std::int64_t& n : c.numbers) {
            n = m_readRow.isNull(col) ? kNoInt : m_readRow.columnInt(col);
            ++col;
        }
        for (std::string& t : c.texts)
            t = std::string(m_readRow.columnView(col++));
    }
    m_readRow.reset();
    return c;
}

RequestContent ConflictRecorder::fromBatch(const RecordBatch& batch, const ParsedRequest& r)
{
    RequestContent c;
    c.ts = r.ts;
    c.refs = {r.accountRef, r.orgRef, r.apiKeyRef, r.ipRef, r.userAgentRef, r.modelRef, r.endpointRef, r.systemPromptRef, r.stopReasonRef};
    c.numbers = {r.promptTokens, r.completionTokens, r.maxTokens, r.latencyMs, r.status};
    c.texts = {std::string(batch.view(r.prompt)), std::string(batch.view(r.tools)), std::string(batch.view(r.extra))};
    return c;
}

QStringList ConflictRecorder::differences(const RequestContent& kept, const RequestContent& copy)
{
    QStringList out;
    if (kept.ts != copy.ts)
        out << QStringLiteral("timestamp");
    for (int i = 0; i < RequestContent::kRefCount; ++i)
        if (kept.refs[static_cast<std::size_t>(i)] != copy.refs[static_cast<std::size_t>(i)])
            out << QString::fromLatin1(kRefFields[i].name);
    for (int i = 0; i < RequestContent::kNumberCount; ++i)
        if (kept.numbers[static_cast<std::size_t>(i)] != copy.numbers[static_cast<std::size_t>(i)])
            out << QString::fromLatin1(kNumberFields[i]);
    for (int i = 0; i < RequestContent::kTextCount; ++i)
        if (kept.texts[static_cast<std::size_t>(i)] != copy.texts[static_cast<std::size_t>(i)])
            out << QString::fromLatin1(kTextFields[i]);
    return out;
}

QByteArray ConflictRecorder::toJson(std::string_view requestId, const RequestContent& copy)
{
    QJsonObject o{{QStringLiteral("request_id"), fromUtf8(requestId)}, {QStringLiteral("timestamp"), timestamp::toIso(copy.ts)}};
    for (int i = 0; i < RequestContent::kRefCount; ++i) {
        const std::int64_t id = copy.refs[static_cast<std::size_t>(i)];
        if (id == 0)
            continue;
        if (i == kAccountField && m_unwrittenAccounts) {
            if (const auto it = m_unwrittenAccounts->find(id); it != m_unwrittenAccounts->end()) {
                o.insert(QString::fromLatin1(kRefFields[i].name), fromUtf8(it->second));
                continue;
            }
        }
        SqliteStatement& st = m_refValue[static_cast<std::size_t>(i)];
        if (!st.handle())
            st = SqliteStatement(m_db, kRefFields[i].lookup);
        st.bind(1, id);
        if (st.step())
            o.insert(QString::fromLatin1(kRefFields[i].name), fromUtf8(st.columnView(0)));
        st.reset();
    }
    for (int i = 0; i < RequestContent::kNumberCount; ++i)
        if (const std::int64_t n = copy.numbers[static_cast<std::size_t>(i)]; n != kNoInt)
            o.insert(QString::fromLatin1(kNumberFields[i]), static_cast<qint64>(n));
    for (int i = 0; i < RequestContent::kTextCount; ++i) {
        const std::string& t = copy.texts[static_cast<std::size_t>(i)];
        if (t.empty())
            continue;
        o.insert(QString::fromLatin1(kTextFields[i]), fromUtf8(t)); // tools and extra as given, like the stored text
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void ConflictRecorder::record(std::int64_t keptRow, std::string_view requestId, std::int64_t fileId, std::int64_t line,
                              const QStringList& differs, const RequestContent& copy)
{
    if (!m_insert.handle())
        m_insert = SqliteStatement(
            m_db, "INSERT INTO request_conflict(request_id, kept_request, source_file, line, differs, copy) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    const QByteArray json = toJson(requestId, copy);
    m_insert.bindText(1, requestId);
    m_insert.bind(2, keptRow);
    m_insert.bind(3, fileId);
    m_insert.bind(4, line);
    m_insert.bindText(5, differs.join(QStringLiteral(", ")));
    m_insert.bindText(6, std::string_view(json.constData(), static_cast<std::size_t>(json.size())));
    m_insert.run();
}

} // namespace ds
