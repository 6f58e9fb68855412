#include "detect/DetectionResults.h"

#include "core/Sqlite.h"

#include <QJsonDocument>

#include <string>

namespace ds {

std::optional<std::int64_t> DetectionResults::latestRun(SqliteDb& db)
{
    if (db.queryInt("SELECT count(*) FROM sqlite_master WHERE name = 'detection_run'") == 0)
        return std::nullopt;
    const std::int64_t id = db.queryInt("SELECT max(id) FROM detection_run WHERE status = 'done'", 0);
    return id ? std::optional<std::int64_t>(id) : std::nullopt;
}

DetectionResults::DetectionResults(SqliteDb& db, std::int64_t run)
    : m_db(db)
    , m_run(run)
{
}

DetectionResults::Run DetectionResults::run() const
{
    SqliteStatement st(m_db, "SELECT id, started_at, finished_at, status, settings_json, accounts, requests, "
                             "flagged_accounts, flagged_clusters FROM detection_run WHERE id = ?1");
    st.bind(1, m_run);
    Run r;
    if (st.step()) {
        r.id = st.columnInt(0);
        r.startedAt = st.columnInt(1);
        r.finishedAt = st.columnInt(2);
        r.status = st.columnText(3);
        r.settings = QJsonDocument::fromJson(st.columnText(4).toUtf8()).object();
        r.accounts = st.columnInt(5);
        r.requests = st.columnInt(6);
        r.flaggedAccounts = st.columnInt(7);
        r.flaggedClusters = st.columnInt(8);
    }
    return r;
}

std::vector<DetectionResults::Account> DetectionResults::accountsWhere(const char* where, std::int64_t param) const
{
    const std::string sql = std::string("SELECT r.account, a.account_id, r.score, r.behaviour, r.flagged, r.solo, r.cluster, "
                                        "r.requests, r.output_tokens, r.first_ts, r.last_ts FROM account_result r "
                                        "JOIN account a ON a.id = r.account WHERE r.run = ?1 ")
                            + where + " ORDER BY r.flagged DESC, r.score DESC, r.account";
    SqliteStatement st(m_db, sql.c_str());
    st.bind(1, m_run);
    if (std::string(where).find("?2") != std::string::npos)
        st.bind(2, param);
    std::vector<Account> out;
    while (st.step()) {
        Account a;
        a.account = st.columnInt(0);
        a.accountId = st.columnText(1);
        a.score = st.columnDouble(2);
        a.behaviour = st.columnDouble(3);
        a.flagged = st.columnInt(4) != 0;
        a.solo = st.columnInt(5) != 0;
        a.cluster = st.optionalInt(6);
        a.requests = st.columnInt(7);
        a.outputTokens = st.columnInt(8);
        a.firstTs = st.columnInt(9);
        a.lastTs = st.columnInt(10);
        out.push_back(std::move(a));
    }
    return out;
}

std::vector<DetectionResults::Account> DetectionResults::accounts(bool flaggedOnly) const
{
    return accountsWhere(flaggedOnly ? "AND r.flagged = 1" : "", 0);
}

std::vector<DetectionResults::Account> DetectionResults::clusterMembers(std::int64_t cluster) const
{
    return accountsWhere("AND r.cluster = ?2", cluster);
}

std::vector<DetectionResults::Cluster> DetectionResults::clusters() const
{
    SqliteStatement st(m_db, "SELECT id, label, score, accounts, requests, output_tokens, first_ts, last_ts, template_cohesion, "
                             "lockstep, infra_cohesion, mean_behaviour FROM cluster WHERE run = ?1 ORDER BY score DESC, id");
    st.bind(1, m_run);
    std::vector<Cluster> out;
    while (st.step()) {
        Cluster c;
        c.id = st.columnInt(0);
        c.label = st.columnText(1);
        c.score = st.columnDouble(2);
        c.accounts = st.columnInt(3);
        c.requests = st.columnInt(4);
        c.outputTokens = st.columnInt(5);
        c.firstTs = st.columnInt(6);
        c.lastTs = st.columnInt(7);
        c.templateCohesion = st.columnDouble(8);
        c.lockstep = st.columnDouble(9);
        c.infraCohesion = st.columnDouble(10);
        c.meanBehaviour = st.columnDouble(11);
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<DetectionResults::Reason> DetectionResults::reasons(const char* kind, std::int64_t subject) const
{
    SqliteStatement st(m_db, "SELECT rank, key, weight, text, evidence_json FROM reason WHERE run = ?1 AND subject_kind = ?2 "
                             "AND subject = ?3 ORDER BY rank");
    st.bind(1, m_run);
    st.bindText(2, kind);
    st.bind(3, subject);
    std::vector<Reason> out;
    while (st.step())
        out.push_back({static_cast<int>(st.columnInt(0)), st.columnText(1), st.columnText(3), st.columnDouble(2),
                       QJsonDocument::fromJson(st.columnText(4).toUtf8()).object()});
    return out;
}

std::vector<DetectionResults::Reason> DetectionResults::clusterReasons(std::int64_t cluster) const
{
    return reasons("cluster", cluster);
}

std::vector<DetectionResults::Reason> DetectionResults::accountReasons(std::int64_t account) const
{
    return reasons("account", account);
}

std::vector<DetectionResults::IndicatorValue> DetectionResults::indicators(std::int64_t account) const
{
    SqliteStatement st(m_db, "SELECT b.indicator, b.key, b.label, b.description, i.value, i.percentile, b.p50, b.p90, b.p99 "
                             "FROM indicator_baseline b LEFT JOIN account_indicator i ON i.run = b.run AND "
                             "i.indicator = b.indicator AND i.account = ?2 WHERE b.run = ?1 ORDER BY b.indicator");
    st.bind(1, m_run);
    st.bind(2, account);
    std::vector<IndicatorValue> out;
    while (st.step()) {
        IndicatorValue v;
        v.indicator = static_cast<int>(st.columnInt(0));
        v.key = st.columnText(1);
        v.label = st.columnText(2);
        v.description = st.columnText(3);
        v.value = st.optionalDouble(4);
        v.percentile = st.optionalDouble(5);
        v.populationMedian = st.columnDouble(6);
        v.populationP90 = st.columnDouble(7);
        v.populationP99 = st.columnDouble(8);
        out.push_back(std::move(v));
    }
    return out;
}

std::vector<DetectionResults::Link> DetectionResults::links(std::int64_t cluster) const
{
    SqliteStatement st(m_db, "SELECT a, b, weight, kinds FROM link WHERE run = ?1 AND cluster = ?2 ORDER BY weight DESC, a, b");
    st.bind(1, m_run);
    st.bind(2, cluster);
    std::vector<Link> out;
    while (st.step())
        out.push_back({st.columnInt(0), st.columnInt(1), st.columnDouble(2), st.columnText(3).split(QLatin1Char(','))});
    return out;
}

} // namespace ds
