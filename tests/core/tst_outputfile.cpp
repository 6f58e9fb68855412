#include "core/OutputFile.h"
#include "report/ExportFiles.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

using namespace ds;

// Outputs the user names: a regular file is replaced atomically, a FIFO or device is written straight through and
// stays what it was. A FIFO stands in for /dev/null, which a failing test run as root would damage: a session's
// `--json /dev/null`, run as root, once replaced the machine's /dev/null with a regular file through QSaveFile's
// rename, and every later reader of /dev/null got the text written to it.
class TestOutputFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void regularFileIsReplacedOnlyOnCommit()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("out.json"));
        QVERIFY(!OutputFile::isSpecialFile(path));
        QVERIFY(exportfiles::writeAll(path, "old").isEmpty());
        {
            OutputFile f(path);
            QVERIFY(!f.isDirect());
            QVERIFY(f.open());
            QVERIFY(f.write("new content"));
            f.cancel();
        }
        QFile check(path);
        QVERIFY(check.open(QIODevice::ReadOnly));
        QCOMPARE(check.readAll(), QByteArray("old")); // a cancelled write leaves the old file whole
        check.close();
        QVERIFY(exportfiles::writeAll(path, "new").isEmpty());
        QVERIFY(check.open(QIODevice::ReadOnly));
        QCOMPARE(check.readAll(), QByteArray("new"));
    }

    void fifoIsWrittenThroughAndStaysAFifo()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("pipe"));
        QCOMPARE(::mkfifo(QFile::encodeName(path).constData(), 0600), 0);
        QVERIFY(OutputFile::isSpecialFile(path));
        // The reading end is opened first (without blocking), so the write cannot wait for a reader, and a write
        // that misses the FIFO cannot hang the test: the read below then simply finds nothing.
        const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NONBLOCK);
        QVERIFY(fd >= 0);
        const QString error = exportfiles::writeAll(path, R"({"hits":[]})");
        QVERIFY(::fcntl(fd, F_SETFL, 0) == 0);
        std::string received;
        char buf[256];
        for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;)
            received.append(buf, static_cast<std::size_t>(n));
        ::close(fd);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(QByteArray::fromStdString(received), QByteArray(R"({"hits":[]})"));
        struct stat st {};
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
        QVERIFY2(S_ISFIFO(st.st_mode), "the FIFO was replaced by a regular file");
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::System | QDir::Hidden), QStringList{QStringLiteral("pipe")});
    }
};

QTEST_GUILESS_MAIN(TestOutputFile)
#include "tst_outputfile.moc"
