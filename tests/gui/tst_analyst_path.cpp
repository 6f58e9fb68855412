// The analyst's whole path through the real main window, as a person takes it (issue 16): open logs from the
// File menu, pick the top network, read why it was flagged, confirm it, run detection again from the Analysis
// menu, export the PDF from the report dialog. Each step leaves a screenshot and the report's pages become PNGs
// (pdftoppm) in test-output/analyst-path-*, to be read as a reviewer would. Run it under xvfb-run with
// QT_QPA_PLATFORM=xcb to see it on a real X server; CTest runs it offscreen.
#include "GuiSupport.h"
#include "TestSupport.h"

#include "MainWindow.h"
#include "case/CaseEditor.h"
#include "case/CaseFindings.h"
#include "case/CaseWorkspace.h"
#include "case/ExportReportDialog.h"
#include "core/CaseDatabase.h"
#include "models/PagedTableModel.h"
#include "views/DataTableView.h"
#include "views/EvidenceView.h"
#include "views/TemplatesPanel.h"

#include <QAction>
#include <QDialog>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMenuBar>
#include <QProcess>
#include <QPushButton>
#include <QTableView>
#include <QTableWidget>
#include <QTabWidget>
#include <QtTest>

#include <memory>

using namespace ds;
using ds::test::settled;

class TestAnalystPath : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void openLogsFromTheFileMenu();
    void pickTheTopNetworkAndReadWhy();
    void confirmIt();
    void runDetectionAgain();
    void exportTheReport();
    void cleanupTestCase();

private:
    QAction* menuAction(const QString& menu, const QString& text) const;
    QString cell(int row, const QString& header) const;
    void shot(const QString& name, QWidget* w = nullptr);

    std::unique_ptr<test::ScratchDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
    QString m_label; // the top network's name when confirmed
    int m_questions = 0;
};

QAction* TestAnalystPath::menuAction(const QString& menu, const QString& text) const
{
    for (QAction* top : m_window->menuBar()->actions())
        if (top->text().remove(QLatin1Char('&')) == menu && top->menu())
            for (QAction* a : top->menu()->actions())
                if (a->text().remove(QLatin1Char('&')) == text)
                    return a;
    return nullptr;
}

QString TestAnalystPath::cell(int row, const QString& header) const
{
    PagedTableModel* m = m_window->clustersView()->model();
    for (int c = 0; c < m->columnCount(); ++c)
        if (m->headerData(c, Qt::Horizontal).toString() == header)
            return m->index(row, c).data().toString();
    return {};
}

void TestAnalystPath::shot(const QString& name, QWidget* w)
{
    QVERIFY((w ? w : m_window.get())->grab().save(test::outputDir() + QStringLiteral("/analyst-path-%1.png").arg(name)));
}

void TestAnalystPath::initTestCase()
{
    test::useTestSettings();
    m_dir = std::make_unique<test::ScratchDir>();
    const test::CliResult sim = test::simulate(m_dir->path(), QStringLiteral("small"), 5);
    QVERIFY2(sim.exitCode == 0, sim.err.constData());
    m_window = test::showMainWindow(m_dir->path());
    QVERIFY(m_window);
    // The file dialog a person would fill in: the logs, and the accounts file beside them.
    m_window->setFileDialogHook([this](const QString&, const QString&, bool) {
        return QStringList{m_dir->file(QStringLiteral("requests.jsonl.gz")), m_dir->file(QStringLiteral("accounts.csv"))};
    });
    m_window->setQuestionHook([this](const QString&, const QString&) {
        ++m_questions;
        return true;
    });
}

void TestAnalystPath::openLogsFromTheFileMenu()
{
    QAction* open = menuAction(QStringLiteral("File"), QStringLiteral("Open logs…"));
    QVERIFY(open);
    open->trigger();
    // The preview a person reads before anything is written, then Import.
    QDialog* preview = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((preview = m_window->findChild<QDialog*>(QStringLiteral("importPreview"))) && preview->isVisible(), 20000);
    auto* import = preview->findChild<QPushButton*>(QStringLiteral("previewImport"));
    QVERIFY(import);
    QTRY_VERIFY_WITH_TIMEOUT(import->isEnabled(), 60000);
    shot(QStringLiteral("0-preview"), preview);
    QTest::mouseClick(import, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->analysis()->isBusy(), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->analysis()->state(), AnalysisController::State::Complete, 120000);
    auto* clusters = m_window->clustersView()->model();
    QTRY_VERIFY_WITH_TIMEOUT(settled(clusters) && clusters->rowCount() > 0 && clusters->rowId(0) != 0, 60000);
    QVERIFY(m_window->windowTitle().contains(QStringLiteral("Distillscope")));
    shot(QStringLiteral("1-opened"));
}

void TestAnalystPath::pickTheTopNetworkAndReadWhy()
{
    auto* clusters = m_window->clustersView()->model();
    QCOMPARE(cell(0, QStringLiteral("Rank")), QStringLiteral("1"));
    QCOMPARE(cell(0, QStringLiteral("Review")), QStringLiteral("Unreviewed"));
    m_label = cell(0, QStringLiteral("Cluster"));
    QTableView* table = m_window->clustersView()->table();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(clusters->index(0, 1)).center());
    QTRY_COMPARE(m_window->selectedCluster(), clusters->rowId(0));
    EvidenceView* evidence = m_window->evidenceView();
    QTRY_VERIFY_WITH_TIMEOUT(evidence->reasonsList()->count() > 0, 60000);
    // Why, in sentences: no internal names.
    for (int i = 0; i < evidence->reasonsList()->count(); ++i) {
        const QString reason = evidence->reasonsList()->item(i)->text();
        QVERIFY2(!reason.contains(QStringLiteral("SimHash")) && !reason.contains(QStringLiteral(" CV ")), qPrintable(reason));
    }
    if (QDockWidget* d = m_window->dock(QStringLiteral("evidenceDock")))
        d->raise();
    shot(QStringLiteral("2-why"));
    // The Templates tab's first template is the one the network's name gives, when it gives one.
    if (!evidence->data().templates.isEmpty() && m_label.contains(QStringLiteral("; template ")))
        QCOMPARE(m_label.section(QStringLiteral("; template "), 1), evidence->data().templates.first().name.words);
    // "139 of the 143 accounts …" under a title of 150 accounts: the view says what each number counts, in the
    // report's words (detect/MemberCounts.h).
    const qint64 core = test::queryInt(m_window->analysis()->casePath(),
                                       QStringLiteral("SELECT json_extract(evidence_json, '$.accounts') FROM reason WHERE run = %1 AND "
                                                      "subject_kind = 'cluster' AND subject = %2 AND key = 'hydra'")
                                           .arg(m_window->investigation().run)
                                           .arg(m_window->selectedCluster())
                                           .toUtf8()
                                           .constData());
    const qint64 all = test::queryInt(m_window->analysis()->casePath(),
                                      QStringLiteral("SELECT count(*) FROM cluster_member WHERE run = %1 AND cluster = %2")
                                          .arg(m_window->investigation().run)
                                          .arg(m_window->selectedCluster())
                                          .toUtf8()
                                          .constData());
    QVERIFY2(core > 0 && core < all, "the top network has no accounts beyond its core: the check proves nothing");
    QLabel* counts = evidence->memberCountsLabel();
    QVERIFY(counts->isVisible());
    const QString says = QStringLiteral("The reasons count the %1 accounts of its core, the accounts detection linked to each other "
                                        "first; the other %2 joined later: ")
                             .arg(QLocale(QLocale::English).toString(core), QLocale(QLocale::English).toString(all - core));
    QVERIFY2(counts->text().startsWith(says), qPrintable(counts->text()));
    evidence->tabs()->setCurrentWidget(evidence->templatesPanel());
    QTRY_VERIFY_WITH_TIMEOUT(evidence->templatesPanel()->groupsLoaded(), 60000);
    shot(QStringLiteral("3-templates"), evidence);
}

void TestAnalystPath::confirmIt()
{
    auto* confirm = m_window->findChild<QAction*>(QStringLiteral("reviewConfirm"));
    QVERIFY(confirm);
    QTRY_VERIFY(confirm->isEnabled());
    confirm->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(cell(0, QStringLiteral("Review")), QStringLiteral("Confirmed"), 20000);
    shot(QStringLiteral("4-confirmed"), m_window->dock(QStringLiteral("clustersDock")));
}

void TestAnalystPath::runDetectionAgain()
{
    QAction* run = menuAction(QStringLiteral("Analysis"), QStringLiteral("Run detection"));
    QVERIFY(run);
    const int asked = m_questions;
    run->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(m_questions, asked + 1, 20000); // warned first: a verdict exists
    QTRY_VERIFY_WITH_TIMEOUT(m_window->analysis()->isBusy(), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->analysis()->state(), AnalysisController::State::Complete, 120000);
    auto* clusters = m_window->clustersView()->model();
    const qint64 latest = test::queryInt(m_window->analysis()->casePath(), "SELECT max(id) FROM detection_run");
    QTRY_VERIFY_WITH_TIMEOUT(m_window->investigation().run == latest && settled(clusters) && clusters->rowCount() > 0, 60000);
    // The verdict carried: the top network of the new run is still Confirmed.
    QTRY_COMPARE_WITH_TIMEOUT(cell(0, QStringLiteral("Review")), QStringLiteral("Confirmed"), 20000);
    shot(QStringLiteral("5-rerun"));
}

void TestAnalystPath::exportTheReport()
{
    CaseWorkspace* workspace = nullptr; // read once: the window keeps it in a QPointer
    QTRY_VERIFY_WITH_TIMEOUT((workspace = m_window->caseWorkspace()) && workspace->editor(), 20000);
    CaseEditor* editor = workspace->editor();
    editor->setNote(NoteField::Analyst, QStringLiteral("A. Analyst"));
    editor->setNote(NoteField::CaseId, QStringLiteral("TS-2026-0107"));
    editor->setNote(NoteField::Title, QStringLiteral("Agent-task harvest on the coding API"));
    editor->setNote(NoteField::Summary, QStringLiteral("Confirmed as a distillation campaign: the accounts share payment details and "
                                                       "infrastructure and take over from each other."));
    QAction* exportReport = m_window->findChild<QAction*>(QStringLiteral("exportReport"));
    QVERIFY(exportReport);
    exportReport->trigger();
    auto* dialog = m_window->findChild<ExportReportDialog*>(QStringLiteral("exportReportDialog"));
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    const QString pdf = m_dir->file(QStringLiteral("analyst-path.report.pdf"));
    dialog->setPdfPath(pdf);
    shot(QStringLiteral("6-export-dialog"), dialog);
    QSignalSpy finished(dialog, &ExportReportDialog::reportFinished);
    auto* start = dialog->findChild<QPushButton*>(QStringLiteral("startReport"));
    QVERIFY(start);
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(finished.wait(120000));
    QVERIFY(QFile::exists(pdf));
    dialog->close();

    // Page 1 states the verdicts the case holds after the re-run.
    QProcess text;
    text.start(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
    QVERIFY(text.waitForFinished(60000));
    const QString all = QString::fromUtf8(text.readAllStandardOutput());
    const QString first = all.section(QLatin1Char('\f'), 0, 0).simplified();
    SqliteDb db = CaseDatabase::openForReading(m_window->analysis()->casePath());
    const CaseFindings f = loadFindings(db);
    QCOMPARE(int(f.networks.size()), 1);
    QVERIFY2(first.contains(QStringLiteral("The analyst confirmed one network")), qPrintable(first));
    QVERIFY2(first.contains(QStringLiteral("the analyst confirmed 1")), qPrintable(first));
    QVERIFY2(first.contains(QStringLiteral("Confirmed as a distillation campaign")), qPrintable(first));
    QVERIFY2(first.contains(QStringLiteral("A. Analyst")), qPrintable(first));
    // One figure for one thing on page 1: the sentence's requests and the table's row of the one network agree (the
    // table showed the detector's count of its run, 13 requests fewer than the sentence's).
    qint64 requests = 0;
    for (const auto& acc : f.accounts)
        requests += acc.requests;
    const QString figure = QLocale(QLocale::English).toString(requests);
    QVERIFY2(first.count(figure) >= 2, qPrintable(figure + QLatin1Char('\n') + first));
    // The network's own page gives the same figure beside the same "150 accounts" (it gave its core's count).
    const QString networkPage = all.section(QStringLiteral("Why it was flagged"), 0, 0).section(QLatin1Char('\f'), -1).simplified();
    QVERIFY2(networkPage.contains(figure + QStringLiteral(" requests,")),
             qPrintable(figure + QLatin1Char('\n') + networkPage));

    // The pages as images, to be read.
    const QString out = test::outputDir() + QStringLiteral("/analyst-path-report");
    for (const QString& old : QDir(test::outputDir()).entryList({QStringLiteral("analyst-path-report-*.png")}))
        QFile::remove(test::outputDir() + QLatin1Char('/') + old);
    QProcess pages;
    pages.start(QStringLiteral("pdftoppm"), {QStringLiteral("-r"), QStringLiteral("70"), QStringLiteral("-png"), pdf, out});
    QVERIFY(pages.waitForFinished(120000));
    QCOMPARE(pages.exitCode(), 0);
    QFile::remove(test::outputDir() + QStringLiteral("/analyst-path.report.pdf"));
    QVERIFY(QFile::copy(pdf, test::outputDir() + QStringLiteral("/analyst-path.report.pdf")));
}

void TestAnalystPath::cleanupTestCase()
{
    m_window.reset();
}

QTEST_MAIN(TestAnalystPath)
#include "tst_analyst_path.moc"
