#include "sim/SimActor.h"

#include "sim/SimInfra.h"
#include "sim/SimResponseModel.h"
#include "sim/SimTemplate.h"

#include <algorithm>
#include <cmath>

namespace ds {

namespace {

constexpr std::int64_t kHour = 3600000;
constexpr std::int64_t kDay = 24 * kHour;

} // namespace

SimBatchActor::SimBatchActor(SimAccount* account, const SimBatchProfile& p, int templateIndex, std::uint64_t seed,
                             const SimContext& ctx)
    : SimActor(seed), m_account(account), m_p(p), m_template(templateIndex),
      m_templateText(p.templates[templateIndex % p.templates.size()].toStdString()),
      m_systemPrompt(p.systemPrompt.toStdString()), m_end(ctx.endMs), m_dayZero(ctx.startMs)
{
    // One /28 of the company's own network.
    const std::uint32_t base = siminfra::publicSubnet24(m_rng) | (static_cast<std::uint32_t>(m_rng.below(15)) << 4);
    for (std::uint32_t h = 1; h < 15; ++h)
        m_ips.push_back(siminfra::ipv4Text(base + h));
    m_ips.resize(1 + m_rng.below(4));
    m_userAgent = m_rng.chance(0.5) ? "python-httpx/0.27.2" : siminfra::popularSdkUserAgent(m_rng);
    m_model = m_rng.chance(0.6) ? "claude-haiku-4-5" : "claude-sonnet-4-5";
    const int kindIndex = m_template % 3;
    m_kind = kindIndex == 0 ? SimAnswerKind::BatchLabel : kindIndex == 1 ? SimAnswerKind::BatchExtract : SimAnswerKind::BatchTranslate;
    m_maxTokens = kindIndex == 0 ? 16 : kindIndex == 1 ? 1024 : 2048;
    m_gapMs = 3600000.0 / std::max(1.0, p.requestsPerHour * m_rng.uniform(0.8, 1.2));
    m_next = ctx.startMs + static_cast<std::int64_t>(m_rng.uniform(0, 6) * kHour);
    advance(); // moves the first request into the daily window
}

void SimBatchActor::advance()
{
    const double span = m_p.utcHours.hi - m_p.utcHours.lo;
    if (span < 24) {
        const std::int64_t dayStart = m_dayZero + (m_next - m_dayZero) / kDay * kDay;
        const double hour = static_cast<double>(m_next - dayStart) / kHour;
        if (hour < m_p.utcHours.lo)
            m_next = dayStart + static_cast<std::int64_t>(m_p.utcHours.lo * kHour) + m_rng.range(0, 120000);
        else if (hour >= m_p.utcHours.hi)
            m_next = dayStart + kDay + static_cast<std::int64_t>(m_p.utcHours.lo * kHour) + m_rng.range(0, 120000);
    }
    if (m_next >= m_end)
        m_next = kNever;
}

void SimBatchActor::produce(SimRequest& r, const SimContext& ctx)
{
    r.ts = m_next;
    r.account = m_account;
    r.apiKey = &m_account->keys.front();
    r.ip = m_ips[m_rng.below(m_ips.size())];
    r.userAgent = m_userAgent;
    r.model = m_model;
    r.systemPrompt = m_systemPrompt;
    simFillTemplate(r.prompt, m_templateText,
                    [&](std::string_view slot, std::string& out) { ctx.benign.batchSlot(m_rng, slot, m_template, out); });
    r.kind = m_kind;
    r.maxTokens = m_maxTokens;
    SimResponseModel::fill(r, m_rng, 0.1);
    m_next += static_cast<std::int64_t>(std::max(50.0, m_rng.withCv(m_gapMs, m_p.gapCv)));
    advance();
}

SimEvaluatorActor::SimEvaluatorActor(SimAccount* account, const SimEvaluatorProfile& p, std::uint64_t seed,
                                     const SimContext& ctx)
    : SimActor(seed), m_account(account), m_gapMs(60000.0 / std::max(0.1, p.requestsPerMinute)), m_end(ctx.endMs)
{
    for (const QString& t : p.templates)
        m_templates.push_back(t.toStdString());
    m_ip = siminfra::ipv4Text(siminfra::publicIpv4(m_rng));
    m_userAgent = siminfra::popularSdkUserAgent(m_rng);
    const double days = ctx.scenario.days;
    for (int i = 0; i < std::max(1, p.runsPerAccount); ++i) {
        Run run;
        run.templateIndex = static_cast<int>(m_rng.below(m_templates.size()));
        const bool maths = simHasSlot(m_templates[static_cast<std::size_t>(run.templateIndex)], "task");
        // GSM8K's test split has 1,319 problems; HumanEval 164, usually sampled several times.
        run.items = maths ? static_cast<int>(m_rng.range(800, 1319)) : 164 * static_cast<int>(m_rng.range(2, 5));
        run.offset = m_rng.below(maths ? ctx.corpus.gsm8k.size() : ctx.corpus.humaneval.size());
        const bool onRelease = m_rng.chance(p.newModelRunShare) && ctx.releaseMs < ctx.endMs;
        if (onRelease) {
            run.model = ctx.releasedModel;
            run.start = ctx.releaseMs + static_cast<std::int64_t>(m_rng.uniform(1, 8) * kHour);
        } else {
            run.model = ctx.models[m_rng.weighted(ctx.modelWeights)];
            const auto day = static_cast<std::int64_t>(m_rng.uniform(0, std::max(0.0, days - 0.5)));
            run.start = ctx.startMs + day * kDay + static_cast<std::int64_t>(m_rng.uniform(7, 16) * kHour);
        }
        run.start = std::min(run.start, ctx.endMs - kHour);
        m_runs.push_back(std::move(run));
    }
    std::sort(m_runs.begin(), m_runs.end(), [](const Run& a, const Run& b) { return a.start < b.start; });
    startRun(0);
}

void SimEvaluatorActor::startRun(std::size_t i)
{
    m_run = i;
    m_item = 0;
    if (i >= m_runs.size()) {
        m_next = kNever;
        return;
    }
    // Runs do not overlap: a later run waits for the earlier one to finish.
    m_next = m_next == kNever ? m_runs[i].start : std::max(m_runs[i].start, m_next + 10 * 60000);
    if (m_next >= m_end)
        m_next = kNever;
}

void SimEvaluatorActor::produce(SimRequest& r, const SimContext& ctx)
{
    const Run& run = m_runs[m_run];
    r.ts = m_next;
    r.account = m_account;
    r.apiKey = &m_account->keys.front();
    r.ip = m_ip;
    r.userAgent = m_userAgent;
    r.model = run.model;
    const std::string& templ = m_templates[static_cast<std::size_t>(run.templateIndex)];
    const std::uint64_t item = run.offset + static_cast<std::uint64_t>(m_item);
    simFillTemplate(r.prompt, templ, [&](std::string_view slot, std::string& out) {
        if (slot == "code")
            out += ctx.corpus.humaneval[item % ctx.corpus.humaneval.size()];
        else
            out += ctx.corpus.gsm8k[item % ctx.corpus.gsm8k.size()].question;
    });
    const bool maths = simHasSlot(templ, "task");
    r.kind = maths ? SimAnswerKind::EvalMaths : SimAnswerKind::EvalCode;
    r.maxTokens = maths ? 1024 : 512;
    SimResponseModel::fill(r, m_rng, 0.2);
    ++m_item;
    m_next += static_cast<std::int64_t>(std::max(200.0, m_rng.withCv(m_gapMs, 0.35)));
    if (m_item >= run.items)
        startRun(m_run + 1);
    else if (m_next >= m_end)
        m_next = kNever;
}

} // namespace ds
