#include "core/CaseSchema.h"

namespace ds::schema {

const char* const kCoreTables = R"SQL(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

-- One row per file whose import committed; a file is imported all or nothing.
CREATE TABLE IF NOT EXISTS source_file(
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    kind TEXT NOT NULL,          -- 'requests' or 'accounts'
    format TEXT NOT NULL,        -- 'jsonl' or 'csv'
    compression TEXT NOT NULL,   -- 'gzip' or 'none'
    mapping TEXT,                -- the field mapping used, as JSON, or NULL
    records INTEGER NOT NULL,    -- records read without error
    inserted INTEGER NOT NULL,   -- of those, new to the case (the rest were already there)
    quarantined INTEGER NOT NULL,
    first_ts INTEGER,            -- epoch ms of the earliest and latest record
    last_ts INTEGER,
    imported_at INTEGER NOT NULL -- epoch ms
);

CREATE TABLE IF NOT EXISTS ip(id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS user_agent(id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS model(id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS api_key(id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS org(id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS endpoint(id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS system_prompt(id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS stop_reason(id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS email_domain(id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS payment_fingerprint(id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);

-- Every account seen, in a request or in an accounts file. The columns after
-- account_id come from accounts files and stay NULL when none was imported.
CREATE TABLE IF NOT EXISTS account(
    id INTEGER PRIMARY KEY,
    account_id TEXT NOT NULL UNIQUE,
    created_at INTEGER,
    email_domain INTEGER REFERENCES email_domain(id),
    payment_fingerprint INTEGER REFERENCES payment_fingerprint(id),
    billing_country TEXT,
    org INTEGER REFERENCES org(id),
    tier TEXT,
    verified INTEGER,
    extra TEXT                  -- fields the format does not know, as a JSON object
);

-- Requests, narrow: only integers, so detection streams them fast. The text
-- of each request lives in request_text under the same id.
CREATE TABLE IF NOT EXISTS request(
    id INTEGER PRIMARY KEY,
    rid_hash INTEGER NOT NULL,  -- xxh3-64 of request_id: the dedupe key
    ts INTEGER NOT NULL,        -- epoch ms, UTC
    account INTEGER NOT NULL REFERENCES account(id),
    org INTEGER, api_key INTEGER, ip INTEGER, user_agent INTEGER, model INTEGER,
    endpoint INTEGER, system_prompt INTEGER, stop_reason INTEGER,
    tool_count INTEGER,
    prompt_tokens INTEGER, completion_tokens INTEGER, max_tokens INTEGER,
    latency_ms INTEGER, status INTEGER,
    prompt_bytes INTEGER NOT NULL, -- UTF-8 length of system prompt + prompt
    skeleton_hash INTEGER NOT NULL, -- PromptFeatures (model/text), computed at import
    head_hash INTEGER NOT NULL,  -- template head key (first paragraph, first words)
    tail_hash INTEGER NOT NULL DEFAULT 0, -- template tail key (last paragraph, last words)
    simhash INTEGER NOT NULL,
    prompt_flags INTEGER NOT NULL,
    category INTEGER NOT NULL,
    source_file INTEGER NOT NULL REFERENCES source_file(id),
    line INTEGER NOT NULL,
    task_hash INTEGER NOT NULL DEFAULT 0, -- the task with its wrapper stripped (text/TaskFingerprint), 0: none
    harvest INTEGER NOT NULL DEFAULT 0    -- request-level harvest score of text/HarvestModel, 0..1000
);

-- prompt, tools and extra are TEXT or a packed BLOB (zstd, core/TextCodec.h):
-- read them through ds_text(), never as they are.
CREATE TABLE IF NOT EXISTS request_text(
    id INTEGER PRIMARY KEY,     -- same as request.id
    request_id TEXT NOT NULL,
    prompt TEXT,
    tools TEXT,                 -- the tools field as given (JSON array or number)
    extra TEXT                  -- fields the format does not know, as a JSON object
);

-- The zstd dictionaries packed request text names by id, each trained on the
-- first text of the import that stored it.
CREATE TABLE IF NOT EXISTS text_dictionary(
    id INTEGER PRIMARY KEY,
    data BLOB NOT NULL,
    source_file INTEGER NOT NULL, -- the import that trained it
    sample_bytes INTEGER NOT NULL -- how much text it was trained on
);

CREATE TABLE IF NOT EXISTS quarantine(
    id INTEGER PRIMARY KEY,
    source_file INTEGER NOT NULL REFERENCES source_file(id),
    line INTEGER NOT NULL,
    reason TEXT NOT NULL,
    raw BLOB NOT NULL
);
)SQL";

const char* const kCoreIndexes = R"SQL(
CREATE INDEX IF NOT EXISTS request_account_ts ON request(account, ts);
CREATE INDEX IF NOT EXISTS request_ts ON request(ts);
CREATE INDEX IF NOT EXISTS quarantine_file ON quarantine(source_file, line);
)SQL";

const char* const kRequestIdIndex = "CREATE INDEX IF NOT EXISTS request_rid ON request(rid_hash)";

const char* dictTable(Dict d)
{
    switch (d) {
    case Dict::Ip: return "ip";
    case Dict::UserAgent: return "user_agent";
    case Dict::Model: return "model";
    case Dict::ApiKey: return "api_key";
    case Dict::Org: return "org";
    case Dict::Endpoint: return "endpoint";
    case Dict::SystemPrompt: return "system_prompt";
    case Dict::StopReason: return "stop_reason";
    case Dict::EmailDomain: return "email_domain";
    case Dict::PaymentFingerprint: return "payment_fingerprint";
    }
    return "";
}

} // namespace ds::schema
