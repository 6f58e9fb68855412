#include "TestSupport.h"
#include "core/Timestamp.h"
#include "sim/SimAdversary.h"
#include "sim/SimCorpus.h"
#include "sim/SimGenerator.h"
#include "sim/SimScenario.h"
#include "text/CorpusSplit.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>
#include <algorithm>
#include <map>
#include <set>

using namespace ds;

namespace {

struct Rec
{
    std::int64_t ts;
    QString account, ip, ua, system, prompt;
    int tools, completion, maxTokens, latency;
};

struct Truth
{
    QString label, campaign, role;
};

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

// The `adversarial` scenario (issue 13) at a quarter of its size: the careful adversary's habits (aged accounts with
// their own infrastructure, a wrapper per account, raw tasks, camouflage, human pacing, tasks sampled by a few
// accounts, Heldout tasks only) and its hard negatives' shapes, checked on the generated files.
class TestSimAdversary : public QObject
{
    Q_OBJECT

private:
    test::ScratchDir m_dir;
    SimScenario m_s;
    SimSummary m_sum;
    std::vector<Rec> m_recs;
    QHash<QString, Truth> m_truth;
    QHash<QString, QStringList> m_accounts; // account_id -> accounts.csv fields

    static SimSummary generate(const SimScenario& s, const QString& dir, std::uint64_t seed)
    {
        SimOptions o;
        o.outDir = dir;
        o.seed = seed;
        CancelToken cancel;
        return SimGenerator::run(s, o, cancel);
    }

    bool isAdversary(const QString& account) const { return m_truth.value(account).label == QLatin1String("attacker"); }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        m_s = SimScenario::load(QStringLiteral("adversarial"), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_s.applyScale(0.25);
        m_sum = generate(m_s, m_dir.path(), 11);
        QVERIFY2(m_sum.error.isEmpty(), qPrintable(m_sum.error));
        for (const QByteArray& line : test::csvDataLines(m_dir.file(QStringLiteral("truth.csv")))) {
            const QList<QByteArray> f = line.split(',');
            m_truth.insert(QString::fromUtf8(f[0]),
                           { QString::fromUtf8(f[1]), QString::fromUtf8(f[2]), QString::fromUtf8(f[3]) });
        }
        for (const QByteArray& line : test::csvDataLines(m_dir.file(QStringLiteral("accounts.csv")))) {
            QStringList f;
            for (const QByteArray& x : line.split(','))
                f << QString::fromUtf8(x);
            m_accounts.insert(f[0], f);
        }
        const QByteArray data = simGunzip(readAll(m_dir.file(QStringLiteral("requests.jsonl.gz"))));
        for (const QByteArray& line : data.split('\n')) {
            if (line.isEmpty())
                continue;
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            m_recs.push_back(
                { *timestamp::parseAny(o.value(QStringLiteral("timestamp")).toString().toStdString()),
                  o.value(QStringLiteral("account_id")).toString(), o.value(QStringLiteral("ip")).toString(),
                  o.value(QStringLiteral("user_agent")).toString(), o.value(QStringLiteral("system_prompt")).toString(),
                  o.value(QStringLiteral("prompt")).toString(),
                  static_cast<int>(o.value(QStringLiteral("tools")).toArray().size()),
                  o.value(QStringLiteral("completion_tokens")).toInt(), o.value(QStringLiteral("max_tokens")).toInt(),
                  o.value(QStringLiteral("latency_ms")).toInt() });
        }
        QCOMPARE(static_cast<qint64>(m_recs.size()), static_cast<qint64>(m_sum.requests));
    }

    void rolesArePresent()
    {
        for (const char* role : { "attacker/adversary", "attacker/adversary-reseller", "benign/student",
                                  "benign/homework", "benign/power-user", "benign/casual", "benign/developer",
                                  "benign/nat-user", "benign/reseller-customer" })
            QVERIFY2(m_sum.byRole.count(role) && m_sum.byRole.at(role).accounts > 0, role);
        QVERIFY(m_sum.byRole.at("attacker/adversary").accounts + m_sum.byRole.at("attacker/adversary-reseller").accounts
                >= 60);
    }

    // Bought aged and verified, its own card and free-mail address, a few residential lines, a common agent.
    void accountsAreAgedAndUnshared()
    {
        QHash<QString, QSet<QString>> ips;
        QHash<QString, QSet<QString>> agents;
        QHash<QString, std::int64_t> first;
        for (const Rec& r : m_recs) {
            ips[r.account].insert(r.ip);
            agents[r.account].insert(r.ua);
            first[r.account] = first.contains(r.account) ? std::min(first[r.account], r.ts) : r.ts;
        }
        QHash<QString, int> payments;
        for (auto it = m_truth.begin(); it != m_truth.end(); ++it)
            if (it->role == QLatin1String("adversary"))
                ++payments[m_accounts.value(it.key()).value(3)];
        for (auto it = m_truth.begin(); it != m_truth.end(); ++it) {
            if (it->label != QLatin1String("attacker"))
                continue;
            const QStringList& a = m_accounts.value(it.key());
            const std::int64_t created = *timestamp::parseAny(a.value(1).toStdString());
            const double ageDays = static_cast<double>(first.value(it.key()) - created) / 86400000.0;
            QVERIFY2(ageDays >= 29.9 && ageDays <= 402, qPrintable(it.key()));
            QCOMPARE(a.value(7), QStringLiteral("true"));
            QVERIFY2(QStringList({ "gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "proton.me", "icloud.com",
                                   "gmx.net", "fastmail.com" })
                         .contains(a.value(2)),
                     qPrintable(a.value(2)));
            QCOMPARE(agents.value(it.key()).size(), 1);
            if (it->role == QLatin1String("adversary")) {
                QCOMPARE(payments.value(a.value(3)), 1);
                QVERIFY(ips.value(it.key()).size() <= 3);
            } else {
                QCOMPARE(a.value(5).isEmpty(), false); // the reseller's org
            }
        }
    }

    // No system prompt; a third of the tasks raw; 40 % camouflage; 50-150 requests per account; human pacing.
    void habits()
    {
        QHash<QString, std::vector<const Rec*>> by;
        for (const Rec& r : m_recs)
            if (isAdversary(r.account))
                by[r.account].push_back(&r);
        int withSystem = 0, total = 0, over150 = 0, tooFast = 0, gaps = 0;
        std::map<std::int64_t, int> perDay;
        int busiestDay = 0;
        for (auto it = by.begin(); it != by.end(); ++it) {
            total += static_cast<int>(it->size());
            over150 += it->size() > 150;
            std::map<std::int64_t, int> days;
            for (std::size_t i = 0; i < it->size(); ++i) {
                withSystem += !(*it)[i]->system.isEmpty();
                busiestDay = std::max(busiestDay, ++days[(*it)[i]->ts / 86400000]);
                if (i > 0) {
                    ++gaps;
                    // The next prompt comes after the answer was read.
                    tooFast += (*it)[i]->ts - (*it)[i - 1]->ts < (*it)[i - 1]->latency + 5000;
                }
            }
        }
        QCOMPARE(withSystem, 0);
        QCOMPARE(over150, 0);
        QCOMPARE(tooFast, 0);
        QVERIFY2(busiestDay <= 120, qPrintable(QString::number(busiestDay)));
        QVERIFY(total / by.size() >= 40 && total / by.size() <= 110);
    }

    // Every task sampled by two or three accounts, all drawn from the Heldout part of the corpora; maths tasks
    // found by their corpus question inside prompts of every wrapper.
    void tasksAreHeldoutAndSampledByFewAccounts()
    {
        QString error;
        const SimCorpus* corpus = SimCorpus::shared(&error);
        QVERIFY(corpus);
        QHash<QString, QSet<QString>> askers;
        QSet<QString> heldout;
        for (const SimCorpus::MathTask& t : corpus->gsm8k)
            if (corpusSplit(t.question) == CorpusPart::Heldout)
                heldout.insert(QString::fromStdString(t.question));
        int trainTasks = 0;
        // Index prompts by their maths question: the task text is a whole paragraph of the prompt.
        QHash<QString, const SimCorpus::MathTask*> byQuestion;
        for (const SimCorpus::MathTask& t : corpus->gsm8k)
            byQuestion.insert(QString::fromStdString(t.question), &t);
        for (const Rec& r : m_recs) {
            if (!isAdversary(r.account))
                continue;
            for (const QString& para : r.prompt.split(QStringLiteral("\n"))) {
                QString q = para;
                if (q.startsWith(QStringLiteral("Question: ")))
                    q = q.mid(10);
                if (!byQuestion.contains(q))
                    continue;
                askers[q].insert(r.account);
                trainTasks += !heldout.contains(q);
            }
        }
        QCOMPARE(trainTasks, 0);
        QVERIFY(askers.size() > 200);
        std::map<int, int> histogram;
        for (const QSet<QString>& a : std::as_const(askers))
            ++histogram[static_cast<int>(a.size())];
        int twoOrThree = histogram[2] + histogram[3];
        qInfo() << "accounts per maths task:" << histogram;
        QVERIFY2(twoOrThree * 10 >= static_cast<int>(askers.size()) * 8, "most tasks are asked by 2-3 accounts");
    }

    // Each account its own wrapper: far more variants than accounts, drawn ones distinct, the task intact inside.
    void wrappersDifferPerAccount()
    {
        QVERIFY(SimAdversaryTasks::styleVariants() > 1e6);
        SimRng rng(5);
        std::set<std::string> seen;
        for (int i = 0; i < 300; ++i) {
            const SimWrapperStyle s = SimAdversaryTasks::drawStyle(rng);
            seen.insert(s.opener + '|' + s.reasoningAsk + '|' + s.formatAsk + '|' + std::to_string(s.arrangement));
        }
        QVERIFY(seen.size() >= 298);
        QString error;
        const SimAdversaryTasks tasks(*SimCorpus::shared(&error));
        for (const SimTaskFamily f :
             { SimTaskFamily::Maths, SimTaskFamily::Grading, SimTaskFamily::Rewrite, SimTaskFamily::ToolUse,
               SimTaskFamily::CodeFunction, SimTaskFamily::CodeFeature }) {
            QVERIFY(tasks.poolSize(f) > 20);
            const SimAdversaryTask t { f, 17 };
            std::string text;
            tasks.taskText(t, text, nullptr);
            SimRequest raw, wrapped;
            tasks.fill(t, nullptr, rng, raw);
            const SimWrapperStyle style = SimAdversaryTasks::drawStyle(rng);
            tasks.fill(t, &style, rng, wrapped);
            QCOMPARE(raw.prompt, text);
            QVERIFY(wrapped.prompt.find(text) != std::string::npos);
            QVERIFY(wrapped.prompt.size() > text.size() + 20);
        }
    }

    // The class works the same exercises behind one NAT; homework askers ask for steps; power users run agents.
    void hardNegativeShapes()
    {
        QHash<QString, QSet<QString>> ipsByRole;
        QSet<QString> exercisesAsked;
        int students = 0, powerTools = 0, power = 0, powerLong = 0, homework = 0, homeworkSteps = 0;
        for (const Rec& r : m_recs) {
            const QString role = m_truth.value(r.account).role;
            ipsByRole[role].insert(r.ip);
            if (role == QLatin1String("student")) {
                ++students;
                const qsizetype at = r.prompt.indexOf(QStringLiteral("Write a "));
                if (at >= 0)
                    exercisesAsked.insert(r.prompt.mid(at, 40));
            } else if (role == QLatin1String("power-user")) {
                ++power;
                powerTools += r.tools > 0;
                powerLong += r.maxTokens >= 16000;
            } else if (role == QLatin1String("homework")) {
                ++homework;
                homeworkSteps
                    += r.prompt.contains(QStringLiteral("step")) || r.prompt.contains(QStringLiteral("steps"));
            }
        }
        const int classes = m_s.benign.classroom.classes;
        QVERIFY(students > 100);
        QVERIFY(ipsByRole.value(QStringLiteral("student")).size() <= classes * m_s.benign.classroom.addressesPerClass);
        QVERIFY(exercisesAsked.size() <= classes * m_s.benign.classroom.exercises);
        QVERIFY(exercisesAsked.size() >= 20);
        QCOMPARE(powerTools, power);
        QCOMPARE(powerLong, power);
        QVERIFY(homeworkSteps * 4 >= homework);
    }

    void sameSeedSameBytes()
    {
        test::ScratchDir other;
        const SimSummary again = generate(m_s, other.path(), 11);
        QVERIFY2(again.error.isEmpty(), qPrintable(again.error));
        for (const char* name : { "requests.jsonl.gz", "accounts.csv", "truth.csv" })
            QVERIFY2(readAll(m_dir.file(QLatin1String(name))) == readAll(other.file(QLatin1String(name))), name);
    }
};

QTEST_GUILESS_MAIN(TestSimAdversary)
#include "tst_simadversary.moc"
