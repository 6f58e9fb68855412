#include "case/AuditLogView.h"

#include "case/AuditLogModel.h"
#include "case/CaseEditor.h"
#include "core/Sqlite.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace ds {

AuditLogView::AuditLogView(CaseEditor* editor, QWidget* parent)
    : QWidget(parent)
    , m_editor(editor)
    , m_model(new AuditLogModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_filter(new QLineEdit(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1); // any column: an analyst looks for a user, an action or an id alike
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_filter->setObjectName(QStringLiteral("auditFilter"));
    m_filter->setPlaceholderText(tr("Filter the audit log (user, action, subject, details)"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_view->setObjectName(QStringLiteral("auditTable"));
    m_view->setModel(m_proxy);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    QHeaderView* h = m_view->horizontalHeader();
    h->setSectionResizeMode(QHeaderView::Interactive);
    h->setStretchLastSection(true);
    const QFontMetrics fm = m_view->fontMetrics();
    h->resizeSection(AuditLogModel::Time, fm.horizontalAdvance(QStringLiteral("2026-11-28 19:23:52")) + 16);
    h->resizeSection(AuditLogModel::User, fm.horizontalAdvance(QStringLiteral("analyst01")) + 16);
    h->resizeSection(AuditLogModel::Action, fm.horizontalAdvance(QStringLiteral("remove pinned evidence")) + 16);
    h->resizeSection(AuditLogModel::Subject, fm.horizontalAdvance(QStringLiteral("confirmed accounts CSV")) + 16);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_filter);
    layout->addWidget(m_view);

    connect(m_editor, &CaseEditor::auditLogChanged, this, &AuditLogView::refresh);
    refresh();
}

void AuditLogView::refresh()
{
    try {
        m_model->setEntries(m_editor->auditLog());
    } catch (const DatabaseError&) {
        // The case became unreadable (file removed, disk error): keep what is shown; the editor reports
        // the failure of the write that follows, and a read error alone is no reason for a dialog.
    }
}

} // namespace ds
