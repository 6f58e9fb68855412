#include "DetectTestCase.h"
#include "ReasonStyle.h"
#include "TestSupport.h"
#include "core/CaseDatabase.h"
#include "core/Sqlite.h"
#include "detect/ReasonText.h"

#include <QDir>
#include <QRegularExpression>
#include <QtTest>

using namespace ds;
using namespace ds::test;

// The reasons sweep of issue 16: runs detection on hand-built fixtures and on small simulated scenarios and checks
// every reason sentence stored against the mechanical rules of docs/REASONS.md. A rule that fails names the
// sentence, so a new sentence that breaks the style is caught where it is written.
namespace {

struct Sweep
{
    int sentences = 0;
    QStringList keys; // reason keys seen, for coverage
    QStringList problems; // "key: rule: sentence"
};

void sweep(const QString& database, Sweep& out)
{
    SqliteDb db = CaseDatabase::openForReading(database);
    SqliteStatement st(db, "SELECT subject_kind, key, text FROM reason ORDER BY run, subject_kind, subject, rank");
    while (st.step()) {
        ++out.sentences;
        const QString key = st.columnText(0) + QLatin1Char('/') + st.columnText(1);
        if (!out.keys.contains(key))
            out.keys << key;
        const QString text = st.columnText(2);
        // Networks are named by what they do (issue 16): "A coding harvest: 12 accounts sent …", and each member's
        // reason says it ("Part of network N-1, a coding harvest (12 coordinated accounts, …)").
        static const QRegularExpression kindFirst(QStringLiteral("^An? [a-z-]+( and [a-z-]+)? harvest: "));
        static const QRegularExpression kindInPart(QStringLiteral("^Part of network N-\\d+, an? [a-z-]+( and [a-z-]+)? harvest \\("));
        if (key == QLatin1String("cluster/hydra") && !kindFirst.match(text).hasMatch())
            out.problems << QStringLiteral("%1: network not named by what it does\n    %2").arg(key, text);
        if (key == QLatin1String("account/network") && !kindInPart.match(text).hasMatch())
            out.problems << QStringLiteral("%1: network not named by what it does\n    %2").arg(key, text);
        for (const QString& p : styleProblems(text))
            out.problems << QStringLiteral("%1: %2\n    %3").arg(key, p, text);
    }
}

void report(const Sweep& s)
{
    QStringList keys = s.keys;
    keys.sort();
    qInfo().noquote() << s.sentences << "sentences;" << keys.join(QStringLiteral(", "));
    // One example of each rule broken by each kind of sentence.
    QStringList seen;
    for (const QString& p : s.problems) {
        const QString rule = p.section(QLatin1Char('\n'), 0, 0).section(QLatin1Char('"'), 0, 0);
        if (seen.contains(rule))
            continue;
        seen << rule;
        qWarning().noquote() << p;
    }
}

} // namespace

class TestReasonStyle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The checker itself: each bad example of issue 16 is caught, and sentences in the style are not.
    void checkerCatchesTheIssueExamples_data()
    {
        QTest::addColumn<QString>("sentence");
        QTest::newRow("1 user agents") << QStringLiteral("Infrastructure: 1 user agents.");
        QTest::newRow("1 IP addresses") << QStringLiteral("Shared: 1 IP addresses (e.g. \u201c10.0.0.1\u201d).");
        QTest::newRow("1 other accounts") << QStringLiteral("Also asked by 1 other accounts.");
        QTest::newRow("0.0 %") << QStringLiteral("Harvesting: 500 tokens (higher than 0.0 % of accounts).");
        QTest::newRow("CV") << QStringLiteral("Requests are paced (inter-arrival CV 1.2).");
        QTest::newRow("SimHash") << QStringLiteral("One template (SimHash family).");
        QTest::newRow("entropy") << QStringLiteral("Narrow focus: entropy 1.13 bits.");
        QTest::newRow("before that") << QStringLiteral("A stopped at 01:45 and B started 1.4 minutes before that.");
        QTest::newRow("average") << QStringLiteral("Infrastructure: 5.4 IP addresses in 2 networks.");
        QTest::newRow("parentheses") << QStringLiteral("Shared (e.g. two.");
        QTest::newRow("nan") << QStringLiteral("Score nan.");
        QTest::newRow("snake") << QStringLiteral("Cut at max_tokens.");
        QTest::newRow("camel") << QStringLiteral("Uses templateKind.");
        QTest::newRow(".0") << QStringLiteral("Up to 7.0 requests a minute.");
        QTest::newRow("all") << QStringLiteral("Task pool: 25 of the 25 accounts asked the same tasks.");
        QTest::newRow("contradiction") << QStringLiteral("Shared infrastructure (each value used by two or more of these accounts): 1 payment "
                                                         "fingerprint (\u201cpf_1\u201d); none of the accounts is linked to another by a "
                                                         "payment fingerprint, e-mail domain, IP address or sign-up time.");
    }

    void checkerCatchesTheIssueExamples()
    {
        QFETCH(QString, sentence);
        QVERIFY2(!styleProblems(sentence).isEmpty(), qPrintable(sentence));
    }

    void checkerPassesGoodSentences()
    {
        const QStringList good {
            QStringLiteral("Infrastructure: 1 user agent, on average 5.4 IP addresses per account."),
            QStringLiteral("1 of the 12 accounts send the same prompt \u201cuser_id camelCase 1 things\u201d."),
            QStringLiteral("Harvesting: 1,200 output tokens per request on average, more than 95 % of accounts."),
            QStringLiteral("Hand-offs: 3 times (median 2 minutes later)."),
        };
        for (const QString& s : good)
            QVERIFY2(styleProblems(s).isEmpty(),
                     qPrintable(s + QStringLiteral(" -> ") + styleProblems(s).join(QStringLiteral("; "))));
    }

    // The helpers every sentence goes through.
    void reasonTextHelpers()
    {
        using namespace ds::reasontext;
        QCOMPARE(count(1, QStringLiteral("user agent"), QStringLiteral("user agents")), QStringLiteral("1 user agent"));
        QCOMPARE(count(1200, QStringLiteral("request"), QStringLiteral("requests")), QStringLiteral("1,200 requests"));
        QCOMPARE(number(0.96), QStringLiteral("1"));
        QCOMPARE(number(5.44), QStringLiteral("5.4"));
        QCOMPARE(number(2551.4), QStringLiteral("2,551"));
        QCOMPARE(number(std::nan("")), QStringLiteral("unknown"));
        QCOMPARE(percent(0.0), QStringLiteral("0%"));
        QCOMPARE(percent(0.004), QStringLiteral("0.4%"));
        QCOMPARE(percent(0.6449), QStringLiteral("64%"));
        QCOMPARE(partOf(25, 25, QStringLiteral("accounts")), QStringLiteral("all 25 accounts"));
        QCOMPARE(partOf(2, 2, QStringLiteral("accounts")), QStringLiteral("both accounts"));
        QCOMPARE(partOf(3, 25, QStringLiteral("accounts")), QStringLiteral("3 of the 25 accounts"));
        QCOMPARE(times(1), QStringLiteral("once"));
        QCOMPARE(times(34), QStringLiteral("34 times"));
        QCOMPARE(duration(-84'000), QStringLiteral("84 seconds"));
        QCOMPARE(duration(60'000), QStringLiteral("60 seconds"));
        QCOMPARE(duration(22 * 60'000), QStringLiteral("22 minutes"));
        QCOMPARE(duration(2 * 3'600'000), QStringLiteral("2 hours"));
        QCOMPARE(duration(3 * 86'400'000LL), QStringLiteral("3 days"));
        QCOMPARE(moment(kFixtureStart + 105 * 60'000), QStringLiteral("2026-02-02 01:45 UTC"));
        QCOMPARE(quoted(QStringLiteral("a \u201cb\u201d"), 70), QStringLiteral("\u201ca \"b\"\u201d"));
    }

    // Hand-built fixtures: a hydra network with and without shared infrastructure or a template, camouflaged.
    void fixtureReasonsReadWell()
    {
        Sweep s;
        const FixtureOptions variants[] = {
            FixtureOptions {},
            FixtureOptions { .hydraSharesInfrastructure = false },
            FixtureOptions { .hydraUsesTemplate = false },
            FixtureOptions { .hydraAccounts = 6, .hydraCamouflage = 0.5, .seed = 3 },
        };
        int i = 0;
        for (const FixtureOptions& o : variants) {
            ScratchDir dir;
            const DetectedCase c = importAndDetect(dir, DetectFixture(o), {}, QStringLiteral("case%1.sqlite").arg(i++));
            sweep(c.database, s);
        }
        report(s);
        QVERIFY(s.sentences > 20);
        QVERIFY2(s.problems.isEmpty(),
                 qPrintable(QStringLiteral("%1 sentences break the style").arg(s.problems.size())));
    }

    // Simulated scenarios at a small scale: the sentences of template, task-pool, cohort, hand-off and harvest
    // networks, and of their accounts; in Bedrock's log format, which carries no client IP or user agent, the
    // sentences that say what the logs lack.
    void simulatedReasonsReadWell_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("scale");
        QTest::addColumn<QString>("logFormat");
        QTest::addColumn<QStringList>("kinds"); // reason kinds the run must write, so the sweep keeps its reach
        QTest::newRow("small") << QStringLiteral("small") << QStringLiteral("0.3") << QString()
                               << QStringList { QStringLiteral("cluster/template"),
                                                QStringLiteral("cluster/handoff"),
                                                QStringLiteral("cluster/infrastructure"),
                                                QStringLiteral("account/attached"),
                                                QStringLiteral("account/infrastructure_spread"),
                                                QStringLiteral("account/solo") };
        QTest::newRow("adversarial") << QStringLiteral("adversarial") << QStringLiteral("0.15") << QString()
                                     << QStringList { QStringLiteral("cluster/cohort"), QStringLiteral("cluster/task"),
                                                      QStringLiteral("account/window"),
                                                      QStringLiteral("account/pool") };
        QTest::newRow("raw tasks") << QStringLiteral(DS_SOURCE_DIR "/tests/detect/scenarios/small_raw_tasks.json")
                                   << QStringLiteral("0.3") << QString()
                                   << QStringList { QStringLiteral("account/handoff"), QStringLiteral("cluster/task") };
        QTest::newRow("small, bedrock") << QStringLiteral("small") << QStringLiteral("0.2") << QStringLiteral("bedrock")
                                        << QStringList { QStringLiteral("cluster/evidence_gaps") };
    }

    void simulatedReasonsReadWell()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, scale);
        QFETCH(QString, logFormat);
        QFETCH(QStringList, kinds);
        ScratchDir dir;
        QStringList simArgs { QStringLiteral("simulate"),
                              QStringLiteral("--out"),
                              dir.path(),
                              QStringLiteral("--scenario"),
                              scenario,
                              QStringLiteral("--seed"),
                              QStringLiteral("1"),
                              QStringLiteral("--scale"),
                              scale };
        if (!logFormat.isEmpty())
            simArgs << QStringLiteral("--log-format") << logFormat;
        const CliResult sim = runCli(simArgs);
        QVERIFY2(sim.exitCode == 0, sim.err.constData());
        QStringList files;
        for (const QString& f :
             QDir(dir.path()).entryList({ QStringLiteral("requests*"), QStringLiteral("accounts*") }, QDir::Files))
            files << dir.file(f);
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const CliResult scan = runCli(QStringList { QStringLiteral("scan"), QStringLiteral("--db"), db,
                                                    QStringLiteral("--json"), dir.file(QStringLiteral("out.json")) }
                                          + files,
                                      300000);
        QVERIFY2(scan.exitCode == 0, scan.err.constData());
        Sweep s;
        sweep(db, s);
        report(s);
        for (const QString& kind : kinds)
            QVERIFY2(s.keys.contains(kind), qPrintable(kind));
        QVERIFY(s.sentences > 20);
        QVERIFY2(s.problems.isEmpty(),
                 qPrintable(QStringLiteral("%1 sentences break the style").arg(s.problems.size())));
    }
};

QTEST_GUILESS_MAIN(TestReasonStyle)
#include "tst_reason_style.moc"
