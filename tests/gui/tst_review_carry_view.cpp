// Verdicts across a re-run of detection in the main window (issue 16, finding 1): Analysis > Run
// detection first says what the new run will do with the analyst's verdicts and runs only when
// the analyst agrees; afterwards a note above the networks table says what was carried, and a
// network left Needs review shows the verdict it came from. Screenshots go to test-output/.
#include "GuiSupport.h"
#include "TestSupport.h"

#include "MainWindow.h"
#include "case/CaseEditor.h"
#include "case/CaseWorkspace.h"
#include "views/ScopeBar.h"
#include "core/CaseDatabase.h"
#include "models/PagedTableModel.h"
#include "views/CarryNote.h"
#include "views/DataTableView.h"

#include <QDockWidget>
#include <QStyle>
#include <QTableView>
#include <QtTest>

#include <memory>

using namespace ds;
using ds::test::settled;

class TestReviewCarryView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void rerunAsksFirstWhenVerdictsExist();
    void rerunSaysWhatWasCarried();
    void pinReopensItsOwnRunsNetwork();
    void cleanupTestCase();

private:
    QString reviewOf(qint64 cluster);
    qint64 runs() const { return test::queryInt(m_path, "SELECT count(*) FROM detection_run"); }

    std::unique_ptr<test::ScratchDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
    QString m_path;
    qint64 m_firstRun = 0;
    qint64 m_top = 0;        // confirmed: detection finds it again
    qint64 m_scattered = 0;  // a hand-made network of run 1 whose accounts no new network mostly holds
    qint64 m_scatteredFrom = 0; // the real network whose accounts it holds
    QStringList m_asked;
    bool m_answer = false;
};

void TestReviewCarryView::initTestCase()
{
    test::useTestSettings();
    m_dir = std::make_unique<test::ScratchDir>();
    const test::CliResult sim = test::simulate(m_dir->path(), QStringLiteral("tiny"), 11);
    QVERIFY2(sim.exitCode == 0, sim.err.constData());
    m_window = test::showMainWindow(m_dir->path());
    QVERIFY(m_window);
    m_window->setQuestionHook([this](const QString& title, const QString& text) {
        m_asked << title + QLatin1Char('\n') + text;
        return m_answer;
    });
    m_window->openLogs({m_dir->file(QStringLiteral("requests.jsonl.gz")), m_dir->file(QStringLiteral("accounts.csv"))});
    QTRY_VERIFY(m_window->analysis()->isBusy());
    QTRY_COMPARE_WITH_TIMEOUT(m_window->analysis()->state(), AnalysisController::State::Complete, 60000);
    m_path = m_window->analysis()->casePath();
    m_firstRun = test::queryInt(m_path, "SELECT max(id) FROM detection_run");
    QVERIFY(m_firstRun > 0);
    m_top = test::queryInt(m_path, "SELECT id FROM cluster WHERE run = (SELECT max(id) FROM detection_run) "
                                   "ORDER BY accounts DESC, id LIMIT 1");
    QVERIFY(m_top > 0);
    CaseWorkspace* workspace = nullptr; // read once: the window keeps it in a QPointer
    QTRY_VERIFY_WITH_TIMEOUT((workspace = m_window->caseWorkspace()) && workspace->editor(), 20000);
}

QString TestReviewCarryView::reviewOf(qint64 cluster)
{
    PagedTableModel* m = m_window->clustersView()->model();
    int column = -1;
    for (int c = 0; c < m->columnCount(); ++c)
        if (m->headerData(c, Qt::Horizontal).toString() == QLatin1String("Review"))
            column = c;
    for (int r = 0; r < m->rowCount(); ++r)
        if (m->rowId(r) == cluster)
            return m->index(r, column).data().toString();
    return {};
}

void TestReviewCarryView::rerunAsksFirstWhenVerdictsExist()
{
    // No verdicts yet: nothing to warn about, the run starts at once.
    m_window->runDetection();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->analysis()->isBusy(), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->analysis()->state(), AnalysisController::State::Complete, 60000);
    QVERIFY2(m_asked.isEmpty(), qPrintable(m_asked.join(QLatin1Char('\n'))));
    m_firstRun = test::queryInt(m_path, "SELECT max(id) FROM detection_run");
    m_top = test::queryInt(m_path, "SELECT id FROM cluster WHERE run = (SELECT max(id) FROM detection_run) "
                                   "ORDER BY accounts DESC, id LIMIT 1");

    // The analyst confirms the biggest network...
    m_window->caseWorkspace()->editor()->setClusterStates({ClusterRef{m_firstRun, m_top}}, ReviewState::Confirmed);
    // ...and calls a network a false positive whose accounts the next run will not keep together: the
    // smallest network's accounts and as many unflagged ones again, plus one, so no new network holds
    // half of them. (Written by hand: detection on the same logs finds the same networks.)
    const qint64 small = test::queryInt(m_path, QStringLiteral("SELECT id FROM cluster WHERE run = %1 AND id <> %2 "
                                                               "ORDER BY accounts, id LIMIT 1")
                                                    .arg(m_firstRun)
                                                    .arg(m_top)
                                                    .toUtf8().constData());
    QVERIFY2(small > 0, "the tiny scenario flags at least two networks");
    const qint64 smallAccounts = test::queryInt(
        m_path, QStringLiteral("SELECT count(*) FROM cluster_member WHERE run = %1 AND cluster = %2").arg(m_firstRun).arg(small).toUtf8().constData());
    m_scattered = 99;
    {
        SqliteDb db = CaseDatabase::openForWriting(m_path);
        db.exec(QStringLiteral("INSERT INTO cluster_member(run, cluster, account) SELECT run, %2, account FROM cluster_member "
                               "WHERE run = %1 AND cluster = %3")
                    .arg(m_firstRun).arg(m_scattered).arg(small).toUtf8().constData());
        db.exec(QStringLiteral("INSERT INTO cluster_member(run, cluster, account) SELECT %1, %2, id FROM account WHERE id NOT "
                               "IN (SELECT account FROM cluster_member WHERE run = %1) ORDER BY id LIMIT %3")
                    .arg(m_firstRun).arg(m_scattered).arg(smallAccounts + 1).toUtf8().constData());
    }
    m_window->caseWorkspace()->editor()->setClusterStates({ClusterRef{m_firstRun, m_scattered}}, ReviewState::FalsePositive);
    m_scatteredFrom = small;

    // Declined: the question says what would happen, and nothing runs.
    const qint64 before = runs();
    m_answer = false;
    m_window->runDetection();
    QTRY_COMPARE_WITH_TIMEOUT(m_asked.size(), 1, 20000);
    const QString asked = m_asked.first();
    QVERIFY2(asked.startsWith(QStringLiteral("Run detection again?\n")), qPrintable(asked));
    QVERIFY2(asked.contains(QStringLiteral("your verdicts on 2 networks of run %1 (N-%2 Confirmed, N-%3 False positive)")
                                .arg(m_firstRun)
                                .arg(m_top)
                                .arg(m_scattered)),
             qPrintable(asked));
    QVERIFY2(asked.contains(QStringLiteral("the new network that holds at least half of its accounts")), qPrintable(asked));
    QVERIFY2(asked.contains(QStringLiteral("marked Needs review and shows the old verdict")), qPrintable(asked));
    QTest::qWait(200);
    QVERIFY(!m_window->analysis()->isBusy());
    QCOMPARE(runs(), before);
}

void TestReviewCarryView::rerunSaysWhatWasCarried()
{
    const qint64 topAccounts = test::queryInt(
        m_path, QStringLiteral("SELECT count(*) FROM cluster_member WHERE run = %1 AND cluster = %2").arg(m_firstRun).arg(m_top).toUtf8().constData());
    m_answer = true;
    m_window->runDetection();
    QTRY_COMPARE_WITH_TIMEOUT(m_asked.size(), 2, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->analysis()->isBusy(), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->analysis()->state(), AnalysisController::State::Complete, 60000);
    const qint64 run = test::queryInt(m_path, "SELECT max(id) FROM detection_run");
    QVERIFY(run > m_firstRun);
    const qint64 successor = test::queryInt(
        m_path, QStringLiteral("SELECT cluster FROM cluster_member WHERE run = %1 AND account = (SELECT min(account) FROM "
                               "cluster_member WHERE run = %2 AND cluster = %3)")
                    .arg(run).arg(m_firstRun).arg(m_top).toUtf8().constData());
    QVERIFY(successor > 0);

    // The note says what happened to each verdict, in the ReviewCarry sentences.
    const QString note = m_window->carryNote()->text();
    QVERIFY2(note.contains(QStringLiteral("N-%1 kept Confirmed as N-%2: all %3 accounts are still in it.")
                               .arg(m_top).arg(successor).arg(topAccounts)),
             qPrintable(note));
    QVERIFY2(note.contains(QStringLiteral("N-%1 (False positive) has no successor").arg(m_scattered)), qPrintable(note));

    // The networks table: the confirmed network kept its verdict; the network holding most of the
    // scattered one's accounts needs review and says which verdict it came from.
    const qint64 scatteredTo = test::queryInt(
        m_path, QStringLiteral("SELECT cluster FROM cluster_member WHERE run = %1 AND account = (SELECT min(account) FROM "
                               "cluster_member WHERE run = %2 AND cluster = %3)")
                    .arg(run).arg(m_firstRun).arg(m_scatteredFrom).toUtf8().constData());
    QVERIFY(scatteredTo > 0 && scatteredTo != successor);
    auto* clusters = m_window->clustersView()->model();
    // The table shows the new run once the window knows it (its rows of the run before linger until then).
    QTRY_VERIFY_WITH_TIMEOUT(m_window->investigation().run == run && settled(clusters) && !reviewOf(scatteredTo).isEmpty(), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(reviewOf(scatteredTo),
                              QStringLiteral("Needs review (was False positive as N-%1 of run %2)").arg(m_scattered).arg(m_firstRun),
                              20000);
    QCOMPARE(reviewOf(successor), QStringLiteral("Confirmed"));
    QVERIFY2(note.contains(QStringLiteral("which needs review")), qPrintable(note));

    // Every verdict is read whole in the table, not cut to "Needs re…" (issue 16: the Review column).
    {
        QTableView* table = m_window->clustersView()->table();
        int column = -1;
        for (int c = 0; c < clusters->columnCount(); ++c)
            if (clusters->headerData(c, Qt::Horizontal).toString() == QLatin1String("Review"))
                column = c;
        QVERIFY(column >= 0);
        QTRY_VERIFY_WITH_TIMEOUT(clusters->rowCount() > 0 && settled(clusters), 20000);
        const QFontMetrics fm(table->font());
        // The cell's text margins: the style's focus frame on each side, plus one pixel.
        const int margins = 2 * (table->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, table) + 1);
        for (int r = 0; r < clusters->rowCount(); ++r) {
            const QString text = clusters->index(r, column).data().toString();
            QVERIFY2(fm.horizontalAdvance(text) + margins <= table->columnWidth(column),
                     qPrintable(QStringLiteral("\"%1\" needs %2 px, the column has %3")
                                    .arg(text).arg(fm.horizontalAdvance(text) + margins).arg(table->columnWidth(column))));
        }
    }

    if (QDockWidget* d = m_window->dock(QStringLiteral("clustersDock"))) {
        d->raise();
        QVERIFY(d->grab().save(test::outputDir() + QStringLiteral("/gui-carry-clusters.png")));
    }
    QVERIFY(m_window->grab().save(test::outputDir() + QStringLiteral("/gui-carry-window.png")));

    // Dismissed, the note is gone.
    auto* dismiss = m_window->carryNote()->findChild<QWidget*>(QStringLiteral("carryNoteDismiss"));
    QVERIFY(dismiss);
    QTest::mouseClick(dismiss, Qt::LeftButton);
    QVERIFY(m_window->carryNote()->text().isEmpty());
}

// A pin made on run 1's network reopens that network of run 1 after the re-run renumbered networks,
// and the scope bar says it is an earlier run's.
void TestReviewCarryView::pinReopensItsOwnRunsNetwork()
{
    PinnedItem pin;
    pin.kind = PinKind::RequestSet;
    pin.title = QStringLiteral("pinned before the re-run");
    pin.run = m_firstRun;
    pin.cluster = m_scattered; // the hand-made network: no network of the new run has its accounts
    Q_EMIT m_window->caseWorkspace()->pinActivated(pin);
    const qint64 members = test::queryInt(
        m_path, QStringLiteral("SELECT count(*) FROM cluster_member WHERE run = %1 AND cluster = %2").arg(m_firstRun).arg(m_scattered).toUtf8().constData());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->scope().accountsRestricted && qint64(m_window->scope().accounts.size()) == members, 20000);
    QCOMPARE(m_window->investigation().clusterRun, m_firstRun);
    QCOMPARE(m_window->investigation().cluster, m_scattered);
    QVERIFY2(m_window->scopeBar()->text().contains(QStringLiteral("of run %1 (an earlier run)").arg(m_firstRun)),
             qPrintable(m_window->scopeBar()->text()));
    m_window->clearScope();
}

void TestReviewCarryView::cleanupTestCase()
{
    m_window.reset();
}

QTEST_MAIN(TestReviewCarryView)
#include "tst_review_carry_view.moc"
