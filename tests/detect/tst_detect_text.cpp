#include "text/PromptFeatures.h"
#include "text/PromptSkeleton.h"

#include <QtTest>

using namespace ds;

// Template identity: the head and tail keys survive slot filling, generic
// prompts get no key, skeletons mask what varies.
class TestDetectText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void skeletonMasksSlots()
    {
        QCOMPARE(QString::fromStdString(promptSkeleton("Natalia sold 48 clips to Bob in April.")),
                 QStringLiteral("natalia sold 0 clips to N in N."));
        QCOMPARE(promptSkeleton("Say \"hello there\" to `x`"), promptSkeleton("Say \"goodbye\" to `yy`"));
        QCOMPARE(promptSkeleton("A\n\nB"), std::string("a\nb"));
    }

    void wordWindows()
    {
        QCOMPARE(leadingWords("a b c d", 2), std::string_view("a b"));
        QCOMPARE(trailingWords("a b c d", 2), std::string_view("c d"));
        QCOMPARE(leadingWords("a b", 5), std::string_view("a b"));
        QCOMPARE(trailingWords("", 3), std::string_view(""));
    }

    void headKeySurvivesFilledTask()
    {
        const char* wrapper = "Solve the problem below. Before the final answer, write out your full internal reasoning step by step.\n\n";
        const PromptFeatures a = extractPromptFeatures({}, std::string(wrapper) + "Weng earns $12 an hour for babysitting.", 0);
        const PromptFeatures b = extractPromptFeatures({}, std::string(wrapper) + "Betty is saving money for a new wallet which costs $100.", 0);
        QVERIFY(a.headHash != 0);
        QCOMPARE(a.headHash, b.headHash);
        QVERIFY(a.tailHash != b.tailHash); // the task is the last paragraph
        QVERIFY(a.skeletonHash != b.skeletonHash);
        QVERIFY(a.flags & FlagCotElicitation);
    }

    void tailKeySurvivesFilledTask()
    {
        const char* tail = "\n\nExplain your reasoning process in detail, step by step, as if thinking aloud. Do not skip any step.";
        const PromptFeatures a = extractPromptFeatures({}, std::string("Write a function that reverses a list.") + tail, 0);
        const PromptFeatures b = extractPromptFeatures({}, std::string("How many primes are below one hundred?") + tail, 0);
        QCOMPARE(a.tailHash, b.tailHash);
        QVERIFY(a.headHash != b.headHash);
        // One-paragraph prompts: head and tail differ even when they are the same words.
        const PromptFeatures c = extractPromptFeatures({}, "please tell me a story about a brave small dog", 0);
        QVERIFY(c.headHash != c.tailHash);
    }

    void shortPromptsHaveNoTemplateKey()
    {
        const PromptFeatures a = extractPromptFeatures({}, "hi there", 0);
        QCOMPARE(a.headHash, std::uint64_t(0));
        QCOMPARE(a.tailHash, std::uint64_t(0));
        QVERIFY(a.skeletonHash != 0);
    }

    void markersAndCategories()
    {
        const PromptFeatures g = extractPromptFeatures(
            {}, "You are an impartial judge. Score each criterion on a scale of 1 to 10. Rating: [[X]]", 0);
        QVERIFY(g.flags & FlagGrading);
        const PromptFeatures s = extractPromptFeatures(
            {}, "Rewrite the following politically sensitive question into a neutral, safe alternative.", 0);
        QVERIFY(s.flags & FlagSensitiveRewrite);
        QCOMPARE(extractPromptFeatures({}, "Book a table for two", 3).category, TaskCategory::Agentic);
        QCOMPARE(extractPromptFeatures({}, "```python\ndef f(): return 1\n```\nwhy does this fail?", 0).category, TaskCategory::Coding);
    }
};

QTEST_GUILESS_MAIN(TestDetectText)
#include "tst_detect_text.moc"
