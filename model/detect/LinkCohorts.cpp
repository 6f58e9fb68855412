#include "detect/LinkCohorts.h"

#include "detect/BehaviourScore.h"
#include "detect/DetectSettings.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

namespace ds {

namespace {

constexpr double kHourMs = 3'600'000.0;

double harvestProfile(const AccountProfile& p)
{
    return p.ind[static_cast<std::size_t>(Indicator::ScoreHarvestProfile)];
}

// The newly released models and when the case first saw each: a model first used newModelMinDelayHours or more
// after the data starts (the same rule as release chasing).
std::vector<std::pair<std::int64_t, std::uint32_t>> releases(const std::vector<AccountProfile>& profiles,
                                                             const DetectSettings& s)
{
    std::int64_t dataStart = 0;
    std::map<std::uint32_t, std::int64_t> first;
    for (const AccountProfile& p : profiles) {
        if (!p.requests)
            continue;
        dataStart = dataStart ? std::min(dataStart, p.firstTs) : p.firstTs;
        for (const ModelUse& m : p.models) {
            auto [it, added] = first.try_emplace(m.model, m.firstTs);
            if (!added)
                it->second = std::min(it->second, m.firstTs);
        }
    }
    std::vector<std::pair<std::int64_t, std::uint32_t>> out;
    for (const auto& [model, ts] : first)
        if (static_cast<double>(ts - dataStart) >= s.newModelMinDelayHours * kHourMs)
            out.emplace_back(ts, model);
    std::sort(out.begin(), out.end());
    return out;
}

class CohortBuilder
{
public:
    CohortBuilder(const std::vector<AccountProfile>& profiles, const DetectSettings& s,
                  const std::vector<std::pair<std::int64_t, std::int64_t>>* populationStarts)
        : m_p(profiles)
        , m_s(s)
        , m_population(populationStarts && !populationStarts->empty() ? populationStarts : nullptr)
        , m_harvest(profiles.size(), 0)
        , m_rate(profiles.size(), 0)
        , m_slot(profiles.size(), -1)
    {
        for (std::uint32_t a = 1; a < profiles.size(); ++a) {
            const double h = harvestProfile(profiles[a]);
            if (!profiles[a].requests || std::isnan(h))
                continue;
            ++m_out.judged;
            // The harvest rate lets in accounts too small for the profile's count ramp: a batch of bought accounts
            // sending a dozen harvest-class requests each harvests in volume together.
            m_rate[a] = harvestRate(profiles[a].ind, s) >= s.cohortMinHarvestRate;
            m_harvest[a] = h >= s.cohortMinHarvestProfile || m_rate[a];
            m_out.harvestAccounts += m_harvest[a];
        }
    }

    void windows()
    {
        struct Start
        {
            std::int64_t ts;
            std::uint32_t account;
        };
        std::vector<Start> starts;
        for (std::uint32_t a = 1; a < m_p.size(); ++a)
            if (m_p[a].requests && !std::isnan(harvestProfile(m_p[a])))
                starts.push_back({ m_p[a].firstTs, a });
        if (m_out.harvestAccounts < 2 || starts.size() < 2)
            return;
        std::sort(starts.begin(), starts.end(),
                  [](const Start& x, const Start& y) { return x.ts != y.ts ? x.ts < y.ts : x.account < y.account; });
        std::vector<std::uint32_t> harvestBefore(starts.size() + 1, 0); // harvest-profile starts before position i
        for (std::size_t i = 0; i < starts.size(); ++i)
            harvestBefore[i + 1] = harvestBefore[i] + m_harvest[starts[i].account];
        // Chance: a start in the window is a harvest-profile account's as often as among the accounts already active
        // when the data begins (their first request within cohortBaselineHours of it): the ordinary mix of the
        // population. The share over all accounts would count the operation itself: a large operation brought
        // online during the capture makes its own baseline and hides. Too few early accounts: the whole population.
        const auto baselineEnd = starts.front().ts + static_cast<std::int64_t>(m_s.cohortBaselineHours * kHourMs);
        const auto early = static_cast<std::size_t>(
            std::upper_bound(starts.begin(), starts.end(), baselineEnd, [](std::int64_t t, const Start& x) { return t < x.ts; })
            - starts.begin());
        double share = static_cast<double>(m_out.harvestAccounts - 1) / static_cast<double>(starts.size() - 1);
        if (static_cast<int>(early) >= m_s.cohortBaselineMinAccounts)
            share = std::max(static_cast<double>(harvestBefore[early]), 1.0) / static_cast<double>(early);
        m_out.baselineShare = share;
        const auto window = static_cast<std::int64_t>(m_s.cohortWindowHours * kHourMs);
        // A case holding part of the population (a triage pull): the starts the chance counts are the whole
        // population's, by minute; the harvest-profile accounts are the case's (the pull holds them). The release
        // starts below keep the case's share: their adopters are the case's too.
        std::vector<std::int64_t> minutes, before; // population: minute midpoints, accounts starting before each
        double windowShare = share;
        if (m_population) {
            before.push_back(0);
            for (const auto& [minute, accounts] : *m_population) {
                minutes.push_back(minute + 30'000);
                before.push_back(before.back() + accounts);
            }
            const auto until = [&](std::int64_t t) { // population starts at or before t
                return before[static_cast<std::size_t>(std::upper_bound(minutes.begin(), minutes.end(), t) - minutes.begin())];
            };
            const std::int64_t popEarlyEnd = m_population->front().first + static_cast<std::int64_t>(m_s.cohortBaselineHours * kHourMs);
            const std::int64_t popEarly = until(popEarlyEnd), popAll = before.back();
            const auto harvestEarly = static_cast<double>(harvestBefore[static_cast<std::size_t>(
                std::upper_bound(starts.begin(), starts.end(), popEarlyEnd, [](std::int64_t t, const Start& x) { return t < x.ts; })
                - starts.begin())]);
            windowShare = popAll > 1 ? static_cast<double>(m_out.harvestAccounts - 1) / static_cast<double>(popAll - 1) : share;
            if (popEarly >= m_s.cohortBaselineMinAccounts)
                windowShare = std::max(harvestEarly, 1.0) / static_cast<double>(popEarly);
        }
        auto populationAround = [&](std::int64_t t) -> double { // population starts within the window of t, less one
            const auto from = std::lower_bound(minutes.begin(), minutes.end(), t - window) - minutes.begin();
            const auto to = std::upper_bound(minutes.begin(), minutes.end(), t + window) - minutes.begin();
            return std::max(0.0, static_cast<double>(before[static_cast<std::size_t>(to)] - before[static_cast<std::size_t>(from)]) - 1.0);
        };
        const auto rel = releases(m_p, m_s);
        std::vector<std::size_t> opened; // positions in `starts`
        std::size_t lo = 0, hi = 0;
        for (std::size_t i = 0; i < starts.size(); ++i) {
            const std::int64_t t = starts[i].ts;
            while (starts[lo].ts < t - window)
                ++lo;
            while (hi < starts.size() && starts[hi].ts <= t + window)
                ++hi;
            if (!m_harvest[starts[i].account])
                continue;
            const auto all = m_population ? populationAround(t) : static_cast<double>(hi - lo - 1);
            const std::uint32_t peers = harvestBefore[hi] - harvestBefore[lo] - 1;
            const double expected = all * windowShare;
            if (static_cast<int>(peers) < m_s.cohortMinPeers || peers < m_s.cohortChanceRatio * expected)
                continue;
            opened.push_back(i);
            CohortEvidence& e = evidence(starts[i].account);
            e.windowPeers = peers;
            e.windowExpected = expected;
            e.openedTs = t;
            e.openedRequest = m_p[starts[i].account].firstRequest;
            // The latest release at most cohortReleaseHours before the start.
            auto it = std::upper_bound(rel.begin(), rel.end(), std::make_pair(t, ~std::uint32_t { 0 }));
            if (it != rel.begin() && static_cast<double>(t - (it - 1)->first) <= m_s.cohortReleaseHours * kHourMs) {
                e.release = (it - 1)->second;
                e.releaseTs = (it - 1)->first;
            }
        }
        // Sparse and deterministic: each opened account to its nearest opened peers after it in time, within the
        // window (so also its nearest before, from their side).
        const auto links = static_cast<std::size_t>(std::max(0, m_s.cohortWindowLinks));
        for (std::size_t k = 0; k < opened.size(); ++k)
            for (std::size_t j = k + 1; j < opened.size() && j <= k + links; ++j) {
                const Start& x = starts[opened[k]];
                const Start& y = starts[opened[j]];
                if (y.ts - x.ts > window)
                    break;
                m_out.edges.push_back({ std::min(x.account, y.account), std::max(x.account, y.account),
                                        static_cast<float>(m_s.edgeWeightWindow), LinkWindow });
            }
    }

    // Release start: an operation moves to a newly released model within hours, accounts already running included.
    // For each release, the judged accounts whose first request to it came within cohortReleaseStartHours of its
    // first appearance; the harvest-profile ones among them are linked when they are cohortMinPeers + 1 or more and
    // cohortChanceRatio times what the windows' baseline share gives for that many adopters. Ordinary early adopters
    // take up a model too, at the population's mix. Run after windows() (its baseline share).
    void releaseStarts()
    {
        if (m_out.harvestAccounts < 2 || m_out.baselineShare <= 0)
            return;
        struct Adopter
        {
            std::int64_t ts;
            std::uint32_t account;
            std::int64_t request;
        };
        const auto span = static_cast<std::int64_t>(m_s.cohortReleaseStartHours * kHourMs);
        const auto links = static_cast<std::size_t>(std::max(0, m_s.cohortWindowLinks));
        for (const auto& [releaseTs, model] : releases(m_p, m_s)) {
            std::vector<Adopter> harvesting;
            std::uint32_t adopters = 0;
            for (std::uint32_t a = 1; a < m_p.size(); ++a) {
                if (!m_p[a].requests || std::isnan(harvestProfile(m_p[a])))
                    continue;
                for (const ModelUse& m : m_p[a].models)
                    if (m.model == model && m.firstTs - releaseTs <= span) {
                        ++adopters;
                        if (m_harvest[a])
                            harvesting.push_back({ m.firstTs, a, m.firstRequest });
                    }
            }
            if (harvesting.empty())
                continue;
            const auto peers = static_cast<std::uint32_t>(harvesting.size() - 1);
            const double expected = static_cast<double>(adopters - 1) * m_out.baselineShare;
            if (static_cast<int>(peers) < m_s.cohortMinPeers || peers < m_s.cohortChanceRatio * expected)
                continue;
            std::sort(harvesting.begin(), harvesting.end(), [](const Adopter& x, const Adopter& y) {
                return x.ts != y.ts ? x.ts < y.ts : x.account < y.account;
            });
            for (const Adopter& h : harvesting) {
                CohortEvidence& e = evidence(h.account);
                if (e.startPeers >= peers)
                    continue; // an earlier release with more peers already tells it
                e.startPeers = peers;
                e.startExpected = expected;
                e.startModel = model;
                e.startTs = h.ts;
                e.startRequest = h.request;
                e.startReleaseTs = releaseTs;
            }
            // Sparse and deterministic, as the windows: each to its nearest adopters after it in time.
            for (std::size_t k = 0; k < harvesting.size(); ++k)
                for (std::size_t j = k + 1; j < harvesting.size() && j <= k + links; ++j) {
                    const std::uint32_t a = harvesting[k].account, b = harvesting[j].account;
                    m_out.edges.push_back({ std::min(a, b), std::max(a, b), static_cast<float>(m_s.edgeWeightWindow),
                                            LinkWindow });
                }
        }
    }

    void pools(const TaskLinks& tasks)
    {
        // The bipartite graph of harvest-profile accounts and the rare counted tasks they asked, projected.
        std::vector<std::uint32_t> shared(m_p.size(), 0);
        std::vector<std::pair<std::uint32_t, std::uint32_t>> partners; // (account, another asker of a shared task)
        std::vector<std::pair<std::uint32_t, std::int64_t>> requests;  // (account, first request of a shared task)
        std::vector<std::pair<std::uint32_t, std::uint32_t>> askers;
        auto harvestAskers = [&](std::size_t k) {
            askers.clear();
            for (std::uint32_t i = tasks.sharedOffsets[k]; i < tasks.sharedOffsets[k + 1]; ++i)
                if (m_harvest[tasks.sharedAskers[i].first])
                    askers.push_back(tasks.sharedAskers[i]);
        };
        const std::size_t rare = tasks.sharedOffsets.size() - 1;
        for (std::size_t k = 0; k < rare; ++k) {
            harvestAskers(k);
            if (askers.size() < 2)
                continue;
            for (const auto& [a, index] : askers) {
                ++shared[a];
                requests.emplace_back(a, m_p[a].tasks[index].request);
                for (const auto& other : askers)
                    if (other.first != a)
                        partners.emplace_back(a, other.first);
            }
        }
        std::sort(partners.begin(), partners.end());
        partners.erase(std::unique(partners.begin(), partners.end()), partners.end());
        std::stable_sort(requests.begin(), requests.end(),
                         [](const auto& x, const auto& y) { return x.first < y.first; });
        std::vector<char> member(m_p.size(), 0);
        const auto cohortSpan = static_cast<std::int64_t>(m_s.poolCohortHours * kHourMs);
        auto req = requests.begin();
        for (std::size_t i = 0; i < partners.size();) {
            const std::uint32_t a = partners[i].first;
            std::size_t j = i;
            while (j < partners.size() && partners[j].first == a)
                ++j;
            const auto reach = static_cast<std::uint32_t>(j - i);
            // Its partners from its own cohort: an operation's batch works through one queue together, while a
            // customer asking public tasks meets harvesters of every batch, whenever they came.
            std::uint32_t cohort = 0;
            for (std::size_t k = i; k < j; ++k)
                cohort += std::llabs(m_p[partners[k].second].firstTs - m_p[a].firstTs) <= cohortSpan;
            i = j;
            const double counted = a < tasks.counted.size() ? tasks.counted[a] : 0.0;
            const double minShare = m_rate[a] ? std::min(m_s.poolMinShare, m_s.poolMinShareRate) : m_s.poolMinShare;
            if (static_cast<int>(shared[a]) < m_s.poolMinShared || shared[a] < minShare * counted
                || static_cast<int>(reach) < m_s.poolMinAccounts || cohort < m_s.poolMinCohortShare * reach)
                continue;
            member[a] = 1;
            CohortEvidence& e = evidence(a);
            e.poolShared = shared[a];
            e.poolCounted = static_cast<std::uint32_t>(counted);
            e.poolAccounts = reach;
            e.poolCohort = cohort;
            while (req != requests.end() && req->first < a)
                ++req;
            for (; req != requests.end() && req->first == a; ++req)
                if (e.requests.size() < 8)
                    e.requests.push_back(req->second);
        }
        std::vector<LinkEdge> edges;
        for (std::size_t k = 0; k < rare; ++k) {
            harvestAskers(k);
            for (std::size_t x = 0; x < askers.size(); ++x)
                for (std::size_t y = x + 1; y < askers.size(); ++y) {
                    const std::uint32_t a = askers[x].first, b = askers[y].first;
                    if (member[a] && member[b] && a != b)
                        edges.push_back({ std::min(a, b), std::max(a, b), 0.0F, LinkPool });
                }
        }
        std::sort(edges.begin(), edges.end(),
                  [](const LinkEdge& x, const LinkEdge& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
        // Each shared task adds to the link; one task is what a group-level link stands on, so the weight is capped
        // there: a pair sharing many tasks is a task link's business.
        for (std::size_t i = 0; i < edges.size();) {
            std::size_t j = i;
            while (j < edges.size() && edges[j].a == edges[i].a && edges[j].b == edges[i].b)
                ++j;
            m_out.edges.push_back({ edges[i].a, edges[i].b, static_cast<float>(m_s.edgeWeightPool), LinkPool });
            i = j;
        }
    }

    CohortLinks finish()
    {
        std::sort(m_out.edges.begin(), m_out.edges.end(), [](const LinkEdge& x, const LinkEdge& y) {
            return x.a != y.a ? x.a < y.a : x.b != y.b ? x.b < y.b : x.kinds < y.kinds;
        });
        // A pair that began together and took up a release together keeps one window link.
        m_out.edges.erase(std::unique(m_out.edges.begin(), m_out.edges.end(),
                                      [](const LinkEdge& x, const LinkEdge& y) {
                                          return x.a == y.a && x.b == y.b && x.kinds == y.kinds;
                                      }),
                          m_out.edges.end());
        std::sort(m_evidence.begin(), m_evidence.end(),
                  [](const CohortEvidence& x, const CohortEvidence& y) { return x.account < y.account; });
        m_out.evidence = std::move(m_evidence);
        return std::move(m_out);
    }

private:
    const std::vector<AccountProfile>& m_p;
    const DetectSettings& m_s;
    const std::vector<std::pair<std::int64_t, std::int64_t>>* m_population; // the whole population's starts by minute, or null
    std::vector<char> m_harvest; // a harvest-profile account (by its profile or its harvest rate)
    std::vector<char> m_rate;    // its harvest rate reaches cohortMinHarvestRate
    std::vector<std::int32_t> m_slot; // an account's evidence in m_evidence, -1 none
    std::vector<CohortEvidence> m_evidence;
    CohortLinks m_out;

    CohortEvidence& evidence(std::uint32_t a)
    {
        if (m_slot[a] < 0) {
            m_slot[a] = static_cast<std::int32_t>(m_evidence.size());
            m_evidence.emplace_back().account = a;
        }
        return m_evidence[static_cast<std::size_t>(m_slot[a])];
    }
};

} // namespace

CohortLinks linkCohorts(const std::vector<AccountProfile>& profiles, const TaskLinks& tasks, const DetectSettings& settings,
                        const PopulationCounts* population)
{
    CohortBuilder b(profiles, settings, population ? &population->starts : nullptr);
    b.windows();
    b.releaseStarts();
    b.pools(tasks);
    return b.finish();
}

} // namespace ds
