#include "sim/SimAdversary.h"
#include "sim/SimResponseModel.h"

#include <algorithm>
#include <cmath>

namespace ds {

namespace {

constexpr std::int64_t kHour = 3600000;
constexpr std::int64_t kDay = 24 * kHour;

int drawInt(SimRng& rng, const SimRange& r)
{
    return static_cast<int>(std::lround(rng.uniform(r.lo, r.hi)));
}

bool isCode(SimTaskFamily f)
{
    return f == SimTaskFamily::CodeFunction || f == SimTaskFamily::CodeFeature;
}

} // namespace

SimAdversaryActor::SimAdversaryActor(Setup setup, std::uint64_t seed, const SimContext& ctx)
    : SimActor(seed)
    , m_s(std::move(setup))
    , m_camouflageLeft(m_s.camouflage)
{
    const SimAdversaryConfig& c = *m_s.rt->config;
    // Session lengths are sized so that the account's work fits its window at its own pace; what is left when the
    // window closes spills over into the next days, the way a person finishes a job late.
    const double days = std::max(1.0, static_cast<double>(m_s.windowEnd - m_s.windowStart) / kDay);
    const double sessions
        = std::max(1.0, days * std::max(0.05, c.activeDayShare) * (c.sessionsPerDay.lo + c.sessionsPerDay.hi) / 2);
    m_perSession
        = std::max(1.0, static_cast<double>(m_s.tasks.size() + static_cast<std::size_t>(m_s.camouflage)) / sessions);
    m_lastDay = static_cast<int>(std::ceil(ctx.scenario.days));
    m_ip = m_s.ips.empty() ? std::string() : m_s.ips.front();
    if (m_s.tasks.empty() && m_s.camouflage == 0)
        return;
    planDay(static_cast<int>((m_s.windowStart - ctx.startMs) / kDay), ctx);
}

bool SimAdversaryActor::planDay(int day, const SimContext& ctx)
{
    const SimAdversaryConfig& c = *m_s.rt->config;
    for (int d = std::max(0, day); d < m_lastDay; ++d) {
        const std::int64_t dayStart = ctx.startMs + d * kDay;
        // Inside the window the account works on most days; after it, on every day until its list is done.
        if (dayStart < m_s.windowEnd && !m_rng.chance(c.activeDayShare))
            continue;
        const int n = std::max(1, drawInt(m_rng, c.sessionsPerDay));
        m_sessions.clear();
        for (int i = 0; i < n; ++i) {
            const double localHour = m_rng.uniform(c.localHours.lo, c.localHours.hi);
            const std::int64_t t = dayStart + static_cast<std::int64_t>((localHour - m_s.utcOffsetHours) * kHour);
            if (t >= m_s.windowStart && t < ctx.endMs && (m_next == kNever || t > m_next))
                m_sessions.push_back(t);
        }
        if (m_sessions.empty())
            continue;
        std::sort(m_sessions.begin(), m_sessions.end());
        m_day = d;
        m_sessionIdx = 0;
        m_left = std::max(1, static_cast<int>(std::lround(m_rng.lognormal(m_perSession, 0.5))));
        m_next = m_sessions[0];
        return true;
    }
    m_next = kNever;
    return false;
}

void SimAdversaryActor::produce(SimRequest& r, const SimContext& ctx)
{
    const SimAdversaryRuntime& rt = *m_s.rt;
    const SimAdversaryConfig& c = *rt.config;
    r.ts = m_next;
    r.account = m_s.account;
    r.apiKey = &m_s.account->keys.front();
    // The reseller spreads its customers over its pool request by request; a home line keeps its address for a session.
    r.ip = m_s.viaReseller ? m_s.ips[m_rng.below(m_s.ips.size())] : m_ip;
    r.userAgent = m_s.userAgent;
    r.model = rt.models[m_rng.weighted(rt.modelWeights)];

    const std::size_t tasksLeft = m_s.tasks.size() - m_task;
    const bool harvest = tasksLeft > 0
        && m_rng.uniform() * static_cast<double>(tasksLeft + static_cast<std::size_t>(m_camouflageLeft))
            < static_cast<double>(tasksLeft);
    if (harvest) {
        const SimAdversaryTask& t = m_s.tasks[m_task++];
        const bool raw = m_rng.chance(c.rawShare);
        rt.tasks->fill(t, raw ? nullptr : &m_s.style, m_rng, r);
        r.maxTokens = c.maxTokens[m_rng.below(c.maxTokens.size())];
        if (isCode(t.family) && r.ts >= rt.chaseAt && m_rng.chance(c.chaseShare))
            r.model = ctx.releasedModel;
    } else {
        --m_camouflageLeft;
        if (m_rng.chance(0.7)) {
            ctx.benign.chat(m_rng, r.prompt);
            r.kind = SimAnswerKind::Chat;
        } else {
            ctx.benign.coding(m_rng, r.prompt);
            r.kind = SimAnswerKind::Coding;
        }
        r.maxTokens = m_rng.chance(0.5) ? 1024 : 2048;
    }
    SimResponseModel::fill(r, m_rng, 0.05);

    if (m_task >= m_s.tasks.size() && m_camouflageLeft <= 0) {
        m_next = kNever;
        return;
    }
    // A person reads the answer before typing the next prompt: the gap starts when the answer is complete.
    if (--m_left > 0) {
        m_next += r.latencyMs
            + static_cast<std::int64_t>(std::max(5.0, m_rng.lognormal(c.gapMedianSeconds, 0.8)) * 1000.0);
    } else if (++m_sessionIdx < m_sessions.size()) {
        m_next = std::max(m_sessions[m_sessionIdx], m_next + r.latencyMs + 10 * 60000);
        m_left = std::max(1, static_cast<int>(std::lround(m_rng.lognormal(m_perSession, 0.5))));
        if (!m_s.viaReseller && m_s.ips.size() > 1 && m_rng.chance(0.3))
            m_ip = m_s.ips[m_rng.below(m_s.ips.size())];
    } else {
        const std::int64_t last = m_next;
        planDay(m_day + 1, ctx);
        if (m_next != kNever && m_next <= last)
            m_next = last + 10 * 60000;
    }
    if (m_next >= ctx.endMs)
        m_next = kNever;
}

} // namespace ds
