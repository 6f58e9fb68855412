#include "views/ScopeBar.h"

#include "core/Timestamp.h"
#include "text/DisplayText.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace ds {

ScopeBar::ScopeBar(QWidget* parent)
    : QWidget(parent)
{
    m_label = new QLabel(this);
    m_label->setTextFormat(Qt::PlainText);
    auto make = [this](const QString& text, const QString& tip) {
        auto* b = new QToolButton(this);
        b->setText(text);
        b->setToolTip(tip);
        b->setAutoRaise(true);
        return b;
    };
    m_accounts = make(tr("✕ accounts"), tr("Show all accounts again"));
    m_time = make(tr("✕ time"), tr("Clear the brushed time range"));
    m_pivot = make(tr("✕ pivot"), tr("Clear the pivot"));
    m_search = make(tr("✕ search"), tr("Clear the search"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 0, 6, 0);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_accounts);
    layout->addWidget(m_time);
    layout->addWidget(m_pivot);
    layout->addWidget(m_search);
    connect(m_accounts, &QToolButton::clicked, this, &ScopeBar::clearAccounts);
    connect(m_time, &QToolButton::clicked, this, &ScopeBar::clearTime);
    connect(m_pivot, &QToolButton::clicked, this, &ScopeBar::clearPivot);
    connect(m_search, &QToolButton::clicked, this, &ScopeBar::clearSearch);
    setScope({});
}

void ScopeBar::setScope(const ViewScope& s)
{
    QStringList parts;
    if (s.accountsRestricted)
        parts << (s.accountsLabel.isEmpty() ? tr("%n account(s)", nullptr, static_cast<int>(s.accounts.size()))
                                            : displaytext::embedded(s.accountsLabel, 80));
    if (s.hasTime())
        parts << tr("%1 – %2").arg(timestamp::toIso(*s.fromMs), timestamp::toIso(*s.toMs));
    if (s.pivot.isActive())
        parts << tr("%1 = %2").arg(pivotKindName(s.pivot.kind), displaytext::embedded(s.pivot.value, 80));
    if (!s.search.isEmpty()) {
        QStringList q;
        for (const QString& v : s.search.ips)
            q << QStringLiteral("ip:") + v;
        for (const QString& v : s.search.accounts)
            q << QStringLiteral("account:") + v;
        for (const QString& v : s.search.templates)
            q << QStringLiteral("template:") + v;
        for (const QString& v : s.search.models)
            q << QStringLiteral("model:") + v;
        if (!s.search.text.isEmpty())
            q << QStringLiteral("\"%1\"").arg(s.search.text);
        parts << tr("search %1").arg(displaytext::embedded(q.join(QLatin1Char(' ')), 100));
    }
    m_label->setText(parts.isEmpty() ? tr("Showing: the whole case") : tr("Showing only: %1").arg(parts.join(QStringLiteral("  ·  "))));
    m_accounts->setVisible(s.accountsRestricted);
    m_time->setVisible(s.hasTime());
    m_pivot->setVisible(s.pivot.isActive());
    m_search->setVisible(!s.search.isEmpty());
}

QString ScopeBar::text() const { return m_label->text(); }

} // namespace ds
