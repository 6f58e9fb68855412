#pragma once

#include <QString>

#include <cstdint>

namespace ds {

class SqliteDb;

// Who a flagged network's accounts are, counted the way its reasons count them. A network's label and tables count
// every member ("150 accounts"); its reasons count its core, the accounts detection linked to each other first ("139
// of the 143 accounts send …"). The others joined the core afterwards: short-lived accounts on its templates and young
// accounts taking over from its accounts, accounts too small to judge alone that asked its tasks (pool members), or
// accounts that began with its accounts and harvest as they do (mix members).
// The Evidence view and the report explain the two numbers with the same words from here. Read with the thread's own
// connection: any thread.
struct MemberCounts
{
    std::int64_t all = 0;             // members (cluster_member)
    std::int64_t core = 0;            // accounts the network's reasons count; 0: not recorded (an older run)
    std::int64_t pool = 0;            // members that joined through the tasks they asked (reason "pool_member")
    std::int64_t mix = 0;             // members that began with it and harvest alike (reason "mix_member")
    std::int64_t withoutRequests = 0; // members of which the run judged no request

    std::int64_t joinedLater() const { return all > core && core > 0 ? all - core - pool - mix : 0; }
    // True when the reasons' count differs from the members' and needs saying.
    bool differs() const { return core > 0 && core < all; }

    static MemberCounts load(SqliteDb& db, std::int64_t run, std::int64_t cluster);

    // "The reasons count the 143 accounts of its core, the accounts detection linked to each other first; the other 7
    // joined later: 4 short-lived accounts on its templates or young accounts taking over from its accounts, 3 accounts
    // too small to judge alone that asked its tasks." Empty when the reasons count every member.
    QString inWords() const;
    // "4 short-lived or take-over accounts on the same work, 3 too small to judge alone that asked its tasks": who
    // joined, for the report's parentheses. Empty when nobody did.
    QString joinedInWords() const;
};

} // namespace ds
