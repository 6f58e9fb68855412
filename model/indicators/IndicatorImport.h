#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace ds {

class CancelToken;
class SqliteDb;

namespace indicators {

// What importing one partner bundle into a case gave: its indicators, those Distillscope could not evaluate and
// why, and what the others matched. Plain value: any thread.
struct ImportOutcome
{
    QString refusal; // one sentence when the bundle was refused; nothing was stored then
    QString fileName, sha256, producer;
    int indicators = 0, evaluable = 0;

    struct Unevaluable
    {
        QString id, pattern, why;
    };
    std::vector<Unevaluable> unevaluable;

    struct Hit
    {
        QString id, pattern, summary, producer;
        std::optional<int> confidence;
        std::int64_t validFrom = 0;             // the producer's validity window, shown beside the hit, never used to drop it
        std::optional<std::int64_t> validUntil;
        QStringList accounts; // account ids, most requests first
        std::int64_t requests = 0, firstTs = 0, lastTs = 0;
    };
    std::vector<Hit> hits;

    bool refused() const { return !refusal.isEmpty(); }
    // {indicators, evaluable, unevaluable: [{id, pattern, why}], hits: [{id, pattern, accounts, requests, valid_from, ...}], ...}
    QJsonObject toJson() const;
};

// Reads the bundle at `path`, stores it (indicators/IndicatorStore.h), evaluates its indicators with those stored
// before against every request and account of the case (indicators/HitRefresh.h) and records the import in the audit
// log, in one transaction. Caller's connection and thread; throws Cancelled (nothing stored then). `progress` gets
// the share done, 0..1.
ImportOutcome importBundle(SqliteDb& db, const QString& path, const CancelToken& cancel,
                           const std::function<void(double)>& progress = {});

} // namespace indicators
} // namespace ds
