#pragma once

#include "case/ReviewState.h"

#include <QString>

#include <cstdint>
#include <utility>
#include <vector>

namespace ds {

class SqliteDb;

// The verdicts a new detection run would carry (case/ReviewCarry.h), read before the run so the
// analyst is told what will happen to them: networks are renumbered by every run, so each network
// verdict moves to the new network holding at least half of its accounts, or leaves Needs review.
// Pure value; any thread.
struct PendingReviews
{
    std::int64_t run = 0;                                      // the run the network verdicts belong to (0: none)
    std::vector<std::pair<std::int64_t, ReviewState>> networks; // (network, verdict) of that run
    std::int64_t accounts = 0;                                  // accounts with a verdict (they keep it)

    bool empty() const { return networks.empty() && accounts == 0; }
    // What a re-run will do with these verdicts, in sentences (empty when there are none).
    QString warning() const;
};

// Reads the verdicts the next run would carry; nothing when the case tables do not exist yet.
// Use on the thread that owns `db` (a read connection is enough).
PendingReviews pendingReviews(SqliteDb& db);

} // namespace ds
