// One investigation state behind every view (issue 16, finding 2): after clicking an account the
// scope bar names it while the requests show only its rows, each filter has its own clear button
// and "Clear all" is the one way back to the whole case, after which a search looks at every
// request. Whatever the bar says, the requests table agrees with it. Screenshots go to test-output/.
#include "GuiFixture.h"
#include "GuiSupport.h"
#include "TestSupport.h"

#include "MainWindow.h"
#include "case/AuditLog.h"
#include "case/CaseEditor.h"
#include "case/CaseWorkspace.h"
#include "case/ExportDataDialog.h"
#include "case/ExportReportDialog.h"
#include "charts/TimelineView.h"
#include "models/PagedTableModel.h"
#include "report/ExportFiles.h"
#include "views/DataTableView.h"
#include "views/RequestViewer.h"
#include "views/ScopeBar.h"

#include <QLineEdit>
#include <QTableView>
#include <QToolButton>
#include <QHeaderView>
#include <QTableView>
#include <QtTest>

#include <memory>

using namespace ds;
using ds::test::settled;

class TestInvestigationState : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void clickedAccountIsSaidAndClearedWithEverything();
    void clearingTheNetworkKeepsSayingTheAccount();
    void brushAndNetworkPivotInWords();
    void requestPanelDropsAnExcludedRequest();
    void caseNamedInTitleAuditAndExports();
    void sortArrowsShowTheSortInEffect();
    void cleanupTestCase();

private:
    QString bar() const { return m_window->scopeBar()->text(); }
    QToolButton* chip(const char* name) const { return m_window->scopeBar()->findChild<QToolButton*>(QString::fromLatin1(name)); }
    void clickAccount(const QString& accountId);
    int requestsOf(const QString& accountId) const;
    // The bar never says "the whole case" while the requests table shows less.
    void checkBarAgreesWithRequests();

    std::unique_ptr<test::ScratchDir> m_dir;
    test::GuiFixture m_fixture;
    std::unique_ptr<MainWindow> m_window;
};

void TestInvestigationState::initTestCase()
{
    test::useTestSettings();
    m_dir = std::make_unique<test::ScratchDir>();
    m_fixture = test::GuiFixture::write(*m_dir);
    m_window = test::showMainWindow(m_dir->path());
    QVERIFY(m_window);
    m_window->openLogs({m_fixture.requestsPath, m_fixture.accountsPath});
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->analysis()->casePath().isEmpty() && !m_window->analysis()->isBusy(), 60000);
    auto* requests = m_window->requestsView()->model();
    QTRY_VERIFY_WITH_TIMEOUT(settled(requests) && requests->rowCount() == m_fixture.requests, 30000);
    QCOMPARE(bar(), QStringLiteral("Showing: the whole case"));
}

int TestInvestigationState::requestsOf(const QString& accountId) const
{
    return int(test::queryInt(m_window->analysis()->casePath(),
                              QStringLiteral("SELECT count(*) FROM request r JOIN account a ON a.id = r.account WHERE "
                                             "a.account_id = '%1'")
                                  .arg(accountId)
                                  .toUtf8()
                                  .constData()));
}

void TestInvestigationState::clickAccount(const QString& accountId)
{
    auto* accounts = m_window->accountsView()->model();
    QTableView* table = m_window->accountsView()->table();
    int row = -1;
    QTRY_VERIFY_WITH_TIMEOUT(settled(accounts), 20000);
    QTRY_VERIFY_WITH_TIMEOUT([&] {
        for (int r = 0; r < accounts->rowCount(); ++r)
            if (accounts->index(r, 0).data().toString() == accountId)
                return (row = r) >= 0;
        return false;
    }(), 20000);
    const QModelIndex cell = accounts->index(row, 0);
    table->scrollTo(cell);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(cell).center());
}

void TestInvestigationState::checkBarAgreesWithRequests()
{
    auto* requests = m_window->requestsView()->model();
    QTRY_VERIFY_WITH_TIMEOUT(settled(requests), 20000);
    if (bar() == QLatin1String("Showing: the whole case"))
        QCOMPARE(requests->rowCount(), m_fixture.requests);
}

void TestInvestigationState::clickedAccountIsSaidAndClearedWithEverything()
{
    auto* requests = m_window->requestsView()->model();
    const QString account = QStringLiteral("acct_user_3");
    clickAccount(account);
    QTRY_VERIFY_WITH_TIMEOUT(settled(requests) && requests->rowCount() == requestsOf(account), 20000);
    // The bar says so: the requests are one account's.
    QTRY_VERIFY2_WITH_TIMEOUT(bar().contains(QStringLiteral("requests of account \u2068acct_user_3\u2069")), qPrintable(bar()), 20000);
    QVERIFY(chip("clearFocus")->isVisible());
    checkBarAgreesWithRequests();

    // An accounts filter too; "Clear all" drops both, the filter box with them.
    m_window->accountFilterBox()->setText(QStringLiteral("unflagged"));
    QTest::keyClick(m_window->accountFilterBox(), Qt::Key_Return);
    QVERIFY2(bar().contains(QStringLiteral("accounts where")), qPrintable(bar()));
    QVERIFY(m_window->scopeBar()->clearAllButton()->isVisible());
    QVERIFY(m_window->grab().save(test::outputDir() + QStringLiteral("/gui-state-focused-account.png")));
    QTest::mouseClick(m_window->scopeBar()->clearAllButton(), Qt::LeftButton);
    QCOMPARE(bar(), QStringLiteral("Showing: the whole case"));
    QVERIFY(m_window->accountFilterBox()->text().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(settled(requests) && requests->rowCount() == m_fixture.requests, 20000);

    // A search now looks at every request, not the account clicked before.
    m_window->applySearch(QStringLiteral("ip:%1").arg(QString::fromLatin1(test::GuiFixture::kRingIp)));
    QTRY_VERIFY_WITH_TIMEOUT(settled(requests) && requests->rowCount() == m_fixture.ringRequests, 20000);
    m_window->clearScope();
    checkBarAgreesWithRequests();
}

void TestInvestigationState::clearingTheNetworkKeepsSayingTheAccount()
{
    // The finding's path: a network, an account of it, then the network's clear button.
    auto* requests = m_window->requestsView()->model();
    ViewScope network;
    network.accountsRestricted = true;
    for (int i = 0; i < test::GuiFixture::kRingAccounts; ++i)
        network.accounts.push_back(test::queryInt(m_window->analysis()->casePath(),
                                                  QStringLiteral("SELECT id FROM account WHERE account_id = 'acct_ring_%1'")
                                                      .arg(i)
                                                      .toUtf8()
                                                      .constData()));
    network.accountsLabel = QStringLiteral("the ring");
    m_window->setScope(network);
    clickAccount(QStringLiteral("acct_ring_2"));
    QTRY_VERIFY_WITH_TIMEOUT(settled(requests) && requests->rowCount() == requestsOf(QStringLiteral("acct_ring_2")), 20000);
    QTest::mouseClick(chip("clearAccounts"), Qt::LeftButton);
    // The accounts are all back; the requests still follow the clicked account, and the bar says it.
    QTRY_VERIFY_WITH_TIMEOUT(settled(requests) && requests->rowCount() == requestsOf(QStringLiteral("acct_ring_2")), 20000);
    QTRY_VERIFY2_WITH_TIMEOUT(bar().contains(QStringLiteral("acct_ring_2")), qPrintable(bar()), 20000);
    QVERIFY2(!bar().contains(QStringLiteral("the ring")), qPrintable(bar()));
    checkBarAgreesWithRequests();
    QTest::mouseClick(chip("clearFocus"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(settled(requests) && requests->rowCount() == m_fixture.requests, 20000);
    QCOMPARE(bar(), QStringLiteral("Showing: the whole case"));
}

void TestInvestigationState::brushAndNetworkPivotInWords()
{
    m_window->timelineView()->brush(test::GuiFixture::kStartMs + 6 * 3600000, test::GuiFixture::kStartMs + 14 * 3600000 + 1800000);
    QVERIFY2(bar().contains(QStringLiteral("1 Feb 2026, 06:00–14:30 UTC")), qPrintable(bar()));
    QVERIFY2(!bar().contains(QStringLiteral("T06:00")), qPrintable(bar())); // no raw ISO timestamp
    m_window->setTimeRange(test::GuiFixture::kStartMs, test::GuiFixture::kStartMs + 2 * 86400000);
    QVERIFY2(bar().contains(QStringLiteral("1 Feb 2026 00:00 – 2 Feb 2026 24:00 UTC")), qPrintable(bar()));
    m_window->clearScope();
    // A network pivot is on the /24, and the chip says the /24, not the address clicked.
    m_window->pivot({PivotKind::Network, QString::fromLatin1(test::GuiFixture::kRingIp)});
    QVERIFY2(bar().contains(QStringLiteral("IP network \u2068198.51.100.0/24\u2069")), qPrintable(bar()));
    QVERIFY2(!bar().contains(QString::fromLatin1(test::GuiFixture::kRingIp)), qPrintable(bar()));
    QVERIFY(m_window->grab().save(test::outputDir() + QStringLiteral("/gui-state-network-pivot.png")));
    m_window->clearScope();
}

// Finding 9: the request panel does not keep showing a request the filters now exclude.
void TestInvestigationState::requestPanelDropsAnExcludedRequest()
{
    auto* requests = m_window->requestsView()->model();
    m_window->applySearch(QStringLiteral("account:acct_user_3"));
    QTRY_VERIFY_WITH_TIMEOUT(settled(requests) && requests->rowCount() == requestsOf(QStringLiteral("acct_user_3")), 20000);
    QTRY_VERIFY(requests->rowId(0) != 0);
    QTableView* table = m_window->requestsView()->table();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(requests->index(0, 0)).center());
    RequestViewer* viewer = m_window->requestViewer();
    QTRY_VERIFY_WITH_TIMEOUT(viewer->detail().id == requests->rowId(0), 20000);
    // Still in scope under a wider filter: it stays.
    m_window->applySearch(QStringLiteral("account:acct_user_*"));
    QTest::qWait(300);
    QVERIFY(viewer->detail().id != 0);
    // Excluded: the panel empties and says why.
    m_window->applySearch(QStringLiteral("ip:%1").arg(QString::fromLatin1(test::GuiFixture::kRingIp)));
    QTRY_COMPARE_WITH_TIMEOUT(viewer->detail().id, qint64(0), 20000);
    m_window->clearScope();
}

// Finding 9: the window title shows the case, the audit log names the analyst of the case notes, and
// exports default to a folder a person sees with the case's name once ("x.report.pdf", not
// "x.case.report.pdf").
void TestInvestigationState::caseNamedInTitleAuditAndExports()
{
    const QString path = m_window->analysis()->casePath();
    QString base = QFileInfo(path).fileName();
    QVERIFY2(base.endsWith(QLatin1String(".case.sqlite")), qPrintable(base));
    base.chop(QStringLiteral(".case.sqlite").size());
    QCOMPARE(m_window->windowTitle(), QStringLiteral("%1 — Distillscope").arg(base));

    CaseWorkspace* workspace = nullptr; // read once: the window keeps it in a QPointer
    QTRY_VERIFY_WITH_TIMEOUT((workspace = m_window->caseWorkspace()) && workspace->editor(), 20000);
    CaseEditor* editor = workspace->editor();
    editor->setNote(NoteField::Analyst, QStringLiteral("A. Analyst"));
    editor->setNote(NoteField::Title, QStringLiteral("Ring of five"));
    const QString user = test::queryText(path, "SELECT user FROM audit_log ORDER BY id DESC LIMIT 1");
    QCOMPARE(user, QStringLiteral("A. Analyst (system user %1)").arg(audit::currentUser()));

    ExportReportDialog* report = workspace->showExportReport();
    QVERIFY(report);
    const QFileInfo pdf(report->pdfPath());
    QCOMPARE(pdf.fileName(), base + QStringLiteral(".report.pdf"));
    // The test's case lives in a visible scratch folder: the report goes beside it.
    QCOMPARE(pdf.absolutePath(), QFileInfo(path).absolutePath());
    report->close();
    ExportDataDialog* data = workspace->showExportData();
    QVERIFY(data);
    QCOMPARE(QFileInfo(data->csvPath()).fileName(), base + QStringLiteral(".confirmed-accounts.csv"));
    data->close();
    // A case in the application's hidden data folder (the default for new cases) exports to the documents.
    const QString hidden = QDir::home().filePath(QStringLiteral(".local/share/Distillscope/cases/x.case.sqlite"));
    QVERIFY2(exportfiles::defaultFolder(hidden).endsWith(QStringLiteral("/Distillscope exports")),
             qPrintable(exportfiles::defaultFolder(hidden)));
    QCOMPARE(exportfiles::baseName(hidden), QStringLiteral("x"));
}

// Finding 9, sort arrows: every table's header shows the sort its rows are in (the default one until a header is
// clicked), and follows a click.
void TestInvestigationState::sortArrowsShowTheSortInEffect()
{
    for (DataTableView* v : {m_window->clustersView(), m_window->accountsView(), m_window->requestsView()}) {
        PagedTableModel* m = v->model();
        QTRY_VERIFY_WITH_TIMEOUT(settled(m) && m->columnCount() > 1, 20000);
        QHeaderView* header = v->table()->horizontalHeader();
        QTRY_COMPARE_WITH_TIMEOUT(header->sortIndicatorSection(), m->effectiveSortColumn(), 20000);
        QCOMPARE(header->sortIndicatorOrder(), m->effectiveSortOrder());
    }
    // A click on another sortable header: the rows and the arrow move together.
    DataTableView* accounts = m_window->accountsView();
    PagedTableModel* m = accounts->model();
    int column = -1;
    for (int c = 0; c < m->columnCount() && column < 0; ++c)
        if (c != m->effectiveSortColumn() && !m->spec().columns[c].sortKey.isEmpty())
            column = c;
    QVERIFY(column >= 0);
    QHeaderView* header = accounts->table()->horizontalHeader();
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                      QPoint(header->sectionViewportPosition(column) + header->sectionSize(column) / 2, header->height() / 2));
    QTRY_VERIFY_WITH_TIMEOUT(settled(m) && m->effectiveSortColumn() == column, 20000);
    QCOMPARE(header->sortIndicatorSection(), column);
    QCOMPARE(header->sortIndicatorOrder(), m->effectiveSortOrder());
}

void TestInvestigationState::cleanupTestCase()
{
    m_window.reset();
}

QTEST_MAIN(TestInvestigationState)
#include "tst_investigation_state.moc"
