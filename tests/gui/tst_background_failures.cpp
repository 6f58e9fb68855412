// Background work has one rule for failures (issue 16): a job that throws (std::bad_alloc in the
// import writer, or anything a view's loader throws) reports the error and leaves the application
// alive and usable; and the read connections to a case close when another case is opened, so the
// old file is not held open behind the analyst.
#include "GuiFixture.h"
#include "GuiSupport.h"
#include "TestSupport.h"

#include "MainWindow.h"
#include "data/BackgroundTask.h"
#include "models/PagedTableModel.h"
#include "views/DataTableView.h"

#include <QDir>
#include <QFileInfo>
#include <QtTest>

#include <memory>
#include <new>

using namespace ds;
using ds::test::settled;

class TestBackgroundFailures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void outOfMemoryInTheImportWriterFailsTheFileNotTheApp();
    void anythingALoaderThrowsBecomesItsError();
    void readConnectionsCloseWithTheirCase();
    void cleanupTestCase();

private:
    // Files this process holds open under `path` (the case, its -wal and -shm).
    static QStringList openFilesOf(const QString& path);

    std::unique_ptr<test::ScratchDir> m_dir;
    test::GuiFixture m_fixture;
    std::unique_ptr<MainWindow> m_window;
};

void TestBackgroundFailures::initTestCase()
{
    test::useTestSettings();
    m_dir = std::make_unique<test::ScratchDir>();
    m_fixture = test::GuiFixture::write(*m_dir);
    m_window = test::showMainWindow(m_dir->path(), QSize(1400, 900));
    QVERIFY(m_window);
}

QStringList TestBackgroundFailures::openFilesOf(const QString& path)
{
    QStringList out;
    const QString target = QFileInfo(path).canonicalFilePath();
    const QDir fds(QStringLiteral("/proc/self/fd"));
    for (const QString& fd : fds.entryList(QDir::Files | QDir::System | QDir::NoDotAndDotDot)) {
        const QString link = QFileInfo(fds.filePath(fd)).symLinkTarget();
        if (!target.isEmpty() && link.startsWith(target))
            out << link;
    }
    return out;
}

void TestBackgroundFailures::outOfMemoryInTheImportWriterFailsTheFileNotTheApp()
{
    QSignalSpy spy(m_window->analysis(), &AnalysisController::message);
    m_window->analysis()->setBeforeEachImportBatch([] { throw std::bad_alloc(); });
    const QString path = m_dir->file(QStringLiteral("oom.case.sqlite"));
    m_window->openLogs({m_fixture.requestsPath, m_fixture.accountsPath}, path);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->analysis()->casePath() == path && !m_window->analysis()->isBusy(), 60000);
    // Every file failed, saying why; nothing was kept; the window is still here and answers.
    const ImportSummary& s = m_window->analysis()->lastImport();
    QVERIFY(!s.files.empty());
    for (const FileReport& f : s.files) {
        QCOMPARE(f.outcome, FileReport::Outcome::Failed);
        QVERIFY2(f.message.contains(QStringLiteral("the machine ran out of memory")), qPrintable(f.message));
    }
    QCOMPARE(s.requestsInCase, 0);
    QStringList messages;
    for (const QList<QVariant>& m : spy)
        messages << m.first().toString();
    QVERIFY2(messages.join(QLatin1Char('\n')).contains(QStringLiteral("ran out of memory")), qPrintable(messages.join(QLatin1Char('\n'))));
    QVERIFY(m_window->isVisible());

    // The same import without the fault works: the failure left nothing behind.
    m_window->analysis()->setBeforeEachImportBatch({});
    m_window->openLogs({m_fixture.requestsPath, m_fixture.accountsPath}, path);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->analysis()->isBusy(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->analysis()->isBusy(), 60000);
    QCOMPARE(m_window->analysis()->lastImport().requestsInCase, m_fixture.requests);
    auto* requests = m_window->requestsView()->model();
    QTRY_VERIFY_WITH_TIMEOUT(settled(requests) && requests->rowCount() == m_fixture.requests, 30000);
}

void TestBackgroundFailures::anythingALoaderThrowsBecomesItsError()
{
    QString error;
    bool done = false;
    std::function<int()> work = []() -> int { throw 42; }; // not even a std::exception
    runInBackground<int>(this, std::move(work), [&](TaskResult<int> r) {
        error = r.error;
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
    QCOMPARE(error, QStringLiteral("an unexpected error stopped it"));
    done = false;
    std::function<int()> oom = []() -> int { throw std::bad_alloc(); };
    runInBackground<int>(this, std::move(oom), [&](TaskResult<int> r) {
        error = r.error;
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
    QCOMPARE(error, QStringLiteral("the machine ran out of memory"));
}

void TestBackgroundFailures::readConnectionsCloseWithTheirCase()
{
    const QString first = m_window->analysis()->casePath();
    QVERIFY(!first.isEmpty());
    // The views have read the first case on their threads.
    QVERIFY2(!openFilesOf(first).isEmpty(), "the views hold the open case");
    const QString second = m_dir->file(QStringLiteral("second.case.sqlite"));
    m_window->openLogs({m_fixture.requestsPath}, second);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->analysis()->casePath() == second && !m_window->analysis()->isBusy(), 60000);
    auto* requests = m_window->requestsView()->model();
    QTRY_VERIFY_WITH_TIMEOUT(settled(requests) && requests->rowCount() > 0, 30000);
    QTRY_VERIFY2_WITH_TIMEOUT(openFilesOf(first).isEmpty(), qPrintable(openFilesOf(first).join(QLatin1Char(' '))), 20000);
    QVERIFY(!openFilesOf(second).isEmpty());
}

void TestBackgroundFailures::cleanupTestCase()
{
    m_window.reset();
}

QTEST_MAIN(TestBackgroundFailures)
#include "tst_background_failures.moc"
