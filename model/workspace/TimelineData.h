#pragma once

#include "core/CancelToken.h"
#include "workspace/Scope.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QVector>

#include <cstdint>
#include <optional>

namespace ds {

class SqliteDb;

// Requests over time for a scope, ready to plot: equal-width buckets stacked by
// flagged network, account or model (the largest series, the rest as "other"), an
// hour-of-day by day heat map (of a brushed range only, when one is given), and
// markers (a model's first request, account creations).
// Plain value type, computed on a worker by one streaming pass over request(ts).
struct TimelineData
{
    // Network: each flagged network of the latest run, and the accounts in none; falls back to Account
    // when the run flagged no network or the scope is already a set of accounts (one network).
    enum class StackBy { Network, Account, Model };
    struct Series
    {
        QString name;
        QVector<double> counts; // one per bucket
        std::int64_t total = 0;
    };
    struct Marker
    {
        std::int64_t ts = 0;
        QString label;
        bool isModelRelease = false;
    };

    std::int64_t startMs = 0;    // start of bucket 0
    std::int64_t bucketMs = 0;   // width of a bucket
    int bucketCount = 0;
    QList<Series> series;        // largest first; the last one may be "other"
    std::int64_t firstDay = 0;   // days since epoch of heat map row 0
    int dayCount = 0;
    QVector<double> heat;        // dayCount x 24, row major (day, hour)
    QList<Marker> markers;
    std::int64_t requests = 0;
    StackBy stackedBy = StackBy::Account; // what the series are (Network may have fallen back)
    bool heatBrushed = false;             // the heat map counts the brushed range only

    static constexpr int kMaxSeries = 8;
    // Worker threads only. `overall` is the case's full time range, so the
    // buckets stay comparable when the scope narrows.
    // `heatFrom`/`heatTo` (both or neither): the brushed range, [from, to), that the heat map counts.
    static TimelineData compute(SqliteDb& db, const ViewScope& scope, StackBy stackBy, const CancelToken& cancel,
                                std::optional<std::int64_t> heatFrom = {}, std::optional<std::int64_t> heatTo = {});
};

// A bucket width (ms) that gives at most about `maxBuckets` buckets over `spanMs`, from a list of round widths.
std::int64_t niceBucketWidth(std::int64_t spanMs, int maxBuckets);

} // namespace ds

Q_DECLARE_METATYPE(ds::TimelineData)
