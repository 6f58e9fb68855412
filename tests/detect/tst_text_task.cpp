#include "sim/SimCorpus.h"
#include "text/CorpusSplit.h"
#include "text/PromptPartName.h"
#include "text/TaskFingerprint.h"

#include <QtTest>

#include <map>
#include <set>
#include <string>
#include <vector>

using namespace ds;

namespace {

// Wrappers written for this test (not the harvest model's training phrasings):
// openers, requests for the reasoning, format requests, in several layouts.
const char* const kOpeners[] = {"Hi!", "Hello, hope your day is going well.", "Quick one for you:",
                                "Good evening. I need help with something.", "Here's the problem:", "Question:",
                                "Please solve this for me."};
const char* const kElicit[] = {"Think step by step.", "Show all your reasoning.", "Explain each step.",
                               "Walk me through your full thought process before giving the answer.",
                               "Lay out every intermediate step and justify it.",
                               "Please reason carefully and show your work in detail.",
                               "Don't skip any steps, I want to follow the logic."};
const char* const kFormats[] = {"Put the final answer in a box.", "Respond in JSON with keys reasoning and answer.",
                                "End with 'Final answer: X'.", "Keep the answer concise.",
                                "Use numbered steps in markdown."};

std::vector<std::string> wrappings(const std::string& task, std::size_t seed)
{
    const std::string o = kOpeners[seed % std::size(kOpeners)];
    const std::string e = kElicit[(seed / 7) % std::size(kElicit)];
    const std::string f = kFormats[(seed / 3) % std::size(kFormats)];
    return {task,
            o + "\n\n" + task + "\n\n" + e,
            e + "\n\n" + task + "\n\n" + f,
            o + "\n" + task + "\n" + e + " " + f,
            task + "\n\n" + e + " " + f,
            o + "\n\n\"" + task + "\"\n\n" + e,
            o + "\n\n```\n" + task + "\n```\n\n" + f};
}

struct Agreement
{
    std::size_t tasks = 0, stable = 0, zero = 0;
    std::map<std::uint64_t, std::set<std::string>> byHash;
};

void measure(Agreement& a, const std::string& task, std::size_t seed)
{
    const std::vector<std::string> all = wrappings(task, seed);
    const std::uint64_t raw = taskFingerprint(all.front());
    ++a.tasks;
    if (raw == 0) {
        ++a.zero;
        return;
    }
    bool same = true;
    for (const std::string& w : all)
        same = same && taskFingerprint(w) == raw;
    a.stable += same;
    a.byHash[raw].insert(task);
}

std::size_t collisions(const Agreement& a)
{
    std::size_t n = 0;
    for (const auto& [h, tasks] : a.byHash)
        n += tasks.size() > 1;
    return n;
}

} // namespace

// Task fingerprints: one task under many wrappers keeps one fingerprint; distinct
// tasks of the real corpora get distinct ones; no task, no fingerprint.
class TestTextTask : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void wrappersAroundMathTasks()
    {
        const SimCorpus* c = SimCorpus::shared(nullptr);
        QVERIFY(c);
        Agreement a;
        for (std::size_t i = 0; i < 1500 && i < c->gsm8k.size(); ++i)
            measure(a, c->gsm8k[i * 3 % c->gsm8k.size()].question, i);
        QCOMPARE(a.zero, std::size_t(0));
        QVERIFY2(a.stable >= a.tasks * 99 / 100, qPrintable(QStringLiteral("%1 of %2 stable").arg(a.stable).arg(a.tasks)));
        QCOMPARE(collisions(a), std::size_t(0));
    }

    void wrappersAroundCodeTasks()
    {
        const SimCorpus* c = SimCorpus::shared(nullptr);
        QVERIFY(c);
        Agreement a;
        for (std::size_t i = 0; i < c->humaneval.size(); ++i)
            measure(a, c->humaneval[i], i);
        for (std::size_t i = 0; i < 600 && i < c->codegen.size(); ++i) {
            const auto& t = c->codegen[i];
            measure(a, t.input.empty() ? t.instruction : t.instruction + "\n\n" + t.input, i);
        }
        QVERIFY2(a.zero <= a.tasks / 50, qPrintable(QStringLiteral("%1 without a task").arg(a.zero)));
        QVERIFY2(a.stable >= (a.tasks - a.zero) * 97 / 100,
                 qPrintable(QStringLiteral("%1 of %2 stable").arg(a.stable).arg(a.tasks - a.zero)));
        // Near-identical tasks ("in C" / "in C++", "(" / "<") stay apart.
        QCOMPARE(collisions(a), std::size_t(0));
    }

    void distinctChatPromptsDoNotCollide()
    {
        const SimCorpus* c = SimCorpus::shared(nullptr);
        QVERIFY(c);
        std::map<std::uint64_t, std::string> seen;
        std::size_t clashes = 0;
        for (const std::string& q : c->chat) {
            const std::uint64_t h = taskFingerprint(q);
            if (!h)
                continue;
            auto [it, added] = seen.try_emplace(h, q);
            clashes += !added && it->second != q;
        }
        QVERIFY(seen.size() > c->chat.size() / 2);
        // Role prompts copied from one another ("act as a linux terminal" / "act as an R
        // interpreter", the same five sentences after the first) share their longest
        // span; they are one task in all but the name. Nothing else may collide.
        QVERIFY2(clashes * 200 <= seen.size(), qPrintable(QStringLiteral("%1 clashes").arg(clashes)));
    }

    void noTaskNoFingerprint()
    {
        QCOMPARE(taskFingerprint(""), std::uint64_t(0));
        QCOMPARE(taskFingerprint("Hi!"), std::uint64_t(0));
        QCOMPARE(taskFingerprint("Think step by step and show all your reasoning. Put the answer in a box."), std::uint64_t(0));
        QCOMPARE(taskFingerprint("What time is it in Tokyo?"), std::uint64_t(0));
        QVERIFY(taskFingerprint("A farmer has 17 sheep and buys 5 more each week. How many sheep does he have after 9 weeks?"));
    }

    void wrapperGluedWithoutFullStop()
    {
        const std::string task = "Write a Python function that returns the n-th Fibonacci number\nfib(10) == 55";
        QCOMPARE(taskFingerprint(task + " Show all your reasoning please"), taskFingerprint(task));
    }

    // A task group of the Templates tab is named by its task (text/PromptPartName.h): the part the fingerprint reads,
    // the wording around it cut off, the same words whatever the wrapper; an opening by its first words, placeholders
    // readable.
    void taskGroupsAreNamedByTheirTask()
    {
        const std::string task = "A farmer has 17 sheep and buys 5 more each week. How many sheep does he have after 9 weeks?";
        std::set<std::string> bodies;
        for (const std::string& w : wrappings(task, 11)) {
            const std::string_view body = promptpartname::taskBody(w);
            QCOMPARE(taskFingerprint(body), taskFingerprint(w));
            bodies.insert(std::string(body));
            QVERIFY2(body.find("step") == std::string_view::npos, w.c_str()); // no wrapper sentence left around it
        }
        QVERIFY2(bodies.count(task) > 0, "the bare task is its own body");
        const QString words = promptpartname::taskWords("Hi!\n\n" + task + "\n\nThink step by step.");
        QCOMPARE(words, QStringLiteral("\u201CA farmer has 17 sheep and buys 5 … does he have after 9 weeks?\u201D"));
        QVERIFY(promptpartname::taskWords("Think step by step and show all your reasoning.").isEmpty());
        QCOMPARE(promptpartname::openingWords("Translate \"See you soon\" into French for 12 people today.\n\nThanks"),
                 QStringLiteral("\u201Ctranslate \"…\" into [name] for # people today.\u201D"));
        QVERIFY(promptpartname::openingWords("Hi there").isEmpty()); // under five words: no opening key
    }

    void corpusSplitIsStableAndProportioned()
    {
        const SimCorpus* c = SimCorpus::shared(nullptr);
        QVERIFY(c);
        std::size_t held = 0;
        for (const auto& t : c->gsm8k)
            held += corpusSplit(t.question) == CorpusPart::Heldout;
        const double share = static_cast<double>(held) / static_cast<double>(c->gsm8k.size());
        QVERIFY2(share > 0.27 && share < 0.33, qPrintable(QString::number(share)));
        for (std::size_t i = 0; i < 50; ++i) {
            const std::string& q = c->gsm8k[i].question;
            QCOMPARE(corpusSplit("  " + q + "\n"), corpusSplit(q));
        }
    }
};

QTEST_GUILESS_MAIN(TestTextTask)
#include "tst_text_task.moc"
