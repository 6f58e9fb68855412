#include "detect/MemberCounts.h"

#include "core/Sqlite.h"
#include "detect/ReasonText.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

namespace ds {

using reasontext::count;

MemberCounts MemberCounts::load(SqliteDb& db, std::int64_t run, std::int64_t cluster)
{
    MemberCounts m;
    {
        SqliteStatement st(db, "SELECT count(*), sum(COALESCE(ar.requests, 0) = 0) FROM cluster_member cm LEFT JOIN account_result ar "
                               "ON ar.run = cm.run AND ar.account = cm.account WHERE cm.run = ?1 AND cm.cluster = ?2");
        st.bind(1, run);
        st.bind(2, cluster);
        if (st.step()) {
            m.all = st.columnInt(0);
            m.withoutRequests = st.isNull(1) ? 0 : st.columnInt(1);
        }
    }
    {
        // The "hydra" reason counts the core and names who joined (detect/ReasonWriter.cpp).
        SqliteStatement st(db, "SELECT evidence_json FROM reason WHERE run = ?1 AND subject_kind = 'cluster' AND subject = ?2 "
                               "AND key = 'hydra'");
        st.bind(1, run);
        st.bind(2, cluster);
        if (st.step())
            m.core = QJsonDocument::fromJson(st.columnText(0).toUtf8()).object().value(QStringLiteral("accounts")).toInteger();
    }
    for (auto [key, into] : { std::pair { "pool_member", &m.pool }, std::pair { "mix_member", &m.mix } }) {
        SqliteStatement st(db, "SELECT count(DISTINCT r.subject) FROM reason r JOIN cluster_member cm ON cm.run = r.run AND "
                               "cm.account = r.subject AND cm.cluster = ?2 WHERE r.run = ?1 AND r.subject_kind = 'account' "
                               "AND r.key = ?3");
        st.bind(1, run);
        st.bind(2, cluster);
        st.bindText(3, key);
        if (st.step())
            *into = st.columnInt(0);
    }
    return m;
}

QString MemberCounts::joinedInWords() const
{
    QStringList parts;
    if (const std::int64_t later = joinedLater(); later > 0)
        parts << QStringLiteral("%1 on its templates or taking over from its accounts")
                     .arg(count(later, QStringLiteral("short-lived or young account"), QStringLiteral("short-lived or young accounts")));
    if (pool > 0)
        parts << QStringLiteral("%1 too small to judge alone that asked its tasks")
                     .arg(count(pool, QStringLiteral("account"), QStringLiteral("accounts")));
    if (mix > 0)
        parts << QStringLiteral("%1 that began with its accounts and harvest as they do")
                     .arg(count(mix, QStringLiteral("account"), QStringLiteral("accounts")));
    return parts.join(QStringLiteral(", "));
}

QString MemberCounts::inWords() const
{
    if (!differs())
        return {};
    QString text = QStringLiteral("The reasons count the %1 of its core, the accounts detection linked to each other first; "
                                  "the other %2 joined later: %3.")
                       .arg(count(core, QStringLiteral("account"), QStringLiteral("accounts")), reasontext::whole(all - core),
                            joinedInWords());
    if (withoutRequests > 0)
        text += QStringLiteral(" %1 of the %2 members made no request this run judged.")
                    .arg(reasontext::whole(withoutRequests), reasontext::whole(all));
    return text;
}

} // namespace ds
