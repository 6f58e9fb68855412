#include "detect/NetworkName.h"
#include "text/TemplateName.h"

#include <QTest>

using namespace ds;

// Templates and networks named in words (issue 16): a template by its fixed words with its versioned fingerprint,
// a network by the kind of harvest most of its requests are.
class TestNames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void templateNamedByItsFixedWords()
    {
        // docs/TEMPLATE_FINGERPRINT.md's first test vector: the name carries the same fingerprint.
        const auto a = templatename::of({}, "Translate \"Good morning, Anna\" into French. Answer in 3 words.");
        QCOMPARE(a.fingerprint, QStringLiteral("ds-skeleton-v1:86173e2991098d60"));
        QCOMPARE(a.words, QStringLiteral("“translate \"…\" into [name]. answer in # words.”"));
        QCOMPARE(a.withFingerprint(), QStringLiteral("“translate \"…\" into [name]. answer in # words.” (ds-skeleton-v1:86173e2991098d60)"));
        // Another fill of the same template: the same name.
        const auto b = templatename::of({}, "Translate \"See you soon\" into French. Answer in 12 words.");
        QCOMPARE(b.words, a.words);
        QCOMPARE(b.fingerprint, a.fingerprint);
    }

    void longTemplateShowsItsEnds()
    {
        const auto n = templatename::of({}, "You are an expert Python developer. Write a function that solves the task below, with "
                                            "type hints and docstrings.\n\nTask: sort 25 numbers.\n\nReturn only the code, "
                                            "then list its complexity.");
        QCOMPARE(n.words, QStringLiteral("“you are an expert [name] developer. … the code, then list its complexity.”"));
    }

    void oneFingerprintHasOneName()
    {
        // A template is its fingerprint and its words follow from it: no place can pick other words for it (the
        // opening only, the ending only), so two fills of one fingerprint read alike everywhere, and a network is
        // named by a template only when a quarter of its accounts use it.
        const char* one = "Review the following pull request for bugs and style problems.\n\nDiff of auth.py: 12 lines"
                          "\n\nReply with a list of findings, most serious first.";
        const char* two = "Review the following pull request for bugs and style problems.\n\nDiff of auth.py: 340 lines"
                          "\n\nReply with a list of findings, most serious first.";
        const auto a = templatename::of("You review code.", one);
        const auto b = templatename::of("You review code.", two);
        QCOMPARE(a.fingerprint, b.fingerprint);
        QCOMPARE(a.words, b.words);
        QCOMPARE(a.words, QStringLiteral("“review the following pull request for … list of findings, most serious first.”"));
        QVERIFY(networkname::templateNamesNetwork(15, 60));
        QVERIFY(!networkname::templateNamesNetwork(14, 60));
        QVERIFY(!networkname::templateNamesNetwork(1, 2));
    }

    void systemPromptNamesATemplateWithoutWords()
    {
        const auto n = templatename::of("You grade answers strictly.", "42");
        QCOMPARE(n.words, QStringLiteral("“#”"));
        const auto s = templatename::of("You grade answers strictly.", "");
        QCOMPARE(s.words, QStringLiteral("“you grade answers strictly.”"));
        QVERIFY(templatename::of({}, {}).words.isEmpty());
    }

    void attackerTextCannotEscapeTheName()
    {
        // Terminal escapes, direction overrides and newlines in a prompt do not reach the name raw.
        const auto n = templatename::of({}, "Explain \x1b[2J this \xe2\x80\xae reversed\nplease");
        QVERIFY(!n.words.contains(QChar(0x1b)));
        QVERIFY(!n.words.contains(QChar(0x202e)));
        QVERIFY(!n.words.contains(QLatin1Char('\n')));
    }

    void networkNamedByWhatItDoes()
    {
        networkname::CategoryCounts c{};
        c[static_cast<std::size_t>(TaskCategory::Coding)] = 70;
        c[static_cast<std::size_t>(TaskCategory::Other)] = 30;
        QCOMPARE(networkname::describe(c, 60), QStringLiteral("coding harvest, 60 accounts"));
        QCOMPARE(networkname::describe(c, 1), QStringLiteral("coding harvest, 1 account"));
        c = {};
        c[static_cast<std::size_t>(TaskCategory::Maths)] = 40;
        c[static_cast<std::size_t>(TaskCategory::Reasoning)] = 35;
        c[static_cast<std::size_t>(TaskCategory::Chat)] = 25;
        QCOMPARE(networkname::whatItDoes(c), QStringLiteral("maths and reasoning harvest"));
        c = {};
        c[static_cast<std::size_t>(TaskCategory::Other)] = 60;
        c[static_cast<std::size_t>(TaskCategory::Writing)] = 40;
        QCOMPARE(networkname::whatItDoes(c), QStringLiteral("mixed-task harvest"));
        QCOMPARE(networkname::whatItDoes({}), QStringLiteral("mixed-task harvest"));
        templatename::TemplateName t;
        t.words = QStringLiteral("“solve: # … show your work.”");
        t.fingerprint = QStringLiteral("ds-skeleton-v1:0123456789abcdef");
        c = {};
        c[static_cast<std::size_t>(TaskCategory::Agentic)] = 9;
        QCOMPARE(networkname::label(3, c, 12, t), QStringLiteral("N-3: agent-task harvest, 12 accounts; template “solve: # … show your work.”"));
        QCOMPARE(networkname::label(3, c, 12, {}), QStringLiteral("N-3: agent-task harvest, 12 accounts"));
    }
};

QTEST_GUILESS_MAIN(TestNames)
#include "tst_names.moc"
