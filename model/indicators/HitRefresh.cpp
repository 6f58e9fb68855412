#include "indicators/HitRefresh.h"

#include "core/CaseDatabase.h"
#include "core/Sqlite.h"
#include "indicators/IndicatorMatcher.h"
#include "indicators/IndicatorStore.h"
#include "indicators/PatternPlan.h"

namespace ds::indicators {

namespace {

constexpr const char* kEvaluatedKey = "partner_hits_evaluated_against";

// What the hits depend on, read in constant time. Every import that commits adds a source_file row, and requests
// and accounts are only ever added by imports; the count guards against a reused id.
QString caseState(SqliteDb& db)
{
    return QStringLiteral("files %1/%2, request %3, account %4")
        .arg(db.queryInt("SELECT max(id) FROM source_file"))
        .arg(db.queryInt("SELECT count(*) FROM source_file"))
        .arg(db.queryInt("SELECT max(id) FROM request"))
        .arg(db.queryInt("SELECT max(id) FROM account"));
}

} // namespace

bool hitsAreCurrent(SqliteDb& db)
{
    if (!hasTables(db) || db.queryInt("SELECT count(*) FROM partner_indicator WHERE unevaluable IS NULL") == 0)
        return true;
    return CaseDatabase::meta(db, kEvaluatedKey) == caseState(db);
}

void reevaluateHits(SqliteDb& db, const CancelToken& cancel, const std::function<void(double)>& progress)
{
    std::vector<EvaluableIndicator> stored = loadEvaluable(db);
    std::vector<IndicatorPlan> plans;
    plans.reserve(stored.size());
    for (const EvaluableIndicator& s : stored)
        plans.push_back(planFor(s.patternType, s.pattern));
    // A pattern evaluable when it was imported stays so under the same rules; one another version's rules cannot
    // evaluate any more keeps the verdict it was imported with and simply matches nothing.
    std::vector<EvaluableIndicator> kept;
    std::vector<const IndicatorPlan*> evaluable;
    for (std::size_t i = 0; i < plans.size(); ++i)
        if (plans[i].evaluable()) {
            kept.push_back(std::move(stored[i]));
            evaluable.push_back(&plans[i]);
        }
    replaceHits(db, kept, matchPlans(db, evaluable, cancel, progress));
    CaseDatabase::setMeta(db, kEvaluatedKey, caseState(db));
}

bool refreshHits(SqliteDb& db, const CancelToken& cancel, const std::function<void(double)>& progress)
{
    if (hitsAreCurrent(db))
        return false;
    SqliteTransaction tx(db);
    reevaluateHits(db, cancel, progress);
    tx.commit();
    return true;
}

} // namespace ds::indicators
