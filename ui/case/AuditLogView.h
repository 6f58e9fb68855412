#pragma once

#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace ds {

class AuditLogModel;
class CaseEditor;

// The case's audit log, newest first, with a filter box; read-only. Refreshes
// when the editor appends to the log; call refresh() after writers that use
// their own connection (report, exports). GUI thread only.
class AuditLogView : public QWidget
{
    Q_OBJECT
public:
    explicit AuditLogView(CaseEditor* editor, QWidget* parent = nullptr);

    void refresh();

    AuditLogModel* model() const { return m_model; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    QTableView* view() const { return m_view; }
    QLineEdit* filterEdit() const { return m_filter; }

private:
    CaseEditor* m_editor;
    AuditLogModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_view;
    QLineEdit* m_filter;
};

} // namespace ds
