#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace ds {

// The population a case's accounts were drawn from, when the case holds only part of it (a triage pull,
// remote/TriagePopulation.h): how many accounts the whole table has and how many of them use each IP, network and
// user agent the case holds, so the link graph weighs a shared value by everyone sharing it, not by the accounts
// pulled, the communities normalise by the whole population's links (detect/LinkGraph.h) and the cohort windows'
// chance counts everyone's first requests (detect/LinkCohorts.h). Empty (`accounts` 0)
// for a case imported whole: detection then measures the case, as it always has. Value type, read-only during
// detection: any thread.
struct PopulationCounts
{
    // How many values of one kind the whole table has that are each used by `accounts` accounts.
    struct Size
    {
        std::uint16_t kind = 0; // LinkKind bit: LinkIp, LinkNetwork or LinkUserAgent
        std::int64_t accounts = 0, values = 0;
    };

    std::int64_t accounts = 0;            // accounts with requests in the whole table
    std::vector<std::uint32_t> ip;        // by ip id: accounts of the table using it (0: not measured)
    std::vector<std::uint32_t> network;   // by CaseSnapshot network id
    std::vector<std::uint32_t> userAgent; // by user_agent id
    std::vector<Size> sizes;              // every shared value of the table, by kind and size
    // When the table's accounts sent their first request: (minute start in epoch ms, accounts), by minute. The cohort
    // windows' chance (detect/LinkCohorts.h) counts the population's starts, not the case's. Empty: the case's.
    std::vector<std::pair<std::int64_t, std::int64_t>> starts;

    bool present() const { return accounts > 0; }
};

} // namespace ds
