// Candidate choice from the triage's aggregate rows: who is pulled, why, the accounts linked to them, the row budget,
// and the readers of the server's rows. Pure: no server.
#include "remote/TriageRows.h"
#include "remote/TriageSelect.h"

#include <QtTest>

using namespace ds;

namespace {

// An ordinary developer: answers about as long as its contexts, some coding tasks.
TriageAccount developer(const QString& id)
{
    TriageAccount a;
    a.account = id;
    a.requests = 180;
    a.outputKnown = 180;
    a.outputTokens = 180 * 650;
    a.inputTokens = 180 * 380;
    a.taskShaped = 55;
    a.taskOutputKnown = 55;
    a.taskOutput = 55 * 680;
    a.taskInput = 55 * 400;
    a.networks = 2;
    a.ips = 2;
    a.firstSeen = 1'770'000'000;
    return a;
}

// A careful harvester: long worked answers to short tasks, half its traffic task-shaped.
TriageAccount harvester(const QString& id)
{
    TriageAccount a = developer(id);
    a.requests = 110;
    a.outputKnown = 110;
    a.outputTokens = 110 * 920;
    a.inputTokens = 110 * 150;
    a.taskShaped = 55;
    a.taskOutputKnown = 55;
    a.taskOutput = 55 * 1300;
    a.taskInput = 55 * 140;
    a.reasoningDemand = 3;
    return a;
}

SharedValue sharedIp(std::uint64_t v, const QStringList& members, std::int64_t count = -1)
{
    SharedValue s;
    s.kind = SharedKind::Ip;
    s.value = v;
    s.members = members;
    s.accounts = count < 0 ? members.size() : count;
    return s;
}

std::uint32_t whyOf(const TriageSelection& sel, const QString& id)
{
    for (const TriageChoice& c : sel.pulled)
        if (c.account == id)
            return c.why;
    return 0;
}

} // namespace

class TestRemoteTriageSelect : public QObject
{
    Q_OBJECT

private slots:
    void harvesterIsPulledDeveloperIsNot()
    {
        const std::vector<TriageAccount> accounts = {developer(QStringLiteral("dev")), harvester(QStringLiteral("h"))};
        const TriageSelection sel = selectCandidates(accounts, {}, {}, 2000, TriageSettings{});
        QCOMPARE(sel.accounts(), QStringList{QStringLiteral("h")});
        QVERIFY(whyOf(sel, QStringLiteral("h")) & WhyOutputProfile);
        QVERIFY(whyOf(sel, QStringLiteral("h")) & WhyTaskProfile);
        QCOMPARE(sel.rowsPulled, 110);
        QCOMPARE(sel.candidates, 1);
    }

    void paraphrasedHarvesterStillPulled()
    {
        // Not one marker phrase matches (a careful adversary rewords every wrapper): output and volume carry it.
        TriageAccount h = harvester(QStringLiteral("quiet"));
        h.taskShaped = h.taskOutput = h.taskInput = h.taskOutputKnown = h.reasoningDemand = 0;
        const TriageChoice c = scoreAccount(h, 0, false, {}, TriageSettings{});
        QVERIFY2(c.score >= TriageSettings{}.candidateMin, qPrintable(QString::number(c.score)));
        QVERIFY(c.why & WhyOutputProfile);
        QVERIFY(!(c.why & WhyTaskProfile));
    }

    void wordingAloneIsNotEnough()
    {
        // Every request asks for step-by-step reasoning, but the answers are short (a homework helper, a grader).
        TriageAccount a = developer(QStringLiteral("wordy"));
        a.taskShaped = a.requests;
        a.reasoningDemand = a.requests;
        a.taskOutputKnown = a.requests;
        a.taskOutput = a.requests * 240;
        a.taskInput = a.requests * 120;
        a.outputTokens = a.requests * 240;
        a.inputTokens = a.requests * 120;
        QVERIFY(scoreAccount(a, 0, false, {}, TriageSettings{}).score < TriageSettings{}.candidateMin);
    }

    void infrastructureAndAgeCount()
    {
        // Moderate output: under the line alone, over it with a young account sharing rare addresses and a
        // template other accounts use.
        TriageAccount a = developer(QStringLiteral("hydra"));
        a.outputTokens = a.requests * 620;
        a.inputTokens = a.requests * 300;
        a.networks = 6;
        a.topHead = a.requests;
        const TriageSettings s;
        QVERIFY(scoreAccount(a, 0, false, {}, s).score < s.candidateMin);
        TriageAccountInfo young;
        young.createdAtMs = a.firstSeen * 1000 - 3'600'000;
        const TriageChoice c = scoreAccount(a, 6, true, young, s);
        QVERIFY2(c.score >= s.candidateMin, qPrintable(QString::number(c.score)));
        QVERIFY(c.why & WhyInfrastructure);
        QVERIFY(c.why & WhyTemplate);
    }

    void linkedAccountsComeAlong()
    {
        const std::vector<TriageAccount> accounts = {harvester(QStringLiteral("h")), developer(QStringLiteral("peer")),
                                                     developer(QStringLiteral("crowd")), developer(QStringLiteral("far")),
                                                     developer(QStringLiteral("pay"))};
        std::vector<SharedValue> shared = {sharedIp(1, {QStringLiteral("h"), QStringLiteral("peer")}),
                                           // A one-request account (no aggregate row) on the harvester's network.
                                           sharedIp(4, {QStringLiteral("h"), QStringLiteral("tiny")}),
                                           // A carrier NAT: too many accounts to link anyone.
                                           sharedIp(2, {QStringLiteral("h"), QStringLiteral("crowd")}, 26)};
        SharedValue ua;
        ua.kind = SharedKind::UserAgent;
        ua.value = 3;
        ua.members = {QStringLiteral("h"), QStringLiteral("far")};
        ua.accounts = 2;
        shared.push_back(ua); // user agents count as sharing, never as links
        QHash<QString, TriageAccountInfo> info;
        info[QStringLiteral("h")].payment = 7;
        info[QStringLiteral("pay")].payment = 7;
        info[QStringLiteral("far")].payment = 8;
        const TriageSelection sel = selectCandidates(accounts, shared, info, 10'000, TriageSettings{});
        QCOMPARE(sel.accounts(), (QStringList{QStringLiteral("h"), QStringLiteral("pay"), QStringLiteral("peer"),
                                              QStringLiteral("tiny")}));
        QVERIFY(whyOf(sel, QStringLiteral("peer")) & WhyLinked);
        QVERIFY(whyOf(sel, QStringLiteral("tiny")) & WhyLinked);
        QCOMPARE(sel.pulled.back().requests, TriageSettings{}.minRequests - 1);
        QVERIFY(whyOf(sel, QStringLiteral("pay")) & WhyLinked);
        QVERIFY(!(whyOf(sel, QStringLiteral("h")) & WhyLinked));
        QCOMPARE(sel.linked, 3);
    }

    void templateAndCohortLinksNeedAProfile()
    {
        // Under the candidate line but with answers long against their prompts: a careful harvester's smaller account.
        TriageAccount small = harvester(QStringLiteral("small"));
        small.requests = small.outputKnown = 26;
        small.outputTokens = 26 * 600;
        small.inputTokens = 26 * 170;
        small.taskShaped = small.taskOutputKnown = 5;
        // An agentic power user: long answers, far longer contexts.
        TriageAccount agent = developer(QStringLiteral("agent"));
        agent.outputTokens = agent.requests * 1300;
        agent.inputTokens = agent.requests * 4300;
        const TriageSettings s;
        QVERIFY(scoreAccount(small, 0, false, {}, s).score < s.candidateMin);
        QVERIFY(scoreAccount(small, 0, false, {}, s).score >= s.linkedMinScore);
        SharedValue head;
        head.kind = SharedKind::TemplateHead;
        head.value = 9;
        head.members = {QStringLiteral("h"), QStringLiteral("small"), QStringLiteral("agent"), QStringLiteral("dev")};
        head.accounts = 4;
        const std::vector<TriageAccount> accounts = {harvester(QStringLiteral("h")), small, agent, developer(QStringLiteral("dev"))};
        TriageSelection sel = selectCandidates(accounts, {head}, {}, 100'000, s);
        QCOMPARE(sel.accounts(), (QStringList{QStringLiteral("h"), QStringLiteral("small")}));

        // The same account without the template, beginning on the third day within an hour of three candidates.
        std::vector<TriageAccount> batch;
        for (int i = 0; i < 3; ++i) {
            TriageAccount h = harvester(QStringLiteral("h%1").arg(i));
            h.firstSeen = 1'770'000'000 + 2 * 86'400 + i * 600;
            batch.push_back(h);
        }
        TriageAccount early = developer(QStringLiteral("early")); // the population already active: sets the start
        batch.push_back(early);
        small.firstSeen = 1'770'000'000 + 2 * 86'400 + 1800;
        batch.push_back(small);
        sel = selectCandidates(batch, {}, {}, 100'000, s);
        QVERIFY(sel.accounts().contains(QStringLiteral("small")));
        QVERIFY(whyOf(sel, QStringLiteral("small")) & WhyCohort);
        QVERIFY(!sel.accounts().contains(QStringLiteral("early")));
        // Beginning with the data, it is no cohort.
        batch.back().firstSeen = early.firstSeen;
        QVERIFY(!selectCandidates(batch, {}, {}, 100'000, s).accounts().contains(QStringLiteral("small")));
    }

    void budgetKeepsTheStrongest()
    {
        TriageAccount strong = harvester(QStringLiteral("strong"));
        strong.outputTokens *= 2;
        TriageAccount weak = harvester(QStringLiteral("weak"));
        weak.outputTokens = weak.outputTokens * 7 / 10;
        weak.taskOutput = weak.taskOutput * 7 / 10;
        const std::vector<TriageAccount> accounts = {weak, strong, developer(QStringLiteral("d"))};
        TriageSettings s;
        s.rowBudgetShare = 0.5;
        const TriageSelection sel = selectCandidates(accounts, {}, {}, 300, s); // budget 150 rows: one harvester
        QCOMPARE(sel.accounts(), QStringList{QStringLiteral("strong")});
        QCOMPARE(sel.droppedCandidates, 1);
        QCOMPARE(sel.candidates, 2);
    }

    void readsTheServersRows()
    {
        const QByteArray agg = "{\"account\":\"a'1\",\"requests\":\"12\",\"output_tokens\":\"900\",\"input_tokens\":\"300\",\"output_known\":\"12\",\"first_seen\":\"1770000000\",\"last_seen\":\"1770003600\",\"active_days\":\"1\",\"ips\":\"2\",\"networks\":\"1\",\"user_agents\":\"1\",\"reasoning_demand\":\"3\",\"grading\":\"0\",\"long_ask\":\"1\",\"rewrite\":\"0\",\"task_shaped\":\"4\",\"task_output\":\"500\",\"task_input\":\"100\",\"task_output_known\":\"4\",\"max_tokens_hits\":\"1\",\"stop_known\":\"12\"}\n"
                               "{\"account\":\"b\",\"requests\":5,\"output_tokens\":1,\"input_tokens\":1,\"output_known\":1,\"first_seen\":1,\"last_seen\":1,\"active_days\":1,\"ips\":0,\"networks\":0,\"user_agents\":0,\"reasoning_demand\":0,\"grading\":0,\"long_ask\":0,\"rewrite\":0,\"task_shaped\":0,\"task_output\":0,\"task_input\":0,\"task_output_known\":0,\"max_tokens_hits\":0,\"stop_known\":0}\n";
        std::vector<TriageAccount> rows = parseAccountAggregates(agg);
        QCOMPARE(rows.size(), size_t(2));
        QCOMPARE(rows[0].account, QStringLiteral("a'1"));
        QCOMPARE(rows[0].requests, 12);
        QCOMPARE(rows[0].reasoningDemand, 3);
        QCOMPARE(rows[1].requests, 5);
        mergeTemplateShares(rows, "{\"account\":\"a'1\",\"requests\":\"12\",\"top_head\":\"9\",\"top_tail\":\"2\"}");
        QCOMPARE(rows[0].topHead, 9);
        QCOMPARE(rows[1].topHead, 0);
        const std::vector<SharedValue> shared =
            parseSharedValues("{\"kind\":2,\"value\":\"18446744073709551615\",\"accounts\":\"2\",\"members\":[\"a'1\",\"b\"]}");
        QCOMPARE(shared.size(), size_t(1));
        QCOMPARE(shared[0].kind, SharedKind::Network);
        QCOMPARE(shared[0].value, std::numeric_limits<std::uint64_t>::max());
        QCOMPARE(shared[0].members, (QStringList{QStringLiteral("a'1"), QStringLiteral("b")}));
        QVERIFY_THROWS_EXCEPTION(TriageFormatError, parseAccountAggregates("Code: 60. DB::Exception: Table x doesn't exist"));
        QVERIFY_THROWS_EXCEPTION(TriageFormatError, parseAccountAggregates("{\"account\":\"a\"}"));
        QVERIFY_THROWS_EXCEPTION(TriageFormatError, parseSharedValues("{\"kind\":9,\"value\":\"1\",\"accounts\":\"2\",\"members\":[]}"));
    }
};

QTEST_GUILESS_MAIN(TestRemoteTriageSelect)
#include "tst_remote_triage_select.moc"
