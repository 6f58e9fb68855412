#include "sim/SimActor.h"

#include "sim/SimResponseModel.h"

#include <algorithm>
#include <cmath>

namespace ds {

namespace {
constexpr std::int64_t kHour = 3600000;
}

SimHydraWorker::SimHydraWorker(const SimCampaignRuntime& rt, const SimIntermediaries& mid, std::vector<Member> members,
                               std::int64_t quota, std::uint64_t cursor, std::uint64_t seed, const SimContext& ctx)
    : SimActor(seed), m_rt(rt), m_mid(mid), m_members(std::move(members)), m_cursor(cursor)
{
    const SimCampaignConfig& c = *rt.config;
    m_intraGapMs = 60000.0 / (c.rateLimitRpm * std::clamp(c.burstUtilisation, 0.01, 0.98));
    if (rt.chase && ctx.releaseMs < rt.endMs) {
        // Each stream switches on its own schedule, so the move ramps up over the first day.
        const double hours = std::min(23.5, m_rng.lognormal(std::max(0.5, c.chaseDelayHours), 0.5));
        m_chaseAt = std::max(ctx.releaseMs, rt.startMs) + static_cast<std::int64_t>(hours * kHour);
    }
    if (m_members.empty() || quota <= 0)
        return;
    // Each account's share of the work is proportional to how long it is active (largest remainder, so the
    // shares add up to the stream's quota exactly).
    double active = 0;
    for (const Member& m : m_members)
        active += static_cast<double>(m.to - m.from);
    // Every account that was opened does some work (one request at least) when there is enough to go round.
    const auto n = static_cast<std::int64_t>(m_members.size());
    const std::int64_t floor = quota >= n ? 1 : 0;
    const std::int64_t shared = quota - floor * n;
    std::int64_t given = floor * n;
    std::vector<std::pair<double, std::size_t>> rest;
    for (std::size_t i = 0; i < m_members.size(); ++i) {
        const double exact = static_cast<double>(shared) * static_cast<double>(m_members[i].to - m_members[i].from) / active;
        m_members[i].quota = floor + static_cast<std::int64_t>(exact);
        given += m_members[i].quota;
        rest.emplace_back(-(exact - std::floor(exact)), i);
    }
    std::sort(rest.begin(), rest.end());
    for (std::size_t k = 0; given < quota; k = (k + 1) % rest.size(), ++given)
        ++m_members[rest[k].second].quota;
    m_cur = 0;
    m_memberLeft = m_members[0].quota;
    m_next = m_members[0].from;
    if (m_memberLeft <= 0)
        nextMember(0);
    m_burstLeft = 1; // the first request ends a (virtual) burst, so pacing starts with a fresh plan
}

void SimHydraWorker::nextMember(std::int64_t carry)
{
    // A replacement takes over the same work, including what its predecessor left undone.
    while (++m_cur < m_members.size()) {
        m_memberLeft = m_members[m_cur].quota + carry;
        carry = 0;
        if (m_memberLeft > 0) {
            m_next = std::max(m_next, m_members[m_cur].from);
            m_burstLeft = 1;
            return;
        }
    }
    m_next = kNever;
}

void SimHydraWorker::produce(SimRequest& r, const SimContext& ctx)
{
    const SimCampaignConfig& c = *m_rt.config;
    Member& m = m_members[m_cur];
    r.ts = m_next;
    r.account = m.account;
    r.apiKey = &m.account->keys.front();
    switch (m.path) {
    case SimAccessPath::Direct:
        if (m_rng.chance(c.ipRotateShare)) {
            const auto& pool = m_rng.chance(c.residentialShare) ? m_rt.residential : m_rt.datacenter;
            m.ip = pool[m_rng.below(pool.size())];
        }
        r.ip = m.ip;
        if (m_rng.chance(c.userAgentRotateShare))
            m.userAgent = m_rt.userAgents[m_rng.below(m_rt.userAgents.size())];
        r.userAgent = m.userAgent;
        break;
    case SimAccessPath::Reseller:
        r.ip = m_mid.resellerIps[m_rng.below(m_mid.resellerIps.size())];
        r.userAgent = m_mid.resellerUserAgent;
        break;
    case SimAccessPath::Cloud:
        r.ip = m_mid.cloudIps[m_rng.below(m_mid.cloudIps.size())];
        r.userAgent = m_mid.cloudUserAgent;
        r.endpoint = SimIntermediaries::kCloudEndpoint;
        break;
    }
    r.model = m_rt.models[m_rng.below(m_rt.models.size())];
    if (r.ts >= m_chaseAt && m_rng.chance(c.chaseShare))
        r.model = ctx.releasedModel;
    if (m_rng.chance(c.camouflageShare)) {
        // Camouflage: ordinary-looking questions mixed into the harvest.
        if (m_rng.chance(0.5)) {
            ctx.benign.chat(m_rng, r.prompt);
            r.kind = SimAnswerKind::Chat;
        } else {
            ctx.benign.coding(m_rng, r.prompt);
            r.kind = SimAnswerKind::Coding;
        }
        r.maxTokens = m_rng.chance(0.5) ? 1024 : 2048;
    } else {
        ctx.tasks.fill(m_rt.text, m_cursor++, m_rng, r);
        r.maxTokens = c.maxTokens[m_rng.below(c.maxTokens.size())];
    }
    SimResponseModel::fill(r, m_rng, c.burstUtilisation);
    advance();
}

void SimHydraWorker::advance()
{
    const SimCampaignConfig& c = *m_rt.config;
    if (--m_memberLeft <= 0) {
        nextMember(0);
        return;
    }
    const Member& m = m_members[m_cur];
    double gap;
    if (--m_burstLeft > 0) {
        gap = m_rng.withCv(m_intraGapMs, c.gapCv);
    } else {
        // Plan the next burst so that the account finishes its share before it drops out.
        const int drawn = std::max(1, static_cast<int>(std::lround(m_rng.uniform(c.burstSize.lo, c.burstSize.hi))));
        m_burstLeft = static_cast<int>(std::min<std::int64_t>(drawn, std::max<std::int64_t>(1, m_memberLeft / 3)));
        const double remaining = static_cast<double>(m_memberLeft);
        // Aim a little before the drop-out so that random pauses do not push the last requests past it.
        const double remainingMs = 0.92 * static_cast<double>(std::max<std::int64_t>(m.to - m_next, 60000));
        const double perRequest = remainingMs / remaining;
        const double pause = std::max(m_intraGapMs, m_burstLeft * perRequest - (m_burstLeft - 1) * m_intraGapMs);
        gap = m_rng.withCv(pause, std::max(c.gapCv, 0.4));
    }
    // Never faster than the rate limit allows.
    m_next += static_cast<std::int64_t>(std::max(gap, 60000.0 / c.rateLimitRpm));
    if (m_next >= m.to)
        nextMember(m_memberLeft);
    if (m_next >= m_rt.endMs)
        m_next = kNever;
}

} // namespace ds
