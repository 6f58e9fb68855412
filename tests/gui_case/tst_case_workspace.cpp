// Drives the case-building widgets (ui/case) embedded in a main window, on a
// simulated case: verdicts through the review actions, undo/redo through the
// Edit menu actions, notes, pins, the audit log, the report and data exports.
#include "TestSupport.h"

#include "case/AuditLogModel.h"
#include "case/AuditLogView.h"
#include "case/CaseEditor.h"
#include "case/CaseNotesPanel.h"
#include "case/CaseStore.h"
#include "case/CaseTables.h"
#include "case/CaseWorkspace.h"
#include "case/ExportDataDialog.h"
#include "case/ExportReportDialog.h"
#include "case/PinsPanel.h"
#include "case/ReviewActions.h"
#include "core/CaseDatabase.h"
#include "detect/DetectionResults.h"
#include "report/ExportFiles.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QBuffer>
#include <QDir>
#include <QDockWidget>
#include <QFocusEvent>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QPainter>
#include <QPlainTextEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QUndoStack>
#include <QtTest>

#include <memory>

using namespace ds;

namespace {

const QString kCaseId = QStringLiteral("DS-2026-0042");
const QString kHostileNote = QStringLiteral("<b>not bold</b><img src=x> %1 \u202Egnp.exe");

// Focus-out as the window system sends it, without depending on window activation under offscreen.
void focusOut(QWidget* w)
{
    QFocusEvent ev(QEvent::FocusOut, Qt::TabFocusReason);
    QApplication::sendEvent(w, &ev);
}

QByteArray thumbnailPng()
{
    QImage img(120, 80, QImage::Format_RGB32);
    img.fill(QColor(250, 250, 250));
    QPainter p(&img);
    p.setPen(QPen(QColor(200, 60, 60), 3));
    p.drawPolyline(QPolygon({{5, 70}, {30, 50}, {55, 60}, {80, 15}, {115, 25}}));
    p.end();
    QByteArray png;
    QBuffer buf(&png);
    buf.open(QIODevice::WriteOnly);
    img.save(&buf, "PNG");
    return png;
}

} // namespace

class TestCaseWorkspace : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void reviewActionsSetStates();
    void undoRedoThroughActions();
    void notesPanelCommitsAndPersists();
    void auditViewShowsEdits();
    void pinsPanelEditsAndRemoves();
    void exportReport();
    void exportData();
    void screenshots();
    void workspaceLeavesWithItsDocks();
    void cleanupTestCase();

private:
    QDockWidget* dock(const char* name) const { return m_window->findChild<QDockWidget*>(QString::fromLatin1(name)); }

    std::unique_ptr<test::ScratchDir> m_dir;
    QString m_db;
    std::unique_ptr<QMainWindow> m_window;
    QMenu* m_fileMenu = nullptr;
    QMenu* m_editMenu = nullptr;
    CaseWorkspace* m_ws = nullptr;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::vector<ClusterRef> m_clusters;       // every flagged network of the run
    std::vector<std::int64_t> m_members;      // account.id of the top network's members
    QStringList m_memberIds;
};

void TestCaseWorkspace::initTestCase()
{
    m_dir = std::make_unique<test::ScratchDir>();
    const QString sim = m_dir->file(QStringLiteral("sim"));
    const test::CliResult s = test::runCli({QStringLiteral("simulate"), QStringLiteral("--scenario"), QStringLiteral("tiny"),
                                            QStringLiteral("--seed"), QStringLiteral("3"), QStringLiteral("--out"), sim});
    QVERIFY2(s.exitCode == 0, s.err.constData());
    QStringList logs;
    for (const QFileInfo& f : QDir(sim).entryInfoList(QDir::Files))
        if (f.fileName() != QLatin1String("truth.csv"))
            logs << f.absoluteFilePath();
    QVERIFY(!logs.isEmpty());
    m_db = m_dir->file(QStringLiteral("case.sqlite"));
    const test::CliResult scan = test::runCli(QStringList{QStringLiteral("scan"), QStringLiteral("--json"), m_dir->file(QStringLiteral("scan.json")),
                                                          QStringLiteral("--db"), m_db}
                                              + logs);
    QVERIFY2(scan.exitCode == 0, scan.err.constData());

    m_window = std::make_unique<QMainWindow>();
    m_window->setObjectName(QStringLiteral("testWindow"));
    m_fileMenu = m_window->menuBar()->addMenu(QStringLiteral("&File"));
    QAction* quit = m_fileMenu->addAction(QStringLiteral("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    m_editMenu = m_window->menuBar()->addMenu(QStringLiteral("&Edit"));
    auto* central = new QLabel(QStringLiteral("(main window views)"), m_window.get());
    central->setAlignment(Qt::AlignCenter);
    m_window->setCentralWidget(central);

    QString error;
    m_ws = CaseWorkspace::open(m_db, m_window.get(), &error);
    QVERIFY2(m_ws, qPrintable(error));
    m_ws->attach(m_window.get(), m_editMenu, m_fileMenu);
    m_tester = std::make_unique<QAbstractItemModelTester>(m_ws->auditLogView()->model(),
                                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_window->resize(1400, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));

    // The wiring the main window relies on: docks named for saveState, menus in place (export before Quit).
    for (const char* name : {"caseNotesDock", "pinsDock", "auditLogDock"})
        QVERIFY2(dock(name), name);
    QVERIFY(m_editMenu->actions().contains(m_ws->undoAction()));
    QVERIFY(m_editMenu->actions().contains(m_ws->redoAction()));
    const QList<QAction*> fileActions = m_fileMenu->actions();
    QVERIFY(fileActions.indexOf(m_ws->exportReportAction()) >= 0);
    QVERIFY(fileActions.indexOf(m_ws->exportReportAction()) < fileActions.indexOf(quit));
    QVERIFY(!m_window->saveState().isEmpty());

    SqliteDb& db = m_ws->editor()->database();
    const auto run = DetectionResults::latestRun(db);
    QVERIFY(run);
    const DetectionResults results(db, *run);
    for (const auto& c : results.clusters())
        m_clusters.push_back({*run, c.id});
    QVERIFY2(!m_clusters.empty(), "the tiny scenario flags at least one network");
    for (const auto& a : results.clusterMembers(m_clusters.front().cluster)) {
        m_members.push_back(a.account);
        m_memberIds << a.accountId;
    }
    QVERIFY(m_members.size() >= 3); // two are marked false positive below, one stays confirmed
    // Opening audited the scan's import and detection run.
    QVERIFY(m_ws->auditLogView()->model()->rowCount() >= 2);
}

void TestCaseWorkspace::reviewActionsSetStates()
{
    ReviewActions* review = m_ws->reviewActions();
    const CaseStore& store = m_ws->editor()->store();
    QVERIFY(!review->action(ReviewState::Confirmed)->isEnabled()); // nothing selected yet

    m_ws->setClusterSelection({m_clusters.front()});
    QVERIFY(review->action(ReviewState::Confirmed)->isEnabled());
    QVERIFY(review->action(ReviewState::Unreviewed)->isChecked());
    review->action(ReviewState::Confirmed)->trigger();
    QCOMPARE(store.clusterState(m_clusters.front()), ReviewState::Confirmed);
    QVERIFY(review->action(ReviewState::Confirmed)->isChecked());
    QVERIFY(!review->action(ReviewState::Unreviewed)->isChecked());

    // Two accounts at once: one undo step.
    const int before = m_ws->editor()->undoStack()->index();
    m_ws->setAccountSelection({m_members[0], m_members[1]});
    QVERIFY(!review->action(ReviewState::Confirmed)->isChecked()); // accounts are the subject now
    review->action(ReviewState::FalsePositive)->trigger();
    QCOMPARE(store.accountState(m_members[0]), ReviewState::FalsePositive);
    QCOMPARE(store.accountState(m_members[1]), ReviewState::FalsePositive);
    QCOMPARE(m_ws->editor()->undoStack()->index(), before + 1);
    // The cluster verdict is untouched by an account verdict.
    QCOMPARE(store.clusterState(m_clusters.front()), ReviewState::Confirmed);

    // A mixed selection shows no check mark.
    m_ws->setAccountSelection({m_members[0], m_members[2]});
    for (QAction* a : review->actions())
        QVERIFY(!a->isChecked());

    // The context menu names its subject and carries the four verdicts.
    m_ws->setAccountSelection({m_members[1]});
    std::unique_ptr<QMenu> menu(review->createContextMenu(m_window.get()));
    QCOMPARE(review->subjectText(), QStringLiteral("1 account"));
    int verdicts = 0;
    for (QAction* a : menu->actions())
        verdicts += review->actions().contains(a);
    QCOMPARE(verdicts, 4);

    // The shortcut (Alt+3 = needs review) reaches the action through the window.
    m_window->activateWindow();
    if (QTest::qWaitForWindowActive(m_window.get())) {
        QTest::keyClick(m_window.get(), Qt::Key_3, Qt::AltModifier);
        QCOMPARE(store.accountState(m_members[1]), ReviewState::NeedsReview);
        m_ws->undoAction()->trigger();
        QCOMPARE(store.accountState(m_members[1]), ReviewState::FalsePositive);
    } else {
        qWarning("window not active under this platform: shortcut not exercised");
    }
}

void TestCaseWorkspace::undoRedoThroughActions()
{
    const CaseStore& store = m_ws->editor()->store();
    QAction* undo = m_ws->undoAction();
    QAction* redo = m_ws->redoAction();
    QVERIFY(undo->isEnabled());
    QVERIFY2(undo->text().contains(QStringLiteral("false positive"), Qt::CaseInsensitive), qPrintable(undo->text()));
    undo->trigger(); // the two accounts back to unreviewed
    QCOMPARE(store.accountState(m_members[0]), ReviewState::Unreviewed);
    QCOMPARE(store.accountState(m_members[1]), ReviewState::Unreviewed);
    QCOMPARE(store.clusterState(m_clusters.front()), ReviewState::Confirmed);
    undo->trigger(); // the network back to unreviewed
    QCOMPARE(store.clusterState(m_clusters.front()), ReviewState::Unreviewed);
    QVERIFY(redo->isEnabled());
    redo->trigger();
    QCOMPARE(store.clusterState(m_clusters.front()), ReviewState::Confirmed);
    redo->trigger();
    QCOMPARE(store.accountState(m_members[0]), ReviewState::FalsePositive);
    // The review actions follow undo/redo (reviewStatesChanged).
    m_ws->setClusterSelection({m_clusters.front()});
    undo->trigger();
    undo->trigger();
    QVERIFY(m_ws->reviewActions()->action(ReviewState::Unreviewed)->isChecked());
    redo->trigger();
    redo->trigger();
    QVERIFY(m_ws->reviewActions()->action(ReviewState::Confirmed)->isChecked());
}

void TestCaseWorkspace::notesPanelCommitsAndPersists()
{
    CaseNotesPanel* panel = m_ws->notesPanel();
    QUndoStack* stack = m_ws->editor()->undoStack();
    auto* caseId = qobject_cast<QLineEdit*>(panel->fieldWidget(NoteField::CaseId));
    auto* title = qobject_cast<QLineEdit*>(panel->fieldWidget(NoteField::Title));
    auto* summary = qobject_cast<QPlainTextEdit*>(panel->fieldWidget(NoteField::Summary));
    QVERIFY(caseId && title && summary);

    const int before = stack->index();
    QTest::keyClicks(caseId, kCaseId);
    QCOMPARE(stack->index(), before); // typing commits nothing
    QTest::keyClick(caseId, Qt::Key_Return);
    QCOMPARE(m_ws->editor()->store().notes().caseId, kCaseId);
    QCOMPARE(stack->index(), before + 1); // one step for the whole field
    QTest::keyClick(caseId, Qt::Key_Return);
    focusOut(caseId);
    QCOMPARE(stack->index(), before + 1); // no change, no step

    title->selectAll();
    QTest::keyClicks(title, QStringLiteral("Hydra campaign against the reasoning API"));
    focusOut(title); // leaving the field commits it
    QCOMPARE(m_ws->editor()->store().notes().title, QStringLiteral("Hydra campaign against the reasoning API"));

    summary->setPlainText(kHostileNote + QStringLiteral("\nSecond line."));
    focusOut(summary);
    QCOMPARE(m_ws->editor()->store().notes().summary, kHostileNote + QStringLiteral("\nSecond line."));
    QCOMPARE(stack->index(), before + 3);
    // The right-to-left override in the summary is pointed out (it shows "gnp.exe" as "exe.png").
    QVERIFY(!panel->bidiWarning()->isHidden());
    QVERIFY(panel->bidiWarning()->text().startsWith(QStringLiteral("⚠ Summary:")));

    // Undo restores the field shown in the panel; redo brings the text back.
    m_ws->undoAction()->trigger();
    QCOMPARE(summary->toPlainText(), QString());
    QVERIFY(panel->bidiWarning()->isHidden());
    m_ws->redoAction()->trigger();
    QCOMPARE(summary->toPlainText(), kHostileNote + QStringLiteral("\nSecond line."));

    // A field being typed in is not clobbered by another field's undo.
    title->setText(QStringLiteral("typing…"));
    m_ws->undoAction()->trigger(); // summary again
    QCOMPARE(title->text(), QStringLiteral("typing…"));
    m_ws->redoAction()->trigger();
    title->setText(QStringLiteral("Hydra campaign against the reasoning API"));
    focusOut(title);

    // Reopen the case on a new connection: the notes are there.
    SqliteDb db = CaseDatabase::openForReading(m_db);
    const CaseNotes notes = CaseStore(db).notes();
    QCOMPARE(notes.caseId, kCaseId);
    QCOMPARE(notes.title, QStringLiteral("Hydra campaign against the reasoning API"));
    QCOMPARE(notes.summary, kHostileNote + QStringLiteral("\nSecond line."));
}

void TestCaseWorkspace::auditViewShowsEdits()
{
    AuditLogView* view = m_ws->auditLogView();
    AuditLogModel* model = view->model();
    const auto log = m_ws->editor()->auditLog();
    QCOMPARE(model->rowCount(), static_cast<int>(log.size()));
    // Newest first: the last note edit (summary, via redo) is on top.
    QCOMPARE(model->index(0, AuditLogModel::Action).data().toString(), log.back().action);
    QVERIFY2(model->index(0, AuditLogModel::Details).data().toString().contains(QStringLiteral("via: redo")),
             qPrintable(model->index(0, AuditLogModel::Details).data().toString()));
    QCOMPARE(model->index(model->rowCount() - 1, AuditLogModel::Action).data().toString(), log.front().action);

    int noteEdits = 0, reviews = 0;
    for (int r = 0; r < model->rowCount(); ++r) {
        const QString action = model->index(r, AuditLogModel::Action).data().toString();
        noteEdits += action == QLatin1String("edit case note");
        reviews += action.startsWith(QLatin1String("review "));
    }
    QVERIFY(noteEdits >= 3);
    QVERIFY(reviews >= 3);
    // Hostile text in details stays as typed in the cell (no markup, no bidi override).
    bool foundMarkup = false;
    for (int r = 0; r < model->rowCount(); ++r) {
        const QString details = model->index(r, AuditLogModel::Details).data().toString();
        foundMarkup |= details.contains(QStringLiteral("<b>not bold</b>"));
        QVERIFY(!details.contains(QChar(0x202E)));
    }
    QVERIFY(foundMarkup);

    // The filter box narrows to matching rows, in any column.
    QTest::keyClicks(view->filterEdit(), QStringLiteral("case_id"));
    QVERIFY(view->proxy()->rowCount() >= 1);
    QVERIFY(view->proxy()->rowCount() < model->rowCount());
    for (int r = 0; r < view->proxy()->rowCount(); ++r)
        QCOMPARE(view->proxy()->index(r, AuditLogModel::Subject).data().toString(), QStringLiteral("case_id"));
    view->filterEdit()->clear();
    QCOMPARE(view->proxy()->rowCount(), model->rowCount());

    // A new edit appears on top at once.
    m_ws->editor()->setNote(NoteField::Analyst, QStringLiteral("j.doe"));
    QCOMPARE(model->index(0, AuditLogModel::Subject).data().toString(), QStringLiteral("analyst"));
}

void TestCaseWorkspace::pinsPanelEditsAndRemoves()
{
    PinsPanel* panel = m_ws->pinsPanel();
    QListWidget* list = panel->list();
    QCOMPARE(list->count(), 0);
    PinnedItem chart;
    chart.kind = PinKind::Chart;
    chart.title = QStringLiteral("Timeline of network N-%1").arg(m_clusters.front().cluster);
    chart.run = m_clusters.front().run;
    chart.cluster = m_clusters.front().cluster;
    chart.payload = {{QStringLiteral("description"), QStringLiteral("requests per hour")}};
    chart.thumbnail = thumbnailPng();
    m_ws->editor()->addPin(chart);
    PinnedItem ua;
    ua.kind = PinKind::SharedValue;
    ua.title = QStringLiteral("User agent <b>not bold</b><img src=x> \u202Eshared by 3 accounts");
    ua.account = m_members[0];
    ua.payload = {{QStringLiteral("value_kind"), QStringLiteral("user_agent")}, {QStringLiteral("value"), ua.title}};
    m_ws->editor()->addPin(ua);
    QCOMPARE(list->count(), 2);
    QVERIFY(list->item(0)->text().contains(QStringLiteral("network N-%1").arg(m_clusters.front().cluster)));
    QVERIFY(!list->item(0)->icon().isNull()); // the thumbnail
    QVERIFY(list->item(1)->text().contains(QStringLiteral("<b>not bold</b>")));
    QVERIFY(list->item(1)->text().contains(m_memberIds[0]));
    QVERIFY(!list->item(1)->text().contains(QChar(0x202E)));

    // Edit the second pin's note: one undoable step on focus out.
    list->setCurrentRow(1);
    QVERIFY(panel->noteEdit()->isEnabled());
    const int before = m_ws->editor()->undoStack()->index();
    panel->noteEdit()->setPlainText(QStringLiteral("Same UA string on all core accounts."));
    focusOut(panel->noteEdit());
    const std::int64_t uaId = panel->pinAt(1)->id;
    QCOMPARE(m_ws->editor()->store().pin(uaId)->note, QStringLiteral("Same UA string on all core accounts."));
    QCOMPARE(m_ws->editor()->undoStack()->index(), before + 1);
    QCOMPARE(list->currentRow(), 1); // the reload kept the selection

    // Remove it, undo brings it back with its note.
    QTest::mouseClick(panel->removeButton(), Qt::LeftButton);
    QCOMPARE(list->count(), 1);
    QVERIFY(!m_ws->editor()->store().pin(uaId));
    m_ws->undoAction()->trigger();
    QCOMPARE(list->count(), 2);
    QCOMPARE(m_ws->editor()->store().pin(uaId)->note, QStringLiteral("Same UA string on all core accounts."));

    // Double-click asks the main window to show the evidence.
    QSignalSpy activated(m_ws, &CaseWorkspace::pinActivated);
    dock("pinsDock")->raise(); // tabified behind the notes: only a visible list takes clicks
    QTRY_VERIFY(list->isVisible());
    const QRect r = list->visualItemRect(list->item(0));
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, r.center());
    QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, r.center());
    QCOMPARE(activated.count(), 1);
    const auto pin = activated.front().front().value<PinnedItem>();
    QCOMPARE(pin.kind, PinKind::Chart);
    QCOMPARE(pin.cluster, chart.cluster);
}

void TestCaseWorkspace::exportReport()
{
    const QString pdf = m_dir->file(QStringLiteral("out/report.pdf"));
    QVERIFY(QDir().mkpath(m_dir->file(QStringLiteral("out"))));
    ExportReportDialog* dialog = m_ws->showExportReport();
    QVERIFY(dialog->isVisible());
    dialog->setPdfPath(pdf);
    dialog->setConfirmFlaggedFirst(true);
    const int auditBefore = m_ws->auditLogView()->model()->rowCount();
    QSignalSpy finished(dialog, &ExportReportDialog::reportFinished);
    QTest::mouseClick(dialog->exportButton(), Qt::LeftButton);
    QVERIFY(dialog->isRunning());
    QVERIFY(!dialog->exportButton()->isEnabled());
    // Every flagged network was confirmed first, through the editor (undoable).
    for (const ClusterRef& c : m_clusters)
        QCOMPARE(m_ws->editor()->store().clusterState(c), ReviewState::Confirmed);
    QVERIFY(finished.wait(90000));
    const auto result = finished.front().front().value<ReportResult>();
    QVERIFY2(result.ok, qPrintable(result.error));
    QVERIFY(QFileInfo(pdf).size() > 1000);
    QVERIFY(result.pages >= 3);
    QCOMPARE(result.confirmedNetworks, static_cast<std::int64_t>(m_clusters.size()));
    const QString shown = dialog->resultLabel()->text();
    QVERIFY2(shown.contains(result.requestIdsSha256) && shown.contains(QStringLiteral("page")), qPrintable(shown));
    QCOMPARE(exportfiles::sha256OfFile(result.requestIdsPath), result.requestIdsSha256);
    QCOMPARE(dialog->progressBar()->value(), 1000);

    QProcess p;
    p.start(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
    QVERIFY(p.waitForFinished(30000));
    const QString text = QString::fromUtf8(p.readAllStandardOutput());
    QFile::remove(test::outputDir() + QStringLiteral("/case-report.pdf")); // kept to look at
    QFile::copy(pdf, test::outputDir() + QStringLiteral("/case-report.pdf"));
    QVERIFY2(text.contains(kCaseId), "pdftotext finds the case id");
    QVERIFY(text.contains(QStringLiteral("Hydra campaign against the reasoning API")));
    QVERIFY(text.contains(m_memberIds[2]));
    QVERIFY2(text.contains(QStringLiteral("<b>not bold</b><img src=x>")), "the hostile summary appears literally");

    // The report audited its export on its own connection; the view re-read the log.
    QVERIFY(m_ws->auditLogView()->model()->rowCount() > auditBefore);
    QCOMPARE(m_ws->auditLogView()->model()->rowCount(), static_cast<int>(m_ws->editor()->auditLog().size()));

    // A path that cannot be written: the error in one sentence, the dialog ready again.
    dialog->setPdfPath(m_dir->file(QStringLiteral("no/such/folder/report.pdf")));
    dialog->setConfirmFlaggedFirst(false);
    QVERIFY(dialog->startExport());
    QVERIFY(finished.wait(90000));
    QVERIFY(!finished.back().front().value<ReportResult>().ok);
    QVERIFY2(dialog->resultLabel()->text().startsWith(QStringLiteral("The report could not be written")),
             qPrintable(dialog->resultLabel()->text()));
    QVERIFY(dialog->exportButton()->isEnabled());
    dialog->setPdfPath(pdf); // for the screenshot
}

void TestCaseWorkspace::exportData()
{
    ExportDataDialog* dialog = m_ws->showExportData();
    const QString out = m_dir->file(QStringLiteral("out"));
    dialog->setOutputDirectory(out);
    const int auditBefore = m_ws->auditLogView()->model()->rowCount();
    QVERIFY(dialog->startExport());
    QVERIFY(dialog->isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isRunning(), 60000);
    for (const QString& path : {dialog->csvPath(), dialog->jsonPath(), dialog->stixPath()})
        QVERIFY2(QFileInfo(path).size() > 0, qPrintable(path));
    QFile csv(dialog->csvPath());
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QByteArray csvText = csv.readAll();
    QVERIFY(csvText.startsWith("account_id,"));
    QVERIFY(csvText.contains(m_memberIds[2].toUtf8()));
    QVERIFY(!csvText.contains(m_memberIds[0].toUtf8() + ',')); // marked false positive: not confirmed
    QVERIFY2(dialog->resultLabel()->text().contains(exportfiles::sha256OfFile(dialog->stixPath())),
             qPrintable(dialog->resultLabel()->text()));
    QCOMPARE(m_ws->auditLogView()->model()->rowCount(), auditBefore + 3);
    QCOMPARE(m_ws->auditLogView()->model()->index(0, AuditLogModel::Action).data().toString(), QStringLiteral("export"));

    // Nothing chosen: refused with a sentence, nothing started.
    dialog->setExports(false, false, false);
    QVERIFY(!dialog->startExport());
    QCOMPARE(dialog->resultLabel()->text(), QStringLiteral("Choose at least one export."));
    dialog->setExports(true, true, true);
    QVERIFY(dialog->startExport());
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isRunning(), 60000);
}

void TestCaseWorkspace::screenshots()
{
    const QString dir = test::outputDir();
    auto shoot = [&](QWidget* w, const QString& name) {
        QVERIFY2(w->grab().save(dir + QLatin1Char('/') + name), qPrintable(name));
    };
    m_ws->pinsPanel()->list()->setCurrentRow(1);
    for (const char* name : {"caseNotesDock", "pinsDock", "auditLogDock"}) {
        QDockWidget* d = dock(name);
        d->raise();
        QTest::qWait(20);
        shoot(d, QStringLiteral("case-%1.png").arg(QString::fromLatin1(name)));
    }
    shoot(m_window.get(), QStringLiteral("case-window.png"));
    shoot(m_ws->showExportReport(), QStringLiteral("case-export-report.png"));
    shoot(m_ws->showExportData(), QStringLiteral("case-export-data.png"));
    std::unique_ptr<QMenu> menu(m_ws->reviewActions()->createContextMenu(m_window.get()));
    menu->adjustSize();
    shoot(menu.get(), QStringLiteral("case-review-menu.png"));
}

void TestCaseWorkspace::workspaceLeavesWithItsDocks()
{
    m_tester.reset();
    delete m_ws;
    m_ws = nullptr;
    for (const char* name : {"caseNotesDock", "pinsDock", "auditLogDock"})
        QVERIFY(!dock(name));
    QVERIFY(m_editMenu->actions().isEmpty()); // the menus are as the main window made them
    QCOMPARE(m_fileMenu->actions().size(), 1);
    // Reopening the case shows the same notes, pins and log (everything lives in the case).
    QString error;
    m_ws = CaseWorkspace::open(m_db, m_window.get(), &error);
    QVERIFY2(m_ws, qPrintable(error));
    m_ws->attach(m_window.get(), m_editMenu, m_fileMenu);
    QCOMPARE(m_ws->pinsPanel()->list()->count(), 2);
    QCOMPARE(qobject_cast<QLineEdit*>(m_ws->notesPanel()->fieldWidget(NoteField::CaseId))->text(), kCaseId);
    QVERIFY(m_ws->auditLogView()->model()->rowCount() > 10);
    QVERIFY(!m_ws->undoAction()->isEnabled()); // a fresh undo history per session
}

void TestCaseWorkspace::cleanupTestCase()
{
    m_tester.reset();
    delete m_ws;
    m_window.reset();
}

QTEST_MAIN(TestCaseWorkspace)
#include "tst_case_workspace.moc"
