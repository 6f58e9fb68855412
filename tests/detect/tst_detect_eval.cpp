#include "detect/Evaluation.h"

#include <QJsonArray>
#include <QtTest>

using namespace ds;

// The figures of `eval`: precision/recall, purity, adjusted Rand index, hard negatives.
class TestDetectEval : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void adjustedRand()
    {
        QCOMPARE(adjustedRandIndex({0, 0, 1, 1}, {5, 5, 7, 7}), 1.0);
        // Every item alone against two groups: no agreement beyond chance.
        QVERIFY(std::abs(adjustedRandIndex({0, 0, 1, 1}, {0, 1, 2, 3})) < 1e-12);
        // Textbook example (Hubert & Arabie style): partial agreement lies strictly between.
        const double ari = adjustedRandIndex({0, 0, 0, 1, 1, 1}, {0, 0, 1, 1, 2, 2});
        QVERIFY(ari > 0 && ari < 1);
        QVERIFY(std::abs(ari - 0.24242424242424243) < 1e-9);
    }

    void figures()
    {
        std::map<QString, TruthRow> truth = {
            {QStringLiteral("a1"), {QStringLiteral("attacker"), QStringLiteral("c1"), QStringLiteral("hydra-worker")}},
            {QStringLiteral("a2"), {QStringLiteral("attacker"), QStringLiteral("c1"), QStringLiteral("hydra-worker")}},
            {QStringLiteral("a3"), {QStringLiteral("attacker"), QStringLiteral("c2"), QStringLiteral("hydra-worker")}},
            {QStringLiteral("b1"), {QStringLiteral("benign"), QString(), QStringLiteral("casual")}},
            {QStringLiteral("b2"), {QStringLiteral("benign"), QString(), QStringLiteral("evaluator")}},
        };
        auto acc = [](const char* id, bool flagged, const char* cluster) {
            return QJsonObject{{QStringLiteral("account_id"), QLatin1String(id)},
                               {QStringLiteral("flagged"), flagged},
                               {QStringLiteral("cluster"), cluster ? QJsonValue(QLatin1String(cluster)) : QJsonValue()}};
        };
        const QJsonObject results{{QStringLiteral("accounts"),
                                   QJsonArray{acc("a1", true, "N-1"), acc("a2", true, "N-1"), acc("a3", false, nullptr),
                                              acc("b1", false, nullptr), acc("b2", true, "N-1")}}};
        const EvaluationReport r = evaluate(truth, results);
        QCOMPARE(r.truePositives, std::int64_t(2));
        QCOMPARE(r.falsePositives, std::int64_t(1));
        QCOMPARE(r.falseNegatives, std::int64_t(1));
        QCOMPARE(r.precision, 2.0 / 3.0);
        QCOMPARE(r.recall, 2.0 / 3.0);
        QCOMPARE(r.purity, 2.0 / 3.0);
        QCOMPARE(r.hardNegativesFlagged, std::int64_t(1));
        QCOMPARE(r.campaignRecall.at(QStringLiteral("c1")).first, std::int64_t(2));
        QCOMPARE(r.campaignRecall.at(QStringLiteral("c2")).first, std::int64_t(0));
        QCOMPARE(r.campaignClusters.at(QStringLiteral("c1")), QStringList{QStringLiteral("N-1")});
        QCOMPARE(r.adjustedRand, 1.0); // c1 together in N-1, c2's account alone
        QVERIFY(r.toText().contains(QLatin1String("hard-negative accounts flagged: 1")));
        QCOMPARE(r.toJson().value(QStringLiteral("false_positives")).toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(TestDetectEval)
#include "tst_detect_eval.moc"
