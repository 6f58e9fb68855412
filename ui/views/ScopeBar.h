#pragma once

#include "workspace/Scope.h"

#include <QWidget>

class QLabel;
class QToolButton;

namespace ds {

// Shows what the views are restricted to (cluster, time range, pivot, search)
// with a button to clear each, so nobody mistakes a filtered table for the
// whole case. GUI thread only.
class ScopeBar : public QWidget
{
    Q_OBJECT
public:
    explicit ScopeBar(QWidget* parent = nullptr);
    void setScope(const ViewScope& scope);
    QString text() const;

Q_SIGNALS:
    void clearAccounts();
    void clearTime();
    void clearPivot();
    void clearSearch();

private:
    QLabel* m_label = nullptr;
    QToolButton* m_accounts = nullptr;
    QToolButton* m_time = nullptr;
    QToolButton* m_pivot = nullptr;
    QToolButton* m_search = nullptr;
};

} // namespace ds
