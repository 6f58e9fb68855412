#include "detect/DetectionSchema.h"

#include "core/CaseDatabase.h"

namespace ds {

namespace schema {

const char* const kDetectTables = R"SQL(
-- One row per detection run; results of older runs stay until deleted.
CREATE TABLE IF NOT EXISTS detection_run(
    id INTEGER PRIMARY KEY,
    started_at INTEGER NOT NULL,      -- epoch ms
    finished_at INTEGER,
    status TEXT NOT NULL,             -- 'running', 'done', 'cancelled', 'failed'
    message TEXT,
    settings_json TEXT NOT NULL,      -- every setting used, defaults included
    accounts INTEGER, requests INTEGER,
    flagged_accounts INTEGER, flagged_clusters INTEGER, communities INTEGER,
    stage_seconds_json TEXT           -- {"scan": s, ...}
);

-- Population baseline of each indicator in a run.
CREATE TABLE IF NOT EXISTS indicator_baseline(
    run INTEGER NOT NULL, indicator INTEGER NOT NULL, key TEXT NOT NULL, label TEXT NOT NULL, description TEXT NOT NULL,
    accounts INTEGER NOT NULL, mean REAL, p50 REAL, p90 REAL, p99 REAL,
    PRIMARY KEY(run, indicator)) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS account_result(
    run INTEGER NOT NULL, account INTEGER NOT NULL,   -- account.id
    score REAL NOT NULL, behaviour REAL NOT NULL,
    flagged INTEGER NOT NULL, solo INTEGER NOT NULL,
    cluster INTEGER,                 -- cluster.id of the flagged network, NULL if none
    community INTEGER NOT NULL,      -- raw community of the account graph
    requests INTEGER NOT NULL, output_tokens INTEGER NOT NULL, first_ts INTEGER, last_ts INTEGER,
    PRIMARY KEY(run, account)) WITHOUT ROWID;

-- Every indicator of every active account, with its percentile in the population (NULL: unknown).
CREATE TABLE IF NOT EXISTS account_indicator(
    run INTEGER NOT NULL, account INTEGER NOT NULL, indicator INTEGER NOT NULL,
    value REAL, percentile REAL,
    PRIMARY KEY(run, account, indicator)) WITHOUT ROWID;

-- Flagged networks.
CREATE TABLE IF NOT EXISTS cluster(
    run INTEGER NOT NULL, id INTEGER NOT NULL, label TEXT NOT NULL, score REAL NOT NULL,
    accounts INTEGER NOT NULL, requests INTEGER NOT NULL, output_tokens INTEGER NOT NULL,
    first_ts INTEGER, last_ts INTEGER,
    template_cohesion REAL, lockstep REAL, infra_cohesion REAL, mean_behaviour REAL,
    PRIMARY KEY(run, id)) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS cluster_member(
    run INTEGER NOT NULL, cluster INTEGER NOT NULL, account INTEGER NOT NULL,
    PRIMARY KEY(run, cluster, account)) WITHOUT ROWID;

-- Why a cluster or an account was flagged, most important first.
CREATE TABLE IF NOT EXISTS reason(
    run INTEGER NOT NULL, subject_kind TEXT NOT NULL,  -- 'cluster' or 'account'
    subject INTEGER NOT NULL,                          -- cluster.id or account.id
    rank INTEGER NOT NULL, key TEXT NOT NULL, weight REAL NOT NULL,
    text TEXT NOT NULL, evidence_json TEXT NOT NULL,
    PRIMARY KEY(run, subject_kind, subject, rank)) WITHOUT ROWID;

-- Which kinds of evidence the logs carried (detect/EvidenceCoverage.h): of `accounts` accounts with requests, `known`
-- had the kind (client_ip, user_agent, api_key, email_domain, payment, sign_up).
CREATE TABLE IF NOT EXISTS evidence_coverage(
    run INTEGER NOT NULL, kind TEXT NOT NULL, accounts INTEGER NOT NULL, known INTEGER NOT NULL,
    PRIMARY KEY(run, kind)) WITHOUT ROWID;

-- Strongest links inside each flagged network, for the link view.
CREATE TABLE IF NOT EXISTS link(
    run INTEGER NOT NULL, cluster INTEGER NOT NULL, a INTEGER NOT NULL, b INTEGER NOT NULL,
    weight REAL NOT NULL, kinds TEXT NOT NULL,        -- comma-separated: payment,email_domain,user_agent,ip,network,template,co_created,handoff,task
    PRIMARY KEY(run, cluster, a, b)) WITHOUT ROWID;
)SQL";

} // namespace schema

void ensureDetectionSchema(SqliteDb& db)
{
    db.exec(schema::kDetectTables);
    CaseDatabase::setMeta(db, "detect_schema", QString::number(schema::kDetectSchemaVersion));
}

} // namespace ds
