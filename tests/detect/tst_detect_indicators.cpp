#include "detect/AccountProfile.h"
#include "detect/BehaviourScore.h"
#include "detect/DetectSettings.h"
#include "detect/PopulationIndicators.h"
#include "text/PromptFeatures.h"

#include <QtTest>

#include <cmath>

using namespace ds;

namespace {

constexpr std::int64_t kMin = 60'000, kHour = 3'600'000, kDay = 86'400'000;
constexpr std::int64_t kStart = 1769990400000LL; // a UTC midnight

double at(const AccountProfile& p, Indicator i) { return p.ind[static_cast<size_t>(i)]; }

RequestRow row(std::int64_t id, std::int64_t ts)
{
    RequestRow r;
    r.id = id;
    r.ts = ts;
    r.ip = 1;
    r.userAgent = 1;
    r.model = 1;
    r.promptTokens = 100;
    r.completionTokens = 400;
    r.maxTokens = 1000;
    r.headHash = static_cast<std::uint64_t>(id) * 7919 + 1; // all different
    r.category = static_cast<std::uint8_t>(TaskCategory::Chat);
    return r;
}

} // namespace

// Each per-account indicator on hand-made request sequences, and the facet scores.
class TestDetectIndicators : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void volumeAndTiming()
    {
        std::vector<RequestRow> rows;
        // Every 10 minutes for two days: around the clock, perfectly regular.
        for (int i = 0; i < 288; ++i)
            rows.push_back(row(i + 1, kStart + i * 10 * kMin));
        const DetectSettings s;
        const AccountProfile p = profileAccount(rows, {}, {0, 5}, 0, s);
        QCOMPARE(at(p, Indicator::Requests), 288.0);
        QCOMPARE(at(p, Indicator::ActiveDays), 2.0);
        QCOMPARE(at(p, Indicator::InterArrivalCv), 0.0);
        QVERIFY(std::abs(at(p, Indicator::HourEntropy) - std::log2(24.0)) < 1e-9);
        QVERIFY(std::abs(at(p, Indicator::QuietHoursShare) - 0.25) < 1e-9);
        QCOMPARE(at(p, Indicator::PeakPerMinute), 1.0);
        QCOMPARE(at(p, Indicator::DistinctNetworks), 1.0);
        QCOMPARE(p.outputTokens, std::int64_t(288 * 400));

        // A human: two sessions of bursts in the afternoon, gaps of a few seconds to minutes.
        std::vector<RequestRow> human;
        const std::int64_t offsets[6] = {0, 20'000, 150'000, kHour, kHour + 45'000, kHour + 200'000};
        for (int d = 0; d < 5; ++d)
            for (int k = 0; k < 6; ++k)
                human.push_back(row(100 + d * 10 + k, kStart + d * kDay + 14 * kHour + offsets[k]));
        const AccountProfile h = profileAccount(human, {}, {}, 0, s);
        QCOMPARE(at(h, Indicator::QuietHoursShare), 0.0);
        QVERIFY(at(h, Indicator::InterArrivalCv) > 2.0);
        QCOMPARE(at(h, Indicator::PeakPerMinute), 2.0);
        IndicatorValues hi = h.ind, pi = p.ind;
        scoreBehaviour(hi, s);
        scoreBehaviour(pi, s);
        QVERIFY(hi[static_cast<size_t>(Indicator::ScoreAutomation)] < 0.1);
        QCOMPARE(pi[static_cast<size_t>(Indicator::ScoreAutomation)], 1.0);
    }

    void harvestTemplatesAndElicitation()
    {
        std::vector<RequestRow> rows;
        for (int i = 0; i < 40; ++i) {
            RequestRow r = row(i + 1, kStart + i * kHour);
            r.completionTokens = i % 4 == 0 ? 2000 : 1500; // a quarter cut at the cap
            r.maxTokens = 2000;
            r.stopReason = i % 4 == 0 ? 9 : 3;
            r.headHash = i < 30 ? 42 : r.headHash; // 75 % one template
            r.flags = i % 2 ? std::uint32_t{FlagCotElicitation} : 0u;
            rows.push_back(r);
        }
        const DetectSettings s;
        AccountProfile p = profileAccount(rows, {}, {}, 9, s);
        QCOMPARE(at(p, Indicator::MeanOutputTokens), (10 * 2000.0 + 30 * 1500.0) / 40);
        QCOMPARE(at(p, Indicator::MaxTokensHitShare), 0.25);
        QCOMPARE(at(p, Indicator::TopTemplateShare), 0.75);
        QCOMPARE(at(p, Indicator::CotRate), 0.5);
        QCOMPARE(at(p, Indicator::OutputInputRatio), (10 * 2000.0 + 30 * 1500.0) / 4000.0);
        QCOMPARE(p.templates.size(), size_t(1));
        QCOMPARE(p.templates[0].count, 30u);
        QCOMPARE(p.templates[0].kind, TemplateKind::Head);
        QCOMPARE(p.templates[0].sampleRequest, std::int64_t(1));
        QVERIFY(!p.templateWindows.empty());
        scoreBehaviour(p.ind, s);
        QCOMPARE(at(p, Indicator::ScoreElicitation), 1.0);
        QCOMPARE(at(p, Indicator::ScoreTemplating), 1.0);
        QVERIFY(at(p, Indicator::ScoreHarvest) > 0.6); // long outputs (1625 mean) and cut answers
    }

    void smallAccountsAreNotJudged()
    {
        std::vector<RequestRow> rows;
        for (int i = 0; i < 5; ++i)
            rows.push_back(row(i + 1, kStart + i * kHour));
        AccountProfile p = profileAccount(rows, {}, {}, 0, DetectSettings{});
        QVERIFY(std::isnan(at(p, Indicator::TopTemplateShare)));
        QVERIFY(std::isnan(at(p, Indicator::QuietHoursShare)));
        QVERIFY(p.templates.empty());
        scoreBehaviour(p.ind, DetectSettings{});
        QCOMPARE(at(p, Indicator::ScoreTemplating), 0.0);
        QCOMPARE(at(p, Indicator::ScoreAutomation), 0.0);
    }

    void accountAgeAndRateLimit()
    {
        std::vector<RequestRow> rows;
        for (int i = 0; i < 30; ++i)
            rows.push_back(row(i + 1, kStart + 2 * kDay + i * 1000)); // 30 requests in 30 s
        AccountInfo info;
        info.createdAt = kStart;
        info.rateLimitPerMinute = 60;
        const AccountProfile p = profileAccount(rows, info, {}, 0, DetectSettings{});
        QCOMPARE(at(p, Indicator::AgeDaysAtFirstUse), 2.0);
        QCOMPARE(at(p, Indicator::PeakPerMinute), 30.0);
        QCOMPARE(at(p, Indicator::PeakVsLimit), 0.5);
    }

    void baselinesAndPercentiles()
    {
        std::vector<AccountProfile> profiles(5);
        for (int a = 1; a < 5; ++a) {
            profiles[static_cast<size_t>(a)].requests = a;
            for (double& v : profiles[static_cast<size_t>(a)].ind)
                v = std::nan("");
            profiles[static_cast<size_t>(a)].ind[static_cast<size_t>(Indicator::Requests)] = a * 10;
        }
        std::vector<IndicatorValues> pct;
        const auto base = computeBaselines(profiles, pct);
        const IndicatorBaseline& b = base[static_cast<size_t>(Indicator::Requests)];
        QCOMPARE(b.accounts, std::int64_t(4));
        QCOMPARE(b.mean, 25.0);
        QCOMPARE(b.p50, 20.0);
        QCOMPARE(pct[4][static_cast<size_t>(Indicator::Requests)], 0.75);
        QCOMPARE(pct[1][static_cast<size_t>(Indicator::Requests)], 0.0);
        QVERIFY(std::isnan(pct[0][static_cast<size_t>(Indicator::Requests)]));
        QVERIFY(std::isnan(pct[2][static_cast<size_t>(Indicator::CotRate)]));
    }

    void rampIsClampedAndDirectional()
    {
        QCOMPARE(ramp(5, 0, 10), 0.5);
        QCOMPARE(ramp(-1, 0, 10), 0.0);
        QCOMPARE(ramp(11, 0, 10), 1.0);
        QCOMPARE(ramp(0.2, 1.5, 0.3), 1.0);
        QVERIFY(std::abs(ramp(0.5, 1.5, 0.3) - 1.0 / 1.2) < 1e-12);
        QCOMPARE(ramp(std::nan(""), 0, 1), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestDetectIndicators)
#include "tst_detect_indicators.moc"
