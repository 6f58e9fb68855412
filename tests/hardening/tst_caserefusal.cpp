#include "BadCaseFiles.h"
#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QTest>

// Every command of distillscope-cli that opens a case refuses a file that is not
// a case, comes from a newer version or is damaged: a non-zero exit, one sentence
// naming the file on stderr, and the file's bytes (and its folder) unchanged. Test thread only.
class TestCaseRefusal : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void refusesBadCase_data();
    void refusesBadCase();
    void missingCaseIsNotCreated_data();
    void missingCaseIsNotCreated();
    void plantedObjectIsNamed();
    void repairCopiesTheDataWithoutPlantedObjects();
    void repairRefusesBadArguments();

private:
    static QByteArray fileBytes(const QString& path);
    QStringList commandFor(const QString& command, const QString& db) const;

    ds::test::ScratchDir m_dir;
    QString m_log;
    QStringList m_files;
};

QByteArray TestCaseRefusal::fileBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList TestCaseRefusal::commandFor(const QString& command, const QString& db) const
{
    const QString out = m_dir.file(QStringLiteral("out-") + command);
    if (command == QLatin1String("import"))
        return {command, QStringLiteral("--db"), db, m_log};
    if (command == QLatin1String("detect"))
        return {command, QStringLiteral("--db"), db};
    if (command == QLatin1String("scan"))
        return {command, QStringLiteral("--db"), db, QStringLiteral("--json"), out, m_log};
    if (command == QLatin1String("export"))
        return {command, QStringLiteral("--db"), db, QStringLiteral("--case-json"), out};
    return {command, QStringLiteral("--db"), db, QStringLiteral("--out"), out + QStringLiteral(".pdf")};
}

void TestCaseRefusal::initTestCase()
{
    // Qt warns on stderr when XDG_RUNTIME_DIR is missing (the report command starts a QGuiApplication).
    const QString runtime = m_dir.file(QStringLiteral("runtime"));
    QVERIFY(QDir().mkpath(runtime));
    QFile::setPermissions(runtime, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(runtime));
    m_log = ds::hardening::writeSmallLog(m_dir);
    m_files = ds::hardening::writeBadCaseFiles(m_dir, m_log);
}

void TestCaseRefusal::refusesBadCase_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("file");
    for (const char* command : {"import", "detect", "scan", "export", "report"})
        for (const QString& file : m_files)
            QTest::addRow("%s %s", command, qPrintable(file)) << QString::fromLatin1(command) << file;
}

void TestCaseRefusal::refusesBadCase()
{
    QFETCH(QString, command);
    QFETCH(QString, file);
    const QString path = m_dir.file(file);
    const QByteArray before = fileBytes(path);
    const QStringList filesBefore = QDir(m_dir.path()).entryList(QDir::Files);

    const auto r = ds::test::runCli(commandFor(command, path));
    QVERIFY2(r.exitCode > 0, qPrintable(QStringLiteral("exit %1; stderr: %2").arg(r.exitCode).arg(QString::fromUtf8(r.err))));
    const QString err = QString::fromUtf8(r.err).trimmed();
    QVERIFY2(!err.isEmpty(), "no message on stderr");
    QVERIFY2(!err.contains(QLatin1Char('\n')), qPrintable(QStringLiteral("more than one line: ") + err));
    QVERIFY2(err.contains(file), qPrintable(QStringLiteral("does not name the file: ") + err));
    QVERIFY2(fileBytes(path) == before, "the file was modified");
    // No journal, output or other file left behind.
    QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files), filesBefore);
}

void TestCaseRefusal::missingCaseIsNotCreated_data()
{
    QTest::addColumn<QString>("command");
    for (const char* command : {"detect", "export", "report"})
        QTest::newRow(command) << QString::fromLatin1(command);
}

void TestCaseRefusal::missingCaseIsNotCreated()
{
    // Commands that read a case must not leave a new empty one behind for a mistyped path.
    QFETCH(QString, command);
    const QString path = m_dir.file(QStringLiteral("no-such-case.sqlite"));
    const auto r = ds::test::runCli(commandFor(command, path));
    QVERIFY2(r.exitCode > 0, (r.err).constData());
    QVERIFY2(!QString::fromUtf8(r.err).trimmed().isEmpty(), "no message on stderr");
    QVERIFY2(!QFile::exists(path), "the command created the case file");
}

void TestCaseRefusal::plantedObjectIsNamed()
{
    const auto r = ds::test::runCli(commandFor(QStringLiteral("detect"), m_dir.file(QStringLiteral("trigger.sqlite"))));
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("trigger") && r.err.contains("flip") && r.err.contains("account_result") && r.err.contains("repair"),
             r.err.constData());
}

void TestCaseRefusal::repairCopiesTheDataWithoutPlantedObjects()
{
    for (const char* name : {"trigger.sqlite", "view.sqlite", "audit-trigger.sqlite"}) {
        const QString from = m_dir.file(QString::fromLatin1(name));
        const QString to = m_dir.file(QStringLiteral("clean-") + QString::fromLatin1(name));
        const QByteArray before = fileBytes(from);
        const auto r = ds::test::runCli({QStringLiteral("repair"), QStringLiteral("--db"), from, QStringLiteral("--out"), to});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("left out: "), r.out.constData());
        QVERIFY2(fileBytes(from) == before, "repair modified its source");
        // The clean case holds the same requests and accounts, and every command opens it.
        QCOMPARE(ds::test::queryInt(to, "SELECT count(*) FROM request"), 50);
        QCOMPARE(ds::test::queryInt(to, "SELECT count(*) FROM account"), 5);
        QCOMPARE(ds::test::queryInt(to, "SELECT count(*) FROM sqlite_schema WHERE name IN ('flip', 'endless')"), 0);
        const auto d = ds::test::runCli({QStringLiteral("detect"), QStringLiteral("--db"), to});
        QVERIFY2(d.exitCode == 0, d.err.constData());
        QFile::remove(to);
    }
    // The audit log of the clean case is append-only again.
    const QString to = m_dir.file(QStringLiteral("clean-audit.sqlite"));
    QCOMPARE(ds::test::runCli({QStringLiteral("repair"), QStringLiteral("--db"), m_dir.file(QStringLiteral("audit-trigger.sqlite")),
                               QStringLiteral("--out"), to})
                 .exitCode,
             0);
    const QString sql = ds::test::queryText(to, "SELECT sql FROM sqlite_schema WHERE name = 'audit_log_no_delete'");
    QVERIFY2(sql.contains(QLatin1String("RAISE")), qPrintable(sql));
    QFile::remove(to);
}

void TestCaseRefusal::repairRefusesBadArguments()
{
    const QString from = m_dir.file(QStringLiteral("view.sqlite"));
    const QString existing = m_dir.file(QStringLiteral("junk.bin"));
    const QByteArray before = fileBytes(existing);
    auto r = ds::test::runCli({QStringLiteral("repair"), QStringLiteral("--db"), from, QStringLiteral("--out"), existing});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("already exists"), r.err.constData());
    QVERIFY(fileBytes(existing) == before);
    QCOMPARE(ds::test::runCli({QStringLiteral("repair"), QStringLiteral("--db"), from}).exitCode, 2);
    QCOMPARE(ds::test::runCli({QStringLiteral("repair"), QStringLiteral("--bogus")}).exitCode, 2);
    // Not a case at all: refused as by every other command.
    r = ds::test::runCli({QStringLiteral("repair"), QStringLiteral("--db"), m_dir.file(QStringLiteral("other-app.sqlite")),
                          QStringLiteral("--out"), m_dir.file(QStringLiteral("never.sqlite"))});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(!QFile::exists(m_dir.file(QStringLiteral("never.sqlite"))));
}

QTEST_GUILESS_MAIN(TestCaseRefusal)
#include "tst_caserefusal.moc"
