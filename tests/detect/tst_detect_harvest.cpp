#include "detect/AccountProfile.h"
#include "detect/BehaviourScore.h"
#include "detect/DetectSettings.h"
#include "text/PromptFeatures.h"

#include <QtTest>

#include <cmath>
#include <functional>

using namespace ds;

namespace {

constexpr std::int64_t kStart = 1'767'225'600'000; // 2026-01-01
constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = 60 * kMinute;

// What one synthetic request looks like, by its index in the account.
struct Shape
{
    int harvest = 0;          // request harvest score
    TaskCategory category = TaskCategory::Chat;
    int promptTokens = 50, completionTokens = 300;
    std::uint64_t headHash = 0; // a template head, 0 for none
    int tools = 0;              // tools offered
    int maxTokens = 4096;       // the client's limit; an answer this long was cut there
};

// An account's requests: a few sessions a day in daytime, `n` requests shaped by `shape`.
AccountProfile account(int n, const std::function<Shape(int)>& shape, const DetectSettings& s)
{
    std::vector<RequestRow> rows;
    for (int i = 0; i < n; ++i) {
        const Shape sh = shape(i);
        RequestRow r;
        r.id = i + 1;
        r.account = 1;
        r.ts = kStart + (i / 8) * 24 * kHour + 9 * kHour + (i % 8) * 7 * kMinute + (i * 7919 % 97) * 1000;
        r.ip = 1;
        r.userAgent = 1;
        r.model = 1;
        r.promptTokens = sh.promptTokens;
        r.completionTokens = sh.completionTokens;
        r.maxTokens = sh.maxTokens;
        r.harvest = sh.harvest;
        r.category = static_cast<std::uint8_t>(sh.category);
        r.headHash = sh.headHash;
        r.toolCount = sh.tools;
        r.simhash = 0x9e3779b97f4a7c15ull * static_cast<std::uint64_t>(i + 1); // unrelated prompts
        r.taskHash = sh.harvest >= 500 ? 0x1000u + static_cast<std::uint64_t>(i) : 0;
        rows.push_back(r);
    }
    AccountProfile p = profileAccount(rows, {}, {0, 1}, 0, s);
    scoreBehaviour(p.ind, s);
    return p;
}

double profileScore(const AccountProfile& p) { return p.ind[static_cast<size_t>(Indicator::ScoreHarvestProfile)]; }
double indicator(const AccountProfile& p, Indicator i) { return p.ind[static_cast<size_t>(i)]; }

// The careful harvester capping its answers at 384 tokens: 60 harvest-class requests (maths and code, reasoning asked
// for, two thirds cut at the limit, the rest short worked answers) among 40 chat requests as camouflage.
// `maxTokens` 0 asks the same without a limit: the same short answers, short by choice.
AccountProfile shortOutputHarvester(int maxTokens, const DetectSettings& s)
{
    return account(100, [maxTokens](int i) {
        if (i % 5 < 2)
            return Shape{60, TaskCategory::Chat, 40, 250};
        const TaskCategory family = i % 2 ? TaskCategory::Maths : TaskCategory::Coding;
        const int limit = maxTokens ? maxTokens : 4096;
        return i % 3 ? Shape{900, family, 110, 384, 0, 0, limit} : Shape{900, family, 110, 240, 0, 0, limit};
    }, s);
}

} // namespace

// The account-level harvest profile: the careful harvester alone reaches the solo
// line; the hard negatives of issue 13 stay well under it, each for its own reason.
class TestDetectHarvest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void carefulHarvesterReachesTheSoloLine()
    {
        const DetectSettings s;
        // 100 requests: 60 harvest-class (maths and code, long worked answers), 40 ordinary chat as camouflage.
        const AccountProfile p = account(100, [](int i) {
            if (i % 5 < 2)
                return Shape{60, TaskCategory::Chat, 40, 250};
            return Shape{900, i % 2 ? TaskCategory::Maths : TaskCategory::Coding, 110, 1250};
        }, s);
        QCOMPARE(indicator(p, Indicator::HarvestClassRequests), 60.0);
        QCOMPARE(indicator(p, Indicator::HarvestClassShare), 0.6);
        QCOMPARE(indicator(p, Indicator::HarvestFamilies), 2.0);
        QVERIFY(indicator(p, Indicator::HarvestClassRatio) > 10);
        QVERIFY2(profileScore(p) >= s.soloMinHarvestProfile, qPrintable(QString::number(profileScore(p))));
        QCOMPARE(p.harvestSamples.size(), size_t(8));
    }

    void shortOutputHarvesterReachesTheSoloLine()
    {
        // Answers cut at the client's own limit stand in for long ones (docs/HARVEST_SIGNAL.md section 10): on the
        // lengths alone (336 tokens on average, 3 output tokens per prompt token) this account scored 0.25.
        const DetectSettings s;
        const AccountProfile p = shortOutputHarvester(384, s);
        QCOMPARE(indicator(p, Indicator::HarvestClassRequests), 60.0);
        QCOMPARE(indicator(p, Indicator::HarvestFamilies), 2.0);
        QVERIFY(indicator(p, Indicator::HarvestClassOutput) < s.harvestProfileOutputLow);
        QVERIFY(indicator(p, Indicator::HarvestClassRatio) < s.harvestProfileRatioLow + 0.5);
        QCOMPARE(indicator(p, Indicator::HarvestClassCutShare), 40.0 / 60.0);
        QVERIFY2(profileScore(p) >= s.soloMinHarvestProfile, qPrintable(QString::number(profileScore(p))));
        QVERIFY2(harvestRate(p.ind, s) >= s.cohortMinHarvestRate, qPrintable(QString::number(harvestRate(p.ind, s))));
        // The same answers under a generous limit are short by choice: nothing stands in for their length (where
        // the stand-in stops; a harvest of final answers teaches little).
        const AccountProfile byChoice = shortOutputHarvester(0, s);
        QCOMPARE(indicator(byChoice, Indicator::HarvestClassCutShare), 0.0);
        QVERIFY2(profileScore(byChoice) < 0.3, qPrintable(QString::number(profileScore(byChoice))));
        // Tool calls are not length figures, cut or not: the cut share is read on answers without tools (half the
        // maths answers cut; every tool call too, which would make it three quarters).
        const AccountProfile tools = account(60, [](int i) {
            if (i % 2 == 0)
                return Shape{900, TaskCategory::Agentic, 900, 384, 0, 3, 384};
            return Shape{900, TaskCategory::Maths, 110, i % 4 == 1 ? 384 : 200, 0, 0, 384};
        }, s);
        QCOMPARE(indicator(tools, Indicator::HarvestClassCutShare), 0.5);
    }

    void cutAnswersInOneFamilyStandInForNothing()
    {
        // A class behind a campus proxy that caps every answer at 256 tokens: its coding exercises are cut as often
        // as a capped harvester's, but all in one family, so the cut share stands in for no length (0.13, not 0.5).
        const DetectSettings s;
        const AccountProfile student = account(45, [](int i) {
            return i % 4 == 0 ? Shape{40, TaskCategory::Chat, 30, 150, 0, 0, 256}
                              : Shape{850, TaskCategory::Coding, 120, 256, 0, 0, 256};
        }, s);
        QCOMPARE(indicator(student, Indicator::HarvestClassCutShare), 1.0);
        QCOMPARE(indicator(student, Indicator::HarvestFamilies), 1.0);
        QVERIFY2(profileScore(student) < s.cohortMinHarvestProfile, qPrintable(QString::number(profileScore(student))));
        QVERIFY2(harvestRate(student.ind, s) < s.cohortMinHarvestRate, qPrintable(QString::number(harvestRate(student.ind, s))));
        // Homework askers on a tight limit: step-by-step maths, one family, cut.
        const AccountProfile homework = account(30, [](int) { return Shape{950, TaskCategory::Maths, 90, 300, 0, 0, 300}; }, s);
        QVERIFY2(profileScore(homework) < s.cohortMinHarvestProfile, qPrintable(QString::number(profileScore(homework))));
    }

    void developerCutNowAndThenStaysUnder()
    {
        // A developer whose code answers outgrow a 1,024-token limit four times in ten, in three families, with a
        // third of its requests harvest-class: the cut share counts a little, the share still keeps it out of the
        // cohorts (profile under 0.25, rate under 0.5).
        const DetectSettings s;
        const AccountProfile p = account(150, [](int i) {
            if (i % 3)
                return Shape{60, TaskCategory::Chat, 60, 300, 0, 0, 1024};
            const TaskCategory family = i % 9 == 0 ? TaskCategory::Maths : i % 9 == 3 ? TaskCategory::Coding : TaskCategory::Writing;
            return i % 5 < 2 ? Shape{800, family, 200, 1024, 0, 0, 1024} : Shape{800, family, 200, 600, 0, 0, 1024};
        }, s);
        QVERIFY(indicator(p, Indicator::HarvestFamilies) >= 2);
        QVERIFY(indicator(p, Indicator::HarvestClassCutShare) > s.harvestProfileCutShareLow);
        QVERIFY2(profileScore(p) < s.cohortMinHarvestProfile, qPrintable(QString::number(profileScore(p))));
        QVERIFY2(harvestRate(p.ind, s) < s.cohortMinHarvestRate, qPrintable(QString::number(harvestRate(p.ind, s))));
    }

    void classBehindOneNatStaysUnder()
    {
        // A student working the course's forty exercises: mostly coding tasks, but short answers and no reasoning
        // demanded (the answer is the code, about as long as the exercise).
        const DetectSettings s;
        const AccountProfile p = account(45, [](int i) {
            return i % 4 == 0 ? Shape{40, TaskCategory::Chat, 30, 150} : Shape{850, TaskCategory::Coding, 120, 260};
        }, s);
        QVERIFY(indicator(p, Indicator::HarvestClassShare) > 0.7);
        QVERIFY2(profileScore(p) < 0.3, qPrintable(QString::number(profileScore(p))));
    }

    void homeworkAskersStayUnder()
    {
        const DetectSettings s;
        // A few step-by-step word problems: too few requests to judge.
        const AccountProfile few = account(6, [](int) { return Shape{950, TaskCategory::Maths, 90, 650}; }, s);
        QCOMPARE(profileScore(few), 0.0);
        // A diligent student: thirty step-by-step word problems over the term, all maths, worked answers.
        const AccountProfile diligent = account(30, [](int) { return Shape{950, TaskCategory::Maths, 90, 650}; }, s);
        QCOMPARE(indicator(diligent, Indicator::HarvestFamilies), 1.0);
        QVERIFY2(profileScore(diligent) < s.soloMinHarvestProfile,
                 qPrintable(QString::number(profileScore(diligent))));
    }

    void agenticPowerUserStaysUnder()
    {
        // An agent loop: tools on every request, very long outputs, high volume, coding and agentic tasks the model
        // scores highly. Lengths are read on requests without tools: there are none.
        const DetectSettings s;
        const AccountProfile p = account(900, [](int i) {
            return Shape{880, i % 3 ? TaskCategory::Agentic : TaskCategory::Coding, 7000, 1500, 0, 12};
        }, s);
        QVERIFY(indicator(p, Indicator::HarvestClassShare) > 0.9);
        QVERIFY(std::isnan(indicator(p, Indicator::HarvestClassOutput)));
        QVERIFY2(profileScore(p) < s.soloMinHarvestProfile, qPrintable(QString::number(profileScore(p))));
        // The same user between agent runs, asking without tools on long pasted contexts: output/input far below
        // a harvester's.
        const AccountProfile pasted = account(900, [](int i) {
            return Shape{880, i % 3 ? TaskCategory::Agentic : TaskCategory::Coding, 7000, 1500, 0, i % 2 ? 12 : 0};
        }, s);
        QVERIFY(indicator(pasted, Indicator::HarvestClassRatio) < 0.5);
        QVERIFY2(profileScore(pasted) < s.soloMinHarvestProfile, qPrintable(QString::number(profileScore(pasted))));
    }

    void toolDemonstrationsCountInShareNotLength()
    {
        // A harvester half of whose harvest-class requests are tool-use demonstrations (schemas in the prompt,
        // short call answers): its worked answers without tools still show the profile.
        const DetectSettings s;
        const AccountProfile p = account(100, [](int i) {
            if (i % 5 < 2)
                return Shape{60, TaskCategory::Chat, 40, 250};
            if (i % 2)
                return Shape{950, TaskCategory::Agentic, 900, 120, 0, 3};
            return Shape{900, i % 4 ? TaskCategory::Maths : TaskCategory::Coding, 110, 1250};
        }, s);
        QVERIFY(indicator(p, Indicator::HarvestClassRatio) > 10);
        QVERIFY2(profileScore(p) >= s.soloMinHarvestProfile, qPrintable(QString::number(profileScore(p))));
    }

    void benchmarkHarnessStaysUnder()
    {
        // An evaluation run: one template for every item, long worked answers, two categories.
        const DetectSettings s;
        const AccountProfile p = account(400, [](int i) {
            return Shape{930, i % 3 ? TaskCategory::Maths : TaskCategory::Reasoning, 120, 900, 0xabcdef};
        }, s);
        QVERIFY(indicator(p, Indicator::TemplatedShare) >= s.harvestProfileMaxTemplateShare);
        QVERIFY2(profileScore(p) < s.soloMinHarvestProfile, qPrintable(QString::number(profileScore(p))));
    }

    void popularProductTemplateHalvesTheProfile()
    {
        // A developer whose long answers come through a tool many accounts use heavily (an IDE plug-in's
        // commit messages, a summariser): the same requests alone would reach the solo line; once the
        // population shows the template's peers, the profile is halved. A template of its own (no peers)
        // changes nothing: the careful harvester paraphrases a wrapper per account.
        const DetectSettings s;
        AccountProfile p = account(120, [](int i) {
            if (i % 5 < 2)
                return Shape{60, TaskCategory::Chat, 40, 250};
            return Shape{900, i % 2 ? TaskCategory::Writing : TaskCategory::Coding, 110, 1250, i % 3 ? 0x5eedu : 0u};
        }, s);
        QVERIFY(indicator(p, Indicator::TemplatedShare) >= s.harvestProfilePopularShare);
        QVERIFY(indicator(p, Indicator::TemplatedShare) < s.harvestProfileMaxTemplateShare);
        const double alone = profileScore(p);
        QVERIFY2(alone >= s.soloMinHarvestProfile, qPrintable(QString::number(alone)));

        p.ind[static_cast<size_t>(Indicator::TemplatePeers)] = s.harvestProfilePopularPeers - 1;
        scoreBehaviour(p.ind, s);
        QCOMPARE(profileScore(p), alone);

        p.ind[static_cast<size_t>(Indicator::TemplatePeers)] = 1574;
        scoreBehaviour(p.ind, s);
        QCOMPARE(profileScore(p), alone / 2);
        QVERIFY(profileScore(p) < s.soloMinHarvestProfile);
    }

    void olderCasesWithoutScoresNeverScore()
    {
        const DetectSettings s;
        const AccountProfile p = account(200, [](int) { return Shape{0, TaskCategory::Maths, 50, 2000}; }, s);
        QCOMPARE(indicator(p, Indicator::HarvestClassRequests), 0.0);
        QCOMPARE(profileScore(p), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestDetectHarvest)
#include "tst_detect_harvest.moc"
