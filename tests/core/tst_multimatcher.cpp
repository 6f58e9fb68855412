#include "core/MultiMatcher.h"

#include <QTest>

#include <random>
#include <string>

using namespace ds;

// The one-pass phrase matcher agrees with plain substring search.
class TestMultiMatcher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void findsOverlappingPhrasesIgnoringCase()
    {
        const MultiMatcher m({"step by step", "step", "by step", "he", "she", "hers", "```", "[[rating]]"});
        const auto hits = m.match("SHE said: think STEP BY STEP, then give [[Rating]] ```x");
        for (size_t i : {0, 1, 2, 3, 4, 6, 7})
            QVERIFY2(hits.test(i), qPrintable(QString::number(i)));
        QVERIFY(!hits.test(5));
        QVERIFY(m.match("").none());
    }

    void agreesWithSubstringSearchOnRandomText()
    {
        const std::vector<std::string_view> phrases = {"ab", "abc", "bca", "caab", "a", "cc", "bbb", "ca b", "a.c"};
        const MultiMatcher m(phrases);
        std::mt19937 rng(7);
        const std::string alphabet = "abcAB .";
        for (int round = 0; round < 2000; ++round) {
            std::string text;
            // Short texts take one walk, long ones two interleaved walks over the halves.
            const int len = static_cast<int>(rng() % (round % 2 ? 40 : 400));
            for (int i = 0; i < len; ++i)
                text += alphabet[rng() % alphabet.size()];
            std::string lowered = text;
            for (char& c : lowered)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            const auto hits = m.match(text);
            for (size_t i = 0; i < phrases.size(); ++i)
                QCOMPARE(hits.test(i), lowered.find(phrases[i]) != std::string::npos);
        }
    }

    void findsAPhraseAtEveryOffsetOfALongText()
    {
        // Long texts are walked in two halves: a phrase across the middle, at
        // either end or alone must still be found, and nothing else.
        const std::vector<std::string_view> phrases = {"chain of thought", "x"};
        const MultiMatcher m(phrases);
        const std::string filler(301, '.');
        for (std::size_t at = 0; at + phrases[0].size() <= filler.size(); ++at) {
            std::string text = filler;
            text.replace(at, phrases[0].size(), "Chain Of Thought");
            const auto hits = m.match(text);
            QVERIFY2(hits.test(0), qPrintable(QString::number(at)));
            QVERIFY(!hits.test(1));
        }
        QVERIFY(m.match(filler).none());
    }
};

QTEST_GUILESS_MAIN(TestMultiMatcher)
#include "tst_multimatcher.moc"
