#pragma once

#include "detect/Indicators.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace ds {

class SqliteDb;
struct AccountProfile;
struct ViewScope;
struct DetectionOutcome;

// Precomputed views of a detection run, so that selecting a network in the GUI
// reads a few rows instead of scanning its requests: each network's shared
// infrastructure with case-wide counts, its top templates, its requests per quarter hour
// (positional paging of its requests by time), case-wide account counts of
// shared values (one account's evidence), each network's indicators and each model's first request.
// Rows are per network, per shared value or per time slot, never per request.
namespace viewtables {

constexpr int kVersion = 3; // 2: quarter-hour slots instead of hours; 3: templates by fingerprint
constexpr std::int64_t kSlotMs = 900'000; // width of view_cluster_slot's buckets (a quarter hour)
// Networks whose template keys outgrow this many distinct values (or 8 times as many (key, account) pairs) stop
// being counted exactly: a bound on the memory of the pass at the end of a run. Their templates are then found
// with a heavy-hitter summary and a second pass; when that cannot prove its top 5 exact they keep no template
// rows and the Evidence view computes them on demand.
constexpr std::size_t kMaxTemplateKeysPerCluster = 200000;

// The bounds of the template counting, settable so that tests can force the summary with a few hundred keys.
struct TemplateLimits
{
    std::size_t maxKeys = kMaxTemplateKeysPerCluster; // exact keys per network before the summary takes over
    std::size_t counters = 4096; // counters of a network's summary
    std::size_t candidates = 32; // summary keys counted exactly by the second pass
};
// Sets the limits used by later calls of write(). Call before a detection run starts (tests); writer thread.
void setTemplateLimits(const TemplateLimits& limits);
TemplateLimits templateLimits();

// Kinds of view_value_accounts.kind.
enum ValueKind : int { Ip = 0, UserAgent = 1, Payment = 2, EmailDomain = 3 };

// Creates the view tables if missing. Writer thread.
void ensureSchema(SqliteDb& db);

// Computes and writes the views of `run` from the run's outcome, account profiles and their percentiles (by
// account, as stored in account_indicator), plus one sequential pass over `request` (templates, time slots, model
// first use). Called by storeOutcome inside its transaction. Writer thread.
void write(SqliteDb& db, std::int64_t run, const DetectionOutcome& outcome, const std::vector<AccountProfile>& profiles,
           const std::vector<IndicatorValues>& percentiles);

// True when `run` has views and the case gained no request since they were written: only then do
// they describe the case. Always false with DS_NO_VIEW_TABLES=1 in the environment (benchmarks
// compare with the live queries). Any thread with its own connection.
bool current(SqliteDb& db, std::int64_t run);

// Requests of a network per slot (slot = floor(ts / kSlotMs)), in time order; empty when the run
// has no current views. Any thread with its own connection.
std::vector<std::pair<std::int64_t, std::int64_t>> clusterSlots(SqliteDb& db, std::int64_t run, std::int64_t cluster);

// The whole case's requests per slot, in time order; empty when the run has no current views, or views written
// before these counts were (then every caller reads the requests as before). Any thread with its own connection.
std::vector<std::pair<std::int64_t, std::int64_t>> caseSlots(SqliteDb& db, std::int64_t run);

// The network of `run` whose members are exactly `accounts` (sorted ascending), if any.
std::optional<std::int64_t> clusterWithMembers(SqliteDb& db, std::int64_t run, const std::vector<std::int64_t>& accounts);

// When `scope` is exactly a flagged network of the latest run (its accounts, no other condition) and
// that run's views are current: the run and the network. Any thread with its own connection.
struct NetworkRef
{
    std::int64_t run = 0, cluster = 0;
};
std::optional<NetworkRef> networkOfScope(SqliteDb& db, const ViewScope& scope);

} // namespace viewtables
} // namespace ds
