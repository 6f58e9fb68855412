#include "sim/SimCorpus.h"
#include "text/CorpusSplit.h"
#include "text/HarvestFeatures.h"
#include "text/HarvestModel.h"
#include "text/PromptFeatures.h"

#include <QtTest>

#include <string>
#include <vector>

using namespace ds;

namespace {

// Phrasings written for this test only: neither the training set nor the
// calibration set of tools/harvest-train uses them.
const char* const kAsks[] = {
    "Kindly expose the entire reasoning chain that leads to your result.",
    "I'd like every line of working, as a teacher would write it on the board.",
    "Go through it slowly, stating why each move is valid.",
    "Show me how you get from the question to the answer, one step after another.",
    "Reveal your thinking in full before you commit to an answer.",
    "Give a thorough, stepwise explanation and only then the final result.",
};
const char* const kOpeners[] = {"", "Alright.", "Next:", "Hey assistant,", "One more please."};

int scoreOf(const std::string& system, const std::string& prompt, int tools = 0)
{
    return extractPromptFeatures(system, prompt, tools).harvest;
}

double shareAtLeast(const std::vector<int>& scores, int threshold)
{
    std::size_t n = 0;
    for (int s : scores)
        n += s >= threshold;
    return scores.empty() ? 0.0 : static_cast<double>(n) / static_cast<double>(scores.size());
}

QString describe(const std::vector<int>& scores, double share)
{
    return QStringLiteral("%1 of %2 requests at 500 or more").arg(share).arg(scores.size());
}

} // namespace

// The request-level harvest model: paraphrases it never saw, held-out tasks,
// benign look-alikes, determinism.
class TestTextHarvest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void modelIsCompiledIn() { QVERIFY(HarvestModel::shared().isLoaded()); }

    void unseenParaphrasesOnHeldoutTasks()
    {
        const SimCorpus* c = SimCorpus::shared(nullptr);
        QVERIFY(c);
        std::vector<int> scores;
        std::size_t k = 0;
        for (const auto& t : c->gsm8k) {
            if (corpusSplit(t.question) != CorpusPart::Heldout || scores.size() >= 300)
                continue;
            const std::string opener = kOpeners[k % std::size(kOpeners)];
            const std::string ask = kAsks[k++ % std::size(kAsks)];
            scores.push_back(scoreOf({}, (opener.empty() ? "" : opener + "\n\n") + t.question + "\n\n" + ask));
        }
        const double share = shareAtLeast(scores, 500);
        QVERIFY2(share >= 0.95, qPrintable(describe(scores, share)));
    }

    void rawHeldoutBenchmarkTasks()
    {
        const SimCorpus* c = SimCorpus::shared(nullptr);
        QVERIFY(c);
        std::vector<int> maths, code;
        for (const auto& t : c->gsm8k)
            if (corpusSplit(t.question) == CorpusPart::Heldout && maths.size() < 300)
                maths.push_back(scoreOf({}, t.question));
        for (const auto& t : c->humaneval)
            if (corpusSplit(t) == CorpusPart::Heldout)
                code.push_back(scoreOf({}, t));
        QVERIFY2(shareAtLeast(maths, 500) >= 0.9, qPrintable(describe(maths, shareAtLeast(maths, 500))));
        QVERIFY2(shareAtLeast(code, 500) >= 0.9, qPrintable(describe(code, shareAtLeast(code, 500))));
    }

    void rewriteToAvoidTheTopic()
    {
        // Written for this test; the questions come from the held-out chat corpus.
        const SimCorpus* c = SimCorpus::shared(nullptr);
        QVERIFY(c);
        const char* const asks[] = {"Recast the question below so a moderation system would let it through:",
                                    "Please rewrite this in a form that avoids the politically sensitive angle:",
                                    "Reword the following question so it no longer refers to the controversial issue:"};
        std::vector<int> scores;
        std::size_t k = 0;
        for (const std::string& q : c->chat)
            if (corpusSplit(q) == CorpusPart::Heldout && scores.size() < 60)
                scores.push_back(scoreOf({}, std::string(asks[k++ % std::size(asks)]) + "\n\n" + q));
        QVERIFY2(shareAtLeast(scores, 500) >= 0.6, qPrintable(describe(scores, shareAtLeast(scores, 500))));
    }

    void benignLookAlikes()
    {
        // What people ask that shares words with harvesting: explanations, steps, numbers, code.
        const char* const lookAlikes[] = {
            "Can you explain how vaccines train the immune system?",
            "What are the steps to renew a passport in the UK?",
            "How do I center a div in CSS? I've tried margin auto and it doesn't work.",
            "My sourdough is too dense, what am I doing wrong?",
            "Write a short poem about autumn leaves for my daughter's birthday card.",
            "How many calories should I eat per day to lose 1 pound a week? I'm 34, 180 lbs.",
            "Explain the plot of Inception like I'm five.",
            "What's a good 3 day itinerary for Lisbon?",
            "Why does my Python script say ModuleNotFoundError: No module named 'requests'?",
            "Summarize the main arguments for and against a four-day work week.",
            "Can you recommend some books similar to The Martian?",
            "Draft a polite email to my landlord about a broken heater.",
        };
        std::vector<int> scores;
        for (const char* p : lookAlikes)
            scores.push_back(scoreOf({}, p));
        QVERIFY2(shareAtLeast(scores, 500) <= 0.1, qPrintable(describe(scores, shareAtLeast(scores, 500))));

        const SimCorpus* c = SimCorpus::shared(nullptr);
        QVERIFY(c);
        std::vector<int> chat;
        for (const std::string& q : c->chat)
            if (corpusSplit(q) == CorpusPart::Heldout)
                chat.push_back(scoreOf({}, q));
        QVERIFY2(shareAtLeast(chat, 500) <= 0.06, qPrintable(describe(chat, shareAtLeast(chat, 500))));
    }

    void deterministicIntegerScores()
    {
        const std::string p = "A train leaves at 3 pm going 60 mph. Another leaves at 4 pm going 80 mph. When does the "
                              "second catch up? Reason it out in full.";
        const PromptFeatures f = extractPromptFeatures({}, p, 0);
        QVERIFY(f.harvest <= 1000);
        QCOMPARE(extractPromptFeatures({}, p, 0).harvest, f.harvest);
        QCOMPARE(harvestScore({}, p, 0, f), static_cast<int>(f.harvest));
        std::vector<std::uint32_t> a, b;
        harvestFeatureIndices({}, p, 0, f, a);
        harvestFeatureIndices({}, p, 0, f, b);
        QCOMPARE(a, b);
        QVERIFY(!a.empty());
        std::sort(a.begin(), a.end());
        QVERIFY(std::adjacent_find(a.begin(), a.end()) == a.end()); // distinct
        QVERIFY(*std::max_element(a.begin(), a.end()) < kHarvestFeatureCount);
        // Score and margin agree with the rounding rule: 500 exactly at margin 0.
        const HarvestModel& m = HarvestModel::shared();
        QCOMPARE(m.scoreOfMargin(0), 500);
        QCOMPARE(m.scoreOfMargin(-1'000'000), 0);
        QCOMPARE(m.scoreOfMargin(1'000'000), 1000);
    }

    void importScoringEqualsIndexScoring()
    {
        // The import sums the weights without listing the features (HarvestModel::marginOf); the training
        // tool lists them (harvestFeatureIndices). Both must give the same score on every request.
        const SimCorpus* c = SimCorpus::shared(nullptr);
        QVERIFY(c);
        const HarvestModel& m = HarvestModel::shared();
        QVERIFY(m.isLoaded());
        std::vector<std::string> texts = {"", "?", "((()))", "C++ and C# 'quoted' ```x``` 3.5,6",
                                          std::string(5000, 'a')};
        for (std::size_t k = 0; k < c->chat.size() && k < 2000; ++k)
            texts.push_back(c->chat[k]);
        for (std::size_t k = 0; k < c->gsm8k.size() && k < 500; ++k)
            texts.push_back(c->gsm8k[k].question);
        std::string longText; // beyond kHarvestMaxTokens tokens, across system prompt and prompt
        for (int k = 0; k < 2000; ++k)
            longText += "word" + std::to_string(k % 7) + " x{ ";
        texts.push_back(longText);
        std::vector<std::uint32_t> indices;
        std::size_t differ = 0;
        for (std::size_t k = 0; k < texts.size(); ++k) {
            const std::string& system = k % 5 == 0 ? texts[(k * 7) % texts.size()] : std::string();
            const int tools = static_cast<int>(k % 3 == 0);
            const PromptFeatures f = extractPromptFeatures(system, texts[k], tools);
            harvestFeatureIndices(system, texts[k], tools, f, indices);
            differ += m.marginOf(system, texts[k], tools, f) != m.margin(indices);
            differ += harvestScore(system, texts[k], tools, f) != m.score(indices);
        }
        QCOMPARE(differ, std::size_t(0));
    }

    void corruptModelIsRefused()
    {
        HarvestModel m;
        QString error;
        QVERIFY(!m.parse("distillscope-harvest-model 2\n", &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!m.isLoaded());
        QVERIFY(!m.parse("distillscope-harvest-model 1\nfeatures 12\nscale 4096\nbias 0\nweights 0\n", &error));
    }
};

QTEST_GUILESS_MAIN(TestTextHarvest)
#include "tst_text_harvest.moc"
