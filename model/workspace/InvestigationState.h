#pragma once

#include "workspace/Scope.h"

#include <QString>
#include <QStringList>

#include <cstdint>

namespace ds {

// What the analyst is looking at, in one value every view reads its part from: the case, the
// detection run, the selected network (with the run it belongs to: a pin reopens a network of an
// earlier run), the focused account, and the filters (network or account set, time brush, pivot,
// search, the accounts view's indicator filter). The filters each view applies are built here and
// nowhere else, and filterParts() says in words everything that narrows any view, so the scope bar
// can never read "the whole case" while a view shows less. Plain value type: built on the GUI
// thread, copied to workers.
struct InvestigationState
{
    QString casePath;
    std::int64_t run = 0;          // the latest detection run (the networks table shows it); 0: none
    std::int64_t clusterRun = 0;   // the run of the selected network
    std::int64_t cluster = 0;      // the selected network; 0: none
    std::int64_t focusedAccount = 0;
    QString focusedAccountLabel;   // the account's id as the logs name it (attacker text), once known
    ViewScope scope;               // accounts (a network or a selection), time brush, pivot, search
    QString accountFilter;         // the accounts view's indicator filter (workspace/AccountFilter.h)

    // The requests view and the request panel: the scope, narrowed to the focused account.
    ViewScope requestsScope() const;
    // The accounts view: the scope with the indicator filter (a focused account stays one row of many).
    ViewScope accountsScope() const;
    // The timeline and its heat map: the scope, narrowed to the focused account as the requests are.
    ViewScope timelineScope() const;

    // Each thing that narrows a view, in words ("network N-1", "account acct_7", "1 Feb 2026,
    // 06:00–14:30 UTC", "IP network 203.0.113.0/24", "search \"foo\""); attacker text made inert.
    QStringList filterParts() const;
    bool filtersAnything() const { return !filterParts().isEmpty(); }
    // Drops every filter and the focus (one way to clear); the case, the run and the network list stay.
    void clearFilters();
    // The selected network is dropped with the accounts restriction it set.
    void clearAccounts();
    void clearFocus();
};

// A brushed time range in words: "1 Feb 2026, 06:00–14:30 UTC", or with both dates when it spans days.
QString timeRangeText(std::int64_t fromMs, std::int64_t toMs);

// A pivot in words: "IP network 203.0.113.0/24" for a network pivot, "IP 203.0.113.7", "template 3fa1…".
QString pivotText(const Pivot& pivot);

} // namespace ds
