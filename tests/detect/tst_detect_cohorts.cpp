#include "core/CancelToken.h"
#include "detect/BehaviourScore.h"
#include "detect/CaseSnapshot.h"
#include "detect/ClusterScoring.h"
#include "detect/CohortReasons.h"
#include "detect/Communities.h"
#include "detect/DetectSettings.h"
#include "detect/LinkCohorts.h"
#include "detect/LinkTasks.h"
#include "ReasonStyle.h"

#include <QtTest>
#include <set>
#include <span>

using namespace ds;

namespace {

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kDataStart = 1'770'000'000'000; // 2026-02-02

std::uint64_t mix(std::uint64_t a, std::uint64_t b)
{
    std::uint64_t x = a * 0x9E3779B97F4A7C15ULL ^ (b + 0x632BE59BD9B4E019ULL);
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return (x ^ (x >> 31)) | 1;
}

// Accounts with a start time, a harvest profile and tasks (task hash, request harvest score), built the way the
// scanner and the population stage build them.
struct Population
{
    std::vector<AccountProfile> profiles { 1 }; // slot 0 unused
    DetectSettings settings;
    std::int64_t nextId = 1;

    // `asks` as a span: GCC 12 warned (-Wnull-dereference) on the loop over an empty default vector.
    std::uint32_t add(std::int64_t start, double harvestProfile, std::span<const std::pair<std::uint64_t, int>> asks = {})
    {
        std::vector<RequestRow> rows;
        std::int64_t ts = start;
        for (const auto& [hash, harvest] : asks) {
            RequestRow r;
            r.id = nextId++;
            r.ts = ts += 600'000;
            r.taskHash = hash;
            r.harvest = harvest;
            rows.push_back(r);
        }
        AccountProfile& p = profiles.emplace_back();
        p.requests = std::max<std::int64_t>(40, static_cast<std::int64_t>(rows.size()));
        p.firstTs = start;
        p.lastTs = start + 72 * kHour;
        p.firstRequest = rows.empty() ? nextId++ : rows.front().id;
        p.ind[static_cast<std::size_t>(Indicator::ScoreHarvestProfile)] = harvestProfile;
        sketchTasks(rows, settings, p);
        return static_cast<std::uint32_t>(profiles.size() - 1);
    }

    // Ordinary customers: most already active when the data starts, the rest joining through two weeks; a few
    // per hundred are busy developers whose profile reaches the harvest-profile line.
    void ordinary(int n)
    {
        for (int i = 0; i < n; ++i) {
            const std::uint64_t h = mix(0x0D, static_cast<std::uint64_t>(i));
            const std::int64_t start = kDataStart
                + (h % 10 < 7 ? static_cast<std::int64_t>(h % 20) * kHour : static_cast<std::int64_t>(h % 300) * kHour);
            add(start, h % 100 < 6 ? 0.3 : 0.05);
        }
    }

    CohortLinks link() const { return linkCohorts(profiles, linkTasks(profiles, settings), settings); }
};

double harvestProfileOf(const AccountProfile& p) { return p.ind[static_cast<std::size_t>(Indicator::ScoreHarvestProfile)]; }

std::set<std::uint32_t> linkedBy(const CohortLinks& c, std::uint16_t kind)
{
    std::set<std::uint32_t> s;
    for (const LinkEdge& e : c.edges)
        if (e.kinds & kind) {
            s.insert(e.a);
            s.insert(e.b);
        }
    return s;
}

// Twelve harvest-class tasks per account from a pool of 240, each asked by two accounts, so a pair shares one task
// at most: below taskMinShared, no task link.
std::vector<std::vector<std::pair<std::uint64_t, int>>> largePool(int accounts, int harvest)
{
    std::vector<std::vector<std::pair<std::uint64_t, int>>> asks(static_cast<std::size_t>(accounts));
    // Round r pairs account i with account i + r + 1: every pair of accounts meets in one task at most.
    for (int r = 0; r < 6; ++r)
        for (int i = 0; i < accounts; ++i) {
            const std::uint64_t task = mix(0x9001, static_cast<std::uint64_t>(r * accounts + i));
            asks[static_cast<std::size_t>(i)].emplace_back(task, harvest);
            asks[static_cast<std::size_t>((i + r + 1) % accounts)].emplace_back(task, harvest);
        }
    return asks;
}

} // namespace

// Window and pool links (detect/LinkCohorts.h) and the cohort core (detect/ClusterScoring.cpp): harvest-profile
// accounts that began together beyond chance and draw on one pool are linked and flagged together; accounts whose
// profile is not harvesting (a class behind a NAT, homework askers, agentic power users) never are, and neither link
// alone makes a member.
class TestDetectCohorts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void windowLinksAccountsStartingTogetherBeyondChance()
    {
        Population pop;
        pop.ordinary(600);
        std::vector<std::uint32_t> cohort;
        for (int i = 0; i < 20; ++i)
            cohort.push_back(pop.add(kDataStart + 70 * kHour + i * 15 * 60'000, 0.3));
        const CohortLinks c = pop.link();
        const std::set<std::uint32_t> in = linkedBy(c, LinkWindow);
        for (std::uint32_t a : cohort)
            QVERIFY2(in.count(a), qPrintable(QString::number(a)));
        for (std::uint32_t a : in)
            QVERIFY2(a >= cohort.front(), "an ordinary account was window-linked");
        const CohortEvidence* e = findCohortEvidence(c.evidence, cohort[10]);
        QVERIFY(e && e->window());
        QCOMPARE(e->windowPeers, 19u);
        QVERIFY(e->windowExpected < 19.0 / pop.settings.cohortChanceRatio);
        // Sparse: a few links per account, not a clique.
        QVERIFY(c.edges.size() <= cohort.size() * static_cast<std::size_t>(pop.settings.cohortWindowLinks));
    }

    void startsSpreadLikeThePopulationLinkNothing()
    {
        Population pop;
        pop.ordinary(600);
        // As many harvest-profile accounts again, joining through the two weeks like everyone else.
        for (int i = 0; i < 40; ++i)
            pop.add(kDataStart + static_cast<std::int64_t>(mix(0x5B, static_cast<std::uint64_t>(i)) % 300) * kHour, 0.3);
        QVERIFY(linkedBy(pop.link(), LinkWindow).empty());
    }

    void classHomeworkAndPowerUsersStartingTogetherAreNotLinked()
    {
        Population pop;
        pop.ordinary(600);
        std::vector<std::uint32_t> negatives;
        // A class behind one NAT opening its accounts when the course starts, working one sheet of exercises
        // (shared tasks, asked without harvest-class scores); homework askers after school; power users adopting a
        // new model within the hour. Their harvest profiles stay low (tst_detect_harvest).
        for (int i = 0; i < 40; ++i) {
            std::vector<std::pair<std::uint64_t, int>> sheet;
            for (int t = 0; t < 10; ++t)
                sheet.emplace_back(mix(0xC1A55, static_cast<std::uint64_t>((i + t) % 12)), 300);
            negatives.push_back(pop.add(kDataStart + 80 * kHour + i * 60'000, 0.12, sheet));
        }
        for (int i = 0; i < 30; ++i)
            negatives.push_back(pop.add(kDataStart + 100 * kHour + i * 120'000, 0.1));
        for (int i = 0; i < 30; ++i)
            negatives.push_back(pop.add(kDataStart + 160 * kHour + i * 60'000, 0.12));
        const CohortLinks c = pop.link();
        for (std::uint32_t a : negatives) {
            QVERIFY2(!findCohortEvidence(c.evidence, a), qPrintable(QString::number(a)));
            for (const LinkEdge& e : c.edges)
                QVERIFY(e.a != a && e.b != a);
        }
    }

    void poolLinksALargePoolWherePairsShareTooFewTasks()
    {
        Population pop;
        pop.ordinary(400);
        const auto asks = largePool(40, 850);
        std::vector<std::uint32_t> pool;
        for (const auto& a : asks)
            pool.push_back(pop.add(kDataStart + 2 * kHour, 0.3, a));
        // The same pool asked by accounts whose profile is not harvesting links none of them.
        std::vector<std::uint32_t> low;
        for (const auto& a : largePool(40, 850)) {
            std::vector<std::pair<std::uint64_t, int>> shifted;
            for (const auto& [h, s] : a)
                shifted.emplace_back(mix(h, 0x10), s);
            low.push_back(pop.add(kDataStart + 3 * kHour, 0.1, shifted));
        }
        QVERIFY2(linkTasks(pop.profiles, pop.settings).edges.empty(), "pairs share one task: no task link");
        const CohortLinks c = pop.link();
        const std::set<std::uint32_t> in = linkedBy(c, LinkPool);
        int linked = 0;
        for (std::uint32_t a : pool)
            linked += in.count(a) > 0;
        QVERIFY2(linked >= 38, qPrintable(QString::number(linked)));
        for (std::uint32_t a : low)
            QVERIFY(!in.count(a));
        const CohortEvidence* e = findCohortEvidence(c.evidence, pool[5]);
        QVERIFY(e && e->pool());
        QVERIFY(e->poolAccounts >= 4);
        QVERIFY(!e->requests.empty());
        // Asked below taskMinHarvest (the class's exercises, a homework question), the same pool links nobody.
        Population quiet;
        for (const auto& a : largePool(40, 300))
            quiet.add(kDataStart + 2 * kHour, 0.3, a);
        QVERIFY(linkedBy(quiet.link(), LinkPool).empty());
    }

    void cohortCoreNeedsWindowAndTasksTogether()
    {
        // 40 accounts of one pool (pairs share too few tasks for a task link), harvest profile 0.3: under
        // taskCoreMinHarvestProfile and soloMinHarvestProfile, so only the cohort core can flag them.
        auto flagged = [](bool together, bool pooled, double harvest) {
            Population pop;
            pop.ordinary(600);
            const auto asks = largePool(40, pooled ? 850 : 300);
            std::vector<std::uint32_t> ops;
            for (std::size_t i = 0; i < asks.size(); ++i) {
                const std::int64_t start = together ? kDataStart + 70 * kHour + static_cast<std::int64_t>(i) * 10 * 60'000
                                                    : kDataStart + static_cast<std::int64_t>(mix(0x7, i) % 300) * kHour;
                ops.push_back(pop.add(start, harvest, asks[i]));
            }
            CaseSnapshot snap;
            snap.accounts.resize(pop.profiles.size());
            snap.accountNames.resize(pop.profiles.size());
            snap.accountPresent.assign(pop.profiles.size(), true);
            const TaskLinks tasks = linkTasks(pop.profiles, pop.settings);
            CohortLinks cohorts = linkCohorts(pop.profiles, tasks, pop.settings);
            LinkGraph g;
            g.nodes = static_cast<std::uint32_t>(pop.profiles.size());
            g.edges = cohorts.edges;
            g.cohorts = cohorts.evidence;
            for (const LinkEdge& e : tasks.edges)
                g.edges.push_back(e);
            std::sort(g.edges.begin(), g.edges.end(),
                      [](const LinkEdge& x, const LinkEdge& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
            std::vector<LinkEdge> merged;
            for (const LinkEdge& e : g.edges)
                if (!merged.empty() && merged.back().a == e.a && merged.back().b == e.b) {
                    merged.back().weight += e.weight;
                    merged.back().kinds |= e.kinds;
                } else {
                    merged.push_back(e);
                }
            g.edges = merged;
            CancelToken cancel;
            const DetectionOutcome out = scoreClusters(pop.profiles, snap, g, findCommunities(g, pop.settings, cancel), pop.settings);
            int in = 0, outside = 0;
            for (std::uint32_t a = 1; a < out.accounts.size(); ++a) {
                const bool op = a >= ops.front();
                in += op && out.accounts[a].flagged;
                outside += !op && out.accounts[a].flagged;
            }
            if (outside)
                return -1;
            // The network's reason names the cohort, with request ids.
            if (in > 0) {
                bool reason = false;
                for (std::uint32_t i = 0; i < out.clusters.size(); ++i)
                    if (auto r = clusterCohortReason(out.clusters[i], out.cohorts, pop.settings, {}))
                        reason = r->text.startsWith(QStringLiteral("Harvest-profile cohort:"))
                                 && !r->evidence.value(QStringLiteral("requests")).toArray().isEmpty();
                if (!reason)
                    return -2;
            }
            return in;
        };
        const int both = flagged(true, true, 0.3);
        QVERIFY2(both >= 36, qPrintable(QString::number(both)));
        QCOMPARE(flagged(true, false, 0.3), 0);  // started together, no shared harvest-class tasks
        QCOMPARE(flagged(false, true, 0.3), 0);  // one pool, starts spread like everyone's
        QCOMPARE(flagged(true, true, 0.2), 0);   // both, but the profile is not harvesting
    }

    void poolIsTheAccountsOwnCohort()
    {
        // Six batches of ten bought accounts, brought online 80 hours apart, each working through its own task queue.
        // A busy developer whose public coding tasks happen to be in every batch's queue (two of each) shares as many
        // rare harvest-class tasks with harvest-profile accounts as a batch account does, but with accounts of every
        // batch, none of which began near it: chance, not a pool (adversarial seed 6 at camouflage 0.6 flagged one).
        auto build = [](double minCohortShare, std::vector<std::uint32_t>& batch, std::uint32_t& developer) {
            Population pop;
            pop.settings.poolMinCohortShare = minCohortShare;
            pop.ordinary(400);
            std::vector<std::pair<std::uint64_t, int>> devAsks;
            for (int b = 0; b < 6; ++b) {
                const auto asks = largePool(10, 850);
                for (std::size_t i = 0; i < asks.size(); ++i) {
                    std::vector<std::pair<std::uint64_t, int>> own;
                    for (const auto& [h, score] : asks[i])
                        own.emplace_back(mix(h, 0xBA7C0 + static_cast<std::uint64_t>(b)), score);
                    if (i == 0 || i == 5) // two different tasks of the batch's queue
                        devAsks.push_back(own.front());
                    batch.push_back(pop.add(kDataStart + (20 + 80 * b) * kHour + static_cast<std::int64_t>(i) * 600'000, 0.3, own));
                }
            }
            developer = pop.add(kDataStart + 60 * kHour, 0.3, devAsks);
            return pop.link();
        };
        std::vector<std::uint32_t> batch;
        std::uint32_t developer = 0;
        const CohortLinks c = build(DetectSettings {}.poolMinCohortShare, batch, developer);
        const std::set<std::uint32_t> in = linkedBy(c, LinkPool);
        int linked = 0;
        for (std::uint32_t a : batch)
            linked += in.count(a) > 0;
        QVERIFY2(linked >= 57, qPrintable(QString::number(linked)));
        QVERIFY(!in.count(developer));
        const CohortEvidence* e = findCohortEvidence(c.evidence, batch[3]);
        QVERIFY(e && e->pool() && e->poolCohort == e->poolAccounts);
        // Without the cohort rule the developer is a pool account: this is what keeps it out.
        std::vector<std::uint32_t> again;
        const CohortLinks loose = build(0.0, again, developer);
        QVERIFY(linkedBy(loose, LinkPool).count(developer));
    }

    void fewRequestAccountsJoinTheirCohortByHarvestRate()
    {
        // 40 bought accounts of 24 requests each, started together on one pool: a dozen harvest-class requests each,
        // too few for the profile's count ramp (profile 0.15, under cohortMinHarvestProfile), but 60 % of their
        // requests, with long answers on short prompts. The same accounts with a class's short answers stay out.
        auto link = [](double output, std::vector<std::uint32_t>& ops) {
            Population pop;
            pop.ordinary(600);
            const auto asks = largePool(40, 850);
            for (std::size_t i = 0; i < asks.size(); ++i) {
                const std::uint32_t a = pop.add(kDataStart + 70 * kHour + static_cast<std::int64_t>(i) * 10 * 60'000, 0.15, asks[i]);
                IndicatorValues& v = pop.profiles[a].ind;
                v[static_cast<std::size_t>(Indicator::Requests)] = 24;
                v[static_cast<std::size_t>(Indicator::HarvestClassRequests)] = 14;
                v[static_cast<std::size_t>(Indicator::HarvestClassShare)] = 0.6;
                v[static_cast<std::size_t>(Indicator::HarvestClassOutput)] = output;
                v[static_cast<std::size_t>(Indicator::HarvestClassRatio)] = 9;
                v[static_cast<std::size_t>(Indicator::HarvestFamilies)] = 1;
                ops.push_back(a);
            }
            return pop.link();
        };
        std::vector<std::uint32_t> ops;
        const CohortLinks harvesting = link(1300, ops);
        const std::set<std::uint32_t> window = linkedBy(harvesting, LinkWindow), pool = linkedBy(harvesting, LinkPool);
        int both = 0;
        for (std::uint32_t a : ops)
            both += window.count(a) && pool.count(a);
        QVERIFY2(both >= 36, qPrintable(QString::number(both)));
        std::vector<std::uint32_t> students;
        const CohortLinks shortAnswers = link(350, students);
        for (std::uint32_t a : students)
            QVERIFY(!findCohortEvidence(shortAnswers.evidence, a));
        // The rate itself: a handful of harvest-class requests is no rate at all.
        DetectSettings s;
        IndicatorValues v {};
        v[static_cast<std::size_t>(Indicator::Requests)] = 24;
        v[static_cast<std::size_t>(Indicator::HarvestClassRequests)] = 14;
        v[static_cast<std::size_t>(Indicator::HarvestClassShare)] = 0.6;
        v[static_cast<std::size_t>(Indicator::HarvestClassOutput)] = 1300;
        v[static_cast<std::size_t>(Indicator::HarvestClassRatio)] = 9;
        v[static_cast<std::size_t>(Indicator::HarvestFamilies)] = 1;
        QVERIFY(harvestRate(v, s) >= s.cohortMinHarvestRate);
        v[static_cast<std::size_t>(Indicator::HarvestClassRequests)] = 4;
        QCOMPARE(harvestRate(v, s), 0.0);
    }

    // An operation already running when the capture begins (no start window) moves to a newly released model within
    // hours: its accounts are linked by their release start. Ordinary early adopters of the model are not (those
    // whose own profile is not harvesting), nor are the same accounts taking the model up over days.
    void releaseStartLinksAccountsTakingUpANewModelTogether()
    {
        const std::uint32_t oldModel = 3, newModel = 7;
        const std::int64_t release = kDataStart + 7 * 24 * kHour;
        for (const bool together : { true, false }) {
            Population pop;
            pop.ordinary(600);
            std::vector<std::uint32_t> op;
            for (int i = 0; i < 30; ++i)
                op.push_back(pop.add(kDataStart + static_cast<std::int64_t>(mix(0x0E, static_cast<std::uint64_t>(i)) % 20) * kHour, 0.3));
            for (std::uint32_t a = 1; a < pop.profiles.size(); ++a) {
                AccountProfile& p = pop.profiles[a];
                p.lastTs = kDataStart + 14 * 24 * kHour;
                p.models.push_back({ oldModel, p.firstTs, 30, 40, p.firstRequest });
                const std::uint64_t h = mix(0xAD, a);
                if (a < op.front() && (h >> 8) % 10 == 0) // a tenth of the others take the model up within a day
                    p.models.push_back({ newModel, release + static_cast<std::int64_t>(h % 24) * kHour, 10, 10, 9'000'000 + a });
            }
            for (std::size_t i = 0; i < op.size(); ++i) {
                const std::int64_t after = together ? static_cast<std::int64_t>(i) * 9 * 60'000 : static_cast<std::int64_t>(i) * 12 * kHour;
                pop.profiles[op[i]].models.push_back({ newModel, release + after, 20, 20, 8'000'000 + static_cast<std::int64_t>(i) });
            }
            const CohortLinks c = pop.link();
            const std::set<std::uint32_t> in = linkedBy(c, LinkWindow);
            if (!together) {
                for (std::uint32_t a : op)
                    QVERIFY2(!in.count(a), "an account taking the model up days apart was linked");
                continue;
            }
            for (std::uint32_t a : op)
                QVERIFY2(in.count(a), qPrintable(QString::number(a)));
            for (std::uint32_t a : in)
                QVERIFY2(a >= op.front() || harvestProfileOf(pop.profiles[a]) >= pop.settings.cohortMinHarvestProfile,
                         "an account whose profile is not harvesting was linked");
            const CohortEvidence* e = findCohortEvidence(c.evidence, op[4]);
            QVERIFY(e && e->releaseStart() && !e->window());
            QCOMPARE(e->startModel, newModel);
            QCOMPARE(e->startReleaseTs, release);
            QCOMPARE(e->startRequest, std::int64_t { 8'000'004 });
            QVERIFY(e->startPeers >= 29u);
            QVERIFY(e->startExpected * pop.settings.cohortChanceRatio <= e->startPeers);
            const auto r = accountCohortReasons(*e, pop.settings, [](std::uint32_t) { return QStringLiteral("model-y"); });
            QCOMPARE(r.size(), std::size_t(1));
            QCOMPARE(QString::fromLatin1(r[0].key), QStringLiteral("release_start"));
            QVERIFY2(r[0].text.startsWith(QStringLiteral("Release start: its first request to model \u201cmodel-y\u201d came "
                                                          "36 minutes after the model first appeared in the case")),
                     qPrintable(r[0].text));
            QVERIFY2(test::styleProblems(r[0].text).isEmpty(), qPrintable(test::styleProblems(r[0].text).join(u'\n')));
            QCOMPARE(r[0].evidence.value(QStringLiteral("requests")).toArray().first().toInteger(), 8'000'004);
            // The first to use it: no zero duration.
            const CohortEvidence* first = findCohortEvidence(c.evidence, op[0]);
            QVERIFY(first && first->releaseStart());
            const QString firstText = accountCohortReasons(*first, pop.settings, {}).front().text;
            QVERIFY2(firstText.contains(QStringLiteral("was the model's first appearance in the case")), qPrintable(firstText));
            QVERIFY2(test::styleProblems(firstText).isEmpty(), qPrintable(firstText));
        }
    }

    void accountReasonNamesPeersChanceAndRelease()
    {
        DetectSettings s;
        CohortEvidence e;
        e.account = 7;
        e.windowPeers = 41;
        e.windowExpected = 3.2;
        e.openedTs = kDataStart + 170 * kHour;
        e.openedRequest = 1234;
        e.release = 3;
        e.releaseTs = kDataStart + 168 * kHour;
        e.poolShared = 12;
        e.poolCounted = 15;
        e.poolAccounts = 9;
        e.poolCohort = 7;
        e.requests = { 11, 12 };
        const auto r = accountCohortReasons(e, s, [](std::uint32_t) { return QStringLiteral("model-x"); });
        QCOMPARE(r.size(), std::size_t(2));
        QCOMPARE(QString::fromLatin1(r[0].key), QStringLiteral("window"));
        QVERIFY2(r[0].text.contains(QStringLiteral("within 6 hours of 41 other harvest-profile accounts (chance alone would give "
                                                    "3.2 on average), "
                                                    "2 hours after the release of model \u201cmodel-x\u201d")),
                 qPrintable(r[0].text));
        QCOMPARE(r[0].evidence.value(QStringLiteral("requests")).toArray().first().toInteger(), 1234);
        QCOMPARE(QString::fromLatin1(r[1].key), QStringLiteral("pool"));
        QVERIFY2(r[1].text.contains(QStringLiteral("12 of its 15 sampled harvest-class tasks")), qPrintable(r[1].text));
        QVERIFY2(r[1].text.endsWith(QStringLiteral("; 7 of them began within 36 hours of it.")), qPrintable(r[1].text));
        QCOMPARE(r[1].evidence.value(QStringLiteral("requests")).toArray().size(), 2);
    }

    void deterministic()
    {
        Population pop;
        pop.ordinary(300);
        for (const auto& a : largePool(30, 850))
            pop.add(kDataStart + 50 * kHour + static_cast<std::int64_t>(a.size()) * 60'000, 0.3, a);
        const CohortLinks x = pop.link(), y = pop.link();
        QCOMPARE(x.edges.size(), y.edges.size());
        for (std::size_t i = 0; i < x.edges.size(); ++i) {
            QCOMPARE(x.edges[i].a, y.edges[i].a);
            QCOMPARE(x.edges[i].b, y.edges[i].b);
            QCOMPARE(x.edges[i].kinds, y.edges[i].kinds);
        }
        QVERIFY(!x.edges.empty());
    }
};

QTEST_GUILESS_MAIN(TestDetectCohorts)
#include "tst_detect_cohorts.moc"
