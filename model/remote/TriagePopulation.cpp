#include "remote/TriagePopulation.h"

#include "core/Sqlite.h"
#include "core/TableExists.h"
#include "detect/CaseSnapshot.h"
#include "detect/LinkGraph.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace ds {

namespace {

const char* kindName(SharedKind k)
{
    switch (k) {
    case SharedKind::Ip: return "ip";
    case SharedKind::Network: return "network";
    case SharedKind::UserAgent: return "user_agent";
    default: return "";
    }
}

std::uint16_t linkKindOf(const QString& name)
{
    if (name == QLatin1String("ip"))
        return LinkIp;
    if (name == QLatin1String("network"))
        return LinkNetwork;
    if (name == QLatin1String("user_agent"))
        return LinkUserAgent;
    return 0;
}

// value text -> id of one of the case's dictionaries.
std::unordered_map<std::string, std::uint32_t> dictionary(SqliteDb& db, const char* sql)
{
    std::unordered_map<std::string, std::uint32_t> out;
    SqliteStatement st(db, sql);
    while (st.step())
        out.emplace(std::string(st.columnView(1)), static_cast<std::uint32_t>(st.columnInt(0)));
    return out;
}

void put(std::vector<std::uint32_t>& by, std::uint32_t id, std::int64_t accounts)
{
    if (by.size() <= id)
        by.resize(id + 1, 0);
    by[id] = static_cast<std::uint32_t>(std::min<std::int64_t>(accounts, UINT32_MAX));
}

} // namespace

void ensureTriagePopulationSchema(SqliteDb& db)
{
    db.exec(R"SQL(
-- The population behind a triage's pull: accounts of the whole remote table using each IP, network and user agent
-- the pulled accounts use (kind 'ip', 'network' in detection's a.b.c.0/24 form, 'user_agent').
CREATE TABLE IF NOT EXISTS triage_value(
    run INTEGER NOT NULL REFERENCES triage_run(id),
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    accounts INTEGER NOT NULL,
    PRIMARY KEY(run, kind, value)
);
-- How the whole table's shared values divide: value_count values of `kind` are each used by `accounts` accounts.
CREATE TABLE IF NOT EXISTS triage_value_size(
    run INTEGER NOT NULL REFERENCES triage_run(id),
    kind TEXT NOT NULL,
    accounts INTEGER NOT NULL,
    value_count INTEGER NOT NULL,
    PRIMARY KEY(run, kind, accounts)
);
-- When the whole table's accounts sent their first request: `accounts` accounts in the minute from `minute` (epoch s).
CREATE TABLE IF NOT EXISTS triage_start(
    run INTEGER NOT NULL REFERENCES triage_run(id),
    minute INTEGER NOT NULL,
    accounts INTEGER NOT NULL,
    PRIMARY KEY(run, minute)
);
)SQL");
}

void storeTriagePopulation(SqliteDb& db, std::int64_t run, const std::vector<ValuePopulation>& values,
                           const std::vector<ValuePopulation>& sizes,
                           const std::vector<std::pair<std::int64_t, std::int64_t>>& starts)
{
    ensureTriagePopulationSchema(db);
    SqliteStatement v(db, "INSERT OR REPLACE INTO triage_value(run, kind, value, accounts) VALUES(?1, ?2, ?3, ?4)");
    for (const ValuePopulation& p : values) {
        v.bind(1, run);
        v.bindText(2, kindName(p.kind));
        v.bindText(3, p.value);
        v.bind(4, p.accounts);
        v.run();
    }
    SqliteStatement s(db, "INSERT OR REPLACE INTO triage_value_size(run, kind, accounts, value_count) VALUES(?1, ?2, ?3, ?4)");
    for (const ValuePopulation& p : sizes) {
        s.bind(1, run);
        s.bindText(2, kindName(p.kind));
        s.bind(3, p.accounts);
        s.bind(4, p.values);
        s.run();
    }
    SqliteStatement t(db, "INSERT OR REPLACE INTO triage_start(run, minute, accounts) VALUES(?1, ?2, ?3)");
    for (const auto& [minute, accounts] : starts) {
        t.bind(1, run);
        t.bind(2, minute);
        t.bind(3, accounts);
        t.run();
    }
}

PopulationCounts loadTriagePopulation(SqliteDb& db, const CaseSnapshot& snap)
{
    PopulationCounts out;
    if (!tableExists(db, "triage_value") || !tableExists(db, "triage_baseline"))
        return out;
    const std::int64_t run = db.queryInt("SELECT max(id) FROM triage_run", 0);
    {
        SqliteStatement st(db, "SELECT count(*) FROM triage_value WHERE run = ?1");
        st.bind(1, run);
        if (!st.step() || st.columnInt(0) == 0)
            return out;
    }
    const auto ips = dictionary(db, "SELECT id, value FROM ip");
    const auto agents = dictionary(db, "SELECT id, value FROM user_agent");
    std::unordered_map<std::string, std::uint32_t> networks;
    for (std::uint32_t n = 1; n < snap.networkNames.size(); ++n)
        networks.emplace(snap.networkNames[n], n);
    {
        SqliteStatement st(db, "SELECT kind, value, accounts FROM triage_value WHERE run = ?1");
        st.bind(1, run);
        while (st.step()) {
            const std::uint16_t kind = linkKindOf(st.columnText(0));
            const std::string value(st.columnView(1));
            const auto& dict = kind == LinkIp ? ips : kind == LinkUserAgent ? agents : networks;
            const auto it = dict.find(value);
            if (!kind || it == dict.end())
                continue; // a value of rows the pull did not keep (a quarantined record's)
            put(kind == LinkIp ? out.ip : kind == LinkUserAgent ? out.userAgent : out.network, it->second, st.columnInt(2));
        }
    }
    {
        SqliteStatement st(db, "SELECT kind, accounts, value_count FROM triage_value_size WHERE run = ?1 ORDER BY kind, accounts");
        st.bind(1, run);
        while (st.step())
            if (const std::uint16_t kind = linkKindOf(st.columnText(0)))
                out.sizes.push_back({kind, st.columnInt(1), st.columnInt(2)});
    }
    if (tableExists(db, "triage_start")) {
        SqliteStatement st(db, "SELECT minute, accounts FROM triage_start WHERE run = ?1 ORDER BY minute");
        st.bind(1, run);
        while (st.step())
            out.starts.emplace_back(st.columnInt(0) * 1000, st.columnInt(1));
    }
    SqliteStatement st(db, "SELECT accounts FROM triage_baseline WHERE run = ?1 AND indicator = 'requests'");
    st.bind(1, run);
    out.accounts = st.step() ? st.columnInt(0) : 0;
    return out;
}

} // namespace ds
