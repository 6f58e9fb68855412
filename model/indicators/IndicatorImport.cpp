#include "indicators/IndicatorImport.h"

#include "case/AuditLog.h"
#include "case/CaseTables.h"
#include "core/Sqlite.h"
#include "core/Timestamp.h"
#include "indicators/BundleReader.h"
#include "indicators/HitRefresh.h"
#include "indicators/IndicatorStore.h"
#include "indicators/PatternPlan.h"

#include <QFileInfo>
#include <QJsonArray>

#include <algorithm>

namespace ds::indicators {

QJsonObject ImportOutcome::toJson() const
{
    if (refused())
        return QJsonObject{{QStringLiteral("refused"), refusal}, {QStringLiteral("file"), fileName}};
    QJsonArray unevaluableJson, hitsJson;
    for (const Unevaluable& u : unevaluable)
        unevaluableJson.append(QJsonObject{{QStringLiteral("id"), u.id}, {QStringLiteral("pattern"), u.pattern}, {QStringLiteral("why"), u.why}});
    for (const Hit& h : hits) {
        QJsonObject o{{QStringLiteral("id"), h.id},
                      {QStringLiteral("pattern"), h.pattern},
                      {QStringLiteral("names"), h.summary},
                      {QStringLiteral("producer"), h.producer},
                      {QStringLiteral("accounts"), QJsonArray::fromStringList(h.accounts)},
                      {QStringLiteral("requests"), static_cast<qint64>(h.requests)}};
        if (h.confidence)
            o.insert(QStringLiteral("confidence"), *h.confidence);
        o.insert(QStringLiteral("valid_from"), timestamp::toIso(h.validFrom));
        if (h.validUntil)
            o.insert(QStringLiteral("valid_until"), timestamp::toIso(*h.validUntil));
        if (h.requests) {
            o.insert(QStringLiteral("first_seen"), timestamp::toIso(h.firstTs));
            o.insert(QStringLiteral("last_seen"), timestamp::toIso(h.lastTs));
        }
        hitsJson.append(o);
    }
    return QJsonObject{{QStringLiteral("file"), fileName},
                       {QStringLiteral("sha256"), sha256},
                       {QStringLiteral("producer"), producer},
                       {QStringLiteral("indicators"), indicators},
                       {QStringLiteral("evaluable"), evaluable},
                       {QStringLiteral("unevaluable"), unevaluableJson},
                       {QStringLiteral("hits"), hitsJson}};
}

ImportOutcome importBundle(SqliteDb& db, const QString& path, const CancelToken& cancel, const std::function<void(double)>& progress)
{
    ImportOutcome out;
    out.fileName = QFileInfo(path).fileName();
    ReadResult read = readBundleFile(path);
    if (!read.bundle) {
        out.refusal = read.refusal;
        return out;
    }
    const Bundle& bundle = *read.bundle;
    out.sha256 = bundle.sha256;
    out.producer = bundle.producer;
    out.indicators = static_cast<int>(bundle.indicators.size());

    std::vector<IndicatorPlan> plans;
    plans.reserve(bundle.indicators.size());
    for (const PartnerIndicator& ind : bundle.indicators) {
        plans.push_back(planFor(ind.patternType, ind.pattern));
        if (plans.back().evaluable())
            ++out.evaluable;
        else
            out.unevaluable.push_back({ind.stixId, ind.pattern, plans.back().why});
    }

    SqliteTransaction tx(db);
    // The audit log lives with the case tables; analysis runs before this import are logged first, in order.
    ensureCaseTables(db);
    audit::syncAnalysisRuns(db);
    const std::int64_t bundleId = storeBundle(db, out.fileName, bundle, plans);
    // One pass over the case evaluates this bundle's indicators with those stored before, whose hits become
    // current too (indicators/HitRefresh.h).
    reevaluateHits(db, cancel, progress);
    audit::append(db, QStringLiteral("import indicators"), out.fileName,
                  QJsonObject{{QStringLiteral("sha256"), out.sha256},
                              {QStringLiteral("producer"), out.producer},
                              {QStringLiteral("indicators"), out.indicators},
                              {QStringLiteral("evaluable"), out.evaluable}});

    SqliteStatement ids(db, "SELECT id FROM partner_indicator WHERE bundle = ?1 ORDER BY id");
    ids.bind(1, bundleId);
    for (std::size_t i = 0; i < plans.size() && ids.step(); ++i) {
        const std::vector<StoredHit> stored = loadHits(db, ids.columnInt(0));
        if (stored.empty())
            continue;
        const PartnerIndicator& ind = bundle.indicators[i];
        ImportOutcome::Hit h{ind.stixId, ind.pattern, plans[i].summary(), ind.producer, ind.confidence, ind.validFrom, ind.validUntil, {}, 0, 0, 0};
        for (const StoredHit& s : stored) {
            h.accounts << s.accountId;
            if (s.requests) {
                h.firstTs = h.requests ? std::min(h.firstTs, s.firstTs) : s.firstTs;
                h.lastTs = h.requests ? std::max(h.lastTs, s.lastTs) : s.lastTs;
                h.requests += s.requests;
            }
        }
        out.hits.push_back(std::move(h));
    }
    tx.commit();
    return out;
}

} // namespace ds::indicators
