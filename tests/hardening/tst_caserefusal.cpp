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

QTEST_GUILESS_MAIN(TestCaseRefusal)
#include "tst_caserefusal.moc"
