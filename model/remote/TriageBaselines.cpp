#include "remote/TriageBaselines.h"

#include "core/Sqlite.h"
#include "detect/AccountProfile.h"
#include "detect/PopulationIndicators.h"
#include "remote/TriageRows.h"
#include "remote/TriageSql.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace ds {

namespace {

std::optional<Indicator> indicatorByKey(const QString& key)
{
    for (int i = 0; i < kIndicatorCount; ++i)
        if (key == QLatin1String(indicatorInfo(i).key))
            return static_cast<Indicator>(i);
    return std::nullopt;
}

double number(const QJsonValue& v)
{
    if (v.isString())
        return v.toString().toDouble();
    return v.toDouble(std::nan(""));
}

} // namespace

std::vector<RemoteBaseline> parseRemoteBaselines(const QByteArray& bytes)
{
    const QJsonDocument doc = QJsonDocument::fromJson(bytes.trimmed());
    if (!doc.isObject())
        throw TriageFormatError("the server's baselines are not one JSON row");
    const QJsonObject o = doc.object();
    std::vector<RemoteBaseline> out;
    for (const QString& key : baselineIndicatorKeys()) {
        const auto ind = indicatorByKey(key);
        const QJsonArray q = o.value(key + QStringLiteral("_q")).toArray();
        if (!ind || !o.contains(key + QStringLiteral("_accounts")) || q.size() != 99)
            throw TriageFormatError("the server's baselines lack " + key.toStdString());
        RemoteBaseline b;
        b.indicator = *ind;
        b.accounts = static_cast<std::int64_t>(number(o.value(key + QStringLiteral("_accounts"))));
        b.mean = number(o.value(key + QStringLiteral("_mean")));
        for (int i = 0; i < 99; ++i)
            b.percentiles[static_cast<size_t>(i)] = number(q[i]);
        if (b.accounts > 0)
            out.push_back(b);
    }
    return out;
}

double remotePercentile(const RemoteBaseline& b, double v)
{
    const auto& p = b.percentiles;
    if (std::isnan(v))
        return std::nan("");
    if (v <= p[0])
        return v < p[0] ? 0.0 : 0.01;
    if (v > p[98])
        return 1.0;
    // The last level under v, and the first at or over it: interpolate between their levels.
    size_t i = 0;
    while (i + 1 < p.size() && p[i + 1] < v)
        ++i;
    const double lo = p[i], hi = p[i + 1];
    const double t = hi > lo ? (v - lo) / (hi - lo) : 0.0;
    return (static_cast<double>(i + 1) + t) / 100.0;
}

void applyRemoteBaselines(const std::vector<RemoteBaseline>& remote, const std::vector<AccountProfile>& profiles,
                          std::vector<IndicatorBaseline>& baselines, std::vector<IndicatorValues>& percentiles)
{
    for (const RemoteBaseline& r : remote) {
        const auto i = static_cast<size_t>(r.indicator);
        if (i >= baselines.size())
            continue;
        IndicatorBaseline& b = baselines[i];
        b.accounts = r.accounts;
        b.mean = r.mean;
        b.p50 = r.percentiles[49];
        b.p90 = r.percentiles[89];
        b.p99 = r.percentiles[98];
        for (size_t a = 0; a < profiles.size() && a < percentiles.size(); ++a)
            if (profiles[a].requests && !std::isnan(profiles[a].ind[i]))
                percentiles[a][i] = remotePercentile(r, profiles[a].ind[i]);
    }
}

void ensureTriageSchema(SqliteDb& db)
{
    db.exec(R"SQL(
-- The triage pushed down to a remote table (docs/CLICKHOUSE_TRIAGE.md): one run per remote import that used it.
CREATE TABLE IF NOT EXISTS triage_run(
    id INTEGER PRIMARY KEY,
    address TEXT NOT NULL,        -- the URL without its password
    started_at INTEGER NOT NULL,  -- epoch ms
    finished_at INTEGER NOT NULL,
    rows_total INTEGER NOT NULL,  -- rows of the table in the time range
    rows_chosen INTEGER NOT NULL, -- rows of the accounts chosen (what the pull reads)
    accounts_total INTEGER NOT NULL,
    candidates INTEGER NOT NULL,
    linked INTEGER NOT NULL,
    dropped INTEGER NOT NULL,     -- candidates and linked accounts left out by the row budget
    settings_json TEXT NOT NULL
);
-- The accounts chosen: why (TriageWhy bits) and the score.
CREATE TABLE IF NOT EXISTS triage_account(
    run INTEGER NOT NULL REFERENCES triage_run(id),
    account_id TEXT NOT NULL,
    score REAL NOT NULL,
    why INTEGER NOT NULL,
    requests INTEGER NOT NULL,
    PRIMARY KEY(run, account_id)
);
-- The population baselines the server computed: percentiles 1..99 as a JSON array.
CREATE TABLE IF NOT EXISTS triage_baseline(
    run INTEGER NOT NULL REFERENCES triage_run(id),
    indicator TEXT NOT NULL,
    accounts INTEGER NOT NULL,
    mean REAL NOT NULL,
    percentiles_json TEXT NOT NULL,
    PRIMARY KEY(run, indicator)
);
)SQL");
}

std::vector<RemoteBaseline> loadRemoteBaselines(SqliteDb& db)
{
    std::vector<RemoteBaseline> out;
    {
        SqliteStatement has(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'triage_baseline'");
        if (!has.step() || has.columnInt(0) == 0)
            return out;
    }
    SqliteStatement st(db, "SELECT indicator, accounts, mean, percentiles_json FROM triage_baseline "
                           "WHERE run = (SELECT max(id) FROM triage_run) ORDER BY indicator");
    while (st.step()) {
        const auto ind = indicatorByKey(st.columnText(0));
        const QJsonArray q = QJsonDocument::fromJson(st.columnText(3).toUtf8()).array();
        if (!ind || q.size() != 99)
            continue; // a later build's indicator: its local figures stay
        RemoteBaseline b;
        b.indicator = *ind;
        b.accounts = st.columnInt(1);
        b.mean = st.columnDouble(2);
        for (int i = 0; i < 99; ++i)
            b.percentiles[static_cast<size_t>(i)] = q[i].toDouble();
        out.push_back(b);
    }
    return out;
}

} // namespace ds
