#include "BadCaseFiles.h"

#include "TestSupport.h"

#include "case/CaseTables.h"
#include "core/CaseSchema.h"
#include "detect/DetectionSchema.h"
#include "core/Sqlite.h"
#include "ingest/ImportTypes.h"

#include <QFile>
#include <QRandomGenerator>

namespace ds::hardening {

QString writeSmallLog(const ds::test::ScratchDir& dir)
{
    QByteArray log;
    for (int i = 0; i < 50; ++i)
        log += ds::test::requestJson(QStringLiteral("r%1").arg(i), QStringLiteral("a%1").arg(i % 5), 1714564800000 + i * 1000)
               + '\n';
    return dir.write(QStringLiteral("log.jsonl"), log);
}

QStringList writeBadCaseFiles(const ds::test::ScratchDir& dir, const QString& requestLog)
{
    QRandomGenerator rng(7);
    QByteArray junk(64 * 1024, Qt::Uninitialized);
    for (char& c : junk)
        c = static_cast<char>(rng.bounded(256));
    dir.write(QStringLiteral("junk.bin"), junk);
    dir.write(QStringLiteral("text.sqlite"), "request_id,account_id\nr1,a1\n");
    dir.write(QStringLiteral("header-only.sqlite"), QByteArray("SQLite format 3\0", 16) + junk.left(4000));
    {
        SqliteDb other(dir.file(QStringLiteral("other-app.sqlite")), SqliteDb::Mode::ReadWriteCreate);
        other.exec("PRAGMA application_id=1179601230; CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT);"
                   "INSERT INTO notes(body) VALUES ('mine');");
    }
    // Real cases, then made newer, truncated or damaged.
    const QString good = dir.file(QStringLiteral("good-source.sqlite"));
    if (!ds::test::importInto(good, {requestLog}).anyImported())
        qFatal("cannot build the source case");
    for (const char* name : {"newer.sqlite", "truncated.sqlite", "damaged.sqlite", "trigger.sqlite", "view.sqlite", "audit-trigger.sqlite"})
        if (!QFile::copy(good, dir.file(QString::fromLatin1(name))))
            qFatal("cannot copy the source case");
    {
        SqliteDb newer(dir.file(QStringLiteral("newer.sqlite")), SqliteDb::Mode::ReadWrite);
        newer.exec(("PRAGMA user_version=" + std::to_string(schema::kSchemaVersion + 1)).c_str());
    }
    // Planted objects: a trigger that would unflag accounts inside `detect`, a view that never ends, and the audit log's
    // own trigger name with a body that no longer keeps the log append-only.
    {
        SqliteDb t(dir.file(QStringLiteral("trigger.sqlite")), SqliteDb::Mode::ReadWrite);
        ensureDetectionSchema(t);
        t.exec("CREATE TRIGGER flip AFTER INSERT ON account_result BEGIN DELETE FROM account_result WHERE rowid = new.rowid; END;");
    }
    {
        SqliteDb v(dir.file(QStringLiteral("view.sqlite")), SqliteDb::Mode::ReadWrite);
        v.exec("CREATE VIEW endless AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c;");
    }
    {
        SqliteDb a(dir.file(QStringLiteral("audit-trigger.sqlite")), SqliteDb::Mode::ReadWrite);
        ensureCaseTables(a);
        a.exec("DROP TRIGGER audit_log_no_delete;"
               "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT 1; END;");
    }
    QFile f(good);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read the source case");
    const QByteArray goodBytes = f.readAll();
    // The page size is at offset 16 of the header (big-endian; 1 means 65536).
    const int pageField = (static_cast<unsigned char>(goodBytes.at(16)) << 8) | static_cast<unsigned char>(goodBytes.at(17));
    const qsizetype pageSize = pageField == 1 ? 65536 : pageField;
    if (goodBytes.size() <= 8 * pageSize)
        qFatal("the source case is too small to damage");
    dir.write(QStringLiteral("truncated.sqlite"), goodBytes.left(goodBytes.size() / 2 + 100));
    QByteArray damaged = goodBytes;
    // Keep the header page; overwrite the b-tree pages after it.
    for (qsizetype i = pageSize; i < damaged.size(); i += 3)
        damaged[i] = static_cast<char>(rng.bounded(256));
    dir.write(QStringLiteral("damaged.sqlite"), damaged);
    QFile::remove(good);
    return {QStringLiteral("junk.bin"),        QStringLiteral("text.sqlite"),      QStringLiteral("header-only.sqlite"),
            QStringLiteral("other-app.sqlite"), QStringLiteral("newer.sqlite"),    QStringLiteral("truncated.sqlite"),
            QStringLiteral("damaged.sqlite"),   QStringLiteral("trigger.sqlite"),  QStringLiteral("view.sqlite"),
            QStringLiteral("audit-trigger.sqlite")};
}

} // namespace ds::hardening
