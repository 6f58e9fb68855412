// MainWindow's embedding of case building (ui/case/CaseWorkspace): review
// actions on the selected networks and accounts, notes, pins, audit log, exports.
#include "MainWindow.h"

#include "case/CaseWorkspace.h"
#include "case/ReviewActions.h"
#include "models/PagedTableModel.h"
#include "views/DataTableView.h"

#include <QDockWidget>
#include <QMenu>
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
    QString error;
    m_case = CaseWorkspace::open(path, this, &error);
    if (!m_case) {
        statusBar()->showMessage(error, 15000);
        return;
    }
    m_case->setProperty("casePath", path);
    m_case->attach(this, m_editMenu, m_fileMenu);
    m_viewMenu->addActions(m_case->dockToggleActions());
    // By default the case docks join the tabs under the timeline, so the views keep their room;
    // then they take their saved place, if the analyst arranged them before.
    QDockWidget* requests = dock(QStringLiteral("requestsDock"));
    for (const char* name : {"caseNotesDock", "pinsDock", "auditLogDock"})
        if (QDockWidget* d = dock(QString::fromLatin1(name)); d && requests)
            tabifyDockWidget(requests, d);
    if (requests)
        requests->raise();
    restoreState(QSettings().value(QStringLiteral("window/state")).toByteArray());
    connect(m_case, &CaseWorkspace::editFailed, this, [this](const QString& message) { statusBar()->showMessage(message, 15000); });
    connect(m_case, &CaseWorkspace::pinActivated, this, [this](const PinnedItem& pin) {
        if (pin.cluster)
            selectCluster(*pin.cluster);
        if (pin.account)
            focusAccount(*pin.account);
    });
    // A review changes the Review column of the clusters table.
    for (QAction* a : m_case->reviewActions()->actions())
        connect(a, &QAction::triggered, m_clustersModel, &PagedTableModel::reload);
    m_case->analysisFinished();
    updateReviewSelection();
}

void MainWindow::addReviewActions(QMenu* menu, DataTableView* view)
{
    if (!m_case)
        return;
    if (view == m_clustersView)
        m_case->setClusterSelection({ClusterRef{m_run, m_cluster}});
    else
        updateReviewSelection();
    menu->addSeparator();
    QMenu* review = menu->addMenu(tr("Review %1").arg(m_case->reviewActions()->subjectText()));
    m_case->reviewActions()->addTo(review);
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
    else if (m_cluster > 0 && m_run > 0)
        m_case->setClusterSelection({ClusterRef{m_run, m_cluster}});
}

} // namespace ds
