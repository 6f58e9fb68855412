#pragma once

#include "indicators/BundleReader.h"
#include "indicators/IndicatorMatcher.h"

#include <QString>

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace ds {

class SqliteDb;

// Partners' indicators kept in the case: each imported bundle (file name, SHA-256, producer), its indicators
// (pattern, producer, validity window, confidence, and why one cannot be evaluated) and what each matched
// (accounts, requests, first and last seen). Functions take the caller's connection: use them on the thread that
// owns it, inside the caller's transaction when there is one.
namespace indicators {

// Creates the tables; called from knownschema::createAll().
void ensureSchema(SqliteDb& db);
// Whether the case has the tables (a case made before them has none until it is written to).
bool hasTables(SqliteDb& db);

// One indicator as stored, with its bundle.
struct StoredIndicator
{
    std::int64_t id = 0;
    QString stixId, name, pattern, producer;
    QString summary;     // what it names, for people; empty when unevaluable
    QString unevaluable; // why it cannot be evaluated; empty when it was evaluated
    std::int64_t validFrom = 0;
    std::optional<std::int64_t> validUntil;
    std::optional<int> confidence;
    QString bundleFile, bundleSha256, bundleProducer;
    // Hits, summed over accounts.
    std::int64_t accounts = 0, requests = 0, firstTs = 0, lastTs = 0;
};

struct StoredHit
{
    std::int64_t indicator = 0, account = 0;
    QString accountId;
    std::int64_t requests = 0, firstTs = 0, lastTs = 0;
};

// Stores a bundle read from `fileName` with the plans of its indicators (same order as bundle.indicators), without
// hits: indicators/HitRefresh.h evaluates every stored indicator. A bundle with the same SHA-256 imported before is
// replaced. Returns the bundle's row id.
std::int64_t storeBundle(SqliteDb& db, const QString& fileName, const Bundle& bundle, const std::vector<IndicatorPlan>& plans);

// A stored indicator Distillscope evaluated when it was imported: what re-evaluating it needs.
struct EvaluableIndicator
{
    std::int64_t id = 0;
    QString patternType, pattern;
};
std::vector<EvaluableIndicator> loadEvaluable(SqliteDb& db);
// Replaces every stored hit with `hits` (per indicator of `indicators`, same order; by account.id).
void replaceHits(SqliteDb& db, const std::vector<EvaluableIndicator>& indicators,
                 const std::vector<std::map<std::int64_t, AccountHit>>& hits);

// Every stored indicator, those with hits first (most accounts first), then the rest by bundle and id.
std::vector<StoredIndicator> loadIndicators(SqliteDb& db);
// The hits of one indicator, most requests first.
std::vector<StoredHit> loadHits(SqliteDb& db, std::int64_t indicator);
// Every hit of every indicator, by account (detection's evidence).
std::vector<StoredHit> loadAllHits(SqliteDb& db);

} // namespace indicators
} // namespace ds
