#include "views/ScopeBar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace ds {

ScopeBar::ScopeBar(QWidget* parent)
    : QWidget(parent)
{
    m_label = new QLabel(this);
    m_label->setObjectName(QStringLiteral("scopeText"));
    m_label->setTextFormat(Qt::PlainText);
    auto make = [this](const char* name, const QString& text, const QString& tip) {
        auto* b = new QToolButton(this);
        b->setObjectName(QString::fromLatin1(name));
        b->setText(text);
        b->setToolTip(tip);
        b->setAutoRaise(true);
        return b;
    };
    m_accounts = make("clearAccounts", tr("✕ network"), tr("Show every account again"));
    m_focus = make("clearFocus", tr("✕ account"), tr("Stop following the clicked account: show every request in scope"));
    m_time = make("clearTime", tr("✕ time"), tr("Clear the brushed time range"));
    m_pivot = make("clearPivot", tr("✕ pivot"), tr("Clear the pivot"));
    m_search = make("clearSearch", tr("✕ search"), tr("Clear the search"));
    m_accountFilter = make("clearAccountFilter", tr("✕ accounts filter"), tr("Clear the accounts view's filter"));
    m_all = make("clearAll", tr("Clear all"), tr("Show the whole case again (Ctrl+Shift+X)"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 0, 6, 0);
    layout->addWidget(m_label, 1);
    for (QToolButton* b : {m_accounts, m_focus, m_time, m_pivot, m_search, m_accountFilter, m_all})
        layout->addWidget(b);
    connect(m_accounts, &QToolButton::clicked, this, &ScopeBar::clearAccounts);
    connect(m_focus, &QToolButton::clicked, this, &ScopeBar::clearFocus);
    connect(m_time, &QToolButton::clicked, this, &ScopeBar::clearTime);
    connect(m_pivot, &QToolButton::clicked, this, &ScopeBar::clearPivot);
    connect(m_search, &QToolButton::clicked, this, &ScopeBar::clearSearch);
    connect(m_accountFilter, &QToolButton::clicked, this, &ScopeBar::clearAccountFilter);
    connect(m_all, &QToolButton::clicked, this, &ScopeBar::clearAll);
    setState({});
}

void ScopeBar::setState(const InvestigationState& state)
{
    const QStringList parts = state.filterParts();
    m_label->setText(parts.isEmpty() ? tr("Showing: the whole case") : tr("Showing only: %1").arg(parts.join(QStringLiteral("  ·  "))));
    m_accounts->setVisible(state.scope.accountsRestricted);
    m_accounts->setText(state.cluster > 0 ? tr("✕ network") : tr("✕ accounts"));
    m_focus->setVisible(state.focusedAccount > 0);
    m_time->setVisible(state.scope.hasTime());
    m_pivot->setVisible(state.scope.pivot.isActive());
    m_search->setVisible(!state.scope.search.isEmpty());
    m_accountFilter->setVisible(!state.accountFilter.trimmed().isEmpty());
    m_all->setVisible(!parts.isEmpty());
}

QString ScopeBar::text() const { return m_label->text(); }

} // namespace ds
