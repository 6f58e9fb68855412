#pragma once

#include <functional>

namespace ds {

class CancelToken;
class SqliteDb;

// Keeps the hits of partners' indicators current. A hit is what a stored indicator matches in the case as it is
// now, so logs imported after a bundle must be matched too: every import re-evaluates the stored indicators, and
// detection does before it uses them as evidence. The case state the hits were evaluated against (imported files,
// last request and account) is kept in the meta table, so a re-evaluation is skipped when nothing was imported
// since, and a re-evaluation that was cancelled or failed is done by the next import or detection.
// Functions take the caller's connection: use them on the thread that owns it. Throw Cancelled and DatabaseError.
namespace indicators {

// Whether the stored hits were evaluated against the case as it is now (true when the case stores no indicator).
bool hitsAreCurrent(SqliteDb& db);

// Evaluates every stored evaluable indicator against every request and account of the case in one pass and
// replaces all hits, inside the caller's transaction. `progress` gets the share done, 0..1.
void reevaluateHits(SqliteDb& db, const CancelToken& cancel, const std::function<void(double)>& progress = {});

// reevaluateHits in a transaction of its own when the hits are not current. Returns whether it re-evaluated.
bool refreshHits(SqliteDb& db, const CancelToken& cancel, const std::function<void(double)>& progress = {});

} // namespace indicators
} // namespace ds
