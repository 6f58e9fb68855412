#include "views/QuarantinePanel.h"

#include "models/PagedTableModel.h"
#include "views/DataTableView.h"
#include "workspace/WorkspaceTables.h"

#include <QSplitter>
#include <QVBoxLayout>

namespace ds {

QuarantinePanel::QuarantinePanel(DataTableView* quarantineView, QWidget* parent)
    : QWidget(parent)
{
    m_conflictsModel = new PagedTableModel([](SqliteDb& db, const ViewScope&) { return workspace::conflictsTable(db); }, this);
    m_conflictsView = new DataTableView(tr("Conflicting copies of a request id"), m_conflictsModel, this);
    m_conflictsView->setObjectName(QStringLiteral("conflictsView"));

    auto* split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("quarantineSplit"));
    split->setChildrenCollapsible(false);
    split->addWidget(quarantineView);
    split->addWidget(m_conflictsView);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);
}

void QuarantinePanel::setCase(const QString& path) { m_conflictsModel->setCase(path); }

} // namespace ds
