#include "detect/DetectSettings.h"
#include "detect/MixAttachment.h"

#include <QtTest>

using namespace ds;

namespace {

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kStart = 1'770'000'000'000; // 2026-02-02

// An account's harvest figures: the careful operation at 60 % camouflage (a harvest-class share under the profile's
// share ramp, long worked answers in two families).
struct Figures
{
    double share = 0.45, families = 2, output = 1200, ratio = 12, profile = 0.4, harvestClass = 40;
};

// One flagged network whose 12 core accounts began an hour apart from hour 20, and accounts around it.
struct Case
{
    DetectSettings settings;
    std::vector<AccountProfile> profiles { 1 }; // slot 0 unused
    DetectionOutcome out;

    std::uint32_t add(double startHours, Figures f)
    {
        AccountProfile& p = profiles.emplace_back();
        p.requests = 90;
        p.firstTs = kStart + static_cast<std::int64_t>(startHours * kHour);
        p.lastTs = p.firstTs + 96 * kHour;
        p.firstRequest = static_cast<std::int64_t>(profiles.size()) * 1000;
        auto set = [&p](Indicator i, double v) { p.ind[static_cast<std::size_t>(i)] = v; };
        set(Indicator::Requests, 90);
        set(Indicator::HarvestClassShare, f.share);
        set(Indicator::HarvestClassRequests, f.harvestClass);
        set(Indicator::HarvestFamilies, f.families);
        set(Indicator::HarvestClassOutput, f.output);
        set(Indicator::HarvestClassRatio, f.ratio);
        set(Indicator::ScoreHarvestProfile, f.profile);
        return static_cast<std::uint32_t>(profiles.size() - 1);
    }

    Case()
    {
        ClusterOutcome c;
        c.score = 0.8;
        c.flagged = true;
        Figures core;
        core.share = 0.55;
        core.profile = 0.6;
        for (int i = 0; i < 12; ++i) {
            core.output = 1100 + 20 * i;
            c.core.push_back(add(20 + i, core));
        }
        c.members = c.core;
        out.clusters.push_back(std::move(c));
    }

    // A candidate; `window` gives it the start-window evidence LinkCohorts gives an account starting in a busy window.
    std::uint32_t candidate(double startHours, Figures f = {}, bool window = true)
    {
        const std::uint32_t a = add(startHours, f);
        if (window) {
            CohortEvidence e;
            e.account = a;
            e.windowPeers = 11;
            e.windowExpected = 0.5;
            e.openedTs = profiles[a].firstTs;
            out.cohorts.push_back(e);
        }
        return a;
    }

    void run()
    {
        out.accounts.assign(profiles.size(), {});
        for (std::uint32_t a : out.clusters.front().core) {
            out.accounts[a].flagged = true;
            out.accounts[a].cluster = 0;
        }
        attachMixMembers(out, profiles, settings);
    }

    bool mixed(std::uint32_t a) const { return out.accounts[a].flagged && out.accounts[a].mixed; }
};

} // namespace

// Mix members (detect/MixAttachment.h, docs/HARVEST_SIGNAL.md section 11): a harvest-profile account that began in a
// start window beyond chance with a flagged network's accounts, harvesting as they do, joins the network; one that
// began elsewhere, outside such a window, harvests otherwise or is no harvest-profile account does not.
class TestDetectMixMembers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void accountThatBeganWithTheNetworkAndHarvestsAlikeJoins()
    {
        Case c;
        const std::uint32_t a = c.candidate(25.5);
        c.run();
        QVERIFY(c.mixed(a));
        QVERIFY(c.out.accounts[a].attached);
        QCOMPARE(c.out.accounts[a].cluster, 0);
        QVERIFY(c.out.accounts[a].score >= 0.5);
        QCOMPARE(c.out.mixMembers.size(), std::size_t { 1 });
        const MixMember& m = c.out.mixMembers.front();
        QCOMPARE(m.account, a);
        QCOMPARE(m.partners, 12u); // every core account began within 6 hours (hours 20-31) and harvests alike
        QVERIFY(m.distance <= 0.25); // a share of 0.45 against their 0.55: 0.2 on the share's scale
        QCOMPARE(m.requests.size(), std::size_t { 8 });
        QCOMPARE(c.out.clusters[0].core.size(), std::size_t { 12 });
        QCOMPARE(c.out.clusters[0].score, 0.8);
        QVERIFY(c.out.clusters[0].attached == std::vector<std::uint32_t> { a });
    }

    void withoutAStartWindowStaysOut()
    {
        Case c;
        const std::uint32_t a = c.candidate(25.5, {}, false);
        c.run();
        QVERIFY(!c.mixed(a));
        QVERIFY(c.out.mixMembers.empty());
    }

    void beganApartFromTheNetworkStaysOut()
    {
        // Its window is another one: the network's accounts began 10 hours or more before it.
        Case c;
        const std::uint32_t a = c.candidate(41.5);
        c.run();
        QVERIFY(!c.mixed(a));
        // Two of them within 6 hours: under mixAttachMinPartners.
        Case two;
        const std::uint32_t b = two.candidate(35.5);
        two.run();
        QVERIFY(!two.mixed(b));
    }

    void harvestingOtherwiseStaysOut()
    {
        // A developer starting in the operation's window: a third of its requests harvest-class, shorter answers.
        Case c;
        Figures dev;
        dev.share = 0.33;
        dev.families = 3;
        dev.output = 700;
        dev.ratio = 3;
        dev.profile = 0.3;
        const std::uint32_t a = c.candidate(25.5, dev);
        c.run();
        QVERIFY(!c.mixed(a));
    }

    void noHarvestProfileStaysOut()
    {
        // Alike in its mix, but its own profile is not harvesting (profile and harvest rate under the cohort lines).
        Case c;
        Figures f;
        f.profile = 0.1;
        f.harvestClass = 3; // no harvest rate under cohortMinHarvestRequests
        const std::uint32_t a = c.candidate(25.5, f);
        c.run();
        QVERIFY(!c.mixed(a));
    }

    void membersAttachedHereAreNoPartners()
    {
        // Two candidates alike with only two core accounts within 6 hours of them: neither counts the other.
        Case c;
        const std::uint32_t a = c.candidate(35.5);
        const std::uint32_t b = c.candidate(35.8);
        c.run();
        QVERIFY(!c.mixed(a));
        QVERIFY(!c.mixed(b));
    }

    void offWithZeroPartners()
    {
        Case c;
        c.settings.mixAttachMinPartners = 0;
        const std::uint32_t a = c.candidate(25.5);
        c.run();
        QVERIFY(!c.mixed(a));
    }

    void deterministic()
    {
        auto once = [] {
            Case c;
            for (int i = 0; i < 6; ++i)
                c.candidate(22.5 + 3 * i);
            c.run();
            std::vector<std::pair<std::uint32_t, std::uint32_t>> r;
            for (const MixMember& m : c.out.mixMembers)
                r.emplace_back(m.account, m.partners);
            return r;
        };
        const auto first = once();
        QVERIFY(!first.empty());
        QCOMPARE(once(), first);
    }

    void mixDistanceReadsUnknownLengthsAsNone()
    {
        IndicatorValues agent {};
        agent.fill(std::nan(""));
        agent[static_cast<std::size_t>(Indicator::HarvestClassShare)] = 0.95;
        agent[static_cast<std::size_t>(Indicator::HarvestFamilies)] = 1;
        const HarvestMix m = harvestMix(agent);
        QCOMPARE(m.output, 0.0);
        QCOMPARE(m.ratio, 0.0);
        QCOMPARE(m.share, 1.0);
        QCOMPARE(m.families, 0.25);
        QCOMPARE(mixDistance(m, m), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestDetectMixMembers)
#include "tst_detect_mix_members.moc"
