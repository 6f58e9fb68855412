#pragma once

#include "workspace/InvestigationState.h"

#include <QWidget>

class QLabel;
class QToolButton;

namespace ds {

// Says everything that narrows what the views show (network or account set, focused account, time
// range, pivot, search, the accounts filter: workspace/InvestigationState's filterParts), with a
// button to clear each and one to clear them all, so nobody mistakes a filtered table for the
// whole case. GUI thread only.
class ScopeBar : public QWidget
{
    Q_OBJECT
public:
    explicit ScopeBar(QWidget* parent = nullptr);
    void setState(const InvestigationState& state);
    QString text() const;
    // The "Clear all" button: the one way back to the whole case (also Ctrl+Shift+X).
    QToolButton* clearAllButton() const { return m_all; }

Q_SIGNALS:
    void clearAccounts();
    void clearFocus();
    void clearTime();
    void clearPivot();
    void clearSearch();
    void clearAccountFilter();
    void clearAll();

private:
    QLabel* m_label = nullptr;
    QToolButton* m_accounts = nullptr;
    QToolButton* m_focus = nullptr;
    QToolButton* m_time = nullptr;
    QToolButton* m_pivot = nullptr;
    QToolButton* m_search = nullptr;
    QToolButton* m_accountFilter = nullptr;
    QToolButton* m_all = nullptr;
};

} // namespace ds
