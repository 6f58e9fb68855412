#include "detect/ResultsJson.h"

#include "core/Sqlite.h"
#include "detect/DetectionResults.h"

#include <QJsonArray>

#include <map>

namespace ds {

QJsonObject detectionResultsJson(SqliteDb& db, std::int64_t run)
{
    DetectionResults results(db, run);
    // Reasons of every subject in one pass rather than one query per account.
    std::map<std::pair<QString, std::int64_t>, QJsonArray> reasons;
    {
        SqliteStatement st(db, "SELECT subject_kind, subject, text FROM reason WHERE run = ?1 ORDER BY subject_kind, subject, rank");
        st.bind(1, run);
        while (st.step())
            reasons[{st.columnText(0), st.columnInt(1)}].append(st.columnText(2));
    }
    auto clusterName = [](std::int64_t id) { return QStringLiteral("N-%1").arg(id); };
    QJsonArray accounts;
    std::map<std::int64_t, QJsonArray> members;
    for (const DetectionResults::Account& a : results.accounts()) {
        accounts.append(QJsonObject{
            {QStringLiteral("account_id"), a.accountId},
            {QStringLiteral("score"), a.score},
            {QStringLiteral("flagged"), a.flagged},
            {QStringLiteral("cluster"), a.cluster ? QJsonValue(clusterName(*a.cluster)) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("behaviour"), a.behaviour},
            {QStringLiteral("requests"), static_cast<qint64>(a.requests)},
            {QStringLiteral("reasons"), reasons[{QStringLiteral("account"), a.account}]},
        });
        if (a.cluster)
            members[*a.cluster].append(a.accountId);
    }
    QJsonArray clusters;
    for (const DetectionResults::Cluster& c : results.clusters())
        clusters.append(QJsonObject{
            {QStringLiteral("id"), clusterName(c.id)},
            {QStringLiteral("label"), c.label},
            {QStringLiteral("score"), c.score},
            {QStringLiteral("accounts"), members[c.id]},
            {QStringLiteral("requests"), static_cast<qint64>(c.requests)},
            {QStringLiteral("output_tokens"), static_cast<qint64>(c.outputTokens)},
            {QStringLiteral("reasons"), reasons[{QStringLiteral("cluster"), c.id}]},
        });
    const DetectionResults::Run r = results.run();
    return QJsonObject{{QStringLiteral("run"), static_cast<qint64>(run)},
                       {QStringLiteral("settings"), r.settings},
                       {QStringLiteral("accounts"), accounts},
                       {QStringLiteral("clusters"), clusters}};
}

} // namespace ds
