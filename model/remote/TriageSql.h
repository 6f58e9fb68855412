#pragma once

#include "remote/TriageColumns.h"

#include <QString>
#include <QStringList>

namespace ds {

// The SQL the triage sends to ClickHouse, for the server version Debian 12 ships (18.16): no DateTime64, Map, Bool,
// JSONExtract*, multiSearch* or groupUniqArray(N); only functions 18.16 has and later releases kept. Each query is
// one GROUP BY pass over the table (shard-local when the table is sharded by account, docs/CLICKHOUSE_TRIAGE.md) and
// returns JSONEachRow. Request text never leaves the server: prompts are reduced there to phrase flags and 64-bit
// fingerprints. Pure functions: any thread.

// Knobs of the queries that change what comes back (the rest is fixed by detection's own definitions).
struct TriageSqlOptions
{
    int minRequests = 3;        // accounts with fewer requests are left out of the per-account rows (not the baselines)
    int linkMaxAccounts = 25;   // a value shared by more accounts is popular (a carrier NAT, an SDK's user agent): not a link
    // A template head or tail counts as the account's when it used it this often: a one-off prompt is no template,
    // and leaving those out keeps the (value, account) pairs that cross between shards near the account count.
    int minTemplateUses = 2;
};

// Kinds of value the shared-values query counts accounts on (`kind` column of its rows).
enum class SharedKind : int { Ip = 1, Network = 2, UserAgent = 3, TemplateHead = 4, TemplateTail = 5 };

// One row per account: volume, tokens, time span, active days, distinct IPs, /24 (IPv6 /48) networks and user
// agents, counts of requests carrying detection's marker phrases (text/PromptFeatures markerPhrases: reasoning
// demanded, grading, long answers asked, sensitive rewrites), task-shaped requests (those markers, maths with
// numbers, code, tools offered) and their tokens without tools, max_tokens stops.
QString accountAggregatesSql(const TriageColumns& columns, const TriageSqlOptions& options);

// One row per account: how many of its requests carry its most used template head and tail (prompt fingerprints).
QString templateSharesSql(const TriageColumns& columns, const TriageSqlOptions& options);

// One row per value used by 2 to linkMaxAccounts accounts: kind, cityHash64 of the value (as text: JSON numbers lose
// bits), how many accounts, and the accounts (all of them, since there are at most linkMaxAccounts). Template heads
// and tails count for an account that used them minTemplateUses times.
QString sharedValuesSql(const TriageColumns& columns, const TriageSqlOptions& options);

// The population behind the values the pulled accounts use (remote/TriagePopulation.h), for detection's link weights:
// one row per IP, network (detection's "a.b.c.0/24" or IPv6 "x:y:z::/48" form) and user agent that any of `accounts`
// used, with how many accounts of the whole table used it (kind 1, 2, 3 as SharedKind). Two-phase: the distinct
// (kind, value, account) triples are made where the rows are, then counted per value; the pulled accounts' values
// come from a GLOBAL IN subquery (a Distributed table in both the outer query and the subquery is otherwise refused).
// Send as the POST body (the account list).
QString valuePopulationSql(const TriageColumns& columns, const QStringList& accounts);

// How the table's values divide: one row per kind and per number of accounts sharing a value (2 or more), with how
// many values are shared by that many (`kind`, `accounts`, `value_count`). A few hundred rows whatever the table's
// size; detection sums its link weights over them for the whole population's total (detect/PopulationCounts.h).
QString valueSizesSql(const TriageColumns& columns);

// When the table's accounts began: one row per minute (`minute`, epoch seconds) in which accounts sent their first
// request, with how many (`accounts`). Every account of the table, however small; shard-local per account, then summed
// by minute. Detection's cohort windows weigh their chance by it (detect/PopulationCounts.h).
QString accountStartsSql(const TriageColumns& columns);

// One row: the population baselines (remote/TriageBaselines.h) over every account of the table, each indicator's
// account count, mean and percentiles 1..99 computed by the server.
QString baselinesSql(const TriageColumns& columns);

// The indicators baselinesSql measures, in the order of its columns (keys of detect/Indicators.h).
QStringList baselineIndicatorKeys();

// The condition the pull adds to its WHERE to read the chosen accounts' rows only. The account list is written into
// the query text: send the query as the POST body (thousands of ids exceed any URL limit; ClickHouse's default
// max_query_size, 256 KiB, holds about 10,000 ids of 20 characters, see triagePullQuerySettings).
QString candidateFilterSql(const TriageColumns& columns, const QStringList& accounts);

// URL settings for a pull query carrying `accounts` (max_query_size raised to fit the id list), as
// "name=value" pairs to append to the request URL.
QStringList triagePullQuerySettings(const QStringList& accounts);

} // namespace ds
