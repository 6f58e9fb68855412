#include "core/CaseDatabase.h"

#include "core/CaseSchema.h"
#include "core/KnownSchema.h"
#include "core/Logging.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>

#include <sqlite3.h>

namespace ds {

namespace {

// The first 16 bytes of every SQLite 3 file.
constexpr char kSqliteMagic[] = "SQLite format 3";

// Validates an open connection's identity without writing anything.
void checkIdentity(SqliteDb& db, const QString& path)
{
    std::int64_t appId = 0, version = 0;
    try {
        appId = db.queryInt("PRAGMA application_id");
        version = db.queryInt("PRAGMA user_version");
    } catch (const DatabaseError& e) {
        throw CaseOpenError(QStringLiteral("%1 is damaged and cannot be read (%2).").arg(path, QString::fromUtf8(e.what())));
    }
    if (appId != schema::kApplicationId)
        throw CaseOpenError(QStringLiteral("%1 is an SQLite database but not a Distillscope case.").arg(path));
    if (version > schema::kSchemaVersion)
        throw CaseOpenError(QStringLiteral("%1 was written by a newer Distillscope (case format %2; this version reads "
                                           "up to %3). Open it with a newer version.")
                                .arg(path)
                                .arg(version)
                                .arg(schema::kSchemaVersion));
    // quick_check reads every page: about 14 s for a 600 MB case on a cold cache,
    // minutes at campaign scale, on every open. So small files are checked whole
    // and large ones structurally (schema and the case's small tables); damage in
    // the big request tables surfaces as SQLITE_CORRUPT when those pages are read
    // or written, and SQLite refuses to write through a corrupt page.
    constexpr qint64 kFullCheckBytes = 64 << 20;
    const bool full = QFileInfo(path).size() <= kFullCheckBytes;
    const bool ok = [&] {
        auto passes = [&](const char* sql) {
            SqliteStatement st(db, sql);
            return st.step() && st.columnView(0) == "ok";
        };
        try {
            if (full)
                return passes("PRAGMA quick_check(1)");
            return db.queryInt("SELECT count(*) FROM sqlite_schema") > 0 && passes("PRAGMA quick_check(meta)")
                   && passes("PRAGMA quick_check(source_file)") && passes("PRAGMA quick_check(account)");
        } catch (const DatabaseError&) {
            return false;
        }
    }();
    if (!ok)
        throw CaseOpenError(QStringLiteral("%1 is a damaged Distillscope case (integrity check failed).").arg(path));
}

// A case may hold only what Distillscope creates (core/KnownSchema.h): a planted trigger or view would run inside
// our own statements. Refused before any of them runs; `repair` copies the data into a clean case.
void checkKnownObjects(SqliteDb& db, const QString& path)
{
    QStringList unknown;
    try {
        unknown = knownschema::unknownObjects(db);
    } catch (const DatabaseError& e) {
        throw CaseOpenError(QStringLiteral("%1 is damaged and cannot be read (%2).").arg(path, QString::fromUtf8(e.what())));
    }
    if (unknown.isEmpty())
        return;
    const qsizetype shown = std::min<qsizetype>(unknown.size(), 3);
    QString list = unknown.mid(0, shown).join(QStringLiteral(", "));
    if (unknown.size() > shown)
        list += QStringLiteral(" and %1 more").arg(unknown.size() - shown);
    throw CaseOpenError(QStringLiteral("%1 holds database objects Distillscope does not create (%2), so it was refused: "
                                       "a case file may have been altered. To keep its data, make a clean copy with "
                                       "\"distillscope-cli repair --db CASE --out CLEAN\".")
                            .arg(path, list));
}

void checkHeader(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw CaseOpenError(QStringLiteral("Cannot open %1: %2").arg(path, f.errorString()));
    const QByteArray head = f.read(16);
    if (head.size() < 16 || !head.startsWith(QByteArray(kSqliteMagic)))
        throw CaseOpenError(QStringLiteral("%1 is not a Distillscope case (not an SQLite database).").arg(path));
}

// A writer killed inside a transaction (SIGKILL, power cut) leaves a hot rollback
// journal, which only a read-write connection may roll back: a read-only open
// would report the case as unreadable until some writer came along. Roll it back
// here, but only for a file whose header says it is a case (application_id at
// byte 68), so no other program's database is ever touched. If this fails (no
// write permission, another process busy writing) the read-only open reports it.
void recoverHotJournal(const QString& path)
{
    if (QFileInfo(path + QStringLiteral("-journal")).size() <= 0)
        return;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return;
    const QByteArray head = f.read(72);
    if (head.size() < 72)
        return;
    const auto* b = reinterpret_cast<const unsigned char*>(head.constData()) + 68;
    const std::uint32_t appId = (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
    if (appId != static_cast<std::uint32_t>(schema::kApplicationId))
        return;
    try {
        SqliteDb db(path, SqliteDb::Mode::ReadWrite);
        db.queryInt("SELECT count(*) FROM sqlite_master"); // the first read rolls a hot journal back
    } catch (const DatabaseError&) {
    }
}

void applyConnectionPragmas(SqliteDb& db)
{
    // Rollback journal: bulk appends are not journaled twice (WAL would write
    // every new page twice). synchronous=NORMAL keeps commits durable against
    // process crashes; each import or analysis commits as one transaction.
    // A writer appends far more than it rereads: a 64 MB page cache and no
    // memory map keep its memory flat however large the file grows, and index
    // builds sort through temporary files rather than in memory.
    db.exec("PRAGMA journal_mode=TRUNCATE; PRAGMA synchronous=NORMAL; PRAGMA temp_store=FILE;"
            "PRAGMA cache_size=-65536; PRAGMA mmap_size=0; PRAGMA foreign_keys=OFF;");
}

} // namespace

SqliteDb CaseDatabase::openForWriting(const QString& path)
{
    // A writer killed while creating the case leaves a hot journal that rolls
    // the file back to empty: roll it back first, so the case is made afresh
    // instead of being refused as "not a case".
    recoverHotJournal(path);
    const QFileInfo info(path);
    const bool fresh = !info.exists() || info.size() == 0;
    if (!fresh)
        checkHeader(path);
    SqliteDb db;
    try {
        db = SqliteDb(path, SqliteDb::Mode::ReadWriteCreate);
    } catch (const DatabaseError& e) {
        throw CaseOpenError(QStringLiteral("Cannot open %1: %2").arg(path, QString::fromUtf8(e.what())));
    }
    if (fresh) {
        db.exec("PRAGMA page_size=65536");
        applyConnectionPragmas(db);
        SqliteTransaction tx(db);
        db.exec(schema::kCoreTables);
        db.exec(("PRAGMA application_id=" + std::to_string(schema::kApplicationId)).c_str());
        db.exec(("PRAGMA user_version=" + std::to_string(schema::kSchemaVersion)).c_str());
        setMeta(db, "created_at", QString::number(QDateTime::currentMSecsSinceEpoch()));
        setMeta(db, "created_by", QStringLiteral("Distillscope " DS_VERSION));
        tx.commit();
        qCInfo(lcStorage) << "created case" << path;
        return db;
    }
    checkIdentity(db, path);
    checkKnownObjects(db, path);
    applyConnectionPragmas(db);
    // Older layouts gain the tables they lack; IF NOT EXISTS makes this idempotent.
    db.exec(schema::kCoreTables);
    // Cases made before the task fingerprint and harvest score existed gain the
    // columns as 0 ("unknown"); their old requests keep 0, new imports fill them.
    for (const char* column : {"task_hash", "harvest"})
        if (db.queryInt(("SELECT count(*) FROM pragma_table_info('request') WHERE name = '" + std::string(column) + "'").c_str()) == 0)
            db.exec(("ALTER TABLE request ADD COLUMN " + std::string(column) + " INTEGER NOT NULL DEFAULT 0").c_str());
    return db;
}

SqliteDb CaseDatabase::openForReading(const QString& path)
{
    SqliteDb db = openForRepair(path);
    checkKnownObjects(db, path);
    return db;
}

SqliteDb CaseDatabase::openForRepair(const QString& path)
{
    if (!QFileInfo::exists(path))
        throw CaseOpenError(QStringLiteral("%1 does not exist.").arg(path));
    // Empty: never written, or a creation that was killed and rolled back (by
    // the recovery below, or by an earlier open).
    auto refuseIfEmpty = [&] {
        if (QFileInfo(path).size() == 0)
            throw CaseOpenError(
                QStringLiteral("%1 is empty: it holds no case (a case whose creation was interrupted is "
                               "left empty). Import logs into it to create the case.")
                    .arg(path));
    };
    refuseIfEmpty();
    checkHeader(path);
    recoverHotJournal(path);
    refuseIfEmpty();
    SqliteDb db;
    try {
        db = SqliteDb(path, SqliteDb::Mode::ReadOnly);
    } catch (const DatabaseError& e) {
        throw CaseOpenError(QStringLiteral("Cannot open %1: %2").arg(path, QString::fromUtf8(e.what())));
    }
    checkIdentity(db, path);
    db.exec("PRAGMA temp_store=MEMORY; PRAGMA cache_size=-131072; PRAGMA mmap_size=1073741824;");
    return db;
}

void CaseDatabase::ensureIndexes(SqliteDb& db, bool withRequestIdIndex)
{
    // CREATE INDEX sorts in runs of about the page cache's size. Runs that fit
    // the CPU caches sort about twice as fast as one 64 MB run, and the merge
    // of many runs is cheap: measured 0.35 s instead of 0.68 s of CPU per
    // million requests and index. The writer's usual cache comes back after.
    struct CacheSizeRestorer
    {
        SqliteDb& db;
        std::string restore = "PRAGMA cache_size=" + std::to_string(db.queryInt("PRAGMA cache_size"));
        ~CacheSizeRestorer()
        {
            try {
                db.exec(restore); // only speed depends on it: never throw from here
            } catch (const DatabaseError&) {
            }
        }
    } restorer{db};
    db.exec("PRAGMA cache_size=-4096");
    db.exec(schema::kCoreIndexes);
    if (withRequestIdIndex)
        db.exec(schema::kRequestIdIndex);
}

bool CaseDatabase::dropRequestIndexes(SqliteDb& db)
{
    const bool hadRequestIdIndex =
        db.queryInt("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'request_rid'") > 0;
    db.exec("DROP INDEX IF EXISTS request_rid; DROP INDEX IF EXISTS request_account_ts; DROP INDEX IF EXISTS request_ts;");
    return hadRequestIdIndex;
}

QString CaseDatabase::meta(SqliteDb& db, const char* key, const QString& fallback)
{
    SqliteStatement st(db, "SELECT value FROM meta WHERE key=?");
    st.bindText(1, key);
    return st.step() ? st.columnText(0) : fallback;
}

void CaseDatabase::setMeta(SqliteDb& db, const char* key, const QString& value)
{
    SqliteStatement st(db, "INSERT INTO meta(key,value) VALUES(?,?) ON CONFLICT(key) DO UPDATE SET value=excluded.value");
    st.bindText(1, key);
    st.bindText(2, value);
    st.run();
}

} // namespace ds
