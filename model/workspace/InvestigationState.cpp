#include "workspace/InvestigationState.h"

#include "text/DisplayText.h"

#include <QDateTime>
#include <QLocale>
#include <QTimeZone>

namespace ds {

namespace {

QString searchText(const SearchQuery& s)
{
    QStringList q;
    for (const QString& v : s.ips)
        q << QStringLiteral("ip:") + v;
    for (const QString& v : s.accounts)
        q << QStringLiteral("account:") + v;
    for (const QString& v : s.templates)
        q << QStringLiteral("template:") + v;
    for (const QString& v : s.models)
        q << QStringLiteral("model:") + v;
    if (!s.text.isEmpty())
        q << QStringLiteral("\"%1\"").arg(s.text);
    return q.join(QLatin1Char(' '));
}

QDateTime utc(std::int64_t ms) { return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()); }

} // namespace

ViewScope InvestigationState::requestsScope() const
{
    ViewScope s = scope;
    s.accountFilter.clear();
    if (focusedAccount > 0) {
        // The focused account narrows the requests within whatever else applies (a network, a pivot).
        s.accountsRestricted = true;
        s.accounts = {focusedAccount};
    }
    return s;
}

ViewScope InvestigationState::accountsScope() const
{
    ViewScope s = scope;
    s.accountFilter = accountFilter;
    return s;
}

ViewScope InvestigationState::timelineScope() const { return requestsScope(); }

QStringList InvestigationState::filterParts() const
{
    QStringList parts;
    if (scope.accountsRestricted) {
        if (!scope.accountsLabel.isEmpty())
            parts << displaytext::embedded(scope.accountsLabel, 80);
        else
            parts << (scope.accounts.size() == 1 ? QStringLiteral("1 account")
                                                 : QStringLiteral("%1 accounts").arg(QLocale::c().toString(qint64(scope.accounts.size()))));
    }
    if (focusedAccount > 0)
        parts << (focusedAccountLabel.isEmpty() ? QStringLiteral("one account's requests")
                                                : QStringLiteral("requests of account %1").arg(displaytext::embedded(focusedAccountLabel, 60)));
    if (scope.hasTime())
        parts << timeRangeText(*scope.fromMs, *scope.toMs);
    if (scope.pivot.isActive())
        parts << pivotText(scope.pivot);
    if (!scope.search.isEmpty())
        parts << QStringLiteral("search %1").arg(displaytext::embedded(searchText(scope.search), 100));
    if (!accountFilter.trimmed().isEmpty())
        parts << QStringLiteral("accounts where %1").arg(displaytext::embedded(accountFilter.trimmed(), 80));
    return parts;
}

void InvestigationState::clearFilters()
{
    scope = {};
    accountFilter.clear();
    cluster = 0;
    clusterRun = 0;
    clearFocus();
}

void InvestigationState::clearAccounts()
{
    scope.accountsRestricted = false;
    scope.accounts.clear();
    scope.accountsLabel.clear();
    cluster = 0;
    clusterRun = 0;
}

void InvestigationState::clearFocus()
{
    focusedAccount = 0;
    focusedAccountLabel.clear();
}

QString timeRangeText(std::int64_t fromMs, std::int64_t toMs)
{
    const QDateTime from = utc(fromMs);
    // The range is half-open: its last moment is just before `to`, which names the day it ends on.
    const QDateTime last = utc(std::max(fromMs, toMs - 1));
    const QLocale en = QLocale::c();
    const QString day = QStringLiteral("d MMM yyyy");
    const QString time = QStringLiteral("HH:mm");
    // A range ending at midnight ends at 24:00 of its last day, not 00:00 of the next.
    const QString end = utc(toMs).time() == QTime(0, 0) && toMs > fromMs ? QStringLiteral("24:00") : en.toString(utc(toMs), time);
    if (last.date() == from.date())
        return QStringLiteral("%1, %2–%3 UTC").arg(en.toString(from, day), en.toString(from, time), end);
    return QStringLiteral("%1 %2 – %3 %4 UTC")
        .arg(en.toString(from, day), en.toString(from, time), en.toString(last, day), end);
}

QString pivotText(const Pivot& pivot)
{
    const QString value = displaytext::embedded(pivot.value, 80);
    switch (pivot.kind) {
    case PivotKind::None: return {};
    case PivotKind::Network: {
        // The pivot is on the whole /24 (/48), whichever address of it was clicked.
        const QString address = pivot.value.section(QLatin1Char('/'), 0, 0);
        const QString prefix = scopesql::networkPrefix(address);
        const QString net = address.contains(QLatin1Char(':')) ? prefix + QStringLiteral(":/48") : prefix + QStringLiteral("0/24");
        return QStringLiteral("IP network %1").arg(displaytext::embedded(net, 80));
    }
    case PivotKind::Ip: return QStringLiteral("IP %1").arg(value);
    case PivotKind::UserAgent: return QStringLiteral("user agent %1").arg(value);
    case PivotKind::Model: return QStringLiteral("model %1").arg(value);
    case PivotKind::Template: return QStringLiteral("template %1").arg(value);
    case PivotKind::PaymentFingerprint: return QStringLiteral("payment fingerprint %1").arg(value);
    case PivotKind::EmailDomain: return QStringLiteral("e-mail domain %1").arg(value);
    case PivotKind::Account: return QStringLiteral("account %1").arg(value);
    }
    return {};
}

} // namespace ds
