#pragma once

#include "detect/AccountProfile.h"

#include <QString>

#include <cstdint>
#include <string>
#include <vector>

namespace ds {

class SqliteDb;
struct DetectSettings;

// The small tables detection needs in memory, indexed by their database ids:
// accounts, IP → network, e-mail domains, stop reasons. Loaded once on the
// orchestrating thread, then read-only (shared by the scan threads).
struct CaseSnapshot
{
    std::vector<AccountInfo> accounts;       // index = account.id (slot 0 unused)
    std::vector<std::string> accountNames;   // account.account_id
    std::vector<bool> accountPresent;        // the id exists
    std::vector<std::uint32_t> ipNetwork;    // ip.id → network id (0: unparsable)
    std::vector<std::string> networkNames;   // network id → "203.0.113.0/24"
    std::vector<bool> publicEmailDomain;     // email_domain.id → webmail
    std::uint32_t maxTokensStopId = 0;       // stop_reason id of "max_tokens"
    bool hasTailHash = false;                // the request table has tail_hash (cases made since it exists)
    bool hasTaskColumns = false;             // the request table has task_hash and harvest (issue 13)
    std::int64_t requestCount = 0;

    static CaseSnapshot load(SqliteDb& db, const DetectSettings& settings);
    std::uint32_t accountSlots() const { return static_cast<std::uint32_t>(accounts.size()); }
};

// "a.b.c.0/24" for IPv4, the /48 prefix for IPv6, empty if `ip` does not parse. Any thread.
std::string networkOf(const std::string& ip);

} // namespace ds
