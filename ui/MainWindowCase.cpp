// MainWindow's embedding of case building (ui/case/CaseWorkspace): review
// actions on the selected networks and accounts, notes, pins, audit log, exports.
#include "MainWindow.h"

#include "case/CaseEditor.h"
#include "case/CaseWorkspace.h"
#include "case/PinsPanel.h"
#include "case/ReviewActions.h"
#include "charts/TimelineView.h"
#include "core/Sqlite.h"
#include "models/PagedTableModel.h"
#include "views/DataTableView.h"
#include "views/EvidenceView.h"

#include <QAction>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QMenu>
#include <QToolButton>

#include <algorithm>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>

namespace ds {

void MainWindow::attachCaseWorkspace(const QString& path)
{
    if (path.isEmpty())
        return;
    if (m_case) {
        if (m_case->property("casePath").toString() == path) {
            m_case->analysisFinished();
            return;
        }
        delete m_case; // its docks and actions go with it
    }
    if (m_caseOpening == path)
        return; // already on its way
    // Opening for writing checks the case and audits its runs: on a large case that takes a
    // noticeable time, so it happens on a worker; the workspace arrives when it is ready.
    m_caseOpening = path;
    const quint64 generation = ++m_caseGeneration;
    CaseWorkspace::openInBackground(path, this, [this, path, generation](CaseWorkspace* ws, const QString& error) {
        if (generation != m_caseGeneration) { // another case was opened meanwhile
            delete ws;
            return;
        }
        m_caseOpening.clear();
        if (!ws) {
            statusBar()->showMessage(error, 15000);
            return;
        }
        installCaseWorkspace(path, ws);
    });
}

void MainWindow::installCaseWorkspace(const QString& path, CaseWorkspace* workspace)
{
    ++m_caseGeneration; // a workspace still opening in the background is not wanted any more
    m_caseOpening.clear();
    delete m_case;
    m_case = workspace;
    workspace->setProperty("casePath", path);
    workspace->attach(this, m_editMenu, m_fileMenu);
    m_viewMenu->addActions(workspace->dockToggleActions());
    // By default the case docks join the tabs under the timeline, so the views keep their room;
    // then they take their saved place, if the analyst arranged them before.
    QDockWidget* requests = dock(QStringLiteral("requestsDock"));
    for (const char* name : {"caseNotesDock", "pinsDock", "auditLogDock"})
        if (QDockWidget* d = dock(QString::fromLatin1(name)); d && requests)
            tabifyDockWidget(requests, d);
    if (requests)
        requests->raise();
    restoreState(QSettings().value(QStringLiteral("window/state")).toByteArray());
    connect(workspace, &CaseWorkspace::editFailed, this, [this](const QString& message) { statusBar()->showMessage(message, 15000); });
    connect(workspace, &CaseWorkspace::pinActivated, this, [this](const PinnedItem& pin) {
        if (pin.cluster)
            selectNetwork(pin.run.value_or(m_state.run), *pin.cluster);
        if (pin.account)
            focusAccount(*pin.account);
    });
    // A review changes the Review column of the clusters table.
    for (QAction* a : workspace->reviewActions()->actions())
        connect(a, &QAction::triggered, m_clustersModel, &PagedTableModel::reload);
    workspace->analysisFinished();
    updateReviewSelection();
}

void MainWindow::addReviewActions(QMenu* menu, DataTableView* view)
{
    CaseWorkspace* workspace = m_case; // checked once: QPointer reads its guard again at every use
    if (!workspace)
        return;
    if (view == m_clustersView)
        workspace->setClusterSelection({ClusterRef{m_state.clusterRun, m_state.cluster}});
    else
        updateReviewSelection();
    menu->addSeparator();
    QMenu* review = menu->addMenu(tr("Review %1").arg(workspace->reviewActions()->subjectText()));
    workspace->reviewActions()->addTo(review);
}

void MainWindow::updateReviewSelection()
{
    if (!m_case)
        return;
    // The last selection made wins: a network when one is selected, else the selected accounts.
    std::vector<std::int64_t> accounts;
    for (const QModelIndex& index : m_accountsView->table()->selectionModel()->selectedRows())
        if (const qint64 id = m_accountsModel->rowId(index.row()))
            accounts.push_back(id);
    if (!accounts.empty())
        m_case->setAccountSelection(accounts);
    else if (m_state.cluster > 0 && m_state.clusterRun > 0)
        m_case->setClusterSelection({ClusterRef{m_state.clusterRun, m_state.cluster}});
}

void MainWindow::buildPinActions()
{
    connect(m_timeline, &TimelineView::pinRequested, this, &MainWindow::pinToCase);
    connect(m_evidence, &EvidenceView::pinRequested, this, &MainWindow::pinToCase);

    m_pinRequests = new QAction(tr("Pin selected requests"), this);
    m_pinRequests->setObjectName(QStringLiteral("pinRequests"));
    m_pinRequests->setToolTip(tr("Pin the selected requests into the case"));
    connect(m_pinRequests, &QAction::triggered, this, &MainWindow::pinSelectedRequests);
    auto* button = new QToolButton(m_requestsView);
    button->setDefaultAction(m_pinRequests);
    m_requestsView->toolRow()->addWidget(button);
    connect(m_requestsView, &DataTableView::contextMenuAboutToShow, this, [this](QMenu* menu) {
        menu->addSeparator();
        menu->addAction(m_pinRequests);
    });
}

void MainWindow::pinSelectedRequests()
{
    if (!m_case) {
        statusBar()->showMessage(tr("Open a case to pin evidence into it."), 8000);
        return;
    }
    QModelIndexList rows = m_requestsView->table()->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    QJsonArray ids;
    QJsonArray rowIds; // the report finds the requests by these, with no index on request ids
    try {
        SqliteStatement q(m_case->editor()->database(),
                          "SELECT COALESCE(rt.request_id, '#' || r.id) FROM request r LEFT JOIN request_text rt ON rt.id = r.id "
                          "WHERE r.id = ?");
        for (const QModelIndex& index : rows) {
            const qint64 id = m_requestsModel->rowId(index.row());
            if (!id)
                continue; // its block is still loading
            q.reset();
            q.bind(1, id);
            if (q.step()) {
                ids.append(q.columnText(0));
                rowIds.append(id);
            }
        }
    } catch (const DatabaseError& e) {
        statusBar()->showMessage(tr("Could not read the selected requests: %1").arg(QString::fromUtf8(e.what())), 15000);
        return;
    }
    if (ids.isEmpty()) {
        statusBar()->showMessage(tr("Select the requests to pin first."), 8000);
        return;
    }
    PinnedItem pin;
    pin.kind = PinKind::RequestSet;
    pin.title = tr("%n request(s)", nullptr, static_cast<int>(ids.size()));
    pin.payload = {{QStringLiteral("request_ids"), ids},
                   {QStringLiteral("rows"), rowIds},
                   {QStringLiteral("description"), tr("%n request(s) selected in the requests view", nullptr, static_cast<int>(ids.size()))}};
    pinToCase(std::move(pin));
}

void MainWindow::pinToCase(PinnedItem pin)
{
    CaseWorkspace* workspace = m_case;
    if (!workspace) {
        statusBar()->showMessage(tr("Open a case to pin evidence into it."), 8000);
        return;
    }
    // The network with its own run: a later run renumbers networks, and the pin must reopen this one.
    if (m_state.clusterRun > 0 && m_state.cluster > 0) {
        pin.run = m_state.clusterRun;
        pin.cluster = m_state.cluster;
    }
    if (m_state.focusedAccount > 0)
        pin.account = m_state.focusedAccount;
    std::int64_t id = 0;
    try {
        id = workspace->editor()->addPin(std::move(pin)); // undoable, audited
    } catch (const DatabaseError& e) {
        statusBar()->showMessage(tr("Could not pin: %1").arg(QString::fromUtf8(e.what())), 15000);
        return;
    }
    if (QDockWidget* pins = dock(QStringLiteral("pinsDock")))
        pins->raise();
    workspace->pinsPanel()->selectPin(id); // the note is typed there
}

} // namespace ds
