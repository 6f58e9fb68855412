#include "detect/CaseSnapshot.h"

#include "core/Sqlite.h"
#include "detect/DetectSettings.h"

#include <arpa/inet.h>

#include <cstdio>
#include <unordered_map>

namespace ds {

std::string networkOf(const std::string& ip)
{
    unsigned char b[16];
    if (inet_pton(AF_INET, ip.c_str(), b) == 1) {
        char out[32];
        std::snprintf(out, sizeof out, "%u.%u.%u.0/24", b[0], b[1], b[2]);
        return out;
    }
    if (inet_pton(AF_INET6, ip.c_str(), b) == 1) {
        char out[48];
        std::snprintf(out, sizeof out, "%x:%x:%x::/48", (b[0] << 8) | b[1], (b[2] << 8) | b[3], (b[4] << 8) | b[5]);
        return out;
    }
    return {};
}

CaseSnapshot CaseSnapshot::load(SqliteDb& db, const DetectSettings& settings)
{
    CaseSnapshot s;
    const auto maxAccount = static_cast<size_t>(db.queryInt("SELECT max(id) FROM account", 0));
    s.accounts.resize(maxAccount + 1);
    s.accountNames.resize(maxAccount + 1);
    s.accountPresent.assign(maxAccount + 1, false);
    {
        SqliteStatement st(db, "SELECT id, account_id, created_at, email_domain, payment_fingerprint, tier FROM account");
        while (st.step()) {
            const auto id = static_cast<size_t>(st.columnInt(0));
            AccountInfo& a = s.accounts[id];
            s.accountPresent[id] = true;
            s.accountNames[id] = std::string(st.columnView(1));
            if (!st.isNull(2))
                a.createdAt = st.columnInt(2);
            a.emailDomain = static_cast<std::uint32_t>(st.columnInt(3));
            a.payment = static_cast<std::uint32_t>(st.columnInt(4));
            a.rateLimitPerMinute = settings.rateLimitFor(st.isNull(5) ? QString() : st.columnText(5));
        }
    }
    {
        const auto maxIp = static_cast<size_t>(db.queryInt("SELECT max(id) FROM ip", 0));
        s.ipNetwork.assign(maxIp + 1, 0);
        s.networkNames.emplace_back();
        std::unordered_map<std::string, std::uint32_t> nets;
        SqliteStatement st(db, "SELECT id, value FROM ip");
        while (st.step()) {
            std::string net = networkOf(std::string(st.columnView(1)));
            if (net.empty())
                continue;
            auto [it, added] = nets.try_emplace(net, static_cast<std::uint32_t>(s.networkNames.size()));
            if (added)
                s.networkNames.push_back(net);
            s.ipNetwork[static_cast<size_t>(st.columnInt(0))] = it->second;
        }
    }
    {
        const auto maxDomain = static_cast<size_t>(db.queryInt("SELECT max(id) FROM email_domain", 0));
        s.publicEmailDomain.assign(maxDomain + 1, false);
        SqliteStatement st(db, "SELECT id, value FROM email_domain");
        while (st.step())
            s.publicEmailDomain[static_cast<size_t>(st.columnInt(0))] =
                settings.publicEmailDomains.contains(st.columnText(1).toLower());
    }
    s.maxTokensStopId = static_cast<std::uint32_t>(db.queryInt("SELECT id FROM stop_reason WHERE value = 'max_tokens'", 0));
    s.hasTailHash = db.queryInt("SELECT count(*) FROM pragma_table_info('request') WHERE name = 'tail_hash'") > 0;
    s.hasTaskColumns = db.queryInt("SELECT count(*) FROM pragma_table_info('request') WHERE name IN ('task_hash', 'harvest')") == 2;
    s.requestCount = db.queryInt("SELECT max(id) FROM request", 0);
    return s;
}

} // namespace ds
