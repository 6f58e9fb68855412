#include "detect/DetectSettings.h"
#include "detect/LinkTasks.h"
#include "detect/PoolAttachment.h"

#include <QtTest>

#include <set>

using namespace ds;

namespace {

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kStart = 1'770'000'000'000; // 2026-02-02

std::uint64_t taskHash(std::uint64_t pool, std::uint64_t i)
{
    std::uint64_t x = pool * 0x9E3779B97F4A7C15ULL ^ (i + 0x632BE59BD9B4E019ULL);
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    return (x ^ (x >> 31)) | 1;
}

void set(AccountProfile& p, Indicator i, double v)
{
    p.ind[static_cast<std::size_t>(i)] = v;
}

// The figures of an account of the careful operation at 20-40 requests: a dozen harvest-class requests, 60 % of its
// traffic, answered at 9 output tokens per prompt token.
struct Small
{
    double requests = 24, harvestClass = 14, share = 0.6, output = 1300, ratio = 9;
    double cut = 0, families = 1; // share of its harvest-class answers cut at max_tokens; their task families
};

// One flagged network whose 12 core accounts each asked 10 rare tasks of one queue (each task by two of them), and
// accounts around it, built the way the scanner builds them.
struct Case
{
    DetectSettings settings;
    std::vector<AccountProfile> profiles { 1 }; // slot 0 unused
    DetectionOutcome out;
    std::int64_t nextId = 1;

    std::uint32_t add(std::int64_t start, const std::vector<std::pair<std::uint64_t, std::int64_t>>& asks, int harvest = 850)
    {
        std::vector<RequestRow> rows;
        for (const auto& [hash, ts] : asks) {
            RequestRow r;
            r.id = nextId++;
            r.ts = ts;
            r.taskHash = hash;
            r.harvest = harvest;
            rows.push_back(r);
        }
        std::sort(rows.begin(), rows.end(), [](const RequestRow& x, const RequestRow& y) { return x.ts < y.ts; });
        AccountProfile& p = profiles.emplace_back();
        p.requests = 120;
        p.firstTs = start;
        p.lastTs = start + 96 * kHour;
        sketchTasks(rows, settings, p);
        return static_cast<std::uint32_t>(profiles.size() - 1);
    }

    explicit Case(int coreHarvest = 850)
    {
        ClusterOutcome c;
        c.score = 0.8;
        c.flagged = true;
        for (int i = 0; i < 12; ++i) {
            std::vector<std::pair<std::uint64_t, std::int64_t>> asks;
            for (int k = 0; k < 10; ++k) {
                const int task = (i * 10 + k) % 60; // task t goes to core accounts t/10 and t/10 + 6
                asks.emplace_back(taskHash(1, static_cast<std::uint64_t>(task)), kStart + (20 + 4 * k) * kHour);
            }
            c.core.push_back(add(kStart + 20 * kHour + i * kHour, asks, coreHarvest));
        }
        c.members = c.core;
        out.clusters.push_back(std::move(c));
    }

    // An account asking `fromQueue` of the network's tasks `gapHours` after the network did (plus its own tasks, to
    // `counted` in all), starting `startHours` after the data begins.
    std::uint32_t candidate(int fromQueue, int counted, Small f = {}, double gapHours = 6, double startHours = 30,
                            int harvest = 850)
    {
        std::vector<std::pair<std::uint64_t, std::int64_t>> asks;
        for (int k = 0; k < counted; ++k) {
            const auto ts = kStart + static_cast<std::int64_t>((20 + 4 * (k % 10) + gapHours) * kHour);
            asks.emplace_back(k < fromQueue ? taskHash(1, static_cast<std::uint64_t>(k * 10))
                                            : taskHash(2, nextId * 100 + static_cast<std::uint64_t>(k)),
                              ts);
        }
        const std::uint32_t a = add(kStart + static_cast<std::int64_t>(startHours * kHour), asks, harvest);
        AccountProfile& p = profiles[a];
        p.requests = static_cast<std::int64_t>(f.requests);
        set(p, Indicator::Requests, f.requests);
        set(p, Indicator::HarvestClassRequests, f.harvestClass);
        set(p, Indicator::HarvestClassShare, f.share);
        set(p, Indicator::HarvestClassOutput, f.output);
        set(p, Indicator::HarvestClassRatio, f.ratio);
        set(p, Indicator::HarvestClassCutShare, f.cut);
        set(p, Indicator::HarvestFamilies, f.families);
        return a;
    }

    // Accounts asking one of the network's tasks, making it popular (more than taskMaxAccounts askers).
    void popular(int task, int askers)
    {
        for (int i = 0; i < askers; ++i)
            add(kStart, { { taskHash(1, static_cast<std::uint64_t>(task)), kStart + 40 * kHour } });
    }

    void run()
    {
        out.accounts.assign(profiles.size(), {});
        for (std::uint32_t a : out.clusters.front().core) {
            out.accounts[a].flagged = true;
            out.accounts[a].cluster = 0;
        }
        attachPoolMembers(out, profiles, settings);
    }

    bool pooled(std::uint32_t a) const { return out.accounts[a].flagged && out.accounts[a].pooled; }
};

} // namespace

// Pool members (detect/PoolAttachment.h): an account too small to judge alone joins the flagged network whose core
// asked its harvest-class tasks, near it in time; accounts whose own traffic does not harvest, or that share a few
// tasks by chance, do not.
class TestDetectPoolMembers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void smallAccountOnTheNetworksQueueJoins()
    {
        Case c;
        const std::uint32_t a = c.candidate(5, 9);
        c.run();
        QVERIFY(c.pooled(a));
        QVERIFY(c.out.accounts[a].attached);
        QCOMPARE(c.out.accounts[a].cluster, 0);
        QVERIFY(std::find(c.out.clusters[0].attached.begin(), c.out.clusters[0].attached.end(), a)
                != c.out.clusters[0].attached.end());
        QVERIFY(c.out.accounts[a].score >= 0.5);
        QCOMPARE(c.out.poolMembers.size(), std::size_t { 1 });
        const PoolMember& m = c.out.poolMembers.front();
        QCOMPARE(m.account, a);
        QCOMPARE(m.shared, 5u);
        QCOMPARE(m.counted, 9u);
        QCOMPARE(m.partners, 10u); // each task by two core accounts
        QVERIFY(m.cohort >= 1);
        QCOMPARE(m.requests.size(), std::size_t { 5 });
        // The network's core and score are unchanged.
        QCOMPARE(c.out.clusters[0].core.size(), std::size_t { 12 });
        QCOMPARE(c.out.clusters[0].score, 0.8);
    }

    // Popular tasks (a rubric every grading request shares) do not dilute its share: 5 of its 9 rare tasks are the
    // network's, beside 6 popular ones.
    void popularTasksDoNotDilute()
    {
        Case c;
        const std::uint32_t a = c.candidate(5, 15);
        std::set<std::uint64_t> network;
        for (std::uint32_t b : c.out.clusters.front().core)
            for (const TaskUse& u : c.profiles[b].tasks)
                network.insert(u.hash);
        std::vector<std::uint64_t> own;
        for (const TaskUse& u : c.profiles[a].tasks)
            if (!network.count(u.hash))
                own.push_back(u.hash);
        QCOMPARE(own.size(), std::size_t { 10 });
        for (std::size_t k = 0; k < 6; ++k) // 6 of its own tasks asked by 9 more accounts each: popular
            for (int i = 0; i < 9; ++i)
                c.add(kStart, { { own[k], kStart + 40 * kHour } });
        c.run();
        QVERIFY(c.pooled(a));
        QCOMPARE(c.out.poolMembers.front().counted, 9u);
    }

    // A network that asks much of what everyone asks (a large harvest of public tasks) meets anyone's tasks: sharing as
    // much as ordinary accounts do by chance is no evidence. Ordinary accounts each asking 6 rare tasks, 3 of them
    // also the network's: chance gives half; the small account's 5 of 9 is not 4 times that.
    void sharingWhatChanceGivesStaysOut()
    {
        Case c;
        const std::uint32_t a = c.candidate(5, 9);
        for (int i = 0; i < 20; ++i) {
            std::vector<std::pair<std::uint64_t, std::int64_t>> asks;
            for (int k = 0; k < 6; ++k)
                asks.emplace_back(k < 3 ? taskHash(1, static_cast<std::uint64_t>(50 + (i * 3 + k) % 10)) // the network's
                                        : taskHash(3, static_cast<std::uint64_t>(i * 10 + k)),
                                  kStart + 30 * kHour);
            c.add(kStart, asks);
        }
        c.run();
        QVERIFY(!c.pooled(a));
        Case alone; // the same without ordinary accounts sharing the network's tasks
        const std::uint32_t b = alone.candidate(5, 9);
        for (int i = 0; i < 20; ++i)
            alone.add(kStart, { { taskHash(3, static_cast<std::uint64_t>(i * 10)), kStart + 30 * kHour } });
        alone.run();
        QVERIFY(alone.pooled(b));
    }

    // A homework asker or a student asking the same questions: worked answers short against their prompts.
    void shortAnswersStayOut()
    {
        Case c;
        Small f;
        f.ratio = 1.4;
        const std::uint32_t a = c.candidate(5, 9, f);
        c.run();
        QVERIFY(!c.pooled(a));
        QVERIFY(c.out.poolMembers.empty());
        // Short questions with short worked answers: long against the prompt, short in themselves.
        Case tutoring;
        Small t;
        t.output = 350;
        t.ratio = 4.5;
        const std::uint32_t b = tutoring.candidate(5, 9, t);
        tutoring.run();
        QVERIFY(!tutoring.pooled(b));
    }

    // A small account of an operation capping its answers (docs/HARVEST_SIGNAL.md section 10): short answers, short
    // against their prompts, but cut at the client's limit in two families: the cut share stands in for their length.
    // Cut in one family (a class behind a capping proxy), or cut less often, it stays out.
    void answersCutAtTheLimitStandInForLength()
    {
        Small f;
        f.output = 380;
        f.ratio = 2.5;
        f.cut = 0.7;
        f.families = 2;
        Case c;
        const std::uint32_t a = c.candidate(5, 9, f);
        c.run();
        QVERIFY(c.pooled(a));
        Small oneFamily = f;
        oneFamily.families = 1;
        Case d;
        const std::uint32_t b = d.candidate(5, 9, oneFamily);
        d.run();
        QVERIFY(!d.pooled(b));
        Small seldom = f;
        seldom.cut = 0.4;
        Case e;
        const std::uint32_t x = e.candidate(5, 9, seldom);
        e.run();
        QVERIFY(!e.pooled(x));
    }

    // Mostly ordinary traffic: a developer whose few public coding tasks the network also asked.
    void ordinaryTrafficStaysOut()
    {
        Case c;
        Small f;
        f.share = 0.3;
        const std::uint32_t a = c.candidate(5, 9, f);
        c.run();
        QVERIFY(!c.pooled(a));
    }

    // An account with many harvest-class requests is judged by its own harvest profile.
    void volumeIsTheProfilesToJudge()
    {
        Case c;
        Small f;
        f.requests = 90;
        f.harvestClass = 54;
        const std::uint32_t a = c.candidate(5, 9, f);
        c.run();
        QVERIFY(!c.pooled(a));
    }

    void aFewOrASliverOfItsTasksStayOut()
    {
        Case two;
        const std::uint32_t a = two.candidate(2, 4);
        two.run();
        QVERIFY(!two.pooled(a)); // 2 tasks: under poolAttachMinShared
        Case sliver;
        const std::uint32_t b = sliver.candidate(4, 14);
        sliver.run();
        QVERIFY(!sliver.pooled(b)); // 4 of 14: under poolAttachMinShare
    }

    // The network asked them a week earlier: the same public tasks, not the same queue.
    void tasksAskedDaysApartStayOut()
    {
        Case c;
        const std::uint32_t a = c.candidate(5, 9, {}, 7 * 24);
        c.run();
        QVERIFY(!c.pooled(a));
    }

    // Popular tasks (asked by more than taskMaxAccounts accounts) are not a pool.
    void popularTasksDoNotCount()
    {
        Case c;
        for (int k = 0; k < 5; ++k)
            c.popular(k * 10, 10);
        const std::uint32_t a = c.candidate(5, 9);
        c.run();
        QVERIFY(!c.pooled(a));
    }

    // None of the core accounts that asked its tasks began near it: a customer meeting the queue by chance.
    void noCoreAccountOfItsCohortStaysOut()
    {
        Case near;
        const std::uint32_t a = near.candidate(5, 9, {}, 20, 40);
        near.run();
        QVERIFY(near.pooled(a)); // its tasks 20 hours after the network's, 9 to 20 hours after the core began
        Case apart;
        for (std::uint32_t b : apart.out.clusters.front().core)
            apart.profiles[b].firstTs = kStart; // the core began 40 hours before it
        const std::uint32_t b = apart.candidate(5, 9, {}, 20, 40);
        apart.run();
        QVERIFY(!apart.pooled(b));
    }

    // Tasks asked under taskMinHarvest count nothing, and neither does a case made before harvest scores (all 0).
    void withoutHarvestScoresNothingJoins()
    {
        Case low;
        const std::uint32_t a = low.candidate(5, 9, {}, 6, 30, 600);
        low.run();
        QVERIFY(!low.pooled(a));
        Case old(0);
        const std::uint32_t b = old.candidate(5, 9, {}, 6, 30, 0);
        old.run();
        QVERIFY(!old.pooled(b));
    }

    void deterministic()
    {
        auto once = [] {
            Case c;
            for (int i = 0; i < 5; ++i)
                c.candidate(3 + i % 3, 8);
            c.run();
            std::vector<std::uint32_t> ids;
            for (const PoolMember& m : c.out.poolMembers)
                ids.push_back(m.account * 1000 + m.shared);
            return ids;
        };
        const auto first = once();
        QVERIFY(!first.empty());
        QCOMPARE(once(), first);
    }
};

QTEST_GUILESS_MAIN(TestDetectPoolMembers)
#include "tst_detect_pool_members.moc"
