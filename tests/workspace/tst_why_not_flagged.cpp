// "Why not flagged" (issue 16, item 3): an account detection did not flag is told, in sentences, which
// kinds of evidence a flag needs, with the run's own thresholds beside its own values and its
// strongest signals against the population; a flagged account keeps its reasons and gets none of it.
#include "DetectTestCase.h"
#include "ReasonStyle.h"

#include "core/CaseDatabase.h"
#include "detect/DetectSettings.h"
#include "detect/Indicators.h"
#include "detect/WhyNotFlagged.h"
#include "workspace/EvidenceData.h"

#include <QtTest>

#include <cmath>

using namespace ds;

namespace {

std::optional<double> indicator(SqliteDb& db, std::int64_t run, std::int64_t account, Indicator i, int column = 1)
{
    SqliteStatement st(db, "SELECT value, percentile FROM account_indicator WHERE run = ? AND account = ? AND indicator = ?");
    st.bind(1, run);
    st.bind(2, account);
    st.bind(3, static_cast<std::int64_t>(i));
    if (!st.step() || st.isNull(column - 1))
        return std::nullopt;
    return st.columnDouble(column - 1);
}

} // namespace

class TestWhyNotFlagged : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void unflaggedBusyAccountIsToldWhatItLacks();
    void flaggedAccountIsUnaffected();
    void everyUnflaggedAccountReadsWell();

private:
    test::ScratchDir m_dir;
    QString m_path;
    std::int64_t m_run = 0;
};

void TestWhyNotFlagged::initTestCase()
{
    // A threshold off its default: the sentences must quote the run's settings, not the defaults.
    DetectSettings s;
    s.soloMinHarvestProfile = 0.62;
    const test::DetectedCase c = test::importAndDetect(m_dir, test::DetectFixture(), s);
    QVERIFY2(c.summary.error.isEmpty(), qPrintable(c.summary.error));
    QVERIFY(c.summary.flaggedAccounts > 0);
    m_path = c.database;
    m_run = c.summary.run;
}

void TestWhyNotFlagged::unflaggedBusyAccountIsToldWhatItLacks()
{
    SqliteDb db = CaseDatabase::openForReading(m_path);
    // The busiest unflagged account by output volume (the fixture's enterprise pipeline or evaluator).
    SqliteStatement pick(db, "SELECT r.account, r.community FROM account_result r JOIN account_indicator i "
                             "ON i.run = r.run AND i.account = r.account AND i.indicator = ? "
                             "WHERE r.run = ? AND r.flagged = 0 ORDER BY i.percentile DESC, r.account LIMIT 1");
    pick.bind(1, static_cast<std::int64_t>(Indicator::OutputTokens));
    pick.bind(2, m_run);
    QVERIFY(pick.step());
    const std::int64_t account = pick.columnInt(0);
    const std::int64_t community = pick.columnInt(1);

    const QStringList why = whyNotFlagged(db, m_run, account);
    const QString text = why.join(QLatin1Char('\n'));
    qInfo().noquote() << text; // read by people checking the wording
    QVERIFY2(why.size() >= 3, qPrintable(text));
    QVERIFY2(why.front().startsWith(QStringLiteral("Not flagged. A flag needs either membership of a flagged network of at least 3 accounts")),
             qPrintable(text));

    // The run's threshold for an account alone, and the account's own harvest profile beside it.
    const double harvest = indicator(db, m_run, account, Indicator::ScoreHarvestProfile).value_or(0.0);
    QVERIFY(QString::number(harvest, 'f', 2) != QStringLiteral("0.62"));
    QVERIFY2(why.front().contains(QStringLiteral("a harvest profile of at least 0.62 (its profile is %1)")
                                      .arg(QString::number(harvest, 'f', 2))),
             qPrintable(why.front()));
    QVERIFY2(!text.contains(QStringLiteral("at least 0.60 (its profile")), qPrintable(text));
    const double behaviour = indicator(db, m_run, account, Indicator::Behaviour).value_or(0.0);
    const double infra = indicator(db, m_run, account, Indicator::ScoreInfrastructure).value_or(0.0);
    QVERIFY2(why.front().contains(QStringLiteral("a behaviour score of at least 0.75 together with an infrastructure score of "
                                                 "at least 0.50 (its scores are %1 and %2)")
                                      .arg(QString::number(behaviour, 'f', 2), QString::number(infra, 'f', 2))),
             qPrintable(why.front()));
    // The template route quotes the run's member threshold and the account's own template peers.
    const double peers = indicator(db, m_run, account, Indicator::TemplatePeers).value_or(0.0);
    QVERIFY2(text.contains(QStringLiteral("Shared template: needs a prompt template used heavily together with at least 2 other accounts, and a "
                                          "behaviour score of at least 0.25. This account: its heavy templates are used heavily by %1 other account")
                               .arg(std::llround(peers) == 0 ? QStringLiteral("no") : QString::number(std::llround(peers)))),
             qPrintable(text));

    // Links: the account graph's group of the account, as stored.
    SqliteStatement group(db, "SELECT COUNT(*) FROM account_result WHERE run = ? AND community = ? AND account <> ?");
    group.bind(1, m_run);
    group.bind(2, community);
    group.bind(3, account);
    QVERIFY(group.step());
    const std::int64_t others = group.columnInt(0);
    if (others == 0)
        QVERIFY2(text.contains(QStringLiteral("It is linked to no other account")), qPrintable(text));
    else
        QVERIFY2(text.contains(QStringLiteral("graph with %1 other account").arg(others)), qPrintable(text));

    // Its output volume is among its strongest signals, with a true comparison (share of accounts strictly below).
    const double volume = indicator(db, m_run, account, Indicator::OutputTokens).value_or(0.0);
    const double pct = indicator(db, m_run, account, Indicator::OutputTokens, 2).value_or(0.0);
    QVERIFY2(pct >= 0.9, qPrintable(QString::number(pct)));
    QVERIFY2(text.contains(QStringLiteral("output volume: %1 completion tokens, higher than %2% of accounts")
                               .arg(QLocale(QLocale::English).toString(std::llround(volume)))
                               .arg(std::floor(pct * 100), 0, 'f', 0)),
             qPrintable(text));
    QVERIFY2(!text.contains(QStringLiteral("Detection gives no reason")), qPrintable(text));

    // The Evidence view's data carries the same sentences, and no flag reasons.
    const EvidenceData e = EvidenceData::load(db, m_run, 0, {account});
    QVERIFY(e.reasons.isEmpty());
    QCOMPARE(e.whyNotFlagged, why);
}

void TestWhyNotFlagged::flaggedAccountIsUnaffected()
{
    SqliteDb db = CaseDatabase::openForReading(m_path);
    SqliteStatement st(db, "SELECT account, solo FROM account_result WHERE run = ? AND flagged = 1 ORDER BY account");
    st.bind(1, m_run);
    int seen = 0;
    while (st.step()) {
        const std::int64_t account = st.columnInt(0);
        QVERIFY(whyNotFlagged(db, m_run, account).isEmpty());
        const EvidenceData e = EvidenceData::load(db, m_run, 0, {account});
        QVERIFY(e.whyNotFlagged.isEmpty());
        ++seen;
    }
    QVERIFY(seen > 0);
}

// The rules of docs/REASONS.md over the sentences of every unflagged account of the case.
void TestWhyNotFlagged::everyUnflaggedAccountReadsWell()
{
    SqliteDb db = CaseDatabase::openForReading(m_path);
    SqliteStatement st(db, "SELECT account FROM account_result WHERE run = ? AND flagged = 0 ORDER BY account");
    st.bind(1, m_run);
    int accounts = 0, sentences = 0;
    QStringList problems;
    while (st.step()) {
        ++accounts;
        const QStringList why = whyNotFlagged(db, m_run, st.columnInt(0));
        QVERIFY(!why.isEmpty());
        for (const QString& sentence : why) {
            ++sentences;
            for (const QString& p : test::styleProblems(sentence))
                problems << p + QStringLiteral(": ") + sentence;
        }
    }
    qInfo("%d unflagged accounts, %d sentences", accounts, sentences);
    QVERIFY(accounts > 50);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TestWhyNotFlagged)
#include "tst_why_not_flagged.moc"
