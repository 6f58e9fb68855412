// MainWindow's Known indicators view: partners' STIX bundles imported into the case, and pivots from their hits.
#include "MainWindow.h"

#include "case/AuditLogView.h"
#include "views/KnownIndicatorsView.h"

#include <QDockWidget>
#include <QStatusBar>

namespace ds {

void MainWindow::buildIndicatorsView()
{
    m_knownIndicators = new KnownIndicatorsView(this);
    addDock(QStringLiteral("indicatorsDock"), tr("Known indicators"), m_knownIndicators, Qt::RightDockWidgetArea);
    connect(m_knownIndicators, &KnownIndicatorsView::accountsRequested, this,
            [this](const std::vector<std::int64_t>& accounts, const QString& label) {
                // The hit accounts replace a selected network (workspace/InvestigationState.h).
                ++m_clusterGeneration;
                m_state.clearAccounts();
                m_state.scope.accountsRestricted = true;
                m_state.scope.accounts = accounts;
                m_state.scope.accountsLabel = label;
                m_state.scope.pivot = {};
                applyState();
            });
    connect(m_knownIndicators, &KnownIndicatorsView::accountFocused, this, &MainWindow::focusAccount);
    connect(m_knownIndicators, &KnownIndicatorsView::imported, this, [this](const QString& message) {
        statusBar()->showMessage(message, 15000);
        if (CaseWorkspace* workspace = m_case; workspace && workspace->auditLogView())
            workspace->auditLogView()->refresh();
    });
}

void MainWindow::importIndicators(const QString& bundlePath)
{
    if (QDockWidget* d = dock(QStringLiteral("indicatorsDock"))) {
        d->show();
        d->raise();
    }
    m_knownIndicators->importBundle(bundlePath);
}

} // namespace ds
