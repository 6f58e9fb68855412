#pragma once

#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <vector>

namespace ds {

class SqliteDb;

// One line of the append-only audit log. Plain value: any thread.
struct AuditEntry
{
    std::int64_t id = 0;
    std::int64_t at = 0;         // when it happened (epoch ms)
    std::int64_t recordedAt = 0; // when it was written
    QString user, action, subject;
    QJsonObject details;
};

// Appends to and reads the audit log (table audit_log; UPDATE and DELETE are
// refused by triggers). Functions take the caller's connection: use them on the
// thread that owns it, inside the caller's transaction when there is one.
namespace audit {

// The operating-system user running Distillscope (the audit log's "user").
QString currentUser();

// Who an entry is recorded for: the analyst named in the case notes with the system user
// ("A. Analyst (system user root)"), or the system user alone when no analyst is named.
QString actor(SqliteDb& db);

// Appends one entry for actor(db); `at` = 0 means now. Returns its id.
std::int64_t append(SqliteDb& db, const QString& action, const QString& subject, const QJsonObject& details,
                    std::int64_t at = 0);

// The whole log, oldest first (by id, i.e. recording order).
std::vector<AuditEntry> entries(SqliteDb& db);
std::int64_t count(SqliteDb& db);

// Analysis runs happen in the importer and the detector, which know nothing of
// the case layer (and the CLI runs them without an editor). This records every
// imported file and every detection run not yet in the log, with the settings
// and outcome they stored, at the time they happened. Returns how many entries
// were added. Idempotent.
int syncAnalysisRuns(SqliteDb& db);

} // namespace audit
} // namespace ds
