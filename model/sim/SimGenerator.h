#pragma once

#include "core/CancelToken.h"
#include "sim/SimScenario.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace ds {

// Where and how to write one simulated dataset.
struct SimOptions
{
    QString outDir;
    std::uint64_t seed = 1;
    bool gzip = true;
    int gzipLevel = 1; // fastest: compression is the bottleneck; the output is still deterministic
};

// What a run wrote, per truth role and per campaign.
struct SimSummary
{
    struct Count
    {
        std::int64_t accounts = 0;
        std::int64_t requests = 0;
    };
    QStringList files;
    std::int64_t requests = 0;
    std::int64_t accounts = 0;
    std::int64_t firstTs = 0;
    std::int64_t lastTs = 0;
    std::map<std::string, Count> byRole;     // "benign/casual", "attacker/hydra-worker", ...
    std::map<std::string, Count> byCampaign; // campaign name (attackers only)
    std::int64_t requestsBytes = 0;          // size of the requests file on disk
    bool cancelled = false;
    QString error;
};

// Generates a scenario's traffic into `outDir`: requests.jsonl.gz (or .jsonl),
// accounts.csv and truth.csv. Streams: actors are merged by time through a
// heap and records leave in 1 MiB chunks to a compressing thread, so memory
// does not grow with the number of requests. The same scenario and seed give
// the same bytes. Call from one worker thread; `cancel` from any thread.
// `onProgress(records)` is called every few hundred thousand records.
class SimGenerator
{
public:
    static SimSummary run(const SimScenario& scenario, const SimOptions& options, const CancelToken& cancel,
                          const std::function<void(std::int64_t)>& onProgress = {});
};

} // namespace ds
