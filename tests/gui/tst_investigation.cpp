// Drives the real main window through an investigation of simulated traffic:
// import and detection in the background, the top network, its accounts,
// timeline, evidence and link graph, pivoting on a shared IP, brushing time.
#include "GuiSupport.h"
#include "TestSupport.h"

#include "MainWindow.h"
#include "case/CaseEditor.h"
#include "case/PinsPanel.h"
#include "core/CaseDatabase.h"
#include "report/ReportData.h"
#include "charts/TimelineView.h"
#include "graph/LinkGraphView.h"
#include "models/PagedTableModel.h"
#include "util/StallProbe.h"
#include "views/AnalysisBanner.h"
#include "views/DataTableView.h"
#include "views/EvidenceView.h"

#include <QAbstractItemModelTester>
#include <QDockWidget>
#include <QGraphicsEllipseItem>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QJsonArray>
#include <QLineEdit>
#include <QListWidget>
#include <QPicture>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QtTest>

#include <memory>

using namespace ds;
using ds::test::settled;

class TestInvestigation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void analysisRunsInBackground();
    void topClusterDrivesEveryView();
    void graphSelectionSelectsEverywhere();
    void pivotOnSharedIpFromEvidence();
    void brushingFiltersToTheRange();
    void nextClusterShortcut();
    void accountsFilterByIndicator();
    void pinEvidenceFromViews();
    void screenshots();
    void fitsALaptopScreen();
    void networkClickedRightAfterOpening();
    void cleanupTestCase();

private:
    QString cell(PagedTableModel* m, int row, const QString& header);

    std::unique_ptr<test::ScratchDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
    StallProbe m_probe;
    QList<QAbstractItemModelTester*> m_testers;
    qint64 m_topCluster = 0;
    int m_topAccounts = 0;
};

QString TestInvestigation::cell(PagedTableModel* m, int row, const QString& header)
{
    for (int c = 0; c < m->columnCount(); ++c)
        if (m->headerData(c, Qt::Horizontal).toString() == header)
            return m->index(row, c).data(PagedTableModel::RawValueRole).toString();
    return {};
}

void TestInvestigation::initTestCase()
{
    test::useTestSettings();
    m_dir = std::make_unique<test::ScratchDir>();
    const test::CliResult sim = test::simulate(m_dir->path(), QStringLiteral("tiny"), 11);
    QVERIFY2(sim.exitCode == 0, sim.err.constData());
    m_window = test::showMainWindow(m_dir->path());
    QVERIFY(m_window);
    for (DataTableView* v : {m_window->clustersView(), m_window->accountsView(), m_window->requestsView(), m_window->quarantineView()})
        m_testers << new QAbstractItemModelTester(v->model(), QAbstractItemModelTester::FailureReportingMode::QtTest, this);
}

void TestInvestigation::analysisRunsInBackground()
{
    QList<AnalysisController::State> states;
    connect(m_window->analysis(), &AnalysisController::stateChanged, this,
            [&states](AnalysisController::State s) { states << s; });
    m_probe.start();
    m_window->openLogs({m_dir->file(QStringLiteral("requests.jsonl.gz")), m_dir->file(QStringLiteral("accounts.csv"))});
    QTRY_VERIFY(m_window->analysis()->isBusy());
    QVERIFY(!m_window->accountsView()->banner()->message().isEmpty());
    QVERIFY(m_window->caseWorkspace()); // case building is there from the start
    QTRY_COMPARE_WITH_TIMEOUT(m_window->analysis()->state(), AnalysisController::State::Complete, 60000);
    m_probe.stop();
    QVERIFY(states.contains(AnalysisController::State::Importing));
    QVERIFY(states.contains(AnalysisController::State::Detecting));
    // Finished: the banners are gone everywhere.
    QVERIFY(m_window->accountsView()->banner()->message().isEmpty());
    QVERIFY(m_window->evidenceView()->banner()->message().isEmpty());
    qInfo("longest event-loop stall during import and detection of the tiny scenario: %lld ms", m_probe.longestStallMs());
}

void TestInvestigation::topClusterDrivesEveryView()
{
    auto* clusters = m_window->clustersView()->model();
    QTRY_VERIFY_WITH_TIMEOUT(settled(clusters) && clusters->rowCount() > 0, 60000);
    QTRY_VERIFY(clusters->rowId(0) != 0);
    QCOMPARE(cell(clusters, 0, QStringLiteral("Rank")).toInt(), 1);
    m_topAccounts = cell(clusters, 0, QStringLiteral("Accounts")).toInt();
    const qint64 topRequests = cell(clusters, 0, QStringLiteral("Requests")).toLongLong();
    const QString label = cell(clusters, 0, QStringLiteral("Cluster"));
    QVERIFY(m_topAccounts >= 2);
    QTableView* table = m_window->clustersView()->table();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(clusters->index(0, 1)).center());
    m_topCluster = clusters->rowId(0);
    QTRY_COMPARE(m_window->selectedCluster(), m_topCluster);
    QTRY_VERIFY(m_window->scope().accountsRestricted);
    QCOMPARE(int(m_window->scope().accounts.size()), m_topAccounts);

    // Accounts: exactly the network's members, each labelled with it.
    auto* accounts = m_window->accountsView()->model();
    QTRY_VERIFY_WITH_TIMEOUT(settled(accounts) && accounts->rowCount() == m_topAccounts, 60000);
    QTRY_VERIFY(accounts->rowId(accounts->rowCount() - 1) != 0);
    for (int r = 0; r < accounts->rowCount(); ++r)
        QCOMPARE(cell(accounts, r, QStringLiteral("Cluster")), label);
    // Timeline: the network's requests, every request of the members counted
    // straight from the case. Wait for exactly that count: an earlier, unscoped
    // load may still be on screen for a moment after the selection changed.
    SqliteDb db = CaseDatabase::openForReading(m_window->analysis()->casePath());
    SqliteStatement count(db, "SELECT COUNT(*) FROM request WHERE account IN (SELECT account FROM cluster_member "
                              "WHERE run = (SELECT MAX(id) FROM detection_run WHERE status = 'done') AND cluster = ?)");
    count.bind(1, m_topCluster);
    QVERIFY(count.step());
    const qint64 memberRequests = count.columnInt(0);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->timelineView()->isLoading()
                                 && m_window->timelineView()->data().requests == memberRequests,
                             60000);
    QVERIFY(topRequests > 0);
    // The heat map holds the same requests, by day and hour.
    double heat = 0;
    for (double v : m_window->timelineView()->data().heat)
        heat += v;
    QCOMPARE(qint64(heat), memberRequests);
    // Evidence: reasons, indicators against the population, shared values, templates.
    EvidenceView* evidence = m_window->evidenceView();
    QTRY_VERIFY_WITH_TIMEOUT(!evidence->isLoading() && evidence->data().subject.contains(label), 60000);
    QVERIFY(!evidence->data().reasons.isEmpty());
    QVERIFY(!evidence->data().indicators.isEmpty());
    QVERIFY(!evidence->data().templates.isEmpty());
    QCOMPARE(evidence->data().memberCount, m_topAccounts);
    // Names in words (issue 16): the network by what it does, its templates by their fixed words and the
    // fingerprint the STIX export shares, not by internal hashes.
    QVERIFY2(label.contains(QStringLiteral(" harvest, ")), qPrintable(label));
    QVERIFY2(!label.contains(QRegularExpression(QStringLiteral("template [0-9a-f]{8}"))), qPrintable(label));
    for (const auto& t : evidence->data().templates) {
        QVERIFY2(t.name.words.startsWith(QStringLiteral("\u201c")), qPrintable(t.hash));
        QVERIFY2(t.name.fingerprint.startsWith(QStringLiteral("ds-skeleton-v1:")), qPrintable(t.hash));
    }
    // Link graph: one node per member, laid out by Graphviz (not all on one spot).
    LinkGraphView* graph = m_window->graphView();
    QTRY_VERIFY_WITH_TIMEOUT(!graph->isLoading() && graph->data().nodes.size() == m_topAccounts, 60000);
    QVERIFY2(graph->data().error.isEmpty(), qPrintable(graph->data().error));
    QVERIFY(!graph->data().edges.isEmpty());
    QVERIFY(graph->data().nodes.first().pos != graph->data().nodes.last().pos);
}

void TestInvestigation::graphSelectionSelectsEverywhere()
{
    LinkGraphView* graph = m_window->graphView();
    QTRY_VERIFY_WITH_TIMEOUT(!graph->isLoading() && !graph->data().nodes.isEmpty(), 60000);
    QGraphicsEllipseItem* node = nullptr;
    for (QGraphicsItem* item : graph->view()->scene()->items())
        if (auto* e = qgraphicsitem_cast<QGraphicsEllipseItem*>(item))
            node = e;
    QVERIFY(node);
    const qint64 account = node->data(0).toLongLong();
    node->setSelected(true);
    // The requests follow the account; the evidence switches to it.
    auto* requests = m_window->requestsView()->model();
    QTRY_VERIFY_WITH_TIMEOUT(settled(requests) && requests->scope().accounts == std::vector<std::int64_t>{account}, 60000);
    QTRY_VERIFY(requests->rowCount() > 0 && requests->rowId(0) != 0);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->evidenceView()->isLoading()
                                 && m_window->evidenceView()->data().subject.startsWith(QLatin1String("account")), 60000);
    QCOMPARE(m_window->evidenceView()->data().memberCount, 1);
    // And the account's row is selected in the accounts table.
    const QModelIndex current = m_window->accountsView()->table()->currentIndex();
    QVERIFY(current.isValid());
    QCOMPARE(m_window->accountsView()->model()->rowId(current.row()), account);
}

void TestInvestigation::pivotOnSharedIpFromEvidence()
{
    // Back to the network's evidence, then pivot on the IP its accounts share most.
    m_window->selectCluster(m_topCluster);
    EvidenceView* evidence = m_window->evidenceView();
    QTRY_VERIFY_WITH_TIMEOUT(!evidence->isLoading() && evidence->data().memberCount == m_topAccounts, 60000);
    int row = -1;
    for (int i = 0; i < evidence->data().shared.size(); ++i)
        if (evidence->data().shared[i].kind == QLatin1String("IP")) {
            row = i;
            break;
        }
    if (row < 0)
        QSKIP("the top network of this scenario shares no IP address");
    const auto shared = evidence->data().shared[row];
    QTableWidget* table = evidence->sharedTable();
    evidence->tabs()->setCurrentIndex(1);
    const QRect rect = table->visualItemRect(table->item(row, 1));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, rect.center());
    QTRY_COMPARE(m_window->scope().pivot.kind, PivotKind::Ip);
    QCOMPARE(m_window->scope().pivot.value, shared.value);
    QVERIFY(!m_window->scope().accountsRestricted); // a pivot looks across the whole case
    auto* accounts = m_window->accountsView()->model();
    QTRY_VERIFY_WITH_TIMEOUT(settled(accounts) && accounts->scope().pivot.kind == PivotKind::Ip, 60000);
    QCOMPARE(accounts->rowCount(), int(shared.caseAccounts));
    QVERIFY(shared.caseAccounts >= shared.members);
    auto* requests = m_window->requestsView()->model();
    QTRY_VERIFY_WITH_TIMEOUT(settled(requests) && requests->rowCount() > 0, 60000);
    QTRY_VERIFY(requests->rowId(0) != 0);
    for (int r = 0; r < std::min(requests->rowCount(), 50); ++r)
        QCOMPARE(cell(requests, r, QStringLiteral("IP")), shared.value);
    m_window->clearScope();
}

void TestInvestigation::brushingFiltersToTheRange()
{
    TimelineView* timeline = m_window->timelineView();
    QTRY_VERIFY_WITH_TIMEOUT(!timeline->isLoading(), 60000);
    auto* requests = m_window->requestsView()->model();
    auto* accounts = m_window->accountsView()->model();
    QTRY_VERIFY_WITH_TIMEOUT(settled(requests) && settled(accounts), 60000);
    const int allRequests = requests->rowCount();
    const int allAccounts = accounts->rowCount();
    const TimelineData& d = timeline->data();
    const qint64 from = d.startMs + d.bucketCount * d.bucketMs / 3;
    const qint64 to = from + 6 * 3600000LL;
    timeline->brush(from, to);
    QTRY_VERIFY_WITH_TIMEOUT(settled(requests) && requests->rowCount() < allRequests && requests->rowCount() > 0, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(settled(accounts) && accounts->rowCount() < allAccounts, 60000);
    // Reading a row asks for its block; rowId() answers once the block is in.
    QTRY_VERIFY(requests->index(requests->rowCount() - 1, 0).data().isValid()
                && requests->rowId(0) != 0 && requests->rowId(requests->rowCount() - 1) != 0);
    // Sorted by time: the first and last rows bound the brushed range.
    const qint64 first = requests->index(0, 0).data(PagedTableModel::RawValueRole).toLongLong();
    const qint64 last = requests->index(requests->rowCount() - 1, 0).data(PagedTableModel::RawValueRole).toLongLong();
    QVERIFY(first >= from && last < to);
    m_window->clearScope();
}

void TestInvestigation::nextClusterShortcut()
{
    auto* clusters = m_window->clustersView()->model();
    if (clusters->rowCount() < 2)
        QSKIP("one network only");
    m_window->clustersView()->table()->setFocus();
    m_window->stepCluster(-1);
    QTRY_COMPARE(m_window->selectedCluster(), clusters->rowId(0));
    QTest::keyClick(m_window->clustersView()->table(), Qt::Key_J);
    QTRY_COMPARE(m_window->selectedCluster(), clusters->rowId(1));
    QTest::keyClick(m_window->clustersView()->table(), Qt::Key_K);
    QTRY_COMPARE(m_window->selectedCluster(), clusters->rowId(0));
}

void TestInvestigation::accountsFilterByIndicator()
{
    m_window->clearScope();
    auto* accounts = m_window->accountsView()->model();
    SqliteDb db = CaseDatabase::openForReading(m_window->analysis()->casePath());
    const qint64 run = db.queryInt("SELECT MAX(id) FROM detection_run WHERE status = 'done'");
    const qint64 flagged = db.queryInt(("SELECT COUNT(*) FROM account_result WHERE flagged = 1 AND run = " + std::to_string(run)).c_str());
    const qint64 lockstep = db.queryInt(("SELECT COUNT(*) FROM account_indicator i JOIN indicator_baseline b ON b.run = i.run AND "
                                         "b.indicator = i.indicator WHERE b.key = 'lockstep_share' AND i.value > 0.5 AND i.run = "
                                         + std::to_string(run)).c_str());
    QLineEdit* box = m_window->accountFilterBox();
    box->setText(QStringLiteral("flagged"));
    QTest::keyClick(box, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(settled(accounts) && accounts->scope().accountFilter == QLatin1String("flagged"), 60000);
    QCOMPARE(qint64(accounts->rowCount()), flagged);
    box->setText(QStringLiteral("lockstep_share>0.5"));
    QTest::keyClick(box, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(settled(accounts) && accounts->scope().accountFilter.startsWith(QLatin1String("lockstep")), 60000);
    QCOMPARE(qint64(accounts->rowCount()), lockstep);
    // An unknown key is refused with a message, not silently ignored.
    QSignalSpy failed(accounts, &PagedTableModel::loadFailed);
    box->setText(QStringLiteral("no_such_indicator>1"));
    QTest::keyClick(box, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 60000);
    QVERIFY(failed.first().first().toString().contains(QLatin1String("no_such_indicator")));
    box->clear();
    QTest::keyClick(box, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(settled(accounts) && accounts->scope().accountFilter.isEmpty(), 60000);
}

void TestInvestigation::pinEvidenceFromViews()
{
    CaseWorkspace* ws = m_window->caseWorkspace();
    QVERIFY(ws);
    m_window->clearScope();
    m_window->selectCluster(m_topCluster);
    EvidenceView* evidence = m_window->evidenceView();
    TimelineView* timeline = m_window->timelineView();
    QTRY_VERIFY_WITH_TIMEOUT(!evidence->isLoading() && evidence->data().memberCount == m_topAccounts && !timeline->isLoading()
                                 && timeline->data().requests > 0, 60000);
    const std::size_t before = ws->editor()->store().pins().size();
    auto pinCount = [ws] { return ws->editor()->store().pins().size(); };
    auto lastPin = [ws] {
        const std::vector<PinnedItem> pins = ws->editor()->store().pins();
        return pins.empty() ? PinnedItem{} : pins.back();
    };
    // Each new pin is selected in the pins dock, its (empty) note ready to be typed.
    auto checkSelected = [ws](const PinnedItem& pin) {
        const PinnedItem* shown = ws->pinsPanel()->pinAt(ws->pinsPanel()->list()->currentRow());
        return shown && shown->id == pin.id && ws->pinsPanel()->noteEdit()->isEnabled() && pin.note.isEmpty();
    };

    // The timeline chart as displayed: vector picture, PNG thumbnail, tied to the selected network.
    timeline->pinAction()->trigger();
    QCOMPARE(pinCount(), before + 1);
    PinnedItem pin = lastPin();
    QCOMPARE(pin.kind, PinKind::Chart);
    QVERIFY(pin.cluster && *pin.cluster == m_topCluster && pin.run && *pin.run > 0);
    QVERIFY(!pin.picture.isEmpty());
    QPicture picture;
    picture.setData(pin.picture.constData(), static_cast<uint>(pin.picture.size()));
    QVERIFY(!picture.boundingRect().isEmpty());
    QVERIFY(!QImage::fromData(pin.thumbnail, "PNG").isNull());
    QVERIFY(!pin.payload.value(QStringLiteral("description")).toString().isEmpty());
    QVERIFY(checkSelected(pin));

    // The top template with its examples.
    QVERIFY(!evidence->data().templates.isEmpty());
    const auto templ = evidence->data().templates.first();
    evidence->templatesTable()->setCurrentCell(0, 0);
    evidence->pinTemplateAction()->trigger();
    QCOMPARE(pinCount(), before + 2);
    pin = lastPin();
    QCOMPARE(pin.kind, PinKind::Template);
    // Pinned under the one template identity: its words in the title, the shared fingerprint in the payload.
    QCOMPARE(pin.payload.value(QStringLiteral("fingerprint")).toString(), templ.name.fingerprint);
    QVERIFY2(pin.title.contains(templ.name.words), qPrintable(pin.title));
    QCOMPARE(pin.payload.value(QStringLiteral("requests")).toInteger(), templ.requests);
    QCOMPARE(pin.payload.value(QStringLiteral("accounts")).toInt(), templ.members);
    QCOMPARE(pin.payload.value(QStringLiteral("examples")).toArray().size(), templ.examples.size());
    if (!templ.examples.isEmpty()) {
        QCOMPARE(pin.payload.value(QStringLiteral("examples")).toArray().first().toString(), templ.examples.first().prompt);
        QCOMPARE(pin.payload.value(QStringLiteral("skeleton")).toString(), templ.examples.first().skeleton);
    }
    QVERIFY(pin.cluster && *pin.cluster == m_topCluster);
    QVERIFY(checkSelected(pin));

    // The most shared value with the accounts that use it.
    if (!evidence->data().shared.isEmpty()) {
        const auto shared = evidence->data().shared.first();
        evidence->sharedTable()->setCurrentCell(0, 1);
        evidence->pinSharedValueAction()->trigger();
        QCOMPARE(pinCount(), before + 3);
        pin = lastPin();
        QCOMPARE(pin.kind, PinKind::SharedValue);
        QCOMPARE(pin.payload.value(QStringLiteral("value")).toString(), shared.value);
        QVERIFY(!pin.payload.value(QStringLiteral("value_kind")).toString().isEmpty());
        const QJsonArray accounts = pin.payload.value(QStringLiteral("accounts")).toArray();
        QCOMPARE(accounts.size(), shared.members);
        for (const QJsonValue& a : accounts)
            QVERIFY(!a.toString().isEmpty());
        QVERIFY(checkSelected(pin));
    } else {
        qInfo("the top network shares no value: shared-value pin not exercised");
    }
    const std::size_t afterShared = pinCount();

    // The indicator table as shown.
    evidence->pinIndicatorTableAction()->trigger();
    QCOMPARE(pinCount(), afterShared + 1);
    pin = lastPin();
    QCOMPARE(pin.kind, PinKind::IndicatorTable);
    QCOMPARE(pin.payload.value(QStringLiteral("columns")).toArray().size(), evidence->indicatorsTable()->columnCount());
    const QJsonArray rows = pin.payload.value(QStringLiteral("rows")).toArray();
    QCOMPARE(rows.size(), evidence->indicatorsTable()->rowCount());
    QVERIFY(!rows.isEmpty());
    QCOMPARE(rows.first().toArray().first().toString(), evidence->indicatorsTable()->item(0, 0)->text());
    QVERIFY(checkSelected(pin));

    // Two selected requests, by their request ids.
    auto* requests = m_window->requestsView()->model();
    QTRY_VERIFY_WITH_TIMEOUT(settled(requests) && requests->rowCount() >= 2, 60000);
    QTRY_VERIFY(requests->index(1, 0).data().isValid() && requests->rowId(0) != 0 && requests->rowId(1) != 0);
    QTableView* table = m_window->requestsView()->table();
    table->selectionModel()->select(QItemSelection(requests->index(0, 0), requests->index(1, 0)),
                                    QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_window->pinRequestsAction()->trigger();
    QCOMPARE(pinCount(), afterShared + 2);
    pin = lastPin();
    QCOMPARE(pin.kind, PinKind::RequestSet);
    QStringList expected;
    {
        // Scoped: an open read would keep the undo below from committing.
        SqliteDb db = CaseDatabase::openForReading(m_window->analysis()->casePath());
        SqliteStatement id(db, "SELECT request_id FROM request_text WHERE id = ?");
        for (int r : {0, 1}) {
            id.reset();
            id.bind(1, requests->rowId(r));
            QVERIFY(id.step());
            expected << id.columnText(0);
        }
    }
    QJsonArray got = pin.payload.value(QStringLiteral("request_ids")).toArray();
    QCOMPARE(got.size(), 2);
    QCOMPARE(got.at(0).toString(), expected.at(0));
    QCOMPARE(got.at(1).toString(), expected.at(1));
    // The pin keeps the row ids too: the report finds the requests by them (request ids have no index).
    const QJsonArray rowIds = pin.payload.value(QStringLiteral("rows")).toArray();
    QCOMPARE(rowIds.size(), 2);
    QCOMPARE(rowIds.at(0).toInteger(), requests->rowId(0));
    QCOMPARE(rowIds.at(1).toInteger(), requests->rowId(1));
    {
        SqliteDb db = CaseDatabase::openForReading(m_window->analysis()->casePath());
        const auto examples = loadPinnedRequests(db, pin.payload, 20);
        QCOMPARE(examples.size(), std::size_t(2));
        QCOMPARE(examples[0].requestId, expected.at(0));
        QCOMPARE(examples[1].requestId, expected.at(1));
    }
    QVERIFY(checkSelected(pin));

    // Pinning is undoable.
    QSignalSpy failed(ws->editor(), &CaseEditor::editFailed);
    ws->undoAction()->trigger();
    QCOMPARE(failed.count(), 0);
    QCOMPARE(pinCount(), afterShared + 1);
    m_window->clearScope();
}

void TestInvestigation::networkClickedRightAfterOpening()
{
    // A second window on the same case: the network list can show before the window has looked up the
    // latest run; a network clicked then is selected once the run is known, not ignored.
    MainWindow other;
    other.resize(1200, 800);
    other.show();
    QVERIFY(QTest::qWaitForWindowExposed(&other));
    other.openCase(m_window->analysis()->casePath());
    other.selectCluster(m_topCluster);
    QTRY_COMPARE_WITH_TIMEOUT(other.selectedCluster(), m_topCluster, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(other.scope().accountsRestricted && int(other.scope().accounts.size()) == m_topAccounts, 30000);
}

void TestInvestigation::screenshots()
{
    m_window->selectCluster(m_topCluster);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->graphView()->isLoading() && !m_window->evidenceView()->isLoading()
                                 && !m_window->timelineView()->isLoading(), 60000);
    QTest::qWait(300);
    const QString dir = test::outputDir();
    QVERIFY(m_window->grab().save(dir + QStringLiteral("/investigation-window.png")));
    for (const char* name : {"timelineDock", "evidenceDock", "graphDock"}) {
        QDockWidget* d = m_window->dock(QString::fromLatin1(name));
        d->raise();
        QTest::qWait(100);
        QVERIFY(d->grab().save(dir + QStringLiteral("/investigation-%1.png").arg(QString::fromLatin1(name))));
    }
    QTabWidget* tabs = m_window->evidenceView()->tabs();
    m_window->dock(QStringLiteral("evidenceDock"))->raise();
    for (int i = 0; i < tabs->count(); ++i) {
        tabs->setCurrentIndex(i);
        QTest::qWait(50);
        QVERIFY(m_window->evidenceView()->grab().save(dir + QStringLiteral("/investigation-evidence-%1.png").arg(i)));
    }
    for (const char* name : {"clustersDock", "accountsDock", "requestsDock", "requestViewerDock"})
        QVERIFY(m_window->dock(QString::fromLatin1(name))->grab().save(dir + QStringLiteral("/investigation-%1.png").arg(QString::fromLatin1(name))));
    qInfo("screenshots in %s", qPrintable(dir));
}

// A 1366 x 768 laptop, the commonest small screen, less a window frame: with a network selected and every view
// filled, the window must shrink to it (a new user found a minimum width over 1384 px, the request pane cut off).
void TestInvestigation::fitsALaptopScreen()
{
    m_window->selectCluster(m_topCluster);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->graphView()->isLoading() && !m_window->evidenceView()->isLoading()
                                 && !m_window->timelineView()->isLoading(), 60000);
    QTest::qWait(200);
    const QSize before = m_window->size();
    constexpr int kWidth = 1366 - 16, kHeight = 768 - 48;
    QStringList wide, tall; // what asks for the room, to say in a failure
    for (QWidget* w : m_window->findChildren<QWidget*>()) {
        if (!w->isVisible())
            continue;
        const QString name = QStringLiteral("%1 (%2)").arg(w->objectName(), QString::fromLatin1(w->metaObject()->className()));
        if (w->minimumSizeHint().width() > kWidth / 2)
            wide << QStringLiteral("%1: %2 px").arg(name).arg(w->minimumSizeHint().width());
        if (w->minimumSizeHint().height() > kHeight / 3)
            tall << QStringLiteral("%1: %2 px").arg(name).arg(w->minimumSizeHint().height());
    }
    m_window->resize(kWidth, kHeight);
    QTest::qWait(100);
    QVERIFY2(m_window->width() <= kWidth,
             qPrintable(QStringLiteral("window is %1 px wide at least; widest parts: %2").arg(m_window->width()).arg(wide.join(QStringLiteral("; ")))));
    QVERIFY2(m_window->height() <= kHeight,
             qPrintable(QStringLiteral("window is %1 px high at least; tallest parts: %2").arg(m_window->height()).arg(tall.join(QStringLiteral("; ")))));
    QVERIFY(m_window->grab().save(test::outputDir() + QStringLiteral("/investigation-laptop.png")));
    m_window->resize(before);
}

void TestInvestigation::cleanupTestCase()
{
    qDeleteAll(m_testers);
    m_window.reset();
}

QTEST_MAIN(TestInvestigation)
#include "tst_investigation.moc"
