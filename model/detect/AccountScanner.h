#pragma once

#include "detect/AccountProfile.h"

#include <QString>

#include <vector>

namespace ds {

class CancelToken;
struct CaseSnapshot;
struct DetectProgress;
struct DetectSettings;

// Reads the narrow request table and profiles every account. Accounts are cut
// into ranges of at most DetectSettings::scanGroupRows requests (counted first
// from the covering (account, ts) index); worker threads (one SQLite connection
// each) take a range, read its rows with a sequential scan, sort them by
// (account, ts) and profile each account. Memory stays at one range per thread. Results are indexed by account id, so they do not
// depend on which thread did what. Call from one (worker) thread; it blocks
// until all scan threads finish. Throws Cancelled or DatabaseError.
std::vector<AccountProfile> scanAccounts(const QString& databasePath, const CaseSnapshot& snapshot,
                                         const DetectSettings& settings, DetectProgress& progress,
                                         const CancelToken& cancel);

} // namespace ds
