#include "case/PendingReviews.h"

#include "core/Sqlite.h"
#include "detect/ReasonText.h"

#include <QStringList>

namespace ds {

namespace {

constexpr int kNetworksNamed = 6; // more than this are counted, not listed, so the warning stays short

bool hasTable(SqliteDb& db, const char* name)
{
    SqliteStatement st(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?");
    st.bindText(1, name);
    return st.step();
}

} // namespace

QString PendingReviews::warning() const
{
    if (empty())
        return {};
    QStringList held;
    if (!networks.empty()) {
        QStringList named;
        for (std::size_t i = 0; i < networks.size() && i < kNetworksNamed; ++i)
            named << QStringLiteral("N-%1 %2").arg(networks[i].first).arg(reviewStateLabel(networks[i].second));
        if (networks.size() > kNetworksNamed)
            named << QStringLiteral("%1 more").arg(networks.size() - kNetworksNamed);
        held << QStringLiteral("%1 of run %2 (%3)")
                    .arg(reasontext::count(std::int64_t(networks.size()), QStringLiteral("network"), QStringLiteral("networks")))
                    .arg(run)
                    .arg(named.join(QStringLiteral(", ")));
    }
    if (accounts > 0)
        held << reasontext::count(accounts, QStringLiteral("account"), QStringLiteral("accounts"));
    QString text = QStringLiteral("This case holds your verdicts on %1.").arg(held.join(QStringLiteral(" and on ")));
    if (!networks.empty())
        text += QStringLiteral(" A new run numbers its networks afresh. Each network verdict will move to the new network "
                               "that holds at least half of its accounts; where no new network does, the one holding "
                               "most of them is marked Needs review and shows the old verdict.");
    if (accounts > 0)
        text += QStringLiteral(" Account verdicts stay with their accounts.");
    return text;
}

PendingReviews pendingReviews(SqliteDb& db)
{
    PendingReviews out;
    if (!hasTable(db, "cluster_review") || !hasTable(db, "account_review"))
        return out;
    // The latest run with a verdict is the one the next run carries from (carryClusterReviews).
    out.run = db.queryInt("SELECT coalesce(max(run), 0) FROM cluster_review WHERE state <> 0");
    SqliteStatement st(db, "SELECT cluster, state FROM cluster_review WHERE run = ? AND state <> 0 ORDER BY cluster");
    st.bind(1, out.run);
    while (st.step())
        out.networks.emplace_back(st.columnInt(0), reviewStateFromInt(st.columnInt(1)));
    out.accounts = db.queryInt("SELECT count(*) FROM account_review WHERE state <> 0");
    return out;
}

} // namespace ds
