#pragma once

#include "indicators/PatternPlan.h"

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

namespace ds {

class CancelToken;
class SqliteDb;

namespace indicators {

// What one indicator matched in one account.
struct AccountHit
{
    std::int64_t requests = 0; // the account's requests that matched (an account-level match: all of its requests)
    std::int64_t firstTs = 0, lastTs = 0; // epoch ms of the first and last of them; 0 when it has none
};

// Evaluates indicator plans against every request and account of a case: the dictionaries (IP addresses, user
// agents, e-mail domains, payment fingerprints) are tested once per value, then one pass over the requests and one
// over the accounts, each only when some plan needs it. Hits per plan, by account.id. Caller's connection and
// thread; throws Cancelled. `progress` gets the share done, 0..1.
std::vector<std::map<std::int64_t, AccountHit>> matchPlans(SqliteDb& db, const std::vector<const IndicatorPlan*>& plans,
                                                            const CancelToken& cancel,
                                                            const std::function<void(double)>& progress = {});

} // namespace indicators
} // namespace ds
