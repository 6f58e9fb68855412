#pragma once

#include "sim/SimActor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ds {

// The families of harvest task the careful adversary sends (issue 13).
enum class SimTaskFamily : std::uint8_t
{
    Maths, // a word problem, full reasoning demanded
    Grading, // a rubric, a question and a candidate answer to grade
    Rewrite, // a sensitive question to rewrite so that it avoids the topic
    ToolUse, // a request plus tool schemas: a function-calling demonstration
    CodeFunction, // a function to complete whose docstring holds its tests
    CodeFeature, // a coding instruction, to implement with unit tests
};

// One task of the operation's queue: a family and an item of that family's pool.
struct SimAdversaryTask
{
    SimTaskFamily family = SimTaskFamily::Maths;
    std::uint32_t item = 0;
};

// One account's own way of wrapping a task: an opener, a way to ask for the reasoning, a format request, an
// ask per task family, a label and the order of the parts. Drawn from phrase banks that combine into far more
// wrappers than an operation has accounts, so no two accounts share a template.
struct SimWrapperStyle
{
    std::string opener, reasoningAsk, formatAsk, codingAsk, toolAsk, gradingAsk, rewriteAsk, label;
    int arrangement = 0; // 0..3, see SimAdversaryTasks::wrap
};

// The adversary's task texts: item pools from the Heldout part of the corpora (text/CorpusSplit.h), so the
// harvest model is not graded on tasks it was trained on, plus generated rewrite and tool-use tasks written for
// the simulator. Immutable after construction: any thread.
class SimAdversaryTasks
{
public:
    explicit SimAdversaryTasks(const SimCorpus& corpus);

    // Items of a family's pool (indices into the corpus, or generated task numbers).
    std::uint32_t poolSize(SimTaskFamily f) const;
    // The task's own text (what task fingerprints should find under any wrapper) and the tools it offers.
    void taskText(const SimAdversaryTask& t, std::string& out, std::vector<std::string>* tools) const;
    // Fills prompt, tools and answer kind of `r`: the task alone (raw) or inside the account's wrapper.
    void fill(const SimAdversaryTask& t, const SimWrapperStyle* style, SimRng& rng, SimRequest& r) const;

    static SimWrapperStyle drawStyle(SimRng& rng);
    // How many distinct wrappers drawStyle can make (the product of the phrase banks).
    static double styleVariants();

private:
    const SimCorpus& m_c;
    std::vector<std::uint32_t> m_maths, m_functions, m_features, m_tools;
};

// The shared side of one careful operation: its knobs, tasks and model line-up. Immutable during a run.
struct SimAdversaryRuntime
{
    const SimAdversaryConfig* config = nullptr;
    const SimAdversaryTasks* tasks = nullptr;
    std::vector<std::string> models;
    std::vector<double> modelWeights;
    std::int64_t chaseAt = SimActor::kNever; // coding requests move to the released model from here on
};

// One bought account of a careful operation: works its own task list (tasks shared with a few other accounts
// of its cohort) in sessions of its own local daytime within its working window, log-normal gaps, its own
// wrapper, camouflage mixed in, through its own residential addresses or the legitimate reseller.
class SimAdversaryActor final : public SimActor
{
public:
    struct Setup
    {
        SimAccount* account = nullptr;
        const SimAdversaryRuntime* rt = nullptr;
        std::vector<SimAdversaryTask> tasks; // in the order the account sends them
        int camouflage = 0; // ordinary requests mixed in
        std::int64_t windowStart = 0, windowEnd = 0;
        int utcOffsetHours = 0;
        std::vector<std::string> ips; // its own addresses, or the reseller's pool
        bool viaReseller = false;
        std::string userAgent;
        SimWrapperStyle style;
    };
    SimAdversaryActor(Setup setup, std::uint64_t seed, const SimContext& ctx);
    void produce(SimRequest& r, const SimContext& ctx) override;

private:
    bool planDay(int day, const SimContext& ctx);
    Setup m_s;
    std::size_t m_task = 0;
    int m_camouflageLeft = 0;
    double m_perSession = 1;
    int m_day = 0;
    int m_lastDay = 0;
    std::vector<std::int64_t> m_sessions;
    std::size_t m_sessionIdx = 0;
    int m_left = 0;
    std::string m_ip;
};

} // namespace ds
