#include "case/AuditLog.h"

#include "core/Sqlite.h"
#include "core/TableExists.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSet>

#include <pwd.h>
#include <unistd.h>

namespace ds::audit {

QString currentUser()
{
    // The password database first: $USER can be unset (services, containers) or spoofed casually.
    if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_name && *pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    const QString env = qEnvironmentVariable("USER");
    return env.isEmpty() ? QStringLiteral("uid %1").arg(getuid()) : env;
}

QString actor(SqliteDb& db)
{
    // The analyst named in the case notes is who the report's reader knows; the system account stays
    // beside it, since the name is typed by hand and the account is what the machine vouches for.
    QString analyst;
    {
        SqliteStatement exists(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'case_note'");
        if (exists.step()) {
            SqliteStatement st(db, "SELECT value FROM case_note WHERE key = 'analyst'");
            if (st.step())
                analyst = st.columnText(0).simplified();
        }
    }
    const QString system = currentUser();
    if (analyst.isEmpty() || analyst == system)
        return system;
    return QStringLiteral("%1 (system user %2)").arg(analyst, system);
}

std::int64_t append(SqliteDb& db, const QString& action, const QString& subject, const QJsonObject& details,
                    std::int64_t at)
{
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
    SqliteStatement st(db, "INSERT INTO audit_log(at, recorded_at, user, action, subject, details) VALUES(?1,?2,?3,?4,?5,?6)");
    st.bind(1, at ? at : now);
    st.bind(2, now);
    st.bindText(3, actor(db));
    st.bindText(4, action);
    st.bindText(5, subject);
    st.bindText(6, QString::fromUtf8(QJsonDocument(details).toJson(QJsonDocument::Compact)));
    st.run();
    return db.lastInsertRowId();
}

std::vector<AuditEntry> entries(SqliteDb& db)
{
    SqliteStatement st(db, "SELECT id, at, recorded_at, user, action, subject, details FROM audit_log ORDER BY id");
    std::vector<AuditEntry> out;
    while (st.step()) {
        AuditEntry e;
        e.id = st.columnInt(0);
        e.at = st.columnInt(1);
        e.recordedAt = st.columnInt(2);
        e.user = st.columnText(3);
        e.action = st.columnText(4);
        e.subject = st.columnText(5);
        e.details = QJsonDocument::fromJson(st.columnText(6).toUtf8()).object();
        out.push_back(std::move(e));
    }
    return out;
}

std::int64_t count(SqliteDb& db) { return db.queryInt("SELECT count(*) FROM audit_log"); }

namespace {

QSet<QString> auditedSubjects(SqliteDb& db, const char* action)
{
    SqliteStatement st(db, "SELECT subject FROM audit_log WHERE action = ?1");
    st.bindText(1, action);
    QSet<QString> out;
    while (st.step())
        out.insert(st.columnText(0));
    return out;
}

} // namespace

int syncAnalysisRuns(SqliteDb& db)
{
    int added = 0;
    const QSet<QString> imports = auditedSubjects(db, "import");
    SqliteStatement files(db, "SELECT id, path, sha256, kind, format, mapping, records, inserted, quarantined, imported_at "
                              "FROM source_file ORDER BY id");
    while (files.step()) {
        const QString subject = QStringLiteral("source file %1").arg(files.columnInt(0));
        if (imports.contains(subject))
            continue;
        QJsonObject d{{QStringLiteral("path"), files.columnText(1)},
                      {QStringLiteral("sha256"), files.columnText(2)},
                      {QStringLiteral("kind"), files.columnText(3)},
                      {QStringLiteral("format"), files.columnText(4)},
                      {QStringLiteral("records"), qint64(files.columnInt(6))},
                      {QStringLiteral("inserted"), qint64(files.columnInt(7))},
                      {QStringLiteral("quarantined"), qint64(files.columnInt(8))}};
        if (!files.isNull(5))
            d.insert(QStringLiteral("mapping"), QJsonDocument::fromJson(files.columnText(5).toUtf8()).object());
        append(db, QStringLiteral("import"), subject, d, files.columnInt(9));
        ++added;
    }
    if (!tableExists(db, "detection_run"))
        return added;
    // A run is audited once it has ended; a running one is picked up by a later sync.
    const QSet<QString> runs = auditedSubjects(db, "detection run");
    SqliteStatement st(db, "SELECT id, started_at, finished_at, status, message, settings_json, accounts, requests, "
                           "flagged_accounts, flagged_clusters FROM detection_run WHERE status != 'running' ORDER BY id");
    while (st.step()) {
        const QString subject = QStringLiteral("detection run %1").arg(st.columnInt(0));
        if (runs.contains(subject))
            continue;
        QJsonObject d{{QStringLiteral("status"), st.columnText(3)},
                      {QStringLiteral("started_at"), qint64(st.columnInt(1))},
                      {QStringLiteral("settings"), QJsonDocument::fromJson(st.columnText(5).toUtf8()).object()}};
        if (!st.isNull(2))
            d.insert(QStringLiteral("finished_at"), qint64(st.columnInt(2)));
        if (!st.isNull(4))
            d.insert(QStringLiteral("message"), st.columnText(4));
        if (!st.isNull(6)) {
            d.insert(QStringLiteral("accounts"), qint64(st.columnInt(6)));
            d.insert(QStringLiteral("requests"), qint64(st.columnInt(7)));
            d.insert(QStringLiteral("flagged_accounts"), qint64(st.columnInt(8)));
            d.insert(QStringLiteral("flagged_clusters"), qint64(st.columnInt(9)));
        }
        append(db, QStringLiteral("detection run"), subject, d, st.columnInt(1));
        ++added;
    }
    return added;
}

} // namespace ds::audit
