#include "detect/MixAttachment.h"

#include "detect/BehaviourScore.h"
#include "detect/DetectSettings.h"
#include "detect/Indicators.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace ds {

namespace {

constexpr double kHourMs = 3'600'000.0;

double value(const IndicatorValues& ind, Indicator i)
{
    return ind[static_cast<std::size_t>(i)];
}

} // namespace

HarvestMix harvestMix(const IndicatorValues& ind)
{
    using I = Indicator;
    const double families = value(ind, I::HarvestFamilies);
    return { ramp(value(ind, I::HarvestClassShare), 0.2, 0.7), std::isnan(families) ? 0.0 : std::min(families, 4.0) / 4.0,
             ramp(value(ind, I::HarvestClassOutput), 300, 1500), ramp(value(ind, I::HarvestClassRatio), 1, 12) };
}

double mixDistance(const HarvestMix& a, const HarvestMix& b)
{
    const double d[4] = { a.share - b.share, a.families - b.families, a.output - b.output, a.ratio - b.ratio };
    return std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2] + d[3] * d[3]);
}

void attachMixMembers(DetectionOutcome& out, const std::vector<AccountProfile>& profiles, const DetectSettings& s)
{
    if (out.clusters.empty() || out.cohorts.empty() || s.mixAttachMinPartners <= 0)
        return;
    const auto span = static_cast<std::int64_t>(s.cohortWindowHours * kHourMs);
    // The networks' accounts by first request, with their mixes: core and attached (templates, hand-offs, tasks).
    struct Member
    {
        std::int64_t firstTs;
        std::uint32_t cluster, account;
        HarvestMix mix;
    };
    std::vector<Member> members;
    for (std::uint32_t c = 0; c < out.clusters.size(); ++c)
        for (const auto* list : { &out.clusters[c].core, &out.clusters[c].attached })
            for (std::uint32_t b : *list)
                if (profiles[b].requests >= s.minRequestsForRates)
                    members.push_back({ profiles[b].firstTs, c, b, harvestMix(profiles[b].ind) });
    std::sort(members.begin(), members.end(), [](const Member& x, const Member& y) {
        return x.firstTs != y.firstTs ? x.firstTs < y.firstTs : x.account < y.account;
    });

    std::vector<MixMember> found;
    std::vector<std::uint32_t> perCluster(out.clusters.size());
    std::vector<double> nearest(out.clusters.size());
    for (const CohortEvidence& e : out.cohorts) {
        const std::uint32_t a = e.account;
        if (!e.window() || a >= profiles.size() || a >= out.accounts.size() || out.accounts[a].flagged)
            continue;
        const AccountProfile& p = profiles[a];
        if (p.requests < s.minRequestsForRates
            || !(value(p.ind, Indicator::ScoreHarvestProfile) >= s.cohortMinHarvestProfile
                 || harvestRate(p.ind, s) >= s.cohortMinHarvestRate))
            continue;
        const HarvestMix mine = harvestMix(p.ind);
        std::fill(perCluster.begin(), perCluster.end(), 0u);
        std::fill(nearest.begin(), nearest.end(), 2.0);
        auto lo = std::lower_bound(members.begin(), members.end(), p.firstTs - span,
                                   [](const Member& m, std::int64_t t) { return m.firstTs < t; });
        for (auto it = lo; it != members.end() && it->firstTs <= p.firstTs + span; ++it) {
            const double d = mixDistance(mine, it->mix);
            if (d <= s.mixAttachMaxDistance) {
                ++perCluster[it->cluster];
                nearest[it->cluster] = std::min(nearest[it->cluster], d);
            }
        }
        // The network with the most such partners; on a tie the higher-scored one (clusters are in score order).
        std::uint32_t best = 0;
        for (std::uint32_t c = 1; c < perCluster.size(); ++c)
            if (perCluster[c] > perCluster[best])
                best = c;
        if (static_cast<int>(perCluster[best]) < s.mixAttachMinPartners)
            continue;
        MixMember m;
        m.account = a;
        m.cluster = best;
        m.partners = perCluster[best];
        m.distance = nearest[best];
        for (auto it = lo; it != members.end() && it->firstTs <= p.firstTs + span && m.requests.size() < 8; ++it)
            if (it->cluster == best && mixDistance(mine, it->mix) <= s.mixAttachMaxDistance)
                m.requests.push_back(profiles[it->account].firstRequest);
        found.push_back(std::move(m));
    }
    // Attached only now, so an account attached here is no partner of another candidate.
    for (MixMember& m : found) {
        ClusterOutcome& c = out.clusters[m.cluster];
        c.attached.push_back(m.account);
        AccountOutcome& o = out.accounts[m.account];
        o.flagged = o.attached = o.mixed = true;
        o.solo = o.harvestProfile = false;
        o.cluster = static_cast<std::int32_t>(m.cluster);
        o.score = 0.5 + 0.5 * 0.6 * c.score;
    }
    out.mixMembers = std::move(found); // out.cohorts is by account, so these are too
}

} // namespace ds
