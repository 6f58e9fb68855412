#include "case/CaseTables.h"

#include "core/CaseDatabase.h"

#include <QDateTime>

namespace ds {

namespace schema {

const char* const kCaseTables = R"SQL(
-- Case notes: title, case_id, analyst, summary, free_text (see case/CaseNotes.h).
CREATE TABLE IF NOT EXISTS case_note(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

-- Review state of a flagged network. Clusters are numbered per detection run,
-- so the run is part of the key. No row = unreviewed.
CREATE TABLE IF NOT EXISTS cluster_review(
    run INTEGER NOT NULL, cluster INTEGER NOT NULL,
    state INTEGER NOT NULL,          -- ReviewState (case/ReviewState.h)
    updated_at INTEGER NOT NULL,     -- epoch ms
    PRIMARY KEY(run, cluster)) WITHOUT ROWID;

-- Review state of an account (account.id, stable across runs). No row = unreviewed.
CREATE TABLE IF NOT EXISTS account_review(
    account INTEGER PRIMARY KEY REFERENCES account(id),
    state INTEGER NOT NULL,
    updated_at INTEGER NOT NULL);

-- What a re-run of detection did with each network verdict of the run before (case/ReviewCarry.h), so the
-- new run's networks can show the verdict they came from. cluster 0: no new network holds any of its accounts.
CREATE TABLE IF NOT EXISTS review_carry(
    run INTEGER NOT NULL,            -- the new run
    from_run INTEGER NOT NULL, from_cluster INTEGER NOT NULL,
    old_state INTEGER NOT NULL,      -- ReviewState
    cluster INTEGER NOT NULL,        -- the new network given a verdict, 0 when none
    new_state INTEGER NOT NULL,
    accounts INTEGER NOT NULL,       -- the old network's accounts
    in_cluster INTEGER NOT NULL,     -- of them, in the new network
    sentence TEXT NOT NULL,          -- what was carried, in words
    PRIMARY KEY(run, from_cluster)) WITHOUT ROWID;

-- Evidence pinned by the analyst. payload is JSON whose shape depends on kind
-- (case/PinnedItem.h); charts carry a vector drawing (QPicture and/or SVG) and a PNG thumbnail.
CREATE TABLE IF NOT EXISTS pin(
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,              -- chart, requests, template, shared_value, indicator_table
    title TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    run INTEGER, cluster INTEGER,    -- the network it belongs to, if any
    account INTEGER,                 -- the account it belongs to, if any
    payload TEXT NOT NULL,
    picture BLOB, svg BLOB, thumbnail BLOB,
    created_at INTEGER NOT NULL);

-- Every analyst action and analysis run. Append-only: the triggers below refuse
-- UPDATE and DELETE, so the log a report prints cannot be edited afterwards.
CREATE TABLE IF NOT EXISTS audit_log(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,             -- epoch ms when the action happened
    recorded_at INTEGER NOT NULL,    -- epoch ms when it was written here
    user TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    details TEXT NOT NULL);          -- JSON object (settings, old and new values)
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
)SQL";

} // namespace schema

void ensureCaseTables(SqliteDb& db)
{
    db.exec(schema::kCaseTables);
    if (CaseDatabase::meta(db, "case_schema") != QString::number(schema::kCaseSchemaVersion))
        CaseDatabase::setMeta(db, "case_schema", QString::number(schema::kCaseSchemaVersion));
    if (CaseDatabase::meta(db, "case_created_at").isEmpty()) {
        // The case began with its first import; the tables may be created later.
        const std::int64_t firstImport = db.queryInt("SELECT min(imported_at) FROM source_file", 0);
        const std::int64_t created = firstImport ? firstImport : QDateTime::currentMSecsSinceEpoch();
        CaseDatabase::setMeta(db, "case_created_at", QString::number(created));
    }
}

} // namespace ds
