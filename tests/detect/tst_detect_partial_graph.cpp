// The link graph of a case holding part of a population (a triage pull, detect/PopulationCounts.h): shared values are
// weighed and cut by everyone sharing them in the whole population, the links to accounts left outside become the
// accounts' outside strength, and the population's links the total the communities normalise by. Without a
// population the graph is the case's own, as for any import.
#include "core/CancelToken.h"
#include "detect/CaseSnapshot.h"
#include "detect/Communities.h"
#include "detect/DetectSettings.h"
#include "detect/LinkCohorts.h"
#include "detect/LinkGraph.h"
#include "detect/LinkTasks.h"

#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace ds;

namespace {

// `n` active accounts, each with an IP and a user agent of its own.
struct Case
{
    std::vector<AccountProfile> profiles;
    CaseSnapshot snap;

    explicit Case(std::uint32_t n)
    {
        profiles.resize(n + 1);
        snap.accounts.resize(n + 1);
        snap.accountNames.resize(n + 1);
        snap.accountPresent.assign(n + 1, true);
        snap.publicEmailDomain = {false, true, false};
        for (std::uint32_t a = 1; a <= n; ++a) {
            AccountProfile& p = profiles[a];
            p.requests = 100;
            p.firstTs = 1;
            p.lastTs = 2;
            for (double& v : p.ind)
                v = 0;
            p.ips = {1000 + a};
            p.userAgents = {1000 + a};
        }
    }
};

const LinkEdge* edge(const LinkGraph& g, std::uint32_t a, std::uint32_t b)
{
    for (const LinkEdge& e : g.edges)
        if (e.a == a && e.b == b)
            return &e;
    return nullptr;
}

double total(const LinkGraph& g)
{
    double t = 0;
    for (const LinkEdge& e : g.edges)
        t += e.weight;
    return t;
}

} // namespace

class TestDetectPartialGraph : public QObject
{
    Q_OBJECT

private slots:
    void valuesAreWeighedByThePopulation()
    {
        Case c(20);
        DetectSettings s;
        c.profiles[1].userAgents.push_back(9); // an SDK's user agent: rare in the case, common on the server
        c.profiles[2].userAgents.push_back(9);
        c.profiles[3].ips.push_back(5); // an address 4 accounts of the server share, 2 of them pulled
        c.profiles[4].ips.push_back(5);
        const LinkGraph local = LinkGraph::build(c.profiles, c.snap, {}, s);
        QVERIFY(edge(local, 1, 2));
        QCOMPARE(edge(local, 3, 4)->weight, static_cast<float>(linkValueWeight(s.edgeWeightIp, 2)));
        QVERIFY(local.outsideStrength.empty());
        QCOMPARE(local.outsideTotal, 0.0);

        PopulationCounts population;
        population.accounts = 1000;
        population.userAgent.assign(10, 0);
        population.userAgent[9] = 500; // over the popular cut, max(50, 2 % of 1000)
        population.ip.assign(6, 0);
        population.ip[5] = 4;
        population.sizes = {{LinkIp, 4, 10}, {LinkUserAgent, 500, 1}};
        const LinkGraph partial = LinkGraph::build(c.profiles, c.snap, {}, s, &population);
        QVERIFY(!edge(partial, 1, 2));
        const auto w = static_cast<float>(linkValueWeight(s.edgeWeightIp, 4));
        QVERIFY(edge(partial, 3, 4));
        QCOMPARE(edge(partial, 3, 4)->weight, w);
        // Each of 3 and 4 has 3 links on that address in the population, 1 of them in the case.
        QCOMPARE(partial.outsideStrength.size(), c.profiles.size());
        QCOMPARE(partial.outsideStrength[3], 2.0 * w);
        QCOMPARE(partial.outsideStrength[1], 0.0);
        // The population's IP links (10 addresses of 4 accounts, 6 links each) less the one the case holds.
        QVERIFY(std::abs(partial.outsideTotal - (60.0 * w - w)) < 1e-4);
        QVERIFY(std::abs(total(partial) - w) < 1e-6);
    }

    void largeGroupsKeepTheirExpectedStrength()
    {
        Case c(40);
        DetectSettings s;
        for (std::uint32_t a = 1; a <= 5; ++a)
            c.profiles[a].ips.push_back(7); // 5 pulled of 200 sharing a network-wide address: a circulant there
        PopulationCounts population;
        population.accounts = 20000;
        population.ip.assign(8, 0);
        population.ip[7] = 200;
        const LinkGraph g = LinkGraph::build(c.profiles, c.snap, {}, s, &population);
        const double full = 2.0 * s.sparseNeighbours * static_cast<double>(static_cast<float>(linkValueWeight(s.edgeWeightIp, 200)));
        double inside = 0;
        for (const LinkEdge& e : g.edges)
            if (e.a == 1 || e.b == 1)
                inside += e.weight;
        // Inside: 4 pulled neighbours at odds 12 in 199; with the outside, the population's 12 links.
        QVERIFY(std::abs(inside - 4.0 * full / 199.0) < 1e-4);
        QVERIFY(std::abs(inside + g.outsideStrength[1] - full) < 1e-4);
    }

    void accountValuesCountEveryAccountOfTheFile()
    {
        Case c(6);
        DetectSettings s;
        for (std::uint32_t a = 1; a <= 4; ++a)
            c.snap.accounts[a].payment = 3; // one card on 4 accounts of the file, 2 of them left on the server
        c.profiles[3].requests = 0;
        c.profiles[4].requests = 0;
        PopulationCounts population;
        population.accounts = 100;
        const LinkGraph g = LinkGraph::build(c.profiles, c.snap, {}, s, &population);
        const auto w = static_cast<float>(linkValueWeight(s.edgeWeightPayment, 4));
        QVERIFY(edge(g, 1, 2));
        QCOMPARE(edge(g, 1, 2)->weight, w);
        QCOMPARE(g.outsideStrength[1], 2.0 * w);
        QVERIFY(std::abs(g.outsideTotal - 5.0 * w) < 1e-4); // 6 links on the card, 1 in the case
        // Without the population the case counts only its own: 2 accounts.
        const LinkGraph local = LinkGraph::build(c.profiles, c.snap, {}, s);
        QCOMPARE(edge(local, 1, 2)->weight, static_cast<float>(linkValueWeight(s.edgeWeightPayment, 2)));
    }

    void cohortWindowsCountThePopulationsStarts()
    {
        // Ten harvest-profile accounts brought online within an hour on day 3, pulled alone: among the case's own
        // starts every start is a harvester's, so ten together is what chance gives. Among the population's (four
        // ordinary accounts starting every hour for ten days), it is far beyond chance.
        constexpr std::int64_t hour = 3'600'000;
        Case c(10);
        DetectSettings s;
        for (std::uint32_t a = 1; a <= 10; ++a) {
            c.profiles[a].ind[static_cast<size_t>(Indicator::ScoreHarvestProfile)] = 0.9;
            c.profiles[a].firstTs = 72 * hour + static_cast<std::int64_t>(a) * 300'000;
            c.profiles[a].lastTs = 100 * hour;
        }
        const TaskLinks tasks = linkTasks(c.profiles, s);
        const CohortLinks local = linkCohorts(c.profiles, tasks, s);
        QVERIFY(local.edges.empty());
        PopulationCounts population;
        population.accounts = 970;
        for (std::int64_t h = 0; h < 240; ++h)
            population.starts.emplace_back(h * hour, 4);
        population.starts.emplace_back(72 * hour + 60'000, 10); // the ten, by minute
        std::sort(population.starts.begin(), population.starts.end());
        const CohortLinks partial = linkCohorts(c.profiles, tasks, s, &population);
        QVERIFY(!partial.edges.empty());
        for (const LinkEdge& e : partial.edges)
            QCOMPARE(e.kinds, std::uint16_t(LinkWindow));
        QCOMPARE(partial.evidence.size(), std::size_t(10));
        // Chance: 4 an hour over 12 hours, at the early population's harvest share (none of 96, counted as 1).
        QVERIFY(partial.evidence.front().windowExpected < 1.0);
    }

    void communitiesNormaliseByThePopulation()
    {
        // Two strong pairs joined by a weak link. The case alone keeps them apart; in a population whose links weigh
        // far more (the outside total) the weak link is worth a merge; when the pairs also link to that population
        // (their outside strengths), merging costs more again and they stay apart.
        DetectSettings s;
        LinkGraph g;
        g.nodes = 5;
        g.edges = {{1, 2, 2.0f, LinkIp}, {1, 3, 0.2f, LinkIp}, {3, 4, 2.0f, LinkIp}};
        CancelToken cancel;
        const auto local = findCommunities(g, s, cancel);
        QCOMPARE(local[1], local[2]);
        QCOMPARE(local[3], local[4]);
        QVERIFY(local[1] != local[3]);
        g.outsideTotal = 1000;
        const auto sparse = findCommunities(g, s, cancel);
        QCOMPARE(sparse[1], sparse[4]);
        g.outsideStrength = {0, 10, 10, 10, 10};
        const auto linked = findCommunities(g, s, cancel);
        QCOMPARE(linked[1], linked[2]);
        QCOMPARE(linked[3], linked[4]);
        QVERIFY(linked[1] != linked[3]);
    }
};

QTEST_GUILESS_MAIN(TestDetectPartialGraph)
#include "tst_detect_partial_graph.moc"
