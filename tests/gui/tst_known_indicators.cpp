#include "MainWindow.h"
#include "GuiSupport.h"
#include "TestSupport.h"

#include "case/CaseEditor.h"
#include "core/CaseDatabase.h"
#include "core/Sqlite.h"
#include "views/KnownIndicatorsView.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDockWidget>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QTest>

using namespace ds;

// The Known indicators view (issue 18): File > Import indicators… reads a partner's STIX bundle (here: the bundle
// another simulated provider exported for the same campaigns) with progress, lists each indicator with its hits,
// pivots every view to the accounts of one, and shows a refused bundle's sentence. Screenshots go to test-output/.
class TestKnownIndicators : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        test::useTestSettings();
        m_dir = std::make_unique<test::ScratchDir>();
        // The partner: its own traffic of the campaigns (seed 1), networks confirmed, bundle exported.
        const QString partner = m_dir->file(QStringLiteral("partner"));
        QVERIFY(test::runCli({QStringLiteral("simulate"), QStringLiteral("--out"), partner, QStringLiteral("--scenario"), QStringLiteral("tiny"),
                              QStringLiteral("--seed"), QStringLiteral("1")})
                    .exitCode == 0);
        const QString partnerDb = m_dir->file(QStringLiteral("partner.sqlite"));
        const auto scan = test::runCli({QStringLiteral("scan"), QStringLiteral("--db"), partnerDb, QStringLiteral("--json"),
                                        m_dir->file(QStringLiteral("partner.json")), partner + QStringLiteral("/requests.jsonl.gz"),
                                        partner + QStringLiteral("/accounts.csv")},
                                       300000);
        QVERIFY2(scan.exitCode == 0, scan.err.constData());
        {
            const std::int64_t run = test::queryInt(partnerDb, "SELECT max(id) FROM detection_run");
            std::vector<ClusterRef> all;
            SqliteDb db = CaseDatabase::openForReading(partnerDb);
            SqliteStatement st(db, "SELECT id FROM cluster WHERE run = ?1");
            st.bind(1, run);
            while (st.step())
                all.push_back({run, st.columnInt(0)});
            db = SqliteDb();
            CaseEditor editor(partnerDb);
            editor.setNote(NoteField::Analyst, QStringLiteral("Partner analyst"));
            editor.setClusterStates(all, ReviewState::Confirmed);
        }
        m_bundle = m_dir->file(QStringLiteral("partner.stix.json"));
        QVERIFY(test::runCli({QStringLiteral("export"), QStringLiteral("--db"), partnerDb, QStringLiteral("--stix"), m_bundle}).exitCode == 0);

        // Our provider: other traffic of the same campaigns (seed 2), opened in the workspace.
        const QString ours = m_dir->file(QStringLiteral("ours"));
        QVERIFY(test::runCli({QStringLiteral("simulate"), QStringLiteral("--out"), ours, QStringLiteral("--scenario"), QStringLiteral("tiny"),
                              QStringLiteral("--seed"), QStringLiteral("2")})
                    .exitCode == 0);
        m_window = test::showMainWindow(m_dir->path());
        QVERIFY(m_window);
        m_window->openLogs({ours + QStringLiteral("/requests.jsonl.gz"), ours + QStringLiteral("/accounts.csv")});
        QTRY_COMPARE_WITH_TIMEOUT(m_window->analysis()->state(), AnalysisController::State::Complete, 120000);
        KnownIndicatorsView* v = m_window->knownIndicatorsView();
        new QAbstractItemModelTester(v->indicatorTable()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest, this);
        new QAbstractItemModelTester(v->hitTable()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest, this);
    }

    void fileMenuImportsAndListsHits()
    {
        KnownIndicatorsView* v = m_window->knownIndicatorsView();
        QCOMPARE(v->indicatorTable()->model()->rowCount(), 0);
        m_window->setFileDialogHook([this](const QString&, const QString& filter, bool save) {
            return !save && filter.contains(QStringLiteral("STIX")) ? QStringList{m_bundle} : QStringList();
        });
        QAction* import = nullptr;
        for (QAction* a : m_window->findChildren<QAction*>())
            if (a->text() == QStringLiteral("Import &indicators…"))
                import = a;
        QVERIFY(import);
        import->trigger();
        QVERIFY(m_window->dock(QStringLiteral("indicatorsDock"))->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(!v->isBusy() && v->indicatorTable()->model()->rowCount() > 0, 60000);
        QVERIFY2(v->summaryLabel()->text().contains(QStringLiteral("matched accounts")), qPrintable(v->summaryLabel()->text()));
        QVERIFY(!v->errorLabel()->isVisible());
        // Indicators with hits come first, the first selected with its accounts below.
        const QAbstractItemModel* m = v->indicatorTable()->model();
        QVERIFY(m->index(0, 1).data(Qt::UserRole).toLongLong() > 0);
        // The producer's validity window beside the hits.
        QCOMPARE(m->headerData(7, Qt::Horizontal).toString(), QStringLiteral("Valid"));
        QVERIFY2(m->index(0, 7).data().toString().startsWith(QStringLiteral("from 20")) || m->index(0, 7).data().toString().contains(QStringLiteral(" to ")),
                 qPrintable(m->index(0, 7).data().toString()));
        QTRY_VERIFY_WITH_TIMEOUT(v->hitTable()->model()->rowCount() > 0, 30000);
        QCOMPARE(static_cast<qlonglong>(v->hitTable()->model()->rowCount()), m->index(0, 1).data(Qt::UserRole).toLongLong());
        QVERIFY(v->showAccountsButton()->isEnabled());
        QCOMPARE(test::queryInt(m_window->analysis()->casePath(), "SELECT count(*) FROM audit_log WHERE action = 'import indicators'"), 1);

        // Pivot: every view follows the accounts that matched.
        QTest::mouseClick(v->showAccountsButton(), Qt::LeftButton);
        QTRY_VERIFY(m_window->scope().accountsRestricted);
        QCOMPARE(static_cast<int>(m_window->scope().accounts.size()), v->hitTable()->model()->rowCount());
        QVERIFY(m_window->scope().accountsLabel.startsWith(QStringLiteral("accounts matching")));

        QTest::qWait(300);
        const QString dir = test::outputDir();
        QVERIFY(m_window->dock(QStringLiteral("indicatorsDock"))->grab().save(dir + QStringLiteral("/known-indicators.png")));
        QVERIFY(m_window->grab().save(dir + QStringLiteral("/known-indicators-window.png")));
        qInfo("screenshots: %s/known-indicators*.png", qPrintable(dir));
    }

    void refusedBundleSaysWhy()
    {
        KnownIndicatorsView* v = m_window->knownIndicatorsView();
        const int before = v->indicatorTable()->model()->rowCount();
        const QString broken = m_dir->write(QStringLiteral("broken.json"), QByteArray(R"({"type":"bundle","objects":{}})"));
        m_window->importIndicators(broken);
        QTRY_VERIFY_WITH_TIMEOUT(!v->isBusy() && v->errorLabel()->isVisible(), 30000);
        QVERIFY2(v->errorLabel()->text().startsWith(QStringLiteral("The bundle is refused")), qPrintable(v->errorLabel()->text()));
        QCOMPARE(v->errorLabel()->textFormat(), Qt::PlainText);
        QCOMPARE(v->indicatorTable()->model()->rowCount(), before);
        QVERIFY(m_window->dock(QStringLiteral("indicatorsDock"))->grab().save(test::outputDir() + QStringLiteral("/known-indicators-refused.png")));
    }

    // Partner text (producer, pattern) is shown as plain text with direction controls made visible.
    void hostilePartnerTextIsNeutralised()
    {
        KnownIndicatorsView* v = m_window->knownIndicatorsView();
        const QString account = test::queryText(m_window->analysis()->casePath(), "SELECT account_id FROM account ORDER BY id LIMIT 1");
        const QString producer = QStringLiteral("<b>Evil</b> \u202Efdp.exe\x1b[31m");
        const QString pattern = QStringLiteral("[user-account:account_login = '%1' OR user-account:user_id = '\u202E<img src=x>']").arg(account);
        const QJsonArray objects{
            QJsonObject{{QStringLiteral("type"), QStringLiteral("identity")}, {QStringLiteral("spec_version"), QStringLiteral("2.1")},
                        {QStringLiteral("id"), QStringLiteral("identity--aaaaaaaa-0000-4000-8000-00000000000e")}, {QStringLiteral("name"), producer}},
            QJsonObject{{QStringLiteral("type"), QStringLiteral("indicator")}, {QStringLiteral("spec_version"), QStringLiteral("2.1")},
                        {QStringLiteral("id"), QStringLiteral("indicator--00000000-0000-4000-8000-0000000000ee")},
                        {QStringLiteral("created_by_ref"), QStringLiteral("identity--aaaaaaaa-0000-4000-8000-00000000000e")},
                        {QStringLiteral("pattern"), pattern}, {QStringLiteral("pattern_type"), QStringLiteral("stix")},
                        {QStringLiteral("valid_from"), QStringLiteral("2026-01-01T00:00:00Z")}}};
        QVERIFY(importObjects(QStringLiteral("hostile"), objects));
        const QAbstractItemModel* m = v->indicatorTable()->model();
        const int row = rowNaming(account);
        QVERIFY(row >= 0);
        for (int c = 0; c < m->columnCount(); ++c) {
            const QString text = m->index(row, c).data().toString();
            QVERIFY2(!text.contains(QChar(0x202E)) && !text.contains(QChar(0x1b)), qPrintable(text));
        }
        QVERIFY(m->index(row, 5).data().toString().contains(QStringLiteral("\u2039RLO\u203A")));
        QVERIFY(m->index(row, 5).data().toString().contains(QStringLiteral("<b>Evil</b>")));
        QCOMPARE(m->index(row, 1).data(Qt::UserRole).toLongLong(), 1LL);
        v->indicatorTable()->selectRow(row);
        v->indicatorTable()->scrollTo(m->index(row, 0));
        QTRY_COMPARE(v->hitTable()->model()->rowCount(), 1);
        QVERIFY(m_window->dock(QStringLiteral("indicatorsDock"))->grab().save(test::outputDir() + QStringLiteral("/known-indicators-hostile.png")));
    }

    // Logs imported into the open case after a bundle are matched by the import (File > Open logs… into this case):
    // the view lists the new hits once the analysis is complete.
    void logsImportedAfterTheBundleAreMatched()
    {
        KnownIndicatorsView* v = m_window->knownIndicatorsView();
        const QString account = QStringLiteral("acct_arrives_later");
        const QJsonArray objects{QJsonObject{{QStringLiteral("type"), QStringLiteral("indicator")}, {QStringLiteral("spec_version"), QStringLiteral("2.1")},
                                             {QStringLiteral("id"), QStringLiteral("indicator--00000000-0000-4000-8000-0000000000f1")},
                                             {QStringLiteral("pattern"), QStringLiteral("[user-account:account_login = '%1']").arg(account)},
                                             {QStringLiteral("pattern_type"), QStringLiteral("stix")},
                                             {QStringLiteral("valid_from"), QStringLiteral("2026-01-01T00:00:00Z")}}};
        QVERIFY(importObjects(QStringLiteral("later"), objects));
        const auto accountsOf = [this, v, &account]() -> qlonglong {
            const int row = rowNaming(account);
            return row < 0 ? -1 : v->indicatorTable()->model()->index(row, 1).data(Qt::UserRole).toLongLong();
        };
        QCOMPARE(accountsOf(), 0LL);

        QByteArray log;
        for (int i = 0; i < 3; ++i)
            log += test::requestJson(QStringLiteral("late-%1").arg(i), account, 1770120000000LL + i * 1000) + '\n';
        m_window->openLogs({m_dir->write(QStringLiteral("later.jsonl"), log)});
        QTRY_COMPARE_WITH_TIMEOUT(m_window->analysis()->state(), AnalysisController::State::Complete, 120000);
        QTRY_COMPARE_WITH_TIMEOUT(accountsOf(), 1LL, 30000);
    }

    void cleanupTestCase() { m_window.reset(); }

private:
    // Writes a bundle of `objects` as NAME.json, imports it through the view and waits for its one new row.
    bool importObjects(const QString& name, const QJsonArray& objects)
    {
        KnownIndicatorsView* v = m_window->knownIndicatorsView();
        const QString path = m_dir->write(name + QStringLiteral(".json"),
                                          QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("bundle")},
                                                                    {QStringLiteral("id"), QStringLiteral("bundle--11111111-2222-4333-8444-%1")
                                                                                               .arg(qHash(name) % 1000000000000ULL, 12, 10, QLatin1Char('0'))},
                                                                    {QStringLiteral("objects"), objects}})
                                              .toJson());
        const int before = v->indicatorTable()->model()->rowCount();
        m_window->importIndicators(path);
        return QTest::qWaitFor([&] { return !v->isBusy() && v->indicatorTable()->model()->rowCount() == before + 1; }, 30000);
    }

    // The row of the indicator whose pattern contains `text`, or -1.
    int rowNaming(const QString& text) const
    {
        const QAbstractItemModel* m = m_window->knownIndicatorsView()->indicatorTable()->model();
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->index(r, 8).data().toString().contains(text))
                return r;
        return -1;
    }

    std::unique_ptr<test::ScratchDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
    QString m_bundle;
};

QTEST_MAIN(TestKnownIndicators)
#include "tst_known_indicators.moc"
