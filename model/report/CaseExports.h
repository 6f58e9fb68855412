#pragma once

#include "case/CaseFindings.h"
#include "report/ExportFiles.h"

#include <QJsonObject>

namespace ds {

class CancelToken;
class SqliteDb;

// The machine-readable exports for enforcement tooling. Each reads the case
// through the caller's connection (case tables must exist) and writes one file
// atomically. Caller's thread; long ones take a CancelToken and throw Cancelled.
namespace exports {

// account_id, network, network_score, account_score, review_state, requests, output_tokens,
// first_seen, last_seen, email_domain, payment_fingerprint, billing_country, created_at: one row per confirmed account.
ExportedFile writeConfirmedAccountsCsv(SqliteDb& db, const CaseFindings& findings, const QString& path);

// request_id, account_id, network, timestamp, source_sha256, line: every request of every confirmed
// account (millions at campaign scale, which is why the report names this file instead of listing them).
ExportedFile writeRequestIdsCsv(SqliteDb& db, const CaseFindings& findings, const QString& path, const CancelToken& cancel);

// The whole case as one JSON object: notes, sources, detection runs, flagged networks with their
// review states and reasons, confirmed accounts, pins (drawings as base64), audit log.
QJsonObject caseJson(SqliteDb& db, const CaseFindings& findings);
ExportedFile writeCaseJson(SqliteDb& db, const CaseFindings& findings, const QString& path);

// The confirmed networks' indicators as a STIX 2.1 bundle (report/StixBundle.h); scans the requests once.
ExportedFile writeStixBundle(SqliteDb& db, const CaseFindings& findings, const QString& path, const CancelToken& cancel);

// Appends an "export" entry for `file` to the audit log (kind: "confirmed accounts CSV", ...).
void auditExport(SqliteDb& db, const QString& kind, const ExportedFile& file);

} // namespace exports
} // namespace ds
