#include "core/CancelToken.h"
#include "detect/BehaviourScore.h"
#include "detect/CaseSnapshot.h"
#include "detect/ClusterScoring.h"
#include "detect/Communities.h"
#include "detect/DetectSettings.h"
#include "detect/LinkGraph.h"
#include "detect/TemplateFamilies.h"

#include <QtTest>

#include <random>

using namespace ds;

namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = 60 * kMinute;

// `base` with `flips` distinct random bits flipped.
std::uint64_t perturb(std::uint64_t base, int flips, std::mt19937_64& rng)
{
    std::uint64_t mask = 0;
    while (__builtin_popcountll(mask) < flips)
        mask |= 1ull << (rng() % 64);
    return base ^ mask;
}

std::vector<RequestRow> rowsOf(const std::vector<std::uint64_t>& simhashes)
{
    std::vector<RequestRow> rows;
    for (size_t i = 0; i < simhashes.size(); ++i) {
        RequestRow r;
        r.id = static_cast<std::int64_t>(i + 1);
        r.ts = static_cast<std::int64_t>(i) * kMinute;
        r.simhash = simhashes[i];
        r.headHash = i + 1; // long enough to be a template, every head different (the wrapper varies)
        rows.push_back(r);
    }
    return rows;
}

// Accounts with nothing in common, active at different times.
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
        snap.publicEmailDomain = {false, true, false};
        for (std::uint32_t a = 1; a <= n; ++a) {
            AccountProfile& p = profiles[a];
            p.requests = 100;
            // Old accounts spread over ten days, each active for a day.
            p.firstTs = a * 24 * kHour;
            p.lastTs = p.firstTs + 20 * kHour;
            p.sampleRequests = {a * 10, a * 10 + 1};
            for (double& v : p.ind)
                v = 0;
            p.ind[static_cast<size_t>(Indicator::AgeDaysAtFirstUse)] = 400;
            p.ips = {1000 + a};
            p.userAgents = {1000 + a};
            snap.accountNames[a] = "acct_" + std::to_string(a);
        }
    }
    void active(std::uint32_t a, std::int64_t from, std::int64_t to)
    {
        profiles[a].firstTs = from;
        profiles[a].lastTs = to;
    }
    TemplateUsers templates() const
    {
        TemplateUsers users;
        for (std::uint32_t a = 0; a < profiles.size(); ++a)
            for (const HeavyTemplate& t : profiles[a].templates)
                users[t.key].push_back(a);
        for (auto it = users.begin(); it != users.end();)
            it = it->second.size() < 2 ? users.erase(it) : std::next(it);
        return users;
    }
};

const Handoff* findHandoff(const LinkGraph& g, std::uint32_t from, std::uint32_t to)
{
    for (const Handoff& h : g.handoffs)
        if (h.from == from && h.to == to)
            return &h;
    return nullptr;
}

} // namespace

// Near-duplicate template families (SimHash LSH) and hand-off links, on hand-built data.
class TestDetectFamilies : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nearDuplicatesFormOneFamily()
    {
        // 60 requests of one wrapper, each with a few bits of noise (the varied words
        // and the slot), mixed with 40 unrelated requests.
        std::mt19937_64 rng(7);
        const std::uint64_t wrapper = 0x5a5a'f00d'1234'abcdULL;
        std::vector<std::uint64_t> hashes;
        for (int i = 0; i < 100; ++i)
            hashes.push_back(i % 5 < 3 ? perturb(wrapper, 1 + static_cast<int>(rng() % 6), rng) : rng());
        const DetectSettings s;
        std::vector<std::int8_t> familyOf;
        const std::vector<LocalFamily> families = findLocalFamilies(rowsOf(hashes), s, familyOf);
        QCOMPARE(families.size(), size_t(1));
        QVERIFY(hamming64(families[0].centroid, wrapper) <= 2);
        int inFamily = 0, strays = 0;
        for (size_t i = 0; i < hashes.size(); ++i) {
            inFamily += familyOf[i] == 0;
            strays += familyOf[i] == 0 && i % 5 >= 3;
        }
        QCOMPARE(inFamily, 60);
        QCOMPARE(strays, 0);
        QCOMPARE(families[0].count, 60u);
        QCOMPARE(families[0].firstTs, 0);
    }

    void unrelatedRequestsFormNoFamily()
    {
        std::mt19937_64 rng(11);
        std::vector<std::uint64_t> hashes;
        for (int i = 0; i < 200; ++i)
            hashes.push_back(rng());
        std::vector<std::int8_t> familyOf;
        QVERIFY(findLocalFamilies(rowsOf(hashes), DetectSettings{}, familyOf).empty());
        // Two wrappers far apart are two families, not one.
        const std::uint64_t a = 0x0123'4567'89ab'cdefULL, b = ~a;
        hashes.clear();
        for (int i = 0; i < 80; ++i)
            hashes.push_back(perturb(i % 2 ? a : b, 3, rng));
        const std::vector<LocalFamily> two = findLocalFamilies(rowsOf(hashes), DetectSettings{}, familyOf);
        QCOMPARE(two.size(), size_t(2));
        QVERIFY(hamming64(two[0].centroid, two[1].centroid) > 40);
    }

    void familiesJoinAcrossAccounts()
    {
        // Accounts 1-3 use near copies of one wrapper, account 4 another wrapper.
        std::mt19937_64 rng(3);
        const std::uint64_t wrapper = 0xfeed'beef'0000'ffffULL;
        std::vector<AccountProfile> profiles(5);
        auto family = [](std::uint64_t centroid) {
            HeavyTemplate t;
            t.kind = TemplateKind::Family;
            t.value = centroid;
            t.key = templateKey(TemplateKind::Family, centroid);
            t.count = 50;
            return t;
        };
        for (std::uint32_t a = 1; a <= 3; ++a)
            profiles[a].templates.push_back(family(perturb(wrapper, 1, rng)));
        profiles[4].templates.push_back(family(rng()));
        joinFamilies(profiles, DetectSettings{});
        QCOMPARE(profiles[1].templates[0].key, profiles[2].templates[0].key);
        QCOMPARE(profiles[1].templates[0].key, profiles[3].templates[0].key);
        QVERIFY(profiles[4].templates[0].key != profiles[1].templates[0].key);
        // The key is the same whatever order the accounts were found in.
        std::vector<AccountProfile> again(5);
        again[1].templates = {family(profiles[1].templates[0].value)};
        again[2].templates = {family(profiles[2].templates[0].value)};
        again[3].templates = {family(profiles[3].templates[0].value)};
        joinFamilies(again, DetectSettings{});
        QCOMPARE(again[3].templates[0].key, profiles[3].templates[0].key);
    }

    void promptProfilesJoinAccountsOfOnePool()
    {
        // One pool: every prompt's SimHash has the low 24 bits of `pool` with 85%
        // probability each, the rest random (a task list behind varied wrappers).
        std::mt19937_64 rng(5);
        const std::uint64_t pool = 0x00ab'cdef'0123'4567ULL, other = 0x0000'0000'00f0'f0f0ULL;
        auto account = [&](std::uint64_t bias, int n) {
            std::vector<std::uint64_t> hashes;
            for (int i = 0; i < n; ++i) {
                std::uint64_t h = rng();
                for (int b = 0; b < 24; ++b)
                    if (rng() % 100 < 85)
                        h = (h & ~(1ull << b)) | (bias & (1ull << b));
                hashes.push_back(h);
            }
            AccountProfile p;
            p.requests = n;
            p.firstTs = 0;
            p.lastTs = n * kMinute;
            p.sampleRequests = {1};
            p.activeWindows = {1, 2, 3};
            for (double& v : p.ind)
                v = 0;
            p.ind[static_cast<size_t>(Indicator::Behaviour)] = 0.3;
            promptProfile(rowsOf(hashes), DetectSettings{}, p.profileMask, p.profileValue);
            return p;
        };
        std::vector<AccountProfile> profiles(1);
        for (int a = 0; a < 3; ++a)
            profiles.push_back(account(pool, 120));
        profiles.push_back(account(other, 120));                 // 4: another pool
        profiles.push_back(account(pool, 120));                  // 5: same pool, behaves like a person
        profiles[5].ind[static_cast<size_t>(Indicator::Behaviour)] = 0.05;
        std::vector<std::uint64_t> noise;
        for (int i = 0; i < 120; ++i)
            noise.push_back(rng());
        AccountProfile plain;
        promptProfile(rowsOf(noise), DetectSettings{}, plain.profileMask, plain.profileValue);
        QCOMPARE(plain.profileMask, std::uint64_t(0)); // varied prompts: no clear bit
        QVERIFY(__builtin_popcountll(profiles[1].profileMask) >= 20);
        QCOMPARE(profiles[1].profileValue & 0xffffff & profiles[1].profileMask, pool & 0xffffff & profiles[1].profileMask);

        joinProfiles(profiles, DetectSettings{});
        for (int a = 1; a <= 3; ++a) {
            QCOMPARE(profiles[static_cast<size_t>(a)].templates.size(), size_t(1));
            QCOMPARE(profiles[static_cast<size_t>(a)].templates[0].kind, TemplateKind::Profile);
            QCOMPARE(profiles[static_cast<size_t>(a)].templates[0].key, profiles[1].templates[0].key);
            QCOMPARE(profiles[static_cast<size_t>(a)].templateWindows.size(), size_t(3));
        }
        QVERIFY(profiles[4].templates.empty());
        QVERIFY(profiles[5].templates.empty());
    }

    void handoffLinksAPairThatSharesWork()
    {
        Population pop(10);
        DetectSettings s;
        // Account 1 works 10:00-18:00 on day 1 and stops; account 2 takes over 40 minutes
        // later on the same payment. Account 3 shares the payment but overlaps both: no hand-off.
        pop.active(1, 34 * kHour, 42 * kHour);
        pop.active(2, 42 * kHour + 40 * kMinute, 60 * kHour);
        pop.active(3, 30 * kHour, 200 * kHour);
        for (std::uint32_t a : {1u, 2u, 3u})
            pop.snap.accounts[a].payment = 5;
        pop.profiles[2].ind[static_cast<size_t>(Indicator::AgeDaysAtFirstUse)] = 1; // opened the day before
        const LinkGraph g = LinkGraph::build(pop.profiles, pop.snap, pop.templates(), s);
        const Handoff* h = findHandoff(g, 1, 2);
        QVERIFY(h);
        QCOMPARE(h->gapMs, 40 * kMinute);
        QCOMPARE(h->via, std::uint16_t(LinkPayment));
        QVERIFY(!findHandoff(g, 1, 3) && !findHandoff(g, 3, 2) && !findHandoff(g, 2, 3));
        bool edge = false;
        for (const LinkEdge& e : g.edges)
            edge |= e.a == 1 && e.b == 2 && (e.kinds & LinkHandoff) && (e.kinds & LinkPayment);
        QVERIFY(edge);
        // The same timing without a shared value is no hand-off.
        pop.snap.accounts[2].payment = 6;
        QVERIFY(!findHandoff(LinkGraph::build(pop.profiles, pop.snap, pop.templates(), s), 1, 2));
    }

    void popularAddressCarriesNoHandoff()
    {
        // A carrier NAT: 80 unrelated people on one address (new customers, too), one
        // starting as another stops. The address is popular: it carries nothing.
        Population pop(100);
        DetectSettings s;
        for (std::uint32_t a = 1; a <= 80; ++a) {
            pop.profiles[a].ips.push_back(77);
            pop.profiles[a].ind[static_cast<size_t>(Indicator::AgeDaysAtFirstUse)] = 1;
            pop.active(a, static_cast<std::int64_t>(a) * 2 * kHour, static_cast<std::int64_t>(a) * 2 * kHour + kHour);
        }
        QVERIFY(LinkGraph::build(pop.profiles, pop.snap, pop.templates(), s).handoffs.empty());
        // A company proxy: ten long-standing customers on one address, same timing. Not
        // popular, but none of them is a new account taking over: no hand-off either.
        Population office(100);
        for (std::uint32_t a = 1; a <= 10; ++a) {
            office.profiles[a].ips.push_back(78);
            office.active(a, static_cast<std::int64_t>(a) * 2 * kHour, static_cast<std::int64_t>(a) * 2 * kHour + kHour);
        }
        QVERIFY(LinkGraph::build(office.profiles, office.snap, office.templates(), s).handoffs.empty());
    }

    void youngReplacementJoinsNetworkOldCustomerDoesNot()
    {
        // A templated hydra core (accounts 1-6) on one payment; account 1 stops.
        Population pop(30);
        DetectSettings s;
        for (std::uint32_t a = 1; a <= 6; ++a) {
            HeavyTemplate t;
            t.key = t.value = 0x77;
            t.count = 80;
            pop.profiles[a].templates.push_back(t);
            pop.profiles[a].ind[static_cast<size_t>(Indicator::Behaviour)] = 0.6;
            pop.profiles[a].ind[static_cast<size_t>(Indicator::ScoreHarvest)] = 0.6; // long answers taken away
            pop.profiles[a].ind[static_cast<size_t>(Indicator::LockstepShare)] = 0.8;
            pop.profiles[a].ind[static_cast<size_t>(Indicator::AgeDaysAtFirstUse)] = 1;
            pop.snap.accounts[a].payment = 3;
            pop.active(a, 10 * kHour, 200 * kHour);
        }
        pop.active(1, 10 * kHour, 50 * kHour);
        // Account 7: a fresh account with a few requests taking over 20 minutes later on
        // the same payment. Account 8: an old customer of the same payment (a reseller
        // paying for its customers) starting 30 minutes later. Neither shares a template.
        for (std::uint32_t a : {7u, 8u}) {
            pop.profiles[a].requests = 5;
            pop.snap.accounts[a].payment = 3;
        }
        pop.active(7, 50 * kHour + 20 * kMinute, 60 * kHour);
        pop.active(8, 50 * kHour + 30 * kMinute, 300 * kHour);
        pop.profiles[7].ind[static_cast<size_t>(Indicator::AgeDaysAtFirstUse)] = 0.5;
        const LinkGraph g = LinkGraph::build(pop.profiles, pop.snap, pop.templates(), s);
        QVERIFY(findHandoff(g, 1, 7));
        QVERIFY(!findHandoff(g, 1, 8)); // an old account is nobody's replacement
        CancelToken cancel;
        const DetectionOutcome out = scoreClusters(pop.profiles, pop.snap, g, findCommunities(g, s, cancel), s);
        QCOMPARE(out.clusters.size(), size_t(1));
        QVERIFY(out.accounts[7].flagged && out.accounts[7].handoff);
        QVERIFY(!out.accounts[8].flagged);
        bool listed = false;
        for (const Handoff& h : out.clusters[0].handoffs)
            listed |= h.from == 1 && h.to == 7;
        QVERIFY(listed);
    }

    void relayOfNewAccountsIsANetwork()
    {
        // No template: six new accounts on one payment, each starting an hour after the
        // previous one stopped (a relay), harvesting a little. Then the same timing on
        // long-standing accounts (a family sharing a card): not a network.
        for (const double age : {1.0, 400.0}) {
            Population pop(30);
            DetectSettings s;
            for (std::uint32_t a = 1; a <= 6; ++a) {
                pop.active(a, static_cast<std::int64_t>(a) * 10 * kHour, static_cast<std::int64_t>(a) * 10 * kHour + 9 * kHour);
                pop.profiles[a].ind[static_cast<size_t>(Indicator::Behaviour)] = 0.4;
                pop.profiles[a].ind[static_cast<size_t>(Indicator::ScoreHarvest)] = 0.4; // long answers taken away
                pop.profiles[a].ind[static_cast<size_t>(Indicator::AgeDaysAtFirstUse)] = age;
                pop.snap.accounts[a].payment = 4;
            }
            const LinkGraph g = LinkGraph::build(pop.profiles, pop.snap, pop.templates(), s);
            CancelToken cancel;
            const DetectionOutcome out = scoreClusters(pop.profiles, pop.snap, g, findCommunities(g, s, cancel), s);
            if (age < s.handoffMaxAgeDays) {
                QCOMPARE(g.handoffs.size(), size_t(5));
                QCOMPARE(out.clusters.size(), size_t(1));
                QCOMPARE(out.clusters[0].core.size(), size_t(6));
                QCOMPARE(out.clusters[0].handoffCohesion, 1.0);
            } else {
                QVERIFY(g.handoffs.empty());
                QVERIFY(out.clusters.empty());
            }
        }
    }

    void pacedBurstsRaiseAutomation()
    {
        // A script pausing between bursts: human-looking overall CV, regular short gaps, fast minutes.
        DetectSettings s;
        IndicatorValues v{};
        for (double& x : v)
            x = std::nan("");
        v[static_cast<size_t>(Indicator::HourEntropy)] = 2.5;
        v[static_cast<size_t>(Indicator::QuietHoursShare)] = 0;
        v[static_cast<size_t>(Indicator::InterArrivalCv)] = 3.5;
        v[static_cast<size_t>(Indicator::ShortGapLogSd)] = 0.25;
        v[static_cast<size_t>(Indicator::PeakPerMinute)] = 20;
        scoreBehaviour(v, s);
        QCOMPARE(v[static_cast<size_t>(Indicator::ScoreAutomation)], 0.6);
        // A person: spread-out gaps, a few requests a minute at most.
        v[static_cast<size_t>(Indicator::ShortGapLogSd)] = 0.85;
        v[static_cast<size_t>(Indicator::PeakPerMinute)] = 3;
        scoreBehaviour(v, s);
        QCOMPARE(v[static_cast<size_t>(Indicator::ScoreAutomation)], 0.0);
    }
};

QTEST_GUILESS_MAIN(TestDetectFamilies)
#include "tst_detect_families.moc"
