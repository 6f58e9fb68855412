// The Evidence view of an account detection did not flag (issue 16, item 3): its reasons list says which kinds of
// evidence a flag needs and what the account has, where it used to say only "Detection gives no reason: it was not
// flagged."; a flagged account's list still shows its reasons. DS_SCREENSHOT_DIR, when set, receives the view.
#include "DetectTestCase.h"

#include "core/CaseDatabase.h"
#include "views/EvidenceView.h"

#include <QListWidget>
#include <QtTest>

using namespace ds;

class TestWhyNotFlaggedView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void unflaggedAccountSaysWhy();
    void flaggedAccountKeepsItsReasons();

private:
    QStringList show(std::int64_t account);
    std::int64_t pick(bool flagged);

    test::ScratchDir m_dir;
    QString m_path;
    std::int64_t m_run = 0;
    std::unique_ptr<EvidenceView> m_view;
};

void TestWhyNotFlaggedView::initTestCase()
{
    const test::DetectedCase c = test::importAndDetect(m_dir, test::DetectFixture());
    QVERIFY2(c.summary.error.isEmpty(), qPrintable(c.summary.error));
    m_path = c.database;
    m_run = c.summary.run;
    m_view = std::make_unique<EvidenceView>();
    m_view->resize(1200, 800);
    m_view->setCase(m_path);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

// The busiest account by output volume that is (or is not) flagged, with account reasons when flagged.
std::int64_t TestWhyNotFlaggedView::pick(bool flagged)
{
    SqliteDb db = CaseDatabase::openForReading(m_path);
    SqliteStatement st(db, "SELECT r.account FROM account_result r WHERE r.run = ? AND r.flagged = ? "
                           "AND (r.flagged = 0 OR EXISTS (SELECT 1 FROM reason WHERE run = r.run AND subject_kind = 'account' "
                           "AND subject = r.account)) ORDER BY r.output_tokens DESC, r.account LIMIT 1");
    st.bind(1, m_run);
    st.bind(2, std::int64_t(flagged ? 1 : 0));
    return st.step() ? st.columnInt(0) : 0;
}

QStringList TestWhyNotFlaggedView::show(std::int64_t account)
{
    m_view->showSubject(m_run, 0, {account});
    if (!QTest::qWaitFor([this] { return !m_view->isLoading(); }, 60000))
        return {};
    QStringList lines;
    for (int i = 0; i < m_view->reasonsList()->count(); ++i)
        lines << m_view->reasonsList()->item(i)->text();
    return lines;
}

void TestWhyNotFlaggedView::unflaggedAccountSaysWhy()
{
    const std::int64_t account = pick(false);
    QVERIFY(account > 0);
    const QStringList lines = show(account);
    const QString text = lines.join(QLatin1Char('\n'));
    QVERIFY2(m_view->data().subject.startsWith(QLatin1String("account")), qPrintable(m_view->data().subject));
    QVERIFY2(!text.contains(QStringLiteral("Detection gives no reason")), qPrintable(text));
    QVERIFY2(lines.value(0).startsWith(QStringLiteral("Not flagged. A flag needs either membership of a flagged network")),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("a harvest profile of at least 0.60 (its profile is ")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Its strongest signals: ")), qPrintable(text));
    QCOMPARE(lines, m_view->data().whyNotFlagged);
    const QByteArray dir = qgetenv("DS_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        QVERIFY(m_view->grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/evidence_not_flagged.png")));
}

void TestWhyNotFlaggedView::flaggedAccountKeepsItsReasons()
{
    const std::int64_t account = pick(true);
    QVERIFY(account > 0);
    const QStringList lines = show(account);
    QVERIFY(!lines.isEmpty());
    QVERIFY(m_view->data().whyNotFlagged.isEmpty());
    QCOMPARE(lines.size(), m_view->data().reasons.size());
    QVERIFY2(!lines.join(QLatin1Char('\n')).contains(QStringLiteral("Not flagged.")), qPrintable(lines.join(QLatin1Char('\n'))));
}

QTEST_MAIN(TestWhyNotFlaggedView)
#include "tst_why_not_flagged_view.moc"
