#pragma once

#include <QStringList>

#include <cstdint>

namespace ds {

class SqliteDb;

// Why detection did not flag one account, in plain sentences: which kinds of evidence a flag needs
// (a network's core or, alone, a harvest profile or strong behaviour with evasive infrastructure),
// which of them this account lacks, with the run's own thresholds beside the account's own values,
// and its strongest signals against the population. Read from the stored run only (account_result,
// account_indicator, the run's settings_json), so it says what that run decided. Empty for an
// account the run flagged: its reasons say why. Worker threads only (it queries the case).
QStringList whyNotFlagged(SqliteDb& db, std::int64_t run, std::int64_t account);

} // namespace ds
