#include "TestSupport.h"

#include "sim/SimCorpus.h"
#include "sim/SimScenario.h"
#include "sim/SimTemplate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace ds;

// Scenario descriptions: built-ins load, every knob round-trips through JSON,
// mistakes are reported, scaling keeps every role; the embedded corpora parse.
class TestSimScenario : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void builtinsLoadWithTheReportedCampaignShares_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString& n : SimScenario::builtinNames())
            QTest::newRow(qPrintable(n)) << n;
    }
    void builtinsLoadWithTheReportedCampaignShares()
    {
        QFETCH(QString, name);
        QString error;
        const SimScenario s = SimScenario::load(name, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(s.name, name);
        if (!s.adversaries.empty()) {
            // The careful adversary's scenario has no template-sharing campaigns, only the adversary.
            QVERIFY(s.campaigns.empty());
            QVERIFY(s.adversaries.front().accounts >= 100);
            QVERIFY(s.benign.classroom.classes > 0 && s.benign.homework.accounts > 0 && s.benign.powerUser.accounts > 0);
            return;
        }
        QCOMPARE(s.campaigns.size(), std::size_t(3));
        double total = 0;
        for (const SimCampaignConfig& c : s.campaigns)
            total += static_cast<double>(c.requests);
        QVERIFY(total > 0);
        const double reasoning = s.campaigns[0].requests / total, agentic = s.campaigns[1].requests / total,
                     coding = s.campaigns[2].requests / total;
        QCOMPARE(s.campaigns[0].kind, QStringLiteral("reasoning"));
        QCOMPARE(s.campaigns[2].kind, QStringLiteral("coding"));
        QVERIFY2(reasoning > 0.005 && reasoning < 0.02, qPrintable(QString::number(reasoning)));
        QVERIFY2(agentic > 0.15 && agentic < 0.25, qPrintable(QString::number(agentic)));
        QVERIFY2(coding > 0.74 && coding < 0.84, qPrintable(QString::number(coding)));
        QVERIFY(s.campaigns[2].chaseShare > 0.3);
        QVERIFY(s.releaseDay > 0 && s.releaseDay < s.days);
    }

    void everyKnobRoundTripsThroughJson()
    {
        QString error;
        const SimScenario s = SimScenario::load(QStringLiteral("demo"), &error);
        QVERIFY(error.isEmpty());
        const QJsonObject printed = s.toJson();
        const SimScenario back = SimScenario::fromJson(printed, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(back.toJson(), printed);
        // The printed form really carries the knobs a user edits.
        const QJsonObject coding = printed.value(QStringLiteral("campaigns")).toArray().at(2).toObject();
        for (const char* key : {"accounts", "requests", "workers", "rate_limit_rpm", "camouflage_share", "chase_share",
                                "residential_pool", "payment_groups", "templates", "user_agents", "burst_size"})
            QVERIFY2(coding.contains(QLatin1String(key)), key);
        QVERIFY(printed.value(QStringLiteral("benign")).toObject().contains(QStringLiteral("enterprise_batch")));
    }

    void editedKnobsTakeEffect()
    {
        QString error;
        QJsonObject o = SimScenario::load(QStringLiteral("tiny"), &error).toJson();
        QJsonArray campaigns = o.value(QStringLiteral("campaigns")).toArray();
        QJsonObject c = campaigns.at(1).toObject();
        c.insert(QStringLiteral("camouflage_share"), 0.5);
        c.insert(QStringLiteral("accounts"), 77);
        campaigns.replace(1, c);
        o.insert(QStringLiteral("campaigns"), campaigns);
        const SimScenario s = SimScenario::fromJson(o, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(s.campaigns[1].camouflageShare, 0.5);
        QCOMPARE(s.campaigns[1].accounts, 77);
    }

    void mistakesAreReported_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown key") << QByteArray(R"({"dayz": 3})") << QStringLiteral("dayz");
        QTest::newRow("unknown nested key") << QByteArray(R"({"benign": {"casual": {"acounts": 3}}})") << QStringLiteral("acounts");
        QTest::newRow("wrong type") << QByteArray(R"({"days": "three"})") << QStringLiteral("days");
        QTest::newRow("inverted range") << QByteArray(R"({"benign": {"casual": {"local_hours": [20, 8]}}})") << QStringLiteral("local_hours");
        QTest::newRow("unknown kind") << QByteArray(R"({"campaigns": [{"kind": "phishing"}]})") << QStringLiteral("kind");
        QTest::newRow("campaign past the end") << QByteArray(R"({"days": 3, "campaigns": [{"kind": "coding", "end_day": 9}]})")
                                               << QStringLiteral("end_day");
        QTest::newRow("bad start") << QByteArray(R"({"start": "yesterday"})") << QStringLiteral("start");
    }
    void mistakesAreReported()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, mentions);
        QString error;
        SimScenario::fromJson(QJsonDocument::fromJson(json).object(), &error);
        QVERIFY2(error.contains(mentions), qPrintable(error));
    }

    void unknownScenarioNameIsAnError()
    {
        QString error;
        SimScenario::load(QStringLiteral("no-such-scenario"), &error);
        QVERIFY(error.contains(QStringLiteral("tiny")));
    }

    void scalingKeepsEveryRole()
    {
        QString error;
        SimScenario s = SimScenario::load(QStringLiteral("tiny"), &error);
        s.applyScale(0.01);
        QVERIFY(s.benign.casual.accounts >= 1 && s.benign.developer.accounts >= 1);
        QVERIFY(s.benign.batch.accounts >= 1 && s.benign.evaluator.accounts >= 1);
        QVERIFY(s.benign.nat.groups >= 1 && s.benign.reseller.customersPerReseller >= 1);
        for (const SimCampaignConfig& c : s.campaigns) {
            QVERIFY(c.accounts >= 2 && c.workers >= 1 && c.workers <= c.accounts);
            QVERIFY(c.requests >= c.accounts);
        }
        SimScenario big = SimScenario::load(QStringLiteral("demo"), &error);
        const auto before = big.campaigns[2].requests;
        big.applyScale(2);
        QCOMPARE(big.campaigns[2].requests, before * 2);
    }

    void templatesFillOnlyTheirSlots()
    {
        std::string out;
        simFillTemplate(out, "Solve {task} and put it in \\boxed{} or {\"json\": 1}; {unknown_slot}.",
                        [](std::string_view slot, std::string& o) { o += slot == "task" ? "2+2" : "?"; });
        QCOMPARE(QString::fromStdString(out), QStringLiteral("Solve 2+2 and put it in \\boxed{} or {\"json\": 1}; ?."));
        QVERIFY(simHasSlot("a {task} b", "task"));
        QVERIFY(!simHasSlot("a {tasks} b", "task"));
    }

    void embeddedCorporaParse()
    {
        QString error;
        const SimCorpus* c = SimCorpus::shared(&error);
        QVERIFY2(c, qPrintable(error));
        QVERIFY(c->gsm8k.size() == 7473);
        QVERIFY(c->humaneval.size() == 164);
        QVERIFY(c->codegen.size() == 4535);
        QVERIFY(c->selfInstruct.size() == 175 + 252);
        QVERIFY(c->judges.size() == 8);
        QVERIFY(c->tools.size() > 200);
        QVERIFY(c->browserAgents.size() == 100);
        QVERIFY(c->chat.size() > 1000 && c->devQuestions.size() > 50);
        QFile attribution(QStringLiteral(":/sim/corpora/ATTRIBUTION.md"));
        QVERIFY(attribution.open(QIODevice::ReadOnly));
        QVERIFY(attribution.readAll().contains("3101c7d5"));
    }
};

QTEST_GUILESS_MAIN(TestSimScenario)
#include "tst_simscenario.moc"
