#include "detect/ClusterScoring.h"

#include "core/DisjointSets.h"
#include "detect/BehaviourScore.h"
#include "detect/CaseSnapshot.h"
#include "detect/DetectSettings.h"
#include "detect/MixAttachment.h"
#include "detect/PoolAttachment.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace ds {

namespace {

double ind(const AccountProfile& p, Indicator i)
{
    const double v = p.ind[static_cast<size_t>(i)];
    return std::isnan(v) ? 0.0 : v;
}

// Adjacency lists of the graph (CSR), for "linked to another member" questions.
struct Adjacency
{
    std::vector<std::uint32_t> offsets, targets;
    std::vector<std::uint16_t> kinds;

    explicit Adjacency(const LinkGraph& g)
    {
        offsets.assign(g.nodes + 1, 0);
        for (const LinkEdge& e : g.edges) {
            ++offsets[e.a + 1];
            ++offsets[e.b + 1];
        }
        std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
        targets.resize(offsets.back());
        kinds.resize(offsets.back());
        std::vector<std::uint32_t> fill(offsets.begin(), offsets.end() - 1);
        for (const LinkEdge& e : g.edges) {
            targets[fill[e.a]] = e.b;
            kinds[fill[e.a]++] = e.kinds;
            targets[fill[e.b]] = e.a;
            kinds[fill[e.b]++] = e.kinds;
        }
    }
};

class Scorer
{
public:
    Scorer(const std::vector<AccountProfile>& profiles, const CaseSnapshot& snap, const LinkGraph& graph,
           const DetectSettings& s)
        : m_p(profiles)
        , m_snap(snap)
        , m_adj(graph)
        , m_s(s)
        , m_mark(profiles.size(), 0)
        , m_slot(profiles.size(), 0)
    {
    }

    // Fills the statistics of a cluster from its members; decides its core.
    void evaluate(ClusterOutcome& c)
    {
        const std::uint32_t stamp = ++m_stamp;
        for (std::uint32_t a : c.members)
            m_mark[a] = stamp;
        // Heavy templates shared by at least minClusterAccounts members that behave at
        // least memberMinBehaviour badly: a popular prompt that ordinary customers of a
        // shared reseller also send heavily does not make one of them a member.
        std::map<std::uint64_t, std::uint32_t> users;
        for (std::uint32_t a : c.members)
            if (ind(m_p[a], Indicator::Behaviour) >= m_s.memberMinBehaviour)
                for (const HeavyTemplate& t : m_p[a].templates)
                    ++users[t.key];
        const auto minShared = static_cast<std::uint32_t>(std::max(2, m_s.minClusterAccounts));
        auto templateCoordinated = [&](std::uint32_t a) {
            for (const HeavyTemplate& t : m_p[a].templates)
                if (users[t.key] >= minShared)
                    return true;
            return false;
        };
        auto behaviour = [&](std::uint32_t a) { return ind(m_p[a], Indicator::Behaviour); };
        auto infraSpread = [&](std::uint32_t a) { return ind(m_p[a], Indicator::ScoreInfrastructure); };
        // Linked by rare infrastructure to another account currently marked with `group` that passes `peerOk`.
        auto rareLinked = [&](std::uint32_t a, std::uint32_t group, auto peerOk) {
            for (std::uint32_t k = m_adj.offsets[a]; k < m_adj.offsets[a + 1]; ++k) {
                const std::uint32_t b = m_adj.targets[k];
                if (m_mark[b] == group && (m_adj.kinds[k] & kRareInfrastructureLinks) && peerOk(b))
                    return true;
            }
            return false;
        };
        // Taken over from, or handed over to, another member (LinkHandoff) that passes `peerOk`.
        auto handedOver = [&](std::uint32_t a, std::uint32_t group, auto peerOk) {
            for (std::uint32_t k = m_adj.offsets[a]; k < m_adj.offsets[a + 1]; ++k) {
                const std::uint32_t b = m_adj.targets[k];
                if (m_mark[b] == group && (m_adj.kinds[k] & LinkHandoff) && peerOk(b))
                    return true;
            }
            return false;
        };
        // Asked the same rare tasks as another member that passes `peerOk`, beyond chance (LinkTask). Not when the
        // two also share a template: teams running one benchmark harness ask its items too, which adds nothing.
        auto taskLinked = [&](std::uint32_t a, std::uint32_t group, auto peerOk) {
            for (std::uint32_t k = m_adj.offsets[a]; k < m_adj.offsets[a + 1]; ++k) {
                const std::uint32_t b = m_adj.targets[k];
                if (m_mark[b] == group && (m_adj.kinds[k] & LinkTask) && !(m_adj.kinds[k] & LinkTemplate) && peerOk(b))
                    return true;
            }
            return false;
        };
        // Linked by `kinds` (not doubled by a shared template) to another member that passes `peerOk`.
        auto linkedBy = [&](std::uint32_t a, std::uint32_t group, std::uint16_t kinds, auto peerOk) {
            for (std::uint32_t k = m_adj.offsets[a]; k < m_adj.offsets[a + 1]; ++k) {
                const std::uint32_t b = m_adj.targets[k];
                if (m_mark[b] == group && (m_adj.kinds[k] & kinds) && !(m_adj.kinds[k] & LinkTemplate) && peerOk(b))
                    return true;
            }
            return false;
        };
        // A harvest-profile cohort (detect/LinkCohorts.h): a weaker harvest profile than a task-pool member's, but its
        // activity began together with harvest-profile peers beyond chance (window) *and* it draws on their tasks
        // (task or pool link). Neither link alone makes a member, and accounts whose profile is not harvesting (a
        // class behind a NAT, homework askers, agentic power users) are in neither.
        auto cohortOk = [&](std::uint32_t a) {
            return ind(m_p[a], Indicator::ScoreHarvestProfile) >= m_s.cohortCoreMinHarvestProfile
                   || harvestRate(m_p[a].ind, m_s) >= m_s.cohortMinHarvestRate;
        };
        auto cohort = [&](std::uint32_t a, std::uint32_t group) {
            return cohortOk(a) && linkedBy(a, group, LinkWindow, cohortOk)
                   && linkedBy(a, group, LinkTask | LinkPool, cohortOk);
        };
        // Drawing on one task pool with other harvesting accounts, by the harvest profile: behaviour alone does not do,
        // benchmark evaluators behave like harvesters and ask the benchmark items a harvester also asks.
        auto pooled = [&](std::uint32_t a) {
            return ind(m_p[a], Indicator::ScoreHarvestProfile) >= m_s.taskCoreMinHarvestProfile;
        };
        auto strong = [&](std::uint32_t a) { return behaviour(a) >= m_s.infraCoreMinBehaviour; };
        // A relay: new accounts harvesting a little, each taking over from another (accounts replaced as they are banned).
        auto relay = [&](std::uint32_t a) {
            const double age = m_p[a].ind[static_cast<size_t>(Indicator::AgeDaysAtFirstUse)];
            return !std::isnan(age) && age <= m_s.handoffMaxAgeDays && behaviour(a) >= m_s.relayCoreMinBehaviour;
        };
        // Evasive: fresh accounts rotating networks and user agents, harvesting at least a little.
        auto evasive = [&](std::uint32_t a) {
            return infraSpread(a) >= m_s.evasionCoreMinInfrastructure && behaviour(a) >= m_s.evasionCoreMinBehaviour;
        };
        c.core.clear();
        c.attached.clear();
        std::uint32_t templated = 0;
        std::vector<char> coreTemplated; // by core position: a member by a shared template
        for (std::uint32_t a : c.members) {
            const bool tmpl = templateCoordinated(a) && behaviour(a) >= m_s.memberMinBehaviour;
            // Without a shared template: strong behaviour, or evasive infrastructure, shared
            // through rare values (payment, e-mail domain, IP, sign-up window) with a peer alike.
            const bool infra = (strong(a) && rareLinked(a, stamp, strong)) || (evasive(a) && rareLinked(a, stamp, evasive))
                               || (relay(a) && handedOver(a, stamp, relay)) || (pooled(a) && taskLinked(a, stamp, pooled))
                               || cohort(a, stamp);
            if (tmpl || infra) {
                c.core.push_back(a);
                templated += tmpl;
                coreTemplated.push_back(tmpl);
            }
        }
        keepTiedCore(c, coreTemplated, templated, minShared, strong, evasive, relay, pooled, cohortOk);
        c.requests = c.outputTokens = 0;
        c.firstTs = c.lastTs = 0;
        c.lockstep = c.infraCohesion = c.meanBehaviour = c.infraSpread = c.handoffCohesion = c.taskCohesion = 0;
        c.cohortCohesion = 0;
        c.extraction = 0;
        c.peakPerMinuteMax = 0;
        c.rateLimitMin = 0;
        const auto n = static_cast<double>(c.core.size());
        if (c.core.empty()) {
            c.score = 0;
            c.templateCohesion = c.hydra = 0;
            return;
        }
        const std::uint32_t coreStamp = ++m_stamp;
        for (std::uint32_t a : c.core)
            m_mark[a] = coreStamp;
        std::map<std::uint64_t, std::pair<std::uint32_t, HeavyTemplate>> coreTemplates;
        for (std::uint32_t a : c.core) {
            const AccountProfile& p = m_p[a];
            c.requests += p.requests;
            c.outputTokens += p.outputTokens;
            c.firstTs = c.firstTs ? std::min(c.firstTs, p.firstTs) : p.firstTs;
            c.lastTs = std::max(c.lastTs, p.lastTs);
            c.lockstep += ind(p, Indicator::LockstepShare);
            // A harvest profile counts as behaviour for the network's score (issue 13).
            c.meanBehaviour += std::max(behaviour(a), ind(p, Indicator::ScoreHarvestProfile));
            c.infraSpread += infraSpread(a);
            c.infraCohesion += rareLinked(a, coreStamp, [](std::uint32_t) { return true; }) ? 1.0 : 0.0;
            c.handoffCohesion += handedOver(a, coreStamp, [](std::uint32_t) { return true; }) ? 1.0 : 0.0;
            c.taskCohesion += taskLinked(a, coreStamp, [](std::uint32_t) { return true; }) ? 1.0 : 0.0;
            c.cohortCohesion += cohort(a, coreStamp) ? 1.0 : 0.0;
            c.extraction += std::max({ ind(p, Indicator::ScoreHarvest), ind(p, Indicator::ScoreElicitation),
                                       ind(p, Indicator::ScoreHarvestProfile) });
            c.peakPerMinuteMax = std::max(c.peakPerMinuteMax, ind(p, Indicator::PeakPerMinute));
            const double limit = m_snap.accounts[a].rateLimitPerMinute;
            c.rateLimitMin = c.rateLimitMin > 0 ? std::min(c.rateLimitMin, limit) : limit;
            for (const HeavyTemplate& t : p.templates) {
                auto [it, added] = coreTemplates.try_emplace(t.key, 0u, t);
                ++it->second.first;
                if (!added) {
                    it->second.second.count += t.count;
                    it->second.second.firstTs = std::min(it->second.second.firstTs, t.firstTs);
                    it->second.second.lastTs = std::max(it->second.second.lastTs, t.lastTs);
                }
            }
        }
        // Members too small to judge join when most of their requests used templates the core shares.
        const auto attachMin = static_cast<std::uint32_t>(std::max(2, m_s.minClusterAccounts));
        for (std::uint32_t a : c.members) {
            const AccountProfile& p = m_p[a];
            if (p.lightKeys.empty() || m_mark[a] == coreStamp)
                continue;
            std::uint32_t best = 0;
            std::uint64_t kindSum[kTemplateKindCount] = {};
            for (const auto& [key, count] : p.lightKeys) {
                const auto it = coreTemplates.find(key);
                if (it != coreTemplates.end() && it->second.first >= attachMin)
                    kindSum[static_cast<int>(it->second.second.kind)] += count;
            }
            for (std::uint64_t s : kindSum)
                best = std::max(best, static_cast<std::uint32_t>(s));
            if (static_cast<double>(best) >= m_s.attachMinTemplateShare * static_cast<double>(p.requests))
                c.attached.push_back(a);
        }
        // The dominant template: the one most core accounts share, a template proper
        // before a prompt profile (which says less about what the prompts look like).
        c.dominant = {};
        c.dominantAccounts = 0;
        for (int pass = 0; pass < 2 && c.dominantAccounts < 2; ++pass)
            for (const auto& [key, entry] : coreTemplates)
                if ((entry.second.kind == TemplateKind::Profile) == (pass == 1) && entry.first > c.dominantAccounts) {
                    c.dominantAccounts = entry.first;
                    c.dominant = entry.second;
                }
        c.templateCohesion = templated / n;
        c.lockstep /= n;
        c.infraCohesion /= n;
        c.meanBehaviour /= n;
        c.infraSpread /= n;
        c.handoffCohesion /= n;
        c.taskCohesion /= n;
        c.cohortCohesion /= n;
        c.extraction /= n;
        c.hydra = std::min(1.0, std::log2(n) / std::log2(std::max(2.0, m_s.hydraFullAccounts)));
        // A shared template, even used in the same hours, stays below the flag line:
        // unrelated customers run one public benchmark harness or one framework's
        // system prompt in the same batch windows. It takes shared rare
        // infrastructure or an evasive spread of networks and fresh accounts on top.
        const double beyondTemplate =
            beyondTemplateOf(c.infraCohesion, c.infraSpread, c.handoffCohesion, c.taskCohesion, c.cohortCohesion);
        const double coordination = 1.0 - (1.0 - 0.4 * c.templateCohesion) * (1.0 - 0.15 * c.lockstep) * (1.0 - beyondTemplate);
        c.score = static_cast<double>(c.core.size()) >= m_s.minClusterAccounts
                      ? coordination * (0.5 + 0.5 * c.hydra) * ramp(c.meanBehaviour, m_s.clusterBehaviourLow, m_s.clusterBehaviourHigh)
                      : 0.0;
        // The template terms alone stay under the flag line, but only just: on the
        // full campaign scenario a community of unrelated busy customers (an
        // enterprise pipeline, benchmark evaluators, casual users of one popular
        // prompt) crossed it on a trace of infrastructure and hand-offs (5.7%).
        // Without a real share of that evidence a network is not flagged.
        if (beyondTemplate < m_s.clusterMinBeyondTemplate)
            c.score = std::min(c.score, std::nextafter(m_s.clusterFlagScore, 0.0));
        // Distillation takes something away: long answers, reasoning asked for, harvest-class volume. A core that takes
        // none of it shares content and infrastructure for another reason: a class behind one campus NAT working the same
        // exercises (short answers, hints, no reasoning demanded) shares templates, addresses and an e-mail domain, and
        // behaves "badly" only by that sharing and its narrow topic (adversarial seed 7: 14 students flagged, extraction
        // 0.04, against 0.47 or more for every harvesting network measured).
        if (c.extraction < m_s.clusterMinExtraction)
            c.score = std::min(c.score, std::nextafter(m_s.clusterFlagScore, 0.0));
    }

private:
    // Coordination besides a shared template and its timing, from the shares of a core with each kind of evidence.
    double beyondTemplateOf(double infraCohesion, double infraSpread, double handoffCohesion, double taskCohesion,
                            double cohortCohesion) const
    {
        return 1.0 - (1.0 - 0.5 * infraCohesion) * (1.0 - 0.5 * infraSpread) * (1.0 - 0.5 * handoffCohesion)
                         * (1.0 - m_s.taskCohesionWeight * taskCohesion) * (1.0 - m_s.cohortCohesionWeight * cohortCohesion);
    }

    // Splits the core into the groups that the evidence of membership ties together: a
    // template shared heavily, rare infrastructure between strong or evasive peers, hand-offs between relays, rare
    // tasks between pooled harvesters. A group that would stay below clusterMinBeyondTemplate on its own leaves the
    // core when another group carries that evidence: a team running a benchmark harness shares its templates heavily
    // among itself and is task-linked to a network asking the benchmark's items, which ties it to nothing but the
    // community (the 0.1 campaign scenario's evaluators). When no group or every group has the evidence, the core
    // stays whole and the network's score decides as before.
    template <typename Strong, typename Evasive, typename Relay, typename Pooled, typename CohortOk>
    void keepTiedCore(ClusterOutcome& c, std::vector<char>& coreTemplated, std::uint32_t& templated,
                      std::uint32_t minShared, Strong strong, Evasive evasive, Relay relay, Pooled pooled,
                      CohortOk cohortOk)
    {
        if (c.core.size() < 2)
            return;
        const std::uint32_t coreStamp = ++m_stamp;
        for (std::uint32_t i = 0; i < c.core.size(); ++i) {
            m_mark[c.core[i]] = coreStamp;
            m_slot[c.core[i]] = i;
        }
        std::vector<std::uint32_t> parent(c.core.size());
        std::iota(parent.begin(), parent.end(), 0u);
        std::map<std::uint64_t, std::pair<std::uint32_t, std::uint32_t>> byTemplate; // key: (first user, users)
        for (std::uint32_t i = 0; i < c.core.size(); ++i)
            for (const HeavyTemplate& t : m_p[c.core[i]].templates) {
                auto [it, added] = byTemplate.try_emplace(t.key, i, 0u);
                ++it->second.second;
            }
        for (std::uint32_t i = 0; i < c.core.size(); ++i)
            for (const HeavyTemplate& t : m_p[c.core[i]].templates) {
                const auto& [first, users] = byTemplate[t.key];
                if (users >= minShared)
                    uniteToSmaller(parent, i, first);
            }
        for (std::uint32_t i = 0; i < c.core.size(); ++i) {
            const std::uint32_t a = c.core[i];
            for (std::uint32_t k = m_adj.offsets[a]; k < m_adj.offsets[a + 1]; ++k) {
                const std::uint32_t b = m_adj.targets[k];
                const std::uint16_t kinds = m_adj.kinds[k];
                if (m_mark[b] != coreStamp || b < a)
                    continue;
                const bool rare = kinds & kRareInfrastructureLinks;
                const bool evidence = (rare && strong(a) && strong(b)) || (rare && evasive(a) && evasive(b))
                                      || ((kinds & LinkHandoff) && relay(a) && relay(b))
                                      || ((kinds & LinkTask) && !(kinds & LinkTemplate) && pooled(a) && pooled(b))
                                      || ((kinds & (kCohortLinks | LinkTask)) && !(kinds & LinkTemplate) && cohortOk(a)
                                          && cohortOk(b));
                if (evidence)
                    uniteToSmaller(parent, i, m_slot[b]);
            }
        }
        // Each group's own evidence, counted inside the group only.
        struct Group
        {
            double n = 0, infra = 0, spread = 0, handoff = 0, task = 0, window = 0; // window: cohort evidence
        };
        std::map<std::uint32_t, Group> groups;
        for (std::uint32_t i = 0; i < c.core.size(); ++i) {
            const std::uint32_t a = c.core[i];
            const std::uint32_t root = findRoot(parent, i);
            Group& g = groups[root];
            bool infra = false, handoff = false, task = false, window = false, pool = false;
            for (std::uint32_t k = m_adj.offsets[a]; k < m_adj.offsets[a + 1]; ++k) {
                const std::uint32_t b = m_adj.targets[k];
                if (m_mark[b] != coreStamp || findRoot(parent, m_slot[b]) != root)
                    continue;
                const std::uint16_t kinds = m_adj.kinds[k];
                infra = infra || (kinds & kRareInfrastructureLinks);
                handoff = handoff || (kinds & LinkHandoff);
                task = task || ((kinds & LinkTask) && !(kinds & LinkTemplate));
                window = window || ((kinds & LinkWindow) && !(kinds & LinkTemplate) && cohortOk(b));
                pool = pool || ((kinds & (LinkPool | LinkTask)) && !(kinds & LinkTemplate) && cohortOk(b));
            }
            g.n += 1;
            g.infra += infra;
            g.handoff += handoff;
            g.task += task;
            g.window += window && pool && cohortOk(a);
            g.spread += ind(m_p[a], Indicator::ScoreInfrastructure);
        }
        if (groups.size() < 2)
            return;
        std::map<std::uint32_t, bool> tied;
        std::size_t tiedGroups = 0;
        for (const auto& [root, g] : groups) {
            const bool ok = beyondTemplateOf(g.infra / g.n, g.spread / g.n, g.handoff / g.n, g.task / g.n, g.window / g.n)
                            >= m_s.clusterMinBeyondTemplate;
            tied[root] = ok;
            tiedGroups += ok;
        }
        if (tiedGroups == 0 || tiedGroups == groups.size())
            return;
        std::vector<std::uint32_t> core;
        std::vector<char> coreTmpl;
        templated = 0;
        for (std::uint32_t i = 0; i < c.core.size(); ++i)
            if (tied[findRoot(parent, i)]) {
                core.push_back(c.core[i]);
                coreTmpl.push_back(coreTemplated[i]);
                templated += coreTemplated[i];
            }
        c.core = std::move(core);
        coreTemplated = std::move(coreTmpl);
    }

    const std::vector<AccountProfile>& m_p;
    const CaseSnapshot& m_snap;
    Adjacency m_adj;
    const DetectSettings& m_s;
    std::vector<std::uint32_t> m_mark;
    std::vector<std::uint32_t> m_slot; // an account's position in the core being split (keepTiedCore)
    std::uint32_t m_stamp = 0;
};

// Accounts replaced as they are banned: a young account (handoffMaxAgeDays) that started the work
// of a network account which had just gone quiet (sharing its template or rare
// infrastructure) joins the network, and so on down the chain. Accounts too
// small to judge join on the hand-off alone; others need handoffMinBehaviour.
// Networks are grown in score order; an account joins the first that reaches it.
void growByHandoffs(DetectionOutcome& out, const std::vector<AccountProfile>& profiles, const LinkGraph& graph,
                    const DetectSettings& s)
{
    std::vector<std::vector<std::uint32_t>> partners(profiles.size());
    for (const Handoff& h : graph.handoffs) {
        partners[h.from].push_back(h.to);
        partners[h.to].push_back(h.from);
    }
    std::vector<std::int32_t> owner(profiles.size(), -1);
    for (std::uint32_t i = 0; i < out.clusters.size(); ++i) {
        for (std::uint32_t a : out.clusters[i].core)
            owner[a] = static_cast<std::int32_t>(i);
        for (std::uint32_t a : out.clusters[i].attached)
            owner[a] = static_cast<std::int32_t>(i);
    }
    auto eligible = [&](std::uint32_t a) {
        const AccountProfile& p = profiles[a];
        const double age = p.ind[static_cast<size_t>(Indicator::AgeDaysAtFirstUse)];
        if (std::isnan(age) || age > s.handoffMaxAgeDays)
            return false;
        return p.requests < s.minRequestsForRates || ind(p, Indicator::Behaviour) >= s.handoffMinBehaviour;
    };
    for (std::uint32_t i = 0; i < out.clusters.size(); ++i) {
        ClusterOutcome& c = out.clusters[i];
        std::vector<std::uint32_t> queue = c.core;
        queue.insert(queue.end(), c.attached.begin(), c.attached.end());
        for (size_t q = 0; q < queue.size(); ++q) {
            std::vector<std::uint32_t>& next = partners[queue[q]];
            std::sort(next.begin(), next.end());
            for (std::uint32_t b : next) {
                if (owner[b] >= 0 || !eligible(b))
                    continue;
                owner[b] = static_cast<std::int32_t>(i);
                c.attached.push_back(b);
                AccountOutcome& o = out.accounts[b];
                o.flagged = o.attached = o.handoff = true;
                o.cluster = static_cast<std::int32_t>(i);
                o.score = 0.5 + 0.5 * 0.6 * c.score;
                queue.push_back(b);
            }
        }
        std::sort(c.attached.begin(), c.attached.end());
    }
    for (const Handoff& h : graph.handoffs)
        if (owner[h.from] >= 0 && owner[h.from] == owner[h.to])
            out.clusters[static_cast<size_t>(owner[h.from])].handoffs.push_back(h);
}

} // namespace

DetectionOutcome scoreClusters(const std::vector<AccountProfile>& profiles, const CaseSnapshot& snap,
                               const LinkGraph& graph, const std::vector<std::uint32_t>& communities,
                               const DetectSettings& s)
{
    DetectionOutcome out;
    out.accounts.resize(profiles.size());
    out.cohorts = graph.cohorts;
    std::map<std::uint32_t, std::vector<std::uint32_t>> groups;
    for (std::uint32_t a = 1; a < profiles.size(); ++a) {
        if (!profiles[a].requests)
            continue;
        out.accounts[a].community = communities[a];
        groups[communities[a]].push_back(a);
    }
    Scorer scorer(profiles, snap, graph, s);
    std::vector<ClusterOutcome> flagged;
    for (auto& [community, members] : groups) {
        if (members.size() < static_cast<size_t>(s.minClusterAccounts))
            continue;
        ++out.communities;
        ClusterOutcome c;
        c.members = std::move(members);
        scorer.evaluate(c);
        if (c.score >= s.clusterFlagScore)
            flagged.push_back(std::move(c));
    }

    // One network split over several communities shows as the same templates in
    // their cores: merge flagged clusters whose cores share a template heavily
    // (used by at least minClusterAccounts core accounts on each side).
    std::vector<std::uint32_t> parent(flagged.size());
    std::iota(parent.begin(), parent.end(), 0u);
    std::map<std::uint64_t, std::uint32_t> byTemplate;
    const auto shared = static_cast<std::uint32_t>(std::max(2, s.minClusterAccounts));
    for (std::uint32_t i = 0; i < flagged.size(); ++i) {
        std::map<std::uint64_t, std::uint32_t> users;
        for (std::uint32_t a : flagged[i].core)
            for (const HeavyTemplate& t : profiles[a].templates)
                ++users[t.key];
        for (const auto& [key, count] : users) {
            if (count < shared)
                continue;
            auto [it, added] = byTemplate.try_emplace(key, i);
            if (!added)
                parent[findRoot(parent, i)] = findRoot(parent, it->second);
        }
    }
    std::map<std::uint32_t, ClusterOutcome> merged;
    for (std::uint32_t i = 0; i < flagged.size(); ++i) {
        ClusterOutcome& target = merged[findRoot(parent, i)];
        target.members.insert(target.members.end(), flagged[i].members.begin(), flagged[i].members.end());
    }
    for (auto& [root, c] : merged) {
        std::sort(c.members.begin(), c.members.end());
        scorer.evaluate(c);
        if (c.score >= s.clusterFlagScore)
            out.clusters.push_back(std::move(c));
    }
    std::sort(out.clusters.begin(), out.clusters.end(), [](const ClusterOutcome& x, const ClusterOutcome& y) {
        return x.score != y.score ? x.score > y.score : x.core.front() < y.core.front();
    });
    growByHandoffs(out, profiles, graph, s);
    for (std::uint32_t i = 0; i < out.clusters.size(); ++i) {
        ClusterOutcome& c = out.clusters[i];
        c.id = i + 1;
        c.flagged = true;
        for (std::uint32_t a : c.core) {
            AccountOutcome& o = out.accounts[a];
            o.flagged = true;
            o.cluster = static_cast<std::int32_t>(i);
            o.score = 0.5 + 0.5 * (0.6 * c.score + 0.4 * ind(profiles[a], Indicator::Behaviour));
        }
        for (std::uint32_t a : c.attached) {
            AccountOutcome& o = out.accounts[a];
            if (o.flagged)
                continue; // a hand-off member already marked by growByHandoffs keeps its flags
            o.flagged = o.attached = true;
            o.cluster = static_cast<std::int32_t>(i);
            o.score = 0.5 + 0.5 * 0.6 * c.score;
        }
    }
    for (std::uint32_t a = 1; a < profiles.size(); ++a) {
        AccountOutcome& o = out.accounts[a];
        if (!profiles[a].requests || o.flagged)
            continue;
        const double b = ind(profiles[a], Indicator::Behaviour);
        const double harvest = ind(profiles[a], Indicator::ScoreHarvestProfile);
        if (b >= s.soloMinBehaviour && ind(profiles[a], Indicator::ScoreInfrastructure) >= s.soloMinInfrastructure) {
            o.flagged = o.solo = true;
            o.score = 0.5 + 0.5 * b;
        } else if (harvest >= s.soloMinHarvestProfile) {
            // Harvesting on its own: no template, no infrastructure needed (issue 13).
            o.flagged = o.solo = o.harvestProfile = true;
            o.score = 0.5 + 0.5 * harvest;
        } else {
            o.score = 0.49 * b;
        }
    }
    // Accounts too small to judge alone whose harvest-class tasks are a flagged network's own.
    attachPoolMembers(out, profiles, s);
    // Harvest-profile accounts that began with a flagged network and harvest as its accounts do.
    attachMixMembers(out, profiles, s);
    return out;
}

} // namespace ds
