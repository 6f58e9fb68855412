#include "core/CancelToken.h"
#include "detect/CaseSnapshot.h"
#include "detect/ClusterScoring.h"
#include "detect/Communities.h"
#include "detect/DetectSettings.h"
#include "detect/LinkGraph.h"

#include <QtTest>

#include <cmath>

using namespace ds;

namespace {

// A population of `n` active accounts with nothing in common.
struct Population
{
    std::vector<AccountProfile> profiles;
    CaseSnapshot snap;

    explicit Population(std::uint32_t n)
    {
        profiles.resize(n + 1);
        snap.accounts.resize(n + 1);
        snap.accountNames.resize(n + 1);
        snap.accountPresent.assign(n + 1, true);
        snap.publicEmailDomain = {false, true, false, false};
        for (std::uint32_t a = 1; a <= n; ++a) {
            AccountProfile& p = profiles[a];
            p.requests = 100;
            p.firstTs = 1;
            p.lastTs = 2;
            p.sampleRequests = {a};
            for (double& v : p.ind)
                v = 0;
            p.ips = {1000 + a};
            p.userAgents = {1000 + a};
        }
    }
    // Behaviour `b`, its harvest facet alike (long answers taken away): what the hand-built networks below do.
    void behaviour(std::uint32_t a, double b)
    {
        profiles[a].ind[static_cast<size_t>(Indicator::Behaviour)] = b;
        profiles[a].ind[static_cast<size_t>(Indicator::ScoreHarvest)] = b;
    }
    void heavyTemplate(std::uint32_t a, std::uint64_t key)
    {
        HeavyTemplate t;
        t.key = key;
        t.value = key;
        t.count = 80;
        profiles[a].templates.push_back(t);
    }
    // The communities of `g` scored as a detection run scores them.
    DetectionOutcome score(const LinkGraph& g, const DetectSettings& s) const
    {
        CancelToken cancel;
        return scoreClusters(profiles, snap, g, findCommunities(g, s, cancel), s);
    }
    TemplateUsers templates() const
    {
        TemplateUsers users;
        for (std::uint32_t a = 0; a < profiles.size(); ++a)
            for (const HeavyTemplate& t : profiles[a].templates)
                users[t.key].push_back(a);
        return users;
    }
};

const LinkEdge* findEdge(const LinkGraph& g, std::uint32_t a, std::uint32_t b)
{
    for (const LinkEdge& e : g.edges)
        if (e.a == std::min(a, b) && e.b == std::max(a, b))
            return &e;
    return nullptr;
}

} // namespace

// The account graph (edges, IDF weights, popularity cut, sparse linkage), Leiden
// communities and the flagging rules on small hand-built populations.
class TestDetectGraph : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void weightFallsWithSharing()
    {
        QCOMPARE(linkValueWeight(2.0, 2), 2.0);
        QVERIFY(linkValueWeight(1.0, 10) < linkValueWeight(1.0, 3));
        QVERIFY(linkValueWeight(1.0, 20000) > 0.1);
        QVERIFY(linkValueWeight(1.0, 20000) < 0.25);
    }

    void edgesFromSharedValues()
    {
        Population pop(200);
        const DetectSettings s;
        pop.snap.accounts[1].payment = 7;
        pop.snap.accounts[2].payment = 7;
        pop.snap.accounts[3].emailDomain = 2; // non-public
        pop.snap.accounts[4].emailDomain = 2;
        pop.snap.accounts[5].emailDomain = 1; // webmail: links nothing
        pop.snap.accounts[6].emailDomain = 1;
        pop.profiles[7].ips.push_back(5);
        pop.profiles[8].ips.push_back(5);
        pop.profiles[8].userAgents.push_back(9);
        pop.profiles[9].userAgents.push_back(9);
        // A NAT address shared by 60 accounts (more than popularValueMinAccounts=50): links nothing.
        for (std::uint32_t a = 100; a < 160; ++a)
            pop.profiles[a].ips.push_back(77);
        const LinkGraph g = LinkGraph::build(pop.profiles, pop.snap, pop.templates(), s);
        const LinkEdge* pay = findEdge(g, 1, 2);
        QVERIFY(pay);
        QCOMPARE(pay->kinds, std::uint16_t(LinkPayment));
        QCOMPARE(static_cast<double>(pay->weight), s.edgeWeightPayment);
        QVERIFY(findEdge(g, 3, 4));
        QVERIFY(!findEdge(g, 5, 6));
        const LinkEdge* two = findEdge(g, 7, 8);
        QVERIFY(two && two->kinds == LinkIp);
        QVERIFY(findEdge(g, 8, 9)->kinds == LinkUserAgent);
        QVERIFY(!findEdge(g, 100, 101));
        QCOMPARE(g.valuesPopular, std::int64_t(1));
        for (size_t i = 1; i < g.edges.size(); ++i)
            QVERIFY(g.edges[i - 1].a < g.edges[i].a || (g.edges[i - 1].a == g.edges[i].a && g.edges[i - 1].b < g.edges[i].b));
    }

    void largeGroupsAreLinkedSparsely()
    {
        Population pop(300);
        DetectSettings s;
        for (std::uint32_t a = 1; a <= 200; ++a)
            pop.heavyTemplate(a, 0xabc);
        const LinkGraph g = LinkGraph::build(pop.profiles, pop.snap, pop.templates(), s);
        std::vector<int> degree(301, 0);
        for (const LinkEdge& e : g.edges) {
            QCOMPARE(e.kinds, std::uint16_t(LinkTemplate));
            ++degree[e.a];
            ++degree[e.b];
        }
        for (std::uint32_t a = 1; a <= 200; ++a) {
            QVERIFY(degree[a] >= 2);
            QVERIFY(degree[a] <= 2 * s.sparseNeighbours);
        }
        QVERIFY(g.edges.size() <= static_cast<size_t>(200 * s.sparseNeighbours));
        // Templates are never cut as popular: a campaign's template is the signal.
        QCOMPARE(g.valuesPopular, std::int64_t(0));
    }

    void communitiesSeparateGroupsDeterministically()
    {
        Population pop(40);
        DetectSettings s;
        for (std::uint32_t a = 1; a <= 10; ++a)
            pop.snap.accounts[a].payment = 1;
        for (std::uint32_t a = 1; a <= 10; ++a)
            pop.heavyTemplate(a, 0x111);
        for (std::uint32_t a = 11; a <= 20; ++a)
            pop.heavyTemplate(a, 0x222);
        pop.profiles[10].ips.push_back(3); // one weak bridge
        pop.profiles[11].ips.push_back(3);
        const LinkGraph g = LinkGraph::build(pop.profiles, pop.snap, pop.templates(), s);
        CancelToken cancel;
        const auto m1 = findCommunities(g, s, cancel);
        const auto m2 = findCommunities(g, s, cancel);
        QCOMPARE(m1, m2);
        for (std::uint32_t a = 2; a <= 10; ++a)
            QCOMPARE(m1[a], m1[1]);
        for (std::uint32_t a = 12; a <= 20; ++a)
            QCOMPARE(m1[a], m1[11]);
        QVERIFY(m1[1] != m1[11]);
        QVERIFY(m1[30] != m1[1] && m1[30] != m1[11]);
    }

    // Lending the edge list to igraph gives the same communities and hands back the same edges, in order.
    void lentEdgesComeBackAsTheyWere()
    {
        DetectSettings s;
        Population pop(60);
        for (std::uint32_t a = 1; a <= 25; ++a)
            pop.snap.accounts[a].payment = 1 + a % 3;
        for (std::uint32_t a = 1; a <= 40; ++a)
            pop.heavyTemplate(a, 0x100 + a % 4);
        for (std::uint32_t a = 30; a <= 55; ++a)
            pop.profiles[a].ips.push_back(7 + a % 2);
        LinkGraph g = LinkGraph::build(pop.profiles, pop.snap, pop.templates(), s);
        QVERIFY(g.edges.size() > 100);
        const std::vector<LinkEdge> before = g.edges;
        CancelToken cancel;
        const auto kept = findCommunities(g, s, cancel);
        const auto lent = findCommunitiesLendingEdges(g, s, cancel);
        QCOMPARE(lent, kept);
        QCOMPARE(g.edges.size(), before.size());
        for (std::size_t i = 0; i < before.size(); ++i) {
            QCOMPARE(g.edges[i].a, before[i].a);
            QCOMPARE(g.edges[i].b, before[i].b);
            QCOMPARE(g.edges[i].weight, before[i].weight);
            QCOMPARE(g.edges[i].kinds, before[i].kinds);
        }
        // A cancel during the run still hands the list back.
        cancel.requestCancel();
        QVERIFY_THROWS_EXCEPTION(Cancelled, findCommunitiesLendingEdges(g, s, cancel));
        QCOMPARE(g.edges.size(), before.size());
        QCOMPARE(g.edges.back().kinds, before.back().kinds);
    }

    void infrastructureAloneFlagsNothing()
    {
        // A reseller: 20 customers on one payment and e-mail domain, human behaviour, no shared template.
        Population pop(60);
        DetectSettings s;
        for (std::uint32_t a = 1; a <= 20; ++a) {
            pop.snap.accounts[a].payment = 5;
            pop.snap.accounts[a].emailDomain = 2;
            pop.behaviour(a, 0.2);
        }
        // A hydra: 10 fresh accounts rotating networks, on one template, harvester behaviour.
        for (std::uint32_t a = 21; a <= 30; ++a) {
            pop.heavyTemplate(a, 0x999);
            pop.behaviour(a, 0.7);
            pop.profiles[a].ind[static_cast<size_t>(Indicator::LockstepShare)] = 0.9;
            pop.profiles[a].ind[static_cast<size_t>(Indicator::ScoreInfrastructure)] = 0.8;
        }
        // A lone busy pipeline: templated and machine-like, but alone and on one IP.
        pop.heavyTemplate(40, 0x777);
        pop.behaviour(40, 0.8);
        const TemplateUsers users = pop.templates();
        const LinkGraph g = LinkGraph::build(pop.profiles, pop.snap, users, s);
        const DetectionOutcome out = pop.score(g, s);
        QCOMPARE(out.clusters.size(), size_t(1));
        QCOMPARE(out.clusters[0].core.size(), size_t(10));
        QVERIFY(out.clusters[0].score >= s.clusterFlagScore);
        QCOMPARE(out.clusters[0].templateCohesion, 1.0);
        for (std::uint32_t a = 1; a <= 20; ++a)
            QVERIFY(!out.accounts[a].flagged);
        for (std::uint32_t a = 21; a <= 30; ++a) {
            QVERIFY(out.accounts[a].flagged);
            QVERIFY(out.accounts[a].score >= 0.5);
        }
        QVERIFY(!out.accounts[40].flagged);
        QVERIFY(out.accounts[40].score < 0.5);

        // The same hydra behaving like people (low behaviour) is not a network to flag.
        for (std::uint32_t a = 21; a <= 30; ++a)
            pop.behaviour(a, 0.2);
        const DetectionOutcome calm = pop.score(g, s);
        QVERIFY(calm.clusters.empty());
    }

    void sharedBenchmarkHarnessIsNotANetwork()
    {
        // Four unrelated evaluation teams run the same public harness template:
        // templated, chain-of-thought, but each on its own stable infrastructure.
        Population pop(30);
        DetectSettings s;
        // Same hours too (batch windows): lockstep on a shared template is still not enough.
        for (std::uint32_t a = 1; a <= 4; ++a) {
            pop.heavyTemplate(a, 0x5eed);
            pop.behaviour(a, 0.5);
            pop.profiles[a].ind[static_cast<size_t>(Indicator::LockstepShare)] = 0.9;
        }
        const LinkGraph g = LinkGraph::build(pop.profiles, pop.snap, pop.templates(), s);
        const DetectionOutcome quiet = pop.score(g, s);
        QVERIFY(quiet.clusters.empty());
        for (std::uint32_t a = 1; a <= 4; ++a)
            QVERIFY(!quiet.accounts[a].flagged);
        // The same four on rotating infrastructure and fresh accounts are a network.
        for (std::uint32_t a = 1; a <= 4; ++a)
            pop.profiles[a].ind[static_cast<size_t>(Indicator::ScoreInfrastructure)] = 0.9;
        const DetectionOutcome hydra = pop.score(g, s);
        QCOMPARE(hydra.clusters.size(), size_t(1));
    }

    void templateWithATraceOfInfrastructureIsNotANetwork()
    {
        // Forty busy customers of one popular template in the same hours, with a
        // trace of infrastructure spread (as the full campaign scenario's
        // enterprise pipeline, evaluators and casual users of one prompt had):
        // the template terms reach almost the flag line, the trace must not tip it.
        Population pop(60);
        DetectSettings s;
        for (std::uint32_t a = 1; a <= 40; ++a) {
            pop.heavyTemplate(a, 0xb0b);
            pop.behaviour(a, 0.5);
            pop.profiles[a].ind[static_cast<size_t>(Indicator::LockstepShare)] = 0.9;
            pop.profiles[a].ind[static_cast<size_t>(Indicator::ScoreInfrastructure)] = 0.1;
        }
        const LinkGraph g = LinkGraph::build(pop.profiles, pop.snap, pop.templates(), s);
        const DetectionOutcome trace = pop.score(g, s);
        QVERIFY(trace.clusters.empty());
        for (std::uint32_t a = 1; a <= 40; ++a)
            QVERIFY(!trace.accounts[a].flagged);
        // A real share of it (a third of the evidence of an evasive network) makes the network.
        for (std::uint32_t a = 1; a <= 40; ++a)
            pop.profiles[a].ind[static_cast<size_t>(Indicator::ScoreInfrastructure)] = 0.3;
        const DetectionOutcome spread = pop.score(g, s);
        QCOMPARE(spread.clusters.size(), size_t(1));
    }

    void benchmarkHarnessInTheNetworksCommunityIsNoMember()
    {
        // A network (1-8) on one template and one payment, and a team of three (9-11) running a benchmark harness:
        // machine-timed, heavily templated, behaving like harvesters, each sharing the harness template with the two
        // others and nothing with the network but the community (their task links to it put them there, as on the
        // 0.1 campaign scenario) and one e-mail domain. The network is flagged, the team is not.
        Population pop(30);
        DetectSettings s;
        for (std::uint32_t a = 1; a <= 8; ++a) {
            pop.heavyTemplate(a, 0x77);
            pop.behaviour(a, 0.6);
            pop.profiles[a].ind[static_cast<size_t>(Indicator::LockstepShare)] = 0.8;
            pop.snap.accounts[a].payment = 3;
        }
        for (std::uint32_t a = 9; a <= 11; ++a) {
            pop.heavyTemplate(a, 0xbe7c);
            pop.behaviour(a, 0.56);
            pop.profiles[a].ind[static_cast<size_t>(Indicator::LockstepShare)] = 0.9;
        }
        pop.snap.accounts[1].emailDomain = 2;
        pop.snap.accounts[9].emailDomain = 2;
        std::vector<std::uint32_t> communities(pop.profiles.size());
        for (std::uint32_t a = 0; a < communities.size(); ++a)
            communities[a] = a <= 11 ? 0 : a;
        const LinkGraph g = LinkGraph::build(pop.profiles, pop.snap, pop.templates(), s);
        const DetectionOutcome out = scoreClusters(pop.profiles, pop.snap, g, communities, s);
        QCOMPARE(out.clusters.size(), size_t(1));
        QCOMPARE(out.clusters[0].core.size(), size_t(8));
        for (std::uint32_t a = 1; a <= 8; ++a)
            QVERIFY(out.accounts[a].flagged);
        for (std::uint32_t a = 9; a <= 11; ++a)
            QVERIFY(!out.accounts[a].flagged);
        // The same team behaving strongly and paying with the network's payment is tied to it: members.
        for (std::uint32_t a = 9; a <= 11; ++a) {
            pop.behaviour(a, 0.7);
            pop.snap.accounts[a].payment = 3;
        }
        const LinkGraph tied = LinkGraph::build(pop.profiles, pop.snap, pop.templates(), s);
        const DetectionOutcome joined = scoreClusters(pop.profiles, pop.snap, tied, communities, s);
        QCOMPARE(joined.clusters.size(), size_t(1));
        for (std::uint32_t a = 1; a <= 11; ++a)
            QVERIFY(joined.accounts[a].flagged);
        // A team alone in its community stays unflagged too: a shared template is not a network.
        for (std::uint32_t a = 0; a < communities.size(); ++a)
            communities[a] = a <= 8 ? 0 : a;
        communities[10] = communities[11] = 9;
        for (std::uint32_t a = 9; a <= 11; ++a) {
            pop.behaviour(a, 0.56);
            pop.snap.accounts[a].payment = 0;
        }
        const LinkGraph apart = LinkGraph::build(pop.profiles, pop.snap, pop.templates(), s);
        const DetectionOutcome alone = scoreClusters(pop.profiles, pop.snap, apart, communities, s);
        QCOMPARE(alone.clusters.size(), size_t(1));
        for (std::uint32_t a = 9; a <= 11; ++a)
            QVERIFY(!alone.accounts[a].flagged);
    }

    void smallMembersAttachByTemplates()
    {
        Population pop(30);
        DetectSettings s;
        for (std::uint32_t a = 1; a <= 6; ++a) {
            pop.heavyTemplate(a, 0x77);
            pop.behaviour(a, 0.6);
            pop.profiles[a].ind[static_cast<size_t>(Indicator::LockstepShare)] = 0.8;
            pop.snap.accounts[a].payment = 3;
        }
        // Two short-lived accounts on the same payment: one used the network's template, one did not.
        for (std::uint32_t a : {7u, 8u}) {
            pop.profiles[a].requests = 4;
            pop.snap.accounts[a].payment = 3;
        }
        pop.profiles[7].lightKeys = {{0x77, 3}, {0x1234, 1}};
        pop.profiles[8].lightKeys = {{0x999, 4}};
        const LinkGraph g = LinkGraph::build(pop.profiles, pop.snap, pop.templates(), s);
        const DetectionOutcome out = pop.score(g, s);
        QCOMPARE(out.clusters.size(), size_t(1));
        QVERIFY(out.accounts[7].flagged && out.accounts[7].attached);
        QVERIFY(!out.accounts[8].flagged);
    }

    void popularPromptOfResellerCustomersIsNoMembership()
    {
        // A templated hydra (1-6) buys through a reseller whose payment its customers
        // (7-10) share; the customers all send one popular prompt heavily, one of them
        // with a harvest-like habit. The network is flagged, the customers are not.
        Population pop(30);
        DetectSettings s;
        for (std::uint32_t a = 1; a <= 10; ++a)
            pop.snap.accounts[a].payment = 3;
        for (std::uint32_t a = 1; a <= 6; ++a) {
            pop.heavyTemplate(a, 0x77);
            pop.behaviour(a, 0.6);
            pop.profiles[a].ind[static_cast<size_t>(Indicator::LockstepShare)] = 0.8;
        }
        for (std::uint32_t a = 7; a <= 10; ++a) {
            pop.heavyTemplate(a, 0x5050);
            pop.behaviour(a, a == 7 ? 0.31 : 0.05);
        }
        const LinkGraph g = LinkGraph::build(pop.profiles, pop.snap, pop.templates(), s);
        // One community for all ten (as Leiden finds when the reseller's links dominate).
        std::vector<std::uint32_t> communities(pop.profiles.size());
        for (std::uint32_t a = 0; a < communities.size(); ++a)
            communities[a] = a <= 10 ? 0 : a;
        const DetectionOutcome out = scoreClusters(pop.profiles, pop.snap, g, communities, s);
        QCOMPARE(out.clusters.size(), size_t(1));
        for (std::uint32_t a = 1; a <= 6; ++a)
            QVERIFY(out.accounts[a].flagged);
        for (std::uint32_t a = 7; a <= 10; ++a)
            QVERIFY(!out.accounts[a].flagged);
    }

    void evasiveInfrastructureWithoutTemplates()
    {
        // No shared template. Group A: fresh accounts rotating networks, sharing
        // payments, mildly harvesting. Group B: a NAT (shared IP), same behaviour,
        // one network each and old accounts.
        Population pop(40);
        DetectSettings s;
        for (std::uint32_t a = 1; a <= 8; ++a) {
            pop.snap.accounts[a].payment = 9;
            pop.behaviour(a, 0.35);
            pop.profiles[a].ind[static_cast<size_t>(Indicator::ScoreInfrastructure)] = 0.9;
        }
        for (std::uint32_t a = 11; a <= 18; ++a) {
            pop.profiles[a].ips.push_back(4242);
            pop.behaviour(a, 0.35);
        }
        const LinkGraph g = LinkGraph::build(pop.profiles, pop.snap, pop.templates(), s);
        const DetectionOutcome out = pop.score(g, s);
        QCOMPARE(out.clusters.size(), size_t(1));
        for (std::uint32_t a = 1; a <= 8; ++a)
            QVERIFY(out.accounts[a].flagged);
        for (std::uint32_t a = 11; a <= 18; ++a)
            QVERIFY(!out.accounts[a].flagged);
    }

    void classSharingExercisesAndCampusIsNotANetwork()
    {
        // A programming class behind one campus NAT (issue 13): 13 students on one e-mail domain and two campus
        // addresses, 9 of them ending their questions with the same phrase. Their behaviour reaches the member line
        // through that sharing and their narrow topic alone: short answers, no reasoning asked for, no harvest profile.
        Population pop(60);
        DetectSettings s;
        for (std::uint32_t a = 1; a <= 13; ++a) {
            pop.snap.accounts[a].emailDomain = 3;
            pop.profiles[a].ips = {77 + a % 2};
            pop.behaviour(a, 0.35);
            pop.profiles[a].ind[static_cast<size_t>(Indicator::ScoreHarvest)] = 0.0;
            pop.profiles[a].ind[static_cast<size_t>(Indicator::ScoreTemplating)] = 1.0;
            pop.profiles[a].ind[static_cast<size_t>(Indicator::ScoreNarrow)] = 0.8;
            pop.profiles[a].ind[static_cast<size_t>(Indicator::ScoreHarvestProfile)] = 0.05;
            if (a <= 9)
                pop.heavyTemplate(a, 0xC1A55);
        }
        const LinkGraph g = LinkGraph::build(pop.profiles, pop.snap, pop.templates(), s);
        const DetectionOutcome out = pop.score(g, s);
        QVERIFY(out.clusters.empty());
        for (std::uint32_t a = 1; a <= 13; ++a)
            QVERIFY(!out.accounts[a].flagged);
        // Without the extraction floor the shared phrase and campus would flag them (seed 7 of the adversarial scenario).
        DetectSettings noFloor = s;
        noFloor.clusterMinExtraction = 0;
        QCOMPARE(pop.score(g, noFloor).clusters.size(), size_t(1));
        // The same accounts taking long answers away (the harvest facet) are a network: what they share ties them.
        for (std::uint32_t a = 1; a <= 13; ++a)
            pop.profiles[a].ind[static_cast<size_t>(Indicator::ScoreHarvest)] = 0.3;
        const DetectionOutcome harvesting = pop.score(g, s);
        QCOMPARE(harvesting.clusters.size(), size_t(1));
        QVERIFY(harvesting.clusters[0].extraction >= s.clusterMinExtraction);
        for (std::uint32_t a : harvesting.clusters[0].core)
            QVERIFY(a <= 9 && harvesting.accounts[a].flagged);
    }

    void soloNeedsBehaviourAndEvasion()
    {
        Population pop(10);
        DetectSettings s;
        pop.behaviour(1, 0.9);
        pop.profiles[1].ind[static_cast<size_t>(Indicator::ScoreInfrastructure)] = 0.8;
        pop.behaviour(2, 0.9); // same behaviour, stable infrastructure (an evaluator, a pipeline)
        const LinkGraph g = LinkGraph::build(pop.profiles, pop.snap, pop.templates(), s);
        const DetectionOutcome out = pop.score(g, s);
        QVERIFY(out.accounts[1].flagged && out.accounts[1].solo);
        QVERIFY(!out.accounts[2].flagged);
    }
};

QTEST_GUILESS_MAIN(TestDetectGraph)
#include "tst_detect_graph.moc"
