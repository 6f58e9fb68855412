#include "core/CancelToken.h"
#include "detect/CaseSnapshot.h"
#include "detect/ClusterScoring.h"
#include "detect/Communities.h"
#include "detect/DetectSettings.h"
#include "detect/LinkTasks.h"

#include <QtTest>
#include <set>

using namespace ds;

namespace {

std::uint64_t mix(std::uint64_t a, std::uint64_t b)
{
    std::uint64_t x = a * 0x9E3779B97F4A7C15ULL ^ (b + 0x632BE59BD9B4E019ULL);
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return (x ^ (x >> 31)) | 1; // never 0 (no task)
}

// Accounts built from their requests (task hash, harvest score) the way the scanner builds them.
struct Population
{
    std::vector<AccountProfile> profiles { 1 }; // slot 0 unused
    DetectSettings settings;
    std::int64_t nextId = 1;

    std::uint32_t add(const std::vector<std::pair<std::uint64_t, int>>& asks)
    {
        std::vector<RequestRow> rows;
        std::int64_t ts = 1'000'000;
        for (const auto& [hash, harvest] : asks) {
            RequestRow r;
            r.id = nextId++;
            r.ts = ts += 60'000;
            r.taskHash = hash;
            r.harvest = harvest;
            rows.push_back(r);
        }
        AccountProfile& p = profiles.emplace_back();
        p.requests = static_cast<std::int64_t>(rows.size());
        sketchTasks(rows, settings, p);
        return static_cast<std::uint32_t>(profiles.size() - 1);
    }
    // People asking their own questions: `n` accounts of `tasks` tasks nobody else asks.
    void background(int n, int tasks, int harvest)
    {
        for (int a = 0; a < n; ++a) {
            std::vector<std::pair<std::uint64_t, int>> asks;
            for (int k = 0; k < tasks; ++k)
                asks.emplace_back(mix(0xB0 + static_cast<std::uint64_t>(a), static_cast<std::uint64_t>(k)), harvest);
            add(asks);
        }
    }
};

std::set<std::uint32_t> linked(const TaskLinks& t)
{
    std::set<std::uint32_t> s;
    for (const LinkEdge& e : t.edges) {
        s.insert(e.a);
        s.insert(e.b);
    }
    return s;
}

} // namespace

// Task links (detect/LinkTasks.h): accounts drawing on one pool of rare tasks are linked; popular tasks, people's
// own questions, and people sharing tasks without harvesting them (a class's exercises) are not.
class TestDetectTasks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sketchKeepsTheSmallestHashesOnce()
    {
        Population pop;
        pop.settings.taskSketchSize = 3;
        const std::uint32_t a
            = pop.add({ { 50, 100 }, { 10, 700 }, { 0, 900 }, { 30, 200 }, { 10, 900 }, { 20, 0 }, { 40, 0 } });
        const std::vector<TaskUse>& t = pop.profiles[a].tasks;
        QCOMPARE(t.size(), std::size_t(3));
        QCOMPARE(t[0].hash, std::uint64_t(10));
        QCOMPARE(t[0].count, std::uint16_t(2));
        QCOMPARE(t[0].harvest, std::uint16_t(900)); // the highest of its asks
        QCOMPARE(t[0].request, std::int64_t(2)); // its first ask
        QCOMPARE(t[1].hash, std::uint64_t(20));
        QCOMPARE(t[2].hash, std::uint64_t(30));
    }

    void poolOfRareTasksLinksItsAccounts()
    {
        Population pop;
        pop.background(400, 40, 700);
        // 24 accounts working one queue: 600 tasks, each sent to 2 or 3 of them, plus their own camouflage.
        std::vector<std::vector<std::pair<std::uint64_t, int>>> asks(24);
        for (std::uint64_t t = 0; t < 600; ++t) {
            const std::uint64_t k = 2 + t % 2;
            for (std::uint64_t j = 0; j < k; ++j)
                asks[(t * 7 + j * 11) % 24].emplace_back(mix(0xA11, t), 800);
        }
        std::vector<std::uint32_t> pool;
        for (std::size_t a = 0; a < asks.size(); ++a) {
            for (std::uint64_t k = 0; k < 30; ++k)
                asks[a].emplace_back(mix(0xCA00 + a, k), 50);
            pool.push_back(pop.add(asks[a]));
        }
        const TaskLinks t = linkTasks(pop.profiles, pop.settings);
        QVERIFY(t.harvestGated);
        const std::set<std::uint32_t> in = linked(t);
        for (std::uint32_t a : in)
            QVERIFY2(a >= pool.front(), "a background account was linked");
        QVERIFY2(in.size() >= 22, qPrintable(QString::number(in.size())));
        for (const LinkEdge& e : t.edges) {
            QCOMPARE(e.kinds, std::uint16_t(LinkTask));
            QVERIFY(e.weight > 0 && e.weight <= pop.settings.edgeWeightTask);
        }
        QVERIFY(!t.sharing.empty());
        const TaskSharing& s = t.sharing.front();
        QVERIFY(s.tasks >= 3 && s.partners >= 1 && !s.requests.empty());
    }

    // A class: 30 students asking about the same exercises (in wordings that make 2-8 askers per task) at a
    // request harvest score far below taskMinHarvest, among harvesting accounts that give the case its scores.
    void classSharingExercisesIsNoPool()
    {
        Population pop;
        pop.background(300, 40, 700);
        std::vector<std::uint32_t> students;
        for (std::uint64_t s = 0; s < 30; ++s) {
            std::vector<std::pair<std::uint64_t, int>> asks;
            for (std::uint64_t k = 0; k < 24; ++k)
                asks.emplace_back(mix(0xC1A55, (s * 5 + k * 3) % 90), 120);
            students.push_back(pop.add(asks));
        }
        const TaskLinks gated = linkTasks(pop.profiles, pop.settings);
        QVERIFY(gated.harvestGated);
        QVERIFY(gated.edges.empty());
        // The gate is what keeps them apart: were their requests harvesting, the class would be a pool.
        for (std::uint32_t a : students)
            for (TaskUse& u : pop.profiles[a].tasks)
                u.harvest = 900;
        QVERIFY(!linkTasks(pop.profiles, pop.settings).edges.empty());
    }

    // Twelve accounts asking the same twenty tasks: a popular benchmark, not a pool.
    void popularTasksLinkNobody()
    {
        Population pop;
        pop.background(200, 40, 700);
        for (int a = 0; a < 12; ++a) {
            std::vector<std::pair<std::uint64_t, int>> asks;
            for (std::uint64_t k = 0; k < 20; ++k)
                asks.emplace_back(mix(0xBE7C, k), 900);
            pop.add(asks);
        }
        const TaskLinks t = linkTasks(pop.profiles, pop.settings);
        QVERIFY(t.edges.empty());
        QCOMPARE(t.tasksPopular, std::int64_t(20));
    }

    // Busy people who ask their own questions and happen to share a few with others: below the pool share.
    void occasionalOverlapIsNoPool()
    {
        Population pop;
        for (std::uint64_t a = 0; a < 200; ++a) {
            std::vector<std::pair<std::uint64_t, int>> asks;
            for (std::uint64_t k = 0; k < 60; ++k)
                asks.emplace_back(mix(0xD0 + a, k), 800);
            // Five questions from a public list of 40 that many people copy.
            for (std::uint64_t k = 0; k < 5; ++k)
                asks.emplace_back(mix(0x1157, (a * 13 + k * 7) % 400), 800);
            pop.add(asks);
        }
        QVERIFY(linkTasks(pop.profiles, pop.settings).edges.empty());
    }

    // A task pool makes a network of its accounts when they behave like harvesters (issue 13: the harvest profile
    // decides), and none when they do not, however many tasks they share.
    void taskPoolIsANetworkOnlyWhenItHarvests()
    {
        Population pop;
        pop.background(100, 30, 0); // no harvest scores anywhere: every task counts
        std::vector<std::uint32_t> pool;
        for (std::uint64_t a = 0; a < 16; ++a) {
            std::vector<std::pair<std::uint64_t, int>> asks;
            for (std::uint64_t t = 0; t < 60; ++t)
                asks.emplace_back(mix(0x9001, (a * 37 + t) % 320), 0);
            pool.push_back(pop.add(asks));
        }
        CaseSnapshot snap;
        snap.accounts.resize(pop.profiles.size());
        snap.accountNames.resize(pop.profiles.size());
        snap.accountPresent.assign(pop.profiles.size(), true);
        LinkGraph g;
        g.nodes = static_cast<std::uint32_t>(pop.profiles.size());
        g.edges = linkTasks(pop.profiles, pop.settings).edges;
        QVERIFY(g.edges.size() >= 15);
        auto flaggedPool = [&](double behaviour, double harvest) {
            for (std::uint32_t a = 1; a < pop.profiles.size(); ++a) {
                AccountProfile& p = pop.profiles[a];
                for (double& v : p.ind)
                    v = 0;
                const bool inPool = std::find(pool.begin(), pool.end(), a) != pool.end();
                p.ind[static_cast<std::size_t>(Indicator::Behaviour)] = inPool ? behaviour : 0.05;
                p.ind[static_cast<std::size_t>(Indicator::ScoreHarvestProfile)] = inPool ? harvest : 0.05;
                p.firstTs = 1;
                p.lastTs = 2;
            }
            CancelToken cancel;
            const DetectionOutcome out
                = scoreClusters(pop.profiles, snap, g, findCommunities(g, pop.settings, cancel), pop.settings);
            int flagged = 0, outside = 0;
            for (std::uint32_t a = 1; a < out.accounts.size(); ++a) {
                const bool inPool = std::find(pool.begin(), pool.end(), a) != pool.end();
                flagged += inPool && out.accounts[a].flagged;
                outside += !inPool && out.accounts[a].flagged;
            }
            return std::make_pair(flagged, outside);
        };
        // Below soloMinHarvestProfile, so only the task network can flag them.
        const auto [harvesters, others] = flaggedPool(0.2, 0.5);
        QVERIFY2(harvesters >= 14, qPrintable(QString::number(harvesters)));
        QCOMPARE(others, 0);
        QCOMPARE(flaggedPool(0.2, pop.settings.taskCoreMinHarvestProfile - 0.05).first, 0);
        // Behaving like a harvester without a harvest profile (a benchmark evaluator) makes no task-pool core.
        QCOMPARE(flaggedPool(0.6, 0.1).first, 0);
    }

    void deterministic()
    {
        Population pop;
        pop.background(100, 30, 700);
        for (std::uint64_t a = 0; a < 10; ++a) {
            std::vector<std::pair<std::uint64_t, int>> asks;
            for (std::uint64_t t = 0; t < 40; ++t)
                asks.emplace_back(mix(0x900D, (a * 17 + t) % 120), 800);
            pop.add(asks);
        }
        const TaskLinks x = linkTasks(pop.profiles, pop.settings), y = linkTasks(pop.profiles, pop.settings);
        QCOMPARE(x.edges.size(), y.edges.size());
        for (std::size_t i = 0; i < x.edges.size(); ++i)
            QVERIFY(x.edges[i].a == y.edges[i].a && x.edges[i].b == y.edges[i].b
                    && x.edges[i].weight == y.edges[i].weight);
    }
};

QTEST_GUILESS_MAIN(TestDetectTasks)
#include "tst_detect_tasks.moc"
