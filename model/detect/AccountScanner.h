#pragma once

#include "detect/AccountProfile.h"

#include <QString>

#include <vector>

namespace ds {

class CancelToken;
struct CaseSnapshot;
struct DetectProgress;
struct DetectSettings;

// Streams the narrow request table in (account, ts) order over the index,
// split in account ranges across worker threads (one SQLite connection each),
// and profiles every account. Results are indexed by account id, so they do not
// depend on which thread did what. Call from one (worker) thread; it blocks
// until all scan threads finish. Throws Cancelled or DatabaseError.
std::vector<AccountProfile> scanAccounts(const QString& databasePath, const CaseSnapshot& snapshot,
                                         const DetectSettings& settings, DetectProgress& progress,
                                         const CancelToken& cancel);

} // namespace ds
