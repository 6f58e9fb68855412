#pragma once

#include "workspace/Scope.h"

#include <cstdint>

namespace ds {

class SqliteDb;

// The accounts view's indicator filter: space-separated terms, all required:
// `flagged`, `unflagged`, `score>=0.5`, or any indicator key with a comparison
// (`lockstep_share>0.8`, `distinct_ips<=2`, `cot_rate=0`). Worker threads only:
// indicator keys are checked against the run's baseline table; an unknown key
// or a malformed term throws std::runtime_error with a one-sentence message.
SqlFragment accountFilterCondition(SqliteDb& db, std::int64_t run, const QString& filter);

} // namespace ds
