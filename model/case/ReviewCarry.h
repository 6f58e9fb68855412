#pragma once

#include "case/ReviewState.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace ds {

class SqliteDb;

// Networks are numbered afresh by every detection run, so a verdict given to
// network N-1 of one run would be lost by the next run. This carries each
// network verdict of the latest reviewed earlier run to its successor in the
// new run: the new network holding at least half of the old one's accounts.
// A network whose accounts scattered, or a successor that two verdicts
// disagree on, is marked Needs review, and every outcome is said in a sentence
// ("N-1 kept Confirmed: 58 of its 60 accounts are in N-2"). Account verdicts
// belong to accounts and need no carrying.
struct CarriedVerdict
{
    std::int64_t oldCluster = 0;
    std::int64_t newCluster = 0; // 0: no new network holds any of its accounts
    ReviewState oldState = ReviewState::Unreviewed;
    ReviewState newState = ReviewState::Unreviewed;
    std::int64_t oldAccounts = 0;
    std::int64_t inNewCluster = 0; // of oldAccounts, how many are in newCluster
    QString sentence;
};

struct ReviewCarry
{
    std::int64_t fromRun = 0; // 0: there was nothing to carry
    std::int64_t toRun = 0;
    std::vector<CarriedVerdict> verdicts;

    QStringList sentences() const;
};

// Carries verdicts into `toRun` (a finished run) and records what was carried in
// the audit log. Does nothing when `toRun` already has verdicts. Runs in one
// transaction on the caller's connection; use on the thread that owns `db`.
ReviewCarry carryClusterReviews(SqliteDb& db, std::int64_t toRun);

// Opens the case for writing and carries (the detection's worker thread, the CLI).
ReviewCarry carryClusterReviews(const QString& casePath, std::int64_t toRun);

} // namespace ds
