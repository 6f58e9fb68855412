#include "sim/SimActor.h"

#include "sim/SimInfra.h"
#include "sim/SimLookAlikes.h"
#include "sim/SimResponseModel.h"

#include <algorithm>
#include <cmath>

namespace ds {

SimContext::SimContext(const SimScenario& s, const SimCorpus& c)
    : scenario(s), corpus(c), benign(c), tasks(c), startMs(s.startMs), endMs(s.endMs()), releaseMs(s.releaseMs())
{
    for (const QString& m : s.models)
        models.push_back(m.toStdString());
    modelWeights = s.modelWeights;
    releasedModel = s.releasedModel.toStdString();
}

namespace {

constexpr std::int64_t kHour = 3600000;
constexpr std::int64_t kDay = 24 * kHour;

int drawInt(SimRng& rng, const SimRange& r) { return static_cast<int>(std::lround(rng.uniform(r.lo, r.hi))); }

bool weekend(std::int64_t ms)
{
    const std::int64_t days = ms / kDay;
    const std::int64_t dow = (days + 3) % 7; // 1970-01-01 was a Thursday; 0 = Monday
    return dow >= 5;
}

const std::vector<std::string> kIdeTools = {"read_file", "edit_file", "run_tests", "bash"};

} // namespace

SimSessionActor::SimSessionActor(Setup setup, std::uint64_t seed, const SimContext& ctx)
    : SimActor(seed), m_s(std::move(setup))
{
    m_days = static_cast<int>(std::ceil(ctx.scenario.days));
    const SimSessionProfile& p = *m_s.profile;
    if (m_rng.chance(p.templateUserShare))
        m_personalTemplate = static_cast<int>(m_rng.below(SimBenignPrompts::kPersonalTemplates));
    m_agentTools = m_s.developer && m_rng.chance(0.12);
    if (m_rng.chance(p.newModelAdopterShare))
        m_adoptAt = ctx.releaseMs + static_cast<std::int64_t>(m_rng.exponential(2.5 * kDay));
    m_favourite = ctx.models[m_rng.weighted(ctx.modelWeights)];
    static constexpr int kMax[] = {1024, 2048, 4096, 4096, 8192, 1000, 4000};
    m_maxTokens = kMax[m_rng.below(std::size(kMax))];
    if (m_s.style == Style::PowerUser) {
        // Agent loops: tools on every request and room for very long answers.
        m_agentTools = true;
        m_maxTokens = m_rng.chance(0.5) ? 16000 : 32000;
    }
    if (!planFrom(0, ctx)) {
        // Every account in truth.csv must appear in the logs: someone who signed up uses it at least once.
        m_day = static_cast<int>(m_rng.below(static_cast<std::uint64_t>(m_days)));
        m_sessions = {ctx.startMs + m_day * kDay + static_cast<std::int64_t>(m_rng.uniform(0.0, 20.0) * kHour)};
        m_sessionIdx = 0;
        m_left = 1;
        m_next = std::min(m_sessions[0], ctx.endMs - 1);
    }
}

int SimSessionActor::drawSessionLength() { return std::max(1, drawInt(m_rng, m_s.profile->requestsPerSession)); }

bool SimSessionActor::planFrom(int day, const SimContext& ctx)
{
    const SimSessionProfile& p = *m_s.profile;
    for (int d = day; d < m_days; ++d) {
        const std::int64_t dayStart = ctx.startMs + d * kDay;
        const double share = p.activeDayShare * (weekend(dayStart + kDay / 2) ? p.weekendFactor : 1.0);
        if (!m_rng.chance(share))
            continue;
        const int n = std::max(1, drawInt(m_rng, p.sessionsPerDay));
        m_sessions.clear();
        for (int i = 0; i < n; ++i) {
            const double localHour = m_rng.uniform(p.localHours.lo, p.localHours.hi);
            const std::int64_t t = dayStart + static_cast<std::int64_t>((localHour - m_s.utcOffsetHours) * kHour);
            if (t >= ctx.startMs && t < ctx.endMs)
                m_sessions.push_back(t);
        }
        if (m_sessions.empty())
            continue;
        std::sort(m_sessions.begin(), m_sessions.end());
        m_day = d;
        m_sessionIdx = 0;
        m_left = drawSessionLength();
        m_sessionStart = true;
        m_next = std::max(m_next == kNever ? ctx.startMs : m_next, m_sessions[0]);
        return true;
    }
    m_next = kNever;
    return false;
}

void SimSessionActor::buildPrompt(SimRequest& r, const SimContext& ctx)
{
    const SimSessionProfile& p = *m_s.profile;
    if (!m_sessionStart && m_convTurns < 6 && m_rng.chance(p.followUpShare)) {
        ++m_convTurns;
    } else {
        m_convSeed = m_rng.next();
        m_convTurns = 0;
        m_convCoding = m_rng.chance(p.codingShare);
        m_convTemplate = m_personalTemplate >= 0 && m_rng.chance(0.4);
        m_convStart = m_next;
    }
    if (m_s.style != Style::Ordinary)
        return buildLookAlike(r, ctx);
    // A conversation is rebuilt from its seed, so an actor keeps no prompt text between requests.
    SimRng conv(m_convSeed);
    if (m_convTemplate) {
        ctx.benign.personalTemplate(conv, m_personalTemplate, r.prompt);
        r.kind = SimAnswerKind::Writing;
    } else if (m_convCoding) {
        ctx.benign.coding(conv, r.prompt);
        r.kind = SimAnswerKind::Coding;
    } else {
        ctx.benign.chat(conv, r.prompt);
        r.kind = conv.chance(0.3) ? SimAnswerKind::Writing : SimAnswerKind::Chat;
    }
    for (int t = 0; t < m_convTurns; ++t) {
        ctx.benign.followUp(conv, m_convCoding, r.prompt);
        r.assistantContextTokens += static_cast<int>(conv.lognormal(m_convCoding ? 500 : 300, 0.6));
    }
    if (m_convCoding && m_agentTools)
        r.tools = kIdeTools;
}

void SimSessionActor::buildLookAlike(SimRequest& r, const SimContext& ctx)
{
    SimRng conv(m_convSeed);
    switch (m_s.style) {
    case Style::Student:
        simlookalike::studentTurn(conv, *m_s.classroom, m_convStart, r.prompt);
        r.kind = SimAnswerKind::Tutoring;
        break;
    case Style::Homework:
        simlookalike::homeworkTurn(conv, ctx.corpus, r.prompt);
        r.kind = SimAnswerKind::Tutoring;
        break;
    case Style::PowerUser:
    case Style::Ordinary:
        simlookalike::agentTurn(conv, ctx.benign, r.prompt);
        r.kind = SimAnswerKind::AgentCoding;
        r.tools = kIdeTools;
        break;
    }
    for (int t = 0; t < m_convTurns; ++t) {
        if (m_s.style == Style::Student)
            simlookalike::studentFollowUp(conv, r.prompt);
        else if (m_s.style == Style::Homework)
            simlookalike::homeworkFollowUp(conv, r.prompt);
        else
            simlookalike::agentFollowUp(conv, r.prompt);
        // An agent loop carries its tool results and earlier answers along: long, growing contexts.
        r.assistantContextTokens += static_cast<int>(conv.lognormal(m_s.style == Style::PowerUser ? 2500 : 250, 0.6));
    }
}

void SimSessionActor::produce(SimRequest& r, const SimContext& ctx)
{
    r.ts = m_next;
    r.account = m_s.account;
    r.apiKey = &m_s.account->keys[m_rng.below(m_s.account->keys.size())];
    if (m_s.sharedIps) {
        r.ip = m_s.sharedIps->at(m_rng.below(m_s.sharedIps->size()));
    } else {
        if (m_homeIp.empty() || r.ts >= m_ipChangeAt) {
            // A home line's address changes every few days (dynamic residential addressing).
            m_homeIp = m_rng.chance(0.15) ? siminfra::ipv6Text(m_rng) : siminfra::ipv4Text(siminfra::publicIpv4(m_rng));
            m_ipChangeAt = r.ts + static_cast<std::int64_t>(m_rng.lognormal(5.0, 0.6) * kDay);
        }
        r.ip = m_homeIp;
    }
    r.userAgent = m_s.userAgent;
    r.endpoint = m_s.endpoint;
    if (r.ts >= m_adoptAt && m_rng.chance(0.6))
        r.model = ctx.releasedModel;
    else
        r.model = m_rng.chance(0.85) ? m_favourite : ctx.models[m_rng.weighted(ctx.modelWeights)];
    buildPrompt(r, ctx);
    r.maxTokens = m_maxTokens;
    SimResponseModel::fill(r, m_rng);

    // Next request: within the session, or the next session, or a later day.
    m_sessionStart = false;
    if (--m_left > 0) {
        m_next += static_cast<std::int64_t>(std::max(3.0, m_rng.lognormal(m_s.profile->gapMedianSeconds, 0.9)) * 1000.0);
    } else if (++m_sessionIdx < m_sessions.size()) {
        m_next = std::max(m_sessions[m_sessionIdx], m_next + 60000);
        m_left = drawSessionLength();
        m_sessionStart = true;
    } else {
        planFrom(m_day + 1, ctx);
    }
    if (m_next >= ctx.endMs)
        m_next = kNever;
}

} // namespace ds
