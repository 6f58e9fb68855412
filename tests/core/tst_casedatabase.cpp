#include "TestSupport.h"
#include "core/CaseDatabase.h"
#include "core/CaseSchema.h"
#include "core/EarlyWriteback.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTest>

using namespace ds;

namespace {
QByteArray fileHash(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

// Expects opening `path` for writing and reading to be refused with a message
// containing `needle`, and the file's bytes to be unchanged.
void expectRefused(const QString& path, const QString& needle)
{
    const QByteArray before = fileHash(path);
    for (int mode = 0; mode < 2; ++mode) {
        try {
            if (mode == 0)
                CaseDatabase::openForWriting(path);
            else
                CaseDatabase::openForReading(path);
            QFAIL("opening was not refused");
        } catch (const CaseOpenError& e) {
            QVERIFY2(e.message().contains(needle), qPrintable(e.message()));
        }
    }
    QCOMPARE(fileHash(path), before);
}
} // namespace

// Opening, creating and refusing case databases.
class TestCaseDatabase : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void createsAndReopens()
    {
        test::ScratchDir dir;
        const QString path = dir.file(QStringLiteral("new.sqlite"));
        {
            SqliteDb db = CaseDatabase::openForWriting(path);
            QCOMPARE(db.queryInt("PRAGMA application_id"), std::int64_t(schema::kApplicationId));
            QCOMPARE(db.queryInt("PRAGMA user_version"), std::int64_t(schema::kSchemaVersion));
            CaseDatabase::setMeta(db, "title", QStringLiteral("Case 7"));
        }
        SqliteDb db = CaseDatabase::openForReading(path);
        QCOMPARE(CaseDatabase::meta(db, "title"), QStringLiteral("Case 7"));
        QVERIFY(CaseDatabase::meta(db, "created_by").startsWith(QLatin1String("Distillscope")));
        QCOMPARE(db.queryInt("SELECT count(*) FROM request"), std::int64_t(0));
    }

    // The bulk load's early write-out needs SQLite's descriptor of the case
    // file, read through the unix VFS's struct layout: a SQLite whose layout
    // changed must fail here rather than silently lose the commit speed-up.
    void earlyWritebackFindsTheCaseFile()
    {
#ifdef __linux__
        test::ScratchDir dir;
        SqliteDb db = CaseDatabase::openForWriting(dir.file(QStringLiteral("wb.sqlite")));
        EarlyWriteback writeback(db);
        QVERIFY(writeback.isActive());
        SqliteTransaction tx(db);
        db.exec("CREATE TABLE filler(x BLOB)");
        SqliteStatement st(db, "INSERT INTO filler VALUES(zeroblob(1048576))");
        for (int i = 0; i < 80; ++i) {
            st.run();
            writeback.nudge();
        }
        tx.commit();
        QCOMPARE(db.queryInt("SELECT count(*) FROM filler"), std::int64_t(80));
#else
        QSKIP("sync_file_range is Linux only");
#endif
    }

    void refusesTextFile()
    {
        test::ScratchDir dir;
        expectRefused(dir.write(QStringLiteral("notes.sqlite"), "just some notes\n"), QStringLiteral("not an SQLite"));
    }

    void refusesOtherSqliteDatabase()
    {
        test::ScratchDir dir;
        const QString path = dir.file(QStringLiteral("other.sqlite"));
        {
            SqliteDb db(path, SqliteDb::Mode::ReadWriteCreate);
            db.exec("CREATE TABLE t(x); INSERT INTO t VALUES(1);");
        }
        expectRefused(path, QStringLiteral("not a Distillscope case"));
    }

    void refusesNewerVersion()
    {
        test::ScratchDir dir;
        const QString path = dir.file(QStringLiteral("future.sqlite"));
        {
            SqliteDb db = CaseDatabase::openForWriting(path);
            db.exec(("PRAGMA user_version=" + std::to_string(schema::kSchemaVersion + 1)).c_str());
        }
        expectRefused(path, QStringLiteral("newer Distillscope"));
    }

    void refusesDamagedFile()
    {
        test::ScratchDir dir;
        const QString path = dir.file(QStringLiteral("damaged.sqlite"));
        {
            SqliteDb db = CaseDatabase::openForWriting(path);
            db.exec("CREATE TABLE filler(x); WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<5000) "
                    "INSERT INTO filler SELECT randomblob(200) FROM c;");
        }
        // Overwrite a quarter of the file from its middle (whole b-tree pages,
        // their headers included, whatever the page size) but keep the header intact.
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.seek(f.size() / 2);
        f.write(QByteArray(f.size() / 4, '\x5a'));
        f.close();
        expectRefused(path, QStringLiteral("damaged"));
    }

    void refusesMissingFileForReading()
    {
        test::ScratchDir dir;
        QVERIFY_THROWS_EXCEPTION(CaseOpenError, CaseDatabase::openForReading(dir.file(QStringLiteral("nope.sqlite"))));
    }
};

QTEST_GUILESS_MAIN(TestCaseDatabase)
#include "tst_casedatabase.moc"
