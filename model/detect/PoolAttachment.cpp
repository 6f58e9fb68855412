#include "detect/PoolAttachment.h"

#include "detect/DetectSettings.h"
#include "detect/Indicators.h"

#include <algorithm>
#include <cstdlib>
#include <tuple>

namespace ds {

namespace {

constexpr double kHourMs = 3'600'000.0;

double value(const AccountProfile& p, Indicator i)
{
    return p.ind[static_cast<std::size_t>(i)];
}

// Harvesting at small volume: a dozen harvest-class requests, most of its traffic, with long answers (the harvest
// facet's harvestMeanOutputLow: a worked homework answer or a hint is shorter), long against their prompts, or
// answers the client cut at its own max_tokens as often as the profile's cut stand-in counts in full, over several task
// families (BehaviourScore).
// Comparisons with an unknown (NaN) figure fail: an agent offering tools on every request has no lengths.
bool smallHarvester(const AccountProfile& p, const DetectSettings& s)
{
    const double count = value(p, Indicator::HarvestClassRequests);
    const bool longAnswers = value(p, Indicator::HarvestClassOutput) >= s.harvestMeanOutputLow
                       && value(p, Indicator::HarvestClassRatio) >= s.poolAttachMinRatio;
    const bool cut = value(p, Indicator::HarvestClassCutShare) >= s.harvestProfileCutShareHigh
                     && value(p, Indicator::HarvestFamilies) >= s.harvestProfileMinFamilies;
    return p.requests >= s.minRequestsForRates && !p.tasks.empty() && count >= s.cohortMinHarvestRequests
           && count < s.poolAttachMaxHarvestRequests && value(p, Indicator::HarvestClassShare) >= s.poolAttachMinHarvestShare
           && (longAnswers || cut);
}

// A counted task of a flagged network's account (core, or attached by templates or hand-offs).
struct CoreAsk
{
    std::uint64_t hash;
    std::uint32_t cluster, account;
    std::int64_t ts;
};

// One of the candidate's tasks that an account of `cluster` asked near it.
struct Match
{
    std::uint32_t cluster, task, partner;
};

} // namespace

void attachPoolMembers(DetectionOutcome& out, const std::vector<AccountProfile>& profiles, const DetectSettings& s)
{
    if (out.clusters.empty())
        return;
    // Cases imported before harvest scores existed carry 0 everywhere: no counted tasks, no pool members.
    bool harvestScored = false;
    for (const AccountProfile& p : profiles)
        for (const TaskUse& u : p.tasks)
            harvestScored = harvestScored || u.harvest > 0;
    if (!harvestScored)
        return;
    auto counts = [&](const TaskUse& u) { return u.harvest >= s.taskMinHarvest; };
    std::vector<std::uint32_t> candidates;
    for (std::uint32_t a = 1; a < profiles.size() && a < out.accounts.size(); ++a)
        if (profiles[a].requests && !out.accounts[a].flagged && smallHarvester(profiles[a], s))
            candidates.push_back(a);
    if (candidates.empty())
        return;

    std::vector<CoreAsk> core;
    for (std::uint32_t c = 0; c < out.clusters.size(); ++c)
        for (const auto* members : { &out.clusters[c].core, &out.clusters[c].attached })
            for (std::uint32_t b : *members)
                for (const TaskUse& u : profiles[b].tasks)
                    if (counts(u))
                        core.push_back({ u.hash, c, b, u.firstTs });
    std::sort(core.begin(), core.end(), [](const CoreAsk& x, const CoreAsk& y) {
        return std::tie(x.hash, x.cluster, x.account) < std::tie(y.hash, y.cluster, y.account);
    });
    auto asksOf = [&](std::uint64_t hash) {
        return std::equal_range(core.begin(), core.end(), CoreAsk { hash, 0, 0, 0 },
                                [](const CoreAsk& x, const CoreAsk& y) { return x.hash < y.hash; });
    };

    // How many accounts asked each task: a task many ask is popular, not a pool, and says nothing either way (a rubric
    // that every grading request shares, a famous exercise). Sketches hold each task once per account.
    std::vector<std::uint64_t> asked;
    for (const AccountProfile& p : profiles)
        for (const TaskUse& u : p.tasks)
            asked.push_back(u.hash);
    std::sort(asked.begin(), asked.end());
    const auto maxAskers = static_cast<std::ptrdiff_t>(std::max(2, s.taskMaxAccounts));
    auto rare = [&](std::uint64_t hash) {
        const auto [lo, hi] = std::equal_range(asked.begin(), asked.end(), hash);
        return hi - lo <= maxAskers;
    };

    const auto window = static_cast<std::int64_t>(s.harvestTaskWindowDays * 24 * kHourMs);
    const auto cohortSpan = static_cast<std::int64_t>(s.poolCohortHours * kHourMs);
    // The rare tasks of `a` that accounts of each network asked within the window of its own ask, as (cluster, task).
    std::vector<std::pair<std::uint32_t, std::uint32_t>> hits;
    auto sharedWith = [&](std::uint32_t a) {
        hits.clear();
        const AccountProfile& p = profiles[a];
        for (std::uint32_t t = 0; t < p.tasks.size(); ++t) {
            const TaskUse& u = p.tasks[t];
            if (!counts(u))
                continue;
            const auto [lo, hi] = asksOf(u.hash);
            for (auto it = lo; it != hi; ++it)
                if (it->account != a && std::llabs(it->ts - u.firstTs) <= window)
                    hits.emplace_back(it->cluster, t);
        }
        std::sort(hits.begin(), hits.end());
        hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
    };
    // What chance gives: the share of the rare harvest-class tasks of the other unflagged accounts (people, not small
    // harvesters) that each network also asked within the window. A large network asking thousands of public tasks
    // meets anyone's; a careful operation's queue meets few besides its own accounts'.
    std::vector<double> baseShared(out.clusters.size(), 0);
    double baseCounted = 0;
    for (std::uint32_t b = 1; b < profiles.size() && b < out.accounts.size(); ++b) {
        const AccountProfile& p = profiles[b];
        if (!p.requests || p.requests < s.minRequestsForRates || out.accounts[b].flagged || smallHarvester(p, s))
            continue;
        for (const TaskUse& u : p.tasks)
            baseCounted += counts(u) && rare(u.hash);
        sharedWith(b);
        for (const auto& [cluster, task] : hits)
            baseShared[cluster] += rare(p.tasks[task].hash);
    }
    std::vector<Match> matches;
    for (std::uint32_t a : candidates) {
        const AccountProfile& p = profiles[a];
        matches.clear();
        std::uint32_t counted = 0;
        for (std::uint32_t t = 0; t < p.tasks.size(); ++t) {
            const TaskUse& u = p.tasks[t];
            if (!counts(u) || !rare(u.hash))
                continue;
            ++counted;
            const auto [lo, hi] = asksOf(u.hash);
            for (auto it = lo; it != hi; ++it)
                if (it->account != a && std::llabs(it->ts - u.firstTs) <= window)
                    matches.push_back({ it->cluster, t, it->account });
        }
        if (matches.empty())
            continue;
        std::sort(matches.begin(), matches.end(),
                  [](const Match& x, const Match& y) { return std::tie(x.cluster, x.task, x.partner) < std::tie(y.cluster, y.task, y.partner); });
        // The network whose accounts asked the most of its tasks; on a tie the higher-scored one (clusters are in score order).
        PoolMember best;
        std::uint32_t bestCluster = 0;
        std::vector<std::uint32_t> partners;
        for (std::size_t i = 0; i < matches.size();) {
            std::size_t j = i;
            PoolMember m;
            m.account = a;
            m.counted = counted;
            partners.clear();
            std::uint32_t lastTask = ~0u;
            while (j < matches.size() && matches[j].cluster == matches[i].cluster) {
                const Match& x = matches[j++];
                partners.push_back(x.partner);
                if (x.task != lastTask) {
                    lastTask = x.task;
                    ++m.shared;
                    if (m.requests.size() < 8)
                        m.requests.push_back(p.tasks[x.task].request);
                }
            }
            std::sort(partners.begin(), partners.end());
            partners.erase(std::unique(partners.begin(), partners.end()), partners.end());
            m.partners = static_cast<std::uint32_t>(partners.size());
            for (std::uint32_t b : partners)
                m.cohort += std::llabs(profiles[b].firstTs - p.firstTs) <= cohortSpan;
            if (m.shared > best.shared) {
                best = std::move(m);
                bestCluster = matches[i].cluster;
            }
            i = j;
        }
        if (static_cast<int>(best.shared) < s.poolAttachMinShared || best.shared < s.poolAttachMinShare * best.counted
            || best.cohort == 0
            || best.shared < s.taskChanceRatio * best.counted * (baseCounted > 0 ? baseShared[bestCluster] / baseCounted : 0.0))
            continue;
        ClusterOutcome& c = out.clusters[bestCluster];
        c.attached.push_back(a);
        AccountOutcome& o = out.accounts[a];
        o.flagged = o.attached = o.pooled = true;
        o.solo = o.harvestProfile = false;
        o.cluster = static_cast<std::int32_t>(bestCluster);
        o.score = 0.5 + 0.5 * 0.6 * c.score;
        out.poolMembers.push_back(std::move(best));
    }
    for (ClusterOutcome& c : out.clusters)
        std::sort(c.attached.begin(), c.attached.end());
}

} // namespace ds
