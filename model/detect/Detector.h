#pragma once

#include "detect/DetectProgress.h"
#include "detect/DetectSettings.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace ds {

class CancelToken;

// The outcome of a detection run, as the CLI and the GUI summarise it.
struct DetectSummary
{
    std::int64_t run = 0;        // detection_run.id (0 if the run could not start)
    bool cancelled = false;
    QString error;               // set when the run failed
    std::int64_t accounts = 0, requests = 0;
    std::int64_t flaggedAccounts = 0, flaggedClusters = 0, soloAccounts = 0, communities = 0;
    std::int64_t graphEdges = 0;
    std::map<std::string, double> stageSeconds; // wall time per stage, in run order of names
    // The analyst's network verdicts carried from the previous run, a sentence each
    // (case/ReviewCarry.h; filled by the callers that carry them).
    QStringList reviewsCarried;
};

// Runs detection on an imported case: snapshot of the small tables, parallel
// scan of the requests per account, population indicators, account graph,
// Leiden communities, scoring, reasons, storage. Call from a worker thread (the
// GUI wraps it in DetectJob); `progress` and `cancel` may be touched from any
// thread meanwhile. `onProgress` is called on the calling thread between stages.
// The run is recorded in detection_run even when it fails or is cancelled.
class Detector
{
public:
    static DetectSummary run(const QString& databasePath, const DetectSettings& settings, DetectProgress& progress,
                             const CancelToken& cancel, const std::function<void(const DetectProgress&)>& onProgress = {});
};

} // namespace ds
