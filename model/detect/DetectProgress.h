#pragma once

#include <atomic>
#include <cstdint>

namespace ds {

// The stages of a detection run, in order.
enum class DetectStage : int { Starting = 0, Scanning, Indicators, Graph, Clustering, Scoring, Writing, Done };
const char* detectStageName(DetectStage s);

// Live progress of a detection run: the worker writes, any thread reads (the
// GUI polls on a timer, the CLI prints from its callback).
struct DetectProgress
{
    std::atomic<int> stage{0};               // DetectStage
    std::atomic<std::int64_t> done{0};       // units done in this stage
    std::atomic<std::int64_t> total{0};      // units in this stage (0: unknown)
    std::atomic<std::int64_t> requestsRead{0};

    void enter(DetectStage s, std::int64_t units)
    {
        done.store(0);
        total.store(units);
        stage.store(static_cast<int>(s));
    }
    double fraction() const
    {
        const auto t = total.load();
        return t > 0 ? static_cast<double>(done.load()) / static_cast<double>(t) : 0.0;
    }
};

} // namespace ds
