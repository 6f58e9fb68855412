// MainWindow's detection-result views: clusters, evidence, link graph, and
// the selection of a network or an account that every view follows.
#include "MainWindow.h"

#include "case/CaseWorkspace.h"
#include "case/PendingReviews.h"
#include "data/BackgroundTask.h"
#include "graph/LinkGraphView.h"
#include "models/PagedTableModel.h"
#include "views/AnalysisBanner.h"
#include "views/CarryNote.h"
#include "views/DataTableView.h"
#include "views/EvidenceView.h"
#include "views/ScopeBar.h"
#include "workspace/DetectionTables.h"
#include "workspace/ReadConnection.h"

#include <QDockWidget>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QMenu>
#include <QStatusBar>
#include <QTableView>

namespace ds {

void MainWindow::buildDetectionViews()
{
    m_clustersModel = new PagedTableModel(
        [](SqliteDb& db, const ViewScope& scope) { return detectiontables::clustersTable(db, scope.search.text); }, this);
    m_clustersView = new DataTableView(tr("Flagged networks"), m_clustersModel, this);
    m_clustersView->setObjectName(QStringLiteral("clustersView"));
    m_clustersView->table()->setSelectionMode(QAbstractItemView::SingleSelection);
    m_clusterFilter = new QLineEdit(m_clustersView);
    m_clusterFilter->setObjectName(QStringLiteral("clusterFilter"));
    m_clusterFilter->setPlaceholderText(tr("Filter: name, reason or account id"));
    m_clusterFilter->setClearButtonEnabled(true);
    m_clustersView->toolRow()->addWidget(m_clusterFilter);
    connect(m_clusterFilter, &QLineEdit::textChanged, this, [this](const QString& text) {
        ViewScope s;
        s.search.text = text.trimmed();
        m_clustersModel->setScope(s);
    });
    m_carryNote = new CarryNote(m_clustersView);
    m_clustersView->addNote(m_carryNote);
    connect(m_analysis, &AnalysisController::verdictsCarried, m_carryNote, &CarryNote::setSentences);
    m_evidence = new EvidenceView(this);
    m_evidence->setObjectName(QStringLiteral("evidenceView"));
    m_graph = new LinkGraphView(this);
    m_graph->setObjectName(QStringLiteral("graphView"));
    m_banners << m_clustersView->banner() << m_evidence->banner() << m_graph->banner();

    auto* clusters = addDock(QStringLiteral("clustersDock"), tr("Clusters"), m_clustersView, Qt::LeftDockWidgetArea);
    if (QDockWidget* accounts = dock(QStringLiteral("accountsDock")))
        splitDockWidget(clusters, accounts, Qt::Vertical);
    // Evidence and the graph share the big top-right area with the timeline, as tabs:
    // each needs the width (Ctrl+T, Ctrl+E, Ctrl+G switch between them).
    auto* evidence = addDock(QStringLiteral("evidenceDock"), tr("Evidence"), m_evidence, Qt::RightDockWidgetArea);
    auto* graph = addDock(QStringLiteral("graphDock"), tr("Link graph"), m_graph, Qt::RightDockWidgetArea);
    if (QDockWidget* timeline = dock(QStringLiteral("timelineDock"))) {
        tabifyDockWidget(timeline, evidence);
        tabifyDockWidget(evidence, graph);
        timeline->raise();
    }

    connect(m_clustersView, &DataTableView::rowSelected, this, &MainWindow::selectCluster);
    for (DataTableView* v : {m_clustersView, m_accountsView})
        connect(v, &DataTableView::contextMenuAboutToShow, this, [this, v](QMenu* menu) { addReviewActions(menu, v); });
    connect(m_accountsView->table()->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::updateReviewSelection);
    connect(m_evidence, &EvidenceView::pivotRequested, this, &MainWindow::pivot);
    connect(m_graph, &LinkGraphView::accountSelected, this, &MainWindow::focusAccount);
}

void MainWindow::onResultsChanged()
{
    const QString path = m_analysis->casePath();
    std::function<qint64()> work = [path] { return detectiontables::latestRun(readConnection(path)).value_or(0); };
    runInBackground<qint64>(this, std::move(work), [this](TaskResult<qint64> r) {
        m_state.run = r.ok() ? r.value : 0;
        m_clustersModel->setCase(m_analysis->casePath());
        // The accounts table gains score and indicator columns.
        m_accountsModel->reload();
        statusBar()->showMessage(tr("Detection results loaded"), 5000);
        if (m_state.run && m_pendingCluster)
            selectCluster(m_pendingCluster);
    });
}

void MainWindow::runDetection()
{
    if (m_analysis->isBusy() || m_analysis->casePath().isEmpty())
        return;
    const QString path = m_analysis->casePath();
    std::function<PendingReviews()> work = [path] { return pendingReviews(readConnection(path)); };
    runInBackground<PendingReviews>(this, std::move(work), [this, path](TaskResult<PendingReviews> r) {
        if (path != m_analysis->casePath() || m_analysis->isBusy())
            return;
        // Unreadable verdicts are no reason to refuse a run: the run itself reports what it can carry.
        if (r.ok() && !r.value.empty()
            && !ask(tr("Run detection again?"), r.value.warning() + QLatin1String("\n\n") + tr("Run detection now?")))
            return;
        m_carryNote->setSentences({});
        m_analysis->runDetection();
    });
}

void MainWindow::selectCluster(qint64 clusterId)
{
    if (clusterId > 0 && !m_state.run) {
        // The latest run is still being looked up (just after opening): select once it is known.
        m_pendingCluster = clusterId;
        return;
    }
    if (clusterId > 0)
        selectNetwork(m_state.run, clusterId);
}

void MainWindow::selectNetwork(qint64 run, qint64 clusterId)
{
    if (clusterId <= 0 || run <= 0)
        return;
    m_pendingCluster = 0;
    m_state.cluster = clusterId;
    m_state.clusterRun = run;
    ++m_focusGeneration;
    m_state.clearFocus();
    const quint64 generation = ++m_clusterGeneration;
    struct Members
    {
        std::vector<std::int64_t> ids;
        QString label;
    };
    std::function<Members()> work = [path = m_analysis->casePath(), run, clusterId] {
        SqliteDb& db = readConnection(path);
        Members m;
        m.ids = detectiontables::clusterMembers(db, run, clusterId);
        SqliteStatement st(db, "SELECT label FROM cluster WHERE run = ? AND id = ?");
        st.bind(1, run);
        st.bind(2, clusterId);
        m.label = st.step() ? st.columnText(0) : QStringLiteral("N-%1").arg(clusterId);
        return m;
    };
    runInBackground<Members>(this, std::move(work), [this, generation, run, clusterId](TaskResult<Members> r) {
        if (generation != m_clusterGeneration || !r.ok())
            return;
        m_state.scope.accountsRestricted = true;
        m_state.scope.accounts = r.value.ids;
        // A network of an earlier run (a pin's) says so: the networks table shows the latest run's.
        m_state.scope.accountsLabel = run == m_state.run ? tr("network %1").arg(r.value.label)
                                                         : tr("network %1 of run %2 (an earlier run)").arg(r.value.label).arg(run);
        m_state.scope.pivot = {}; // a new network is a new question: drop the previous pivot
        applyState();
        m_evidence->showSubject(run, clusterId, r.value.ids);
        m_graph->showCluster(run, clusterId);
        if (m_case)
            m_case->setClusterSelection({ClusterRef{run, clusterId}});
    });
}

void MainWindow::stepCluster(int delta)
{
    QTableView* table = m_clustersView->table();
    const int rows = m_clustersModel->rowCount();
    if (rows == 0)
        return;
    const int current = table->currentIndex().isValid() ? table->currentIndex().row() : -1;
    const int next = std::clamp(current < 0 ? 0 : current + delta, 0, rows - 1);
    table->setCurrentIndex(m_clustersModel->index(next, 0));
    table->scrollTo(m_clustersModel->index(next, 0));
    // The row's id may still be loading; selectCluster runs from rowSelected once it can.
    if (const qint64 id = m_clustersModel->rowId(next))
        selectCluster(id);
}

void MainWindow::focusAccount(qint64 accountRowId)
{
    m_state.focusedAccount = accountRowId;
    m_state.focusedAccountLabel.clear();
    applyState();
    // The bar names the account as the logs do; the name is read off the GUI thread.
    const quint64 generation = ++m_focusGeneration;
    std::function<QString()> work = [path = m_analysis->casePath(), accountRowId] {
        SqliteStatement st(readConnection(path), "SELECT account_id FROM account WHERE id = ?");
        st.bind(1, accountRowId);
        return st.step() ? st.columnText(0) : QString();
    };
    runInBackground<QString>(this, std::move(work), [this, generation](TaskResult<QString> r) {
        if (generation != m_focusGeneration || !r.ok())
            return;
        m_state.focusedAccountLabel = r.value;
        m_scopeBar->setState(m_state);
    });
    m_graph->selectAccount(accountRowId);
    if (m_state.run)
        m_evidence->showSubject(m_state.run, 0, {accountRowId});
    // Select the account's row too when it is loaded, so the tables agree with the graph.
    QTableView* table = m_accountsView->table();
    for (int row = 0; row < m_accountsModel->rowCount() && row < 4096; ++row)
        if (m_accountsModel->rowId(row) == accountRowId) {
            if (table->currentIndex().row() != row) {
                table->selectionModel()->setCurrentIndex(m_accountsModel->index(row, 0),
                                                         QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
                table->scrollTo(m_accountsModel->index(row, 0));
            }
            break;
        }
}

} // namespace ds
