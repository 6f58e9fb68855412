#include "BadCaseFiles.h"
#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTest>

// The desktop application, started on a case file that is not a case, is newer
// or damaged, or on such a file given as a log: it keeps running (it shows the
// refusal instead of crashing) and leaves the file as it was. Runs the real
// `distillscope` binary on the offscreen platform. Test thread only.
class TestGuiOpen : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void survivesBadFile_data();
    void survivesBadFile();

private:
    static QByteArray fileBytes(const QString& path);

    ds::test::ScratchDir m_dir;
    QStringList m_files;
};

QByteArray TestGuiOpen::fileBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void TestGuiOpen::initTestCase()
{
    m_files = ds::hardening::writeBadCaseFiles(m_dir, ds::hardening::writeSmallLog(m_dir));
    QVERIFY(QDir().mkpath(m_dir.file(QStringLiteral("home"))));
}

void TestGuiOpen::survivesBadFile_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("asLog");
    for (const QString& f : m_files)
        QTest::addRow("case %s", qPrintable(f)) << f << false;
    // As logs, the importer's sniffer refuses them; two kinds are enough to cover that path.
    for (const char* f : {"junk.bin", "damaged.sqlite"})
        QTest::addRow("log %s", f) << QString::fromLatin1(f) << true;
}

void TestGuiOpen::survivesBadFile()
{
    QFETCH(QString, file);
    QFETCH(bool, asLog);
    const QString path = m_dir.file(file);
    const QByteArray before = fileBytes(path);

    QProcess gui;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    // Settings, recent files and new cases go to a scratch home, not the user's.
    env.insert(QStringLiteral("HOME"), m_dir.file(QStringLiteral("home")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.file(QStringLiteral("home/.config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.file(QStringLiteral("home/.local/share")));
    gui.setProcessEnvironment(env);
    gui.setProcessChannelMode(QProcess::MergedChannels);
    gui.start(QStringLiteral(DS_GUI_PATH), asLog ? QStringList{path} : QStringList{QStringLiteral("--case=") + path});
    QVERIFY(gui.waitForStarted());
    // Long enough for the open (or import) to be tried and refused on a loaded machine.
    const bool ended = gui.waitForFinished(4000);
    const QByteArray output = gui.readAll();
    QVERIFY2(!ended, qPrintable(QStringLiteral("the application ended (exit %1, %2): %3")
                                    .arg(gui.exitCode())
                                    .arg(gui.exitStatus() == QProcess::CrashExit ? QStringLiteral("crash") : QStringLiteral("normal"))
                                    .arg(QString::fromUtf8(output.right(2000)))));
    gui.terminate();
    if (!gui.waitForFinished(10000)) {
        gui.kill();
        gui.waitForFinished();
    }
    QVERIFY2(fileBytes(path) == before, "the file was modified");
}

QTEST_GUILESS_MAIN(TestGuiOpen)
#include "tst_guiopen.moc"
