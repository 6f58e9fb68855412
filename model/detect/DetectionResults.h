#pragma once

#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace ds {

class SqliteDb;

// Read API over the detection tables, so UI and report code never write SQL.
// Use on the thread that owns `db` (each thread opens its own connection).
class DetectionResults
{
public:
    struct Account
    {
        std::int64_t account = 0; // account.id
        QString accountId;        // account.account_id
        double score = 0, behaviour = 0;
        bool flagged = false, solo = false;
        std::optional<std::int64_t> cluster;
        std::int64_t requests = 0, outputTokens = 0, firstTs = 0, lastTs = 0;
    };
    struct Cluster
    {
        std::int64_t id = 0;
        QString label;
        double score = 0;
        std::int64_t accounts = 0, requests = 0, outputTokens = 0, firstTs = 0, lastTs = 0;
        double templateCohesion = 0, lockstep = 0, infraCohesion = 0, meanBehaviour = 0;
    };
    struct Reason
    {
        int rank = 0;
        QString key, text;
        double weight = 0;
        QJsonObject evidence;
    };
    struct IndicatorValue
    {
        int indicator = 0;
        QString key, label, description;
        std::optional<double> value, percentile; // empty: unknown for this account
        double populationMedian = 0, populationP90 = 0, populationP99 = 0;
    };
    struct Link
    {
        std::int64_t a = 0, b = 0;
        double weight = 0;
        QStringList kinds;
    };
    struct Run
    {
        std::int64_t id = 0, startedAt = 0, finishedAt = 0;
        QString status;
        QJsonObject settings;
        std::int64_t accounts = 0, requests = 0, flaggedAccounts = 0, flaggedClusters = 0;
    };

    // The latest finished run of the case, if any.
    static std::optional<std::int64_t> latestRun(SqliteDb& db);

    DetectionResults(SqliteDb& db, std::int64_t run);

    Run run() const;
    // Every active account (or only flagged ones), flagged and higher scores first.
    std::vector<Account> accounts(bool flaggedOnly = false) const;
    std::vector<Cluster> clusters() const;
    std::vector<Account> clusterMembers(std::int64_t cluster) const;
    std::vector<Reason> clusterReasons(std::int64_t cluster) const;
    std::vector<Reason> accountReasons(std::int64_t account) const;
    std::vector<IndicatorValue> indicators(std::int64_t account) const;
    std::vector<Link> links(std::int64_t cluster) const;

private:
    std::vector<Reason> reasons(const char* kind, std::int64_t subject) const;
    std::vector<Account> accountsWhere(const char* where, std::int64_t param) const;

    SqliteDb& m_db;
    std::int64_t m_run;
};

} // namespace ds
