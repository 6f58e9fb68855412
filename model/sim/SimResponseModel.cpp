#include "sim/SimResponseModel.h"

#include <algorithm>
#include <cmath>

namespace ds {

namespace {

struct Shape
{
    double median;   // completion tokens
    double sigma;    // spread of log tokens
    double toolUse;  // share of answers that are a tool call (when tools are offered)
    double refusal;
};

Shape shapeOf(SimAnswerKind k)
{
    switch (k) {
    case SimAnswerKind::Chat: return {320, 0.8, 0.2, 0.004};
    case SimAnswerKind::Coding: return {650, 0.7, 0.3, 0.001};
    case SimAnswerKind::Writing: return {550, 0.6, 0.1, 0.002};
    case SimAnswerKind::EvalMaths: return {260, 0.45, 0, 0};
    case SimAnswerKind::EvalCode: return {180, 0.5, 0, 0};
    case SimAnswerKind::BatchLabel: return {4, 0.3, 0, 0};
    case SimAnswerKind::BatchExtract: return {120, 0.35, 0, 0};
    case SimAnswerKind::BatchTranslate: return {220, 0.4, 0, 0};
    case SimAnswerKind::HarvestReasoning: return {2600, 0.55, 0, 0.003};
    case SimAnswerKind::Grading: return {700, 0.4, 0, 0};
    case SimAnswerKind::SensitiveRewrite: return {520, 0.45, 0, 0.08};
    case SimAnswerKind::ToolCall: return {140, 0.5, 0.8, 0};
    case SimAnswerKind::AgentCoding: return {1900, 0.65, 0.45, 0};
    case SimAnswerKind::DataAnalysis: return {1300, 0.55, 0.35, 0};
    case SimAnswerKind::Tutoring: return {330, 0.5, 0, 0.001};
    }
    return {300, 0.8, 0, 0};
}

// Output speed in tokens per second by model family.
double tokensPerSecond(const std::string& model)
{
    if (model.find("haiku") != std::string::npos)
        return 140;
    if (model.find("opus") != std::string::npos)
        return 42;
    if (model.find("sonnet-5") != std::string::npos)
        return 85;
    return 70;
}

} // namespace

void SimResponseModel::fill(SimRequest& r, SimRng& rng, double pressure)
{
    const int systemBytes = static_cast<int>(r.systemPrompt.size());
    r.promptTokens = 6 + (systemBytes + static_cast<int>(r.prompt.size())) * 10 / 38 +
                     static_cast<int>(r.tools.size()) * 95 + r.assistantContextTokens;

    const double u = rng.uniform();
    const double rateLimited = 0.0015 + 0.01 * pressure;
    if (u < rateLimited) {
        r.status = 429;
    } else if (u < rateLimited + 0.002) {
        r.status = 529;
    } else if (u < rateLimited + 0.0026) {
        r.status = 500;
    }
    if (r.status != 200) {
        r.completionTokens = 0;
        r.stopReason = nullptr;
        r.latencyMs = static_cast<int>(rng.lognormal(r.status == 429 ? 25 : 900, 0.5));
        return;
    }

    const Shape s = shapeOf(r.kind);
    double tokens;
    if (!r.tools.empty() && rng.chance(s.toolUse)) {
        tokens = rng.lognormal(110, 0.5);
        r.stopReason = "tool_use";
    } else if (rng.chance(s.refusal)) {
        tokens = rng.lognormal(60, 0.4);
        r.stopReason = "refusal";
    } else {
        tokens = rng.lognormal(s.median, s.sigma);
        r.stopReason = rng.chance(0.01) ? "stop_sequence" : "end_turn";
    }
    int completion = std::max(1, static_cast<int>(tokens));
    if (completion >= r.maxTokens) {
        completion = r.maxTokens;
        r.stopReason = "max_tokens";
    }
    r.completionTokens = completion;
    const double ttft = rng.lognormal(450, 0.35) + 0.02 * r.promptTokens;
    const double tps = tokensPerSecond(r.model) * rng.lognormal(1.0, 0.15);
    r.latencyMs = static_cast<int>(std::lround(ttft + 1000.0 * completion / tps));
}

} // namespace ds
