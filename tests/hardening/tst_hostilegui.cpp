// The desktop application and the PDF report on a log full of attacker-controlled text
// (hostileLog(): account ids, user agents, models, organisations, keys and prompts with
// direction overrides, control characters, markup, and a 1 MB prompt). Every view that shows
// such text shows it as plain, neutralised text: no label in rich text, no HTML delegate, every
// tooltip escaped, no control or direction character left to reorder or hide anything (only
// the application's own balanced FSI…PDI isolates). The megabyte prompt is shown whole without
// stalling the window. The report prints the strings literally and cuts the huge prompt with a
// note. Screenshots and the report's pages go to the test output folder. Test thread only.
#include "MainWindow.h"
#include "GuiSupport.h"
#include "TestSupport.h"
#include "case/AuditLogView.h"
#include "case/CaseEditor.h"
#include "case/CaseNotesPanel.h"
#include "case/CaseWorkspace.h"
#include "case/ExportReportDialog.h"
#include "case/PinsPanel.h"
#include "charts/TimelineView.h"
#include "core/CaseDatabase.h"
#include "graph/LinkGraphView.h"
#include "models/PagedTableModel.h"
#include "report/ReportJob.h"
#include "text/DisplayText.h"
#include "util/StallProbe.h"
#include "views/DataTableView.h"
#include "views/EvidenceView.h"
#include "views/QuarantinePanel.h"
#include "views/RequestViewer.h"

#include <QAbstractButton>
#include <QAction>
#include <QClipboard>
#include <QDockWidget>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsTextItem>
#include <QGraphicsView>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListView>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTableWidget>
#include <QTest>
#include <QTextDocument>
#include <QWheelEvent>
#include <memory>
#include <qcustomplot.h>

using namespace ds;
using ds::test::settled;

namespace {

// Differing copies of the campaign's first requests imported beside the hostile log.
constexpr int kConflictingCopies = 6;

// Why `text` is not safe to show (one line, or several with `lines`), or an empty string. Safe: no
// control character, no direction control and no invisible formatting character, except balanced
// FSI … PDI pairs (the application isolates values inside sentences with them).
QString unsafeReason(const QString& text, bool lines)
{
    int isolates = 0;
    for (const uint c : text.toUcs4()) {
        if (c == 0x2068) {
            ++isolates;
            continue;
        }
        if (c == 0x2069) {
            if (--isolates < 0)
                return QStringLiteral("a PDI without its FSI");
            continue;
        }
        if (lines && (c == '\n' || c == '\t' || c == 0x200C || c == 0x200D))
            continue;
        if (c < 0x20 || (c >= 0x7F && c < 0xA0))
            return QStringLiteral("control character U+%1").arg(c, 4, 16, QLatin1Char('0'));
        if (displaytext::isBidiControl(c) || QChar::category(char32_t(c)) == QChar::Other_Format || c == 0x2028
            || c == 0x2029)
            return QStringLiteral("direction or invisible character U+%1").arg(c, 4, 16, QLatin1Char('0'));
    }
    return isolates ? QStringLiteral("an FSI never closed") : QString();
}

// A tooltip is safe when Qt shows it as plain text (and it is neutralised), or when it is
// displaytext::tooltip's paragraph with everything inside escaped.
QString unsafeTooltip(const QString& tip)
{
    if (tip.isEmpty())
        return {};
    if (!Qt::mightBeRichText(tip))
        return unsafeReason(tip, true);
    const QString open = QStringLiteral("<p style=\"white-space:pre-wrap\">");
    if (!tip.startsWith(open) || !tip.endsWith(QLatin1String("</p>")))
        return QStringLiteral("rich-text tooltip not made by displaytext::tooltip");
    QString inner = tip.mid(open.size(), tip.size() - open.size() - 4);
    inner.replace(QLatin1String("<br>"), QLatin1String("\n"));
    if (inner.contains(QLatin1Char('<')) || inner.contains(QLatin1Char('>')))
        return QStringLiteral("unescaped markup in a tooltip");
    return unsafeReason(inner, true);
}

QString describe(const QObject* o)
{
    QStringList path;
    for (; o; o = o->parent())
        if (!o->objectName().isEmpty())
            path.prepend(o->objectName());
    return path.join(QLatin1Char('/'));
}

} // namespace

class TestHostileGui : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void clustersAndAccounts();
    void accountEvidenceAndGraph();
    void hugePromptWithoutStall();
    void timelineLegendBesideTheBars();
    void casePanels();
    void quarantine();
    void reportPrintsLiterally();
    void caseOpensOffTheGuiThread();
    void cleanupTestCase();

private:
    // Checks every text-showing widget of the window; counts the texts that quote the hostile log.
    void checkWindow(const QString& stage, int* hostileTexts = nullptr);
    // `lines`: the view shows items of several lines (the pins list).
    void checkModel(QAbstractItemModel* model, const QString& where, int& hostile, bool lines = false);
    void shoot(const char* dockName, const QString& file);
    qint64 accountRowId(const QString& accountId);
    qint64 requestRowId(const QString& requestId);

    std::unique_ptr<test::ScratchDir> m_dir;
    test::HostileLog m_log;
    std::unique_ptr<MainWindow> m_window;
    QString m_case;
    QStringList m_hostile;
};

void TestHostileGui::initTestCase()
{
    test::useTestSettings();
    m_dir = std::make_unique<test::ScratchDir>();
    m_log = test::hostileLog(1 << 20);
    m_hostile = test::hostileStrings();
    const QString requests = m_dir->write(QStringLiteral("hostile.jsonl"), m_log.requestsJsonl);
    const QString accounts = m_dir->write(QStringLiteral("hostile-accounts.csv"), m_log.accountsCsv);
    // Other copies of the campaign's first requests, with hostile accounts and prompts: conflicts (issue 17).
    QByteArray copies;
    for (int a = 0; a < kConflictingCopies; ++a)
        copies += QJsonDocument(QJsonObject{{QStringLiteral("request_id"), QStringLiteral("hostile-%1-0").arg(a)},
                                            {QStringLiteral("timestamp"), static_cast<qint64>(1714564800000)},
                                            {QStringLiteral("account_id"), m_hostile[(a + 1) % m_hostile.size()]},
                                            {QStringLiteral("prompt"), m_hostile[(a + 2) % m_hostile.size()]}})
                      .toJson(QJsonDocument::Compact)
                  + '\n';
    const QString conflicts = m_dir->write(QStringLiteral("hostile-conflicts.jsonl"), copies);
    m_window = test::showMainWindow(m_dir->path());
    QVERIFY(m_window);
    m_window->openLogs({ requests, accounts, conflicts });
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->analysis()->casePath().isEmpty()
                                 && m_window->analysis()->state() == AnalysisController::State::Complete,
                             120000);
    m_case = m_window->analysis()->casePath();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->caseWorkspace(), 30000);
    PagedTableModel* clusters = m_window->clustersView()->model();
    QTRY_VERIFY_WITH_TIMEOUT(settled(clusters) && clusters->rowCount() >= 1 && clusters->rowId(0) > 0, 30000);
}

qint64 TestHostileGui::accountRowId(const QString& accountId)
{
    SqliteDb db = CaseDatabase::openForReading(m_case);
    SqliteStatement st(db, "SELECT id FROM account WHERE account_id = ?");
    st.bindText(1, accountId);
    return st.step() ? st.columnInt(0) : 0;
}

qint64 TestHostileGui::requestRowId(const QString& requestId)
{
    SqliteDb db = CaseDatabase::openForReading(m_case);
    SqliteStatement st(db, "SELECT id FROM request_text WHERE request_id = ?");
    st.bindText(1, requestId);
    return st.step() ? st.columnInt(0) : 0;
}

void TestHostileGui::checkModel(QAbstractItemModel* model, const QString& where, int& hostile, bool lines)
{
    const int rows = std::min(model->rowCount(), 300);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < model->columnCount(); ++c) {
            const QModelIndex index = model->index(r, c);
            const QString text = index.data(Qt::DisplayRole).toString();
            const QString why = unsafeReason(text, lines);
            QVERIFY2(why.isEmpty(),
                     qPrintable(QStringLiteral("%1 row %2 column %3: %4 in \"%5\"")
                                    .arg(where)
                                    .arg(r)
                                    .arg(c)
                                    .arg(why, text.left(80))));
            // Cells are cut: a megabyte value never reaches a cell whole.
            QVERIFY2(
                text.size() <= 2100,
                qPrintable(
                    QStringLiteral("%1 row %2 column %3: %4 characters").arg(where).arg(r).arg(c).arg(text.size())));
            const QString tipWhy = unsafeTooltip(index.data(Qt::ToolTipRole).toString());
            QVERIFY2(
                tipWhy.isEmpty(),
                qPrintable(QStringLiteral("%1 row %2 column %3 tooltip: %4").arg(where).arg(r).arg(c).arg(tipWhy)));
            hostile += text.contains(QChar(0x2039)) || text.contains(QLatin1String("<b>bold</b>"));
        }
}

void TestHostileGui::checkWindow(const QString& stage, int* hostileTexts)
{
    int hostile = 0;
    // The message is built only when the check fails.
#define CHECK(condition, object, why)                                                                                  \
    do {                                                                                                               \
        if (!(condition))                                                                                              \
            QFAIL(QStringLiteral("%1: %2 (%3): %4")                                                                    \
                      .arg(stage, describe(object), QString::fromLatin1((object)->metaObject()->className()), why)     \
                      .toLocal8Bit()                                                                                   \
                      .constData());                                                                                   \
    } while (false)
    // Labels: plain text only, whatever they show.
    for (QLabel* l : m_window->findChildren<QLabel*>()) {
        if (!l->text().isEmpty() && l->pixmap().isNull()) {
            CHECK(l->textFormat() == Qt::PlainText, l,
                  QStringLiteral("label not in Qt::PlainText: ") + l->text().left(60));
            CHECK(unsafeReason(l->text(), true).isEmpty(), l, unsafeReason(l->text(), true));
            hostile += l->text().contains(QChar(0x2039));
        }
    }
    // Tooltips of every widget and every action.
    for (QWidget* w : m_window->findChildren<QWidget*>())
        CHECK(unsafeTooltip(w->toolTip()).isEmpty(), w, unsafeTooltip(w->toolTip()));
    for (QAction* a : m_window->findChildren<QAction*>()) {
        CHECK(unsafeTooltip(a->toolTip()).isEmpty(), a, unsafeTooltip(a->toolTip()));
        CHECK(unsafeReason(a->text(), false).isEmpty(), a, unsafeReason(a->text(), false));
    }
    // Item views: the default delegate (it paints plain text), neutralised cells and escaped tooltips.
    for (QAbstractItemView* v : m_window->findChildren<QAbstractItemView*>()) {
        if (!v->model() || qobject_cast<QHeaderView*>(v))
            continue; // headers show the application's own column titles
        CHECK(!v->itemDelegate() || qstrcmp(v->itemDelegate()->metaObject()->className(), "QStyledItemDelegate") == 0,
              v, QStringLiteral("custom delegate"));
        for (int c = 0; c < v->model()->columnCount(); ++c)
            CHECK(!v->itemDelegateForColumn(c), v, QStringLiteral("a column delegate"));
        checkModel(v->model(), stage + QStringLiteral(": ") + describe(v), hostile,
                   qobject_cast<QListView*>(v) != nullptr);
        if (QTest::currentTestFailed())
            return;
    }
    // Read-only text boxes (prompts, examples): neutralised, lines kept. The notes editors are the analyst's own.
    for (QPlainTextEdit* e : m_window->findChildren<QPlainTextEdit*>()) {
        if (!e->isReadOnly())
            continue;
        const QString text = e->toPlainText();
        CHECK(unsafeReason(text, true).isEmpty(), e, unsafeReason(text, true));
        hostile += text.contains(QChar(0x2039));
    }
    // Graph scenes: simple (plain) text items only, neutralised; tooltips escaped.
    for (QGraphicsView* gv : m_window->findChildren<QGraphicsView*>()) {
        if (!gv->scene())
            continue;
        for (QGraphicsItem* item : gv->scene()->items()) {
            CHECK(!dynamic_cast<QGraphicsTextItem*>(item), gv, QStringLiteral("a QGraphicsTextItem (rich text)"));
            if (auto* t = dynamic_cast<QGraphicsSimpleTextItem*>(item)) {
                CHECK(unsafeReason(t->text(), false).isEmpty(), gv,
                      unsafeReason(t->text(), false) + QStringLiteral(" in ") + t->text().left(40));
                hostile += t->text().contains(QChar(0x2039));
            }
            CHECK(unsafeTooltip(item->toolTip()).isEmpty(), gv, unsafeTooltip(item->toolTip()));
        }
    }
    // Charts: series names (the legend) and text items.
    for (QCustomPlot* plot : m_window->findChildren<QCustomPlot*>()) {
        for (int i = 0; i < plot->plottableCount(); ++i) {
            const QString name = plot->plottable(i)->name();
            CHECK(unsafeReason(name, false).isEmpty(), plot, unsafeReason(name, false));
            hostile += name.contains(QChar(0x2039));
        }
        for (int i = 0; i < plot->itemCount(); ++i)
            if (auto* t = qobject_cast<QCPItemText*>(plot->item(i)))
                CHECK(unsafeReason(t->text(), true).isEmpty(), plot, unsafeReason(t->text(), true));
    }
#undef CHECK
    if (hostileTexts)
        *hostileTexts = hostile;
}

void TestHostileGui::shoot(const char* dockName, const QString& file)
{
    if (QDockWidget* d = m_window->dock(QString::fromLatin1(dockName))) {
        d->show();
        d->raise();
    }
    QTest::qWait(250); // queued replots and repaints
    QVERIFY(m_window->grab().save(test::outputDir() + QLatin1Char('/') + file));
}

void TestHostileGui::clustersAndAccounts()
{
    DataTableView* clusters = m_window->clustersView();
    QTableView* table = clusters->table();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
                      table->visualRect(clusters->model()->index(0, 0)).center());
    PagedTableModel* accounts = m_window->accountsView()->model();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->selectedCluster() > 0 && settled(accounts)
                                 && accounts->scope().accountsRestricted && accounts->rowCount() > 0
                                 && accounts->rowId(accounts->rowCount() - 1) > 0,
                             30000);
    QTRY_VERIFY_WITH_TIMEOUT(
        !m_window->evidenceView()->isLoading() && !m_window->evidenceView()->data().subject.isEmpty(), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->timelineView()->isLoading(), 30000);
    int hostile = 0;
    checkWindow(QStringLiteral("network selected"), &hostile);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(hostile > 10, "the hostile ids are on screen, as visible marks");
    // Every hostile account of the campaign is listed, each in one cut, neutralised cell.
    int column = -1;
    for (int c = 0; c < accounts->columnCount(); ++c)
        if (accounts->headerData(c, Qt::Horizontal).toString() == QLatin1String("Account"))
            column = c;
    QVERIFY(column >= 0);
    QStringList shown;
    for (int r = 0; r < accounts->rowCount(); ++r)
        shown << accounts->index(r, column).data().toString();
    QVERIFY2(shown.contains(QStringLiteral("acct-\u2039RLO\u203Agpj.exe")),
             qPrintable(shown.join(QLatin1String(" | "))));
    QVERIFY(shown.contains(QStringLiteral("<b>bold</b><script>alert('x')</script>&amp;&lt;")));
    for (const QString& s : shown)
        QVERIFY2(s.size() <= 302, "a 4096-character id is cut in its cell");
    shoot("evidenceDock", QStringLiteral("hostile-network.png"));
}

void TestHostileGui::accountEvidenceAndGraph()
{
    const qint64 rlo = accountRowId(m_hostile.first());
    QVERIFY(rlo > 0);
    m_window->focusAccount(rlo);
    EvidenceView* evidence = m_window->evidenceView();
    QTRY_VERIFY_WITH_TIMEOUT(!evidence->isLoading() && evidence->data().memberCount == 1, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(
        settled(m_window->requestsView()->model()) && m_window->requestsView()->model()->rowCount() > 0, 30000);
    // The evidence title isolates the id: the override is a visible mark inside an FSI … PDI pair.
    bool isolatedTitle = false;
    for (QLabel* l : evidence->findChildren<QLabel*>())
        isolatedTitle |= l->text().contains(QStringLiteral("\u2068account acct-\u2039RLO\u203Agpj.exe\u2069"));
    QVERIFY2(isolatedTitle, "the evidence title shows the account id isolated, with the override as a mark");
    for (int tab = 0; tab < evidence->tabs()->count(); ++tab) {
        evidence->tabs()->setCurrentIndex(tab);
        checkWindow(QStringLiteral("account evidence, tab %1").arg(tab));
        if (QTest::currentTestFailed())
            return;
    }
    evidence->tabs()->setCurrentIndex(1);
    shoot("evidenceDock", QStringLiteral("hostile-account-shared.png"));
    evidence->tabs()->setCurrentIndex(2);
    shoot("evidenceDock", QStringLiteral("hostile-account-templates.png"));
    evidence->tabs()->setCurrentIndex(0);

    // The link graph of the network: labels are plain simple-text items. The network's members load in
    // the background and then narrow every view: wait for that (the evidence shows the network again),
    // so that it cannot land after the next test focused an account.
    m_window->selectCluster(m_window->selectedCluster());
    QTRY_VERIFY_WITH_TIMEOUT(!evidence->isLoading() && evidence->data().memberCount > 1, 30000);
    LinkGraphView* graph = m_window->graphView();
    QTRY_VERIFY_WITH_TIMEOUT(!graph->isLoading()
                                 && graph->findChildren<QGraphicsView*>().first()->scene()->items().size() > 2,
                             30000);
    checkWindow(QStringLiteral("link graph"));
    shoot("graphDock", QStringLiteral("hostile-graph.png"));
    // Zoomed in, the node labels (account ids) appear.
    QGraphicsView* view = graph->findChildren<QGraphicsView*>().first();
    const QPointF centre = QPointF(view->viewport()->rect().center());
    QWheelEvent wheel(centre, view->viewport()->mapToGlobal(centre), {}, { 0, 480 }, Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(view->viewport(), &wheel);
    shoot("graphDock", QStringLiteral("hostile-graph-zoomed.png"));
}

void TestHostileGui::hugePromptWithoutStall()
{
    const qint64 account = accountRowId(m_hostile.first());
    const qint64 huge = requestRowId(m_log.hugePromptRequestId);
    QVERIFY(huge > 0);
    m_window->focusAccount(account);
    PagedTableModel* requests = m_window->requestsView()->model();
    int row = -1;
    QTRY_VERIFY_WITH_TIMEOUT(
        settled(requests) && requests->scope().accounts == std::vector<std::int64_t> { account } &&
            [&] {
                for (int r = 0; r < requests->rowCount(); ++r)
                    if (requests->rowId(r) == huge)
                        row = r;
                return row >= 0;
            }(),
        30000);
    // The table shows the start of the prompt, cut and neutralised.
    int promptColumn = -1;
    for (int c = 0; c < requests->columnCount(); ++c)
        if (requests->headerData(c, Qt::Horizontal).toString() == QLatin1String("Prompt"))
            promptColumn = c;
    QVERIFY(promptColumn >= 0);
    const QString cell = requests->index(row, promptColumn).data().toString();
    QVERIFY2(cell.size() < 600 && cell.contains(QStringLiteral("\u2039RLO\u203A")), qPrintable(cell.left(100)));

    // Select it as the analyst does and measure the longest event-loop stall until it is shown and laid out.
    if (QDockWidget* d = m_window->dock(QStringLiteral("requestViewerDock")))
        d->raise();
    RequestViewer* viewer = m_window->requestViewer();
    QSignalSpy loaded(viewer, &RequestViewer::loaded);
    StallProbe probe;
    probe.start();
    QTableView* table = m_window->requestsView()->table();
    table->scrollTo(requests->index(row, 0));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(requests->index(row, 0)).center());
    QTRY_VERIFY_WITH_TIMEOUT(viewer->detail().id == huge && !loaded.isEmpty(), 30000);
    QTest::qWait(200);
    // Resizing re-lays the text out: a megabyte on one line took about half a second each time.
    m_window->resize(1500, 1000);
    QTest::qWait(150);
    m_window->resize(1600, 1000);
    viewer->promptEdit()->verticalScrollBar()->setValue(viewer->promptEdit()->verticalScrollBar()->maximum());
    QTest::qWait(200);
    probe.stop();
    qInfo("longest event-loop stall while showing the %lld-character prompt: %lld ms", qint64(m_log.hugePrompt.size()),
          probe.longestStallMs());
    QVERIFY2(probe.longestStallMs() < 250,
             qPrintable(QStringLiteral("the window stalled %1 ms").arg(probe.longestStallMs())));

    // Shown whole (marks make it longer, broken lines add newlines), neutralised, and copied exactly.
    const QString shown = viewer->promptEdit()->toPlainText();
    QVERIFY(QString(shown).remove(QLatin1Char('\n')).size() >= m_log.hugePrompt.size());
    QVERIFY(shown.contains(QStringLiteral("<table><tr><td>\u2039RLO\u203A")));
    QVERIFY(shown.contains(QLatin1String("<b>not bold</b>")));
    QVERIFY(viewer->promptLabel()->text().contains(QLatin1String("characters")));
    viewer->copyPrompt();
    QCOMPARE(QGuiApplication::clipboard()->text(), m_log.hugePrompt);
    checkWindow(QStringLiteral("huge prompt"));
    shoot("requestViewerDock", QStringLiteral("hostile-request.png"));
}

void TestHostileGui::timelineLegendBesideTheBars()
{
    TimelineView* timeline = m_window->timelineView();
    if (QDockWidget* d = m_window->dock(QStringLiteral("timelineDock")))
        d->raise();
    QTRY_VERIFY_WITH_TIMEOUT(!timeline->isLoading() && timeline->data().requests > 0, 30000);
    QTest::qWait(200);
    QCustomPlot* plot = timeline->plot();
    plot->replot();
    QVERIFY(plot->legend->visible());
    // The legend is laid out under the plot: it covers no bar.
    QVERIFY2(!plot->legend->outerRect().intersects(plot->axisRect()->rect()),
             qPrintable(QStringLiteral("legend %1,%2 %3x%4 over the plot")
                            .arg(plot->legend->outerRect().x())
                            .arg(plot->legend->outerRect().y())
                            .arg(plot->legend->outerRect().width())
                            .arg(plot->legend->outerRect().height())));
    QVERIFY(plot->legend->outerRect().top() >= plot->axisRect()->rect().bottom());
    checkWindow(QStringLiteral("timeline"));
    shoot("timelineDock", QStringLiteral("hostile-timeline.png"));
}

void TestHostileGui::casePanels()
{
    CaseWorkspace* ws = m_window->caseWorkspace();
    QVERIFY(ws);
    // Notes that quote the attacker, and evidence pinned from the views with hostile accounts.
    ws->editor()->setNote(NoteField::Title, QStringLiteral("Campaign ") + m_hostile[1]);
    ws->editor()->setNote(NoteField::Summary, m_hostile.join(QStringLiteral(" | ")));
    ws->editor()->setNote(NoteField::FreeText, m_hostile.join(QLatin1Char('\n')));
    const qint64 rlo = accountRowId(m_hostile.first());
    m_window->selectCluster(m_window->selectedCluster());
    EvidenceView* evidence = m_window->evidenceView();
    QTRY_VERIFY_WITH_TIMEOUT(!evidence->isLoading() && evidence->data().memberCount > 1, 30000);
    m_window->focusAccount(rlo);
    QTRY_VERIFY_WITH_TIMEOUT(!evidence->isLoading() && evidence->data().memberCount == 1, 30000);
    const std::size_t before = ws->editor()->store().pins().size();
    QVERIFY(evidence->sharedTable()->rowCount() > 0);
    for (int r = 0; r < std::min(3, evidence->sharedTable()->rowCount()); ++r) {
        evidence->sharedTable()->setCurrentCell(r, 1);
        evidence->pinSharedValueAction()->trigger();
    }
    QVERIFY(evidence->templatesTable()->rowCount() > 0);
    evidence->templatesTable()->setCurrentCell(0, 0);
    evidence->pinTemplateAction()->trigger();
    evidence->pinIndicatorTableAction()->trigger();
    // The request with the huge prompt, pinned from the requests view.
    PagedTableModel* requests = m_window->requestsView()->model();
    const qint64 huge = requestRowId(m_log.hugePromptRequestId);
    QTRY_VERIFY_WITH_TIMEOUT(
        settled(requests) && requests->rowCount() > 0 && requests->rowId(requests->rowCount() - 1) > 0, 30000);
    QTableView* table = m_window->requestsView()->table();
    table->clearSelection();
    for (int r = 0; r < requests->rowCount(); ++r)
        if (requests->rowId(r) == huge || r < 2)
            table->selectionModel()->select(requests->index(r, 0),
                                            QItemSelectionModel::Select | QItemSelectionModel::Rows);
    m_window->pinRequestsAction()->trigger();
    QVERIFY(ws->editor()->store().pins().size() >= before + 5);

    PinsPanel* pins = ws->pinsPanel();
    QTRY_VERIFY(pins->list()->count() >= 5);
    bool isolated = false;
    for (int r = 0; r < pins->list()->count(); ++r) {
        pins->list()->setCurrentRow(r);
        isolated |= pins->list()->item(r)->text().contains(QChar(0x2068));
    }
    QVERIFY2(isolated, "pin titles quoting values are isolated");
    checkWindow(QStringLiteral("case panels"));
    if (QTest::currentTestFailed())
        return;
    // The notes panel warns that a note holds direction controls.
    auto* warning = ws->notesPanel()->findChild<QLabel*>(QStringLiteral("bidiWarning"));
    QVERIFY(warning && !warning->isHidden());
    shoot("pinsDock", QStringLiteral("hostile-pins.png"));
    shoot("caseNotesDock", QStringLiteral("hostile-notes.png"));
    shoot("auditLogDock", QStringLiteral("hostile-audit.png"));
}

void TestHostileGui::quarantine()
{
    // On show: the two tables of the dock share it, and a table fetches rows for what it paints.
    QDockWidget* dock = m_window->dock(QStringLiteral("quarantineDock"));
    dock->show();
    dock->raise();
    PagedTableModel* quarantine = m_window->quarantineView()->model();
    QTRY_VERIFY_WITH_TIMEOUT(settled(quarantine) && quarantine->rowCount() == m_log.quarantinedLines
                                 && quarantine->rowId(quarantine->rowCount() - 1) > 0,
                             30000);
    int hostile = 0;
    checkModel(quarantine, QStringLiteral("quarantine"), hostile);
    // The differing copies below the unreadable records, with both copies' content as plain text.
    PagedTableModel* conflicts = m_window->quarantinePanel()->conflictsView()->model();
    QTRY_VERIFY_WITH_TIMEOUT(settled(conflicts) && conflicts->rowCount() == kConflictingCopies
                                 && conflicts->rowId(conflicts->rowCount() - 1) > 0,
                             30000);
    int hostileConflicts = 0;
    checkModel(conflicts, QStringLiteral("conflicts"), hostileConflicts);
    QVERIFY2(hostileConflicts > 0, "the other copies' hostile accounts and prompts are not shown");
    for (int r = 0; r < conflicts->rowCount(); ++r) {
        const QString differs = conflicts->index(r, 1).data().toString();
        QVERIFY2(differs.contains(QLatin1String("account_id")) && differs.contains(QLatin1String("prompt")), qPrintable(differs));
        // The kept copy's own prompt, past its hostile fields (the cell shows the start of a long value).
        const QString kept = conflicts->index(r, 2).data(PagedTableModel::RawValueRole).toString();
        QVERIFY2(kept.contains(QLatin1String("\"prompt\":\"Solve the following problem")), qPrintable(kept.left(300)));
    }
    shoot("quarantineDock", QStringLiteral("hostile-quarantine.png"));
}

void TestHostileGui::reportPrintsLiterally()
{
    if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
        QFAIL("poppler-utils (pdftotext, pdfinfo, pdftoppm) is required: scripts/debian-packages.txt");
    CaseWorkspace* ws = m_window->caseWorkspace();
    const QString pdf = m_dir->file(QStringLiteral("hostile-report.pdf"));
    // Opening the dialog commits the notes being typed; notes nobody touched stay as stored, even with
    // characters the editor shows differently (a lone CR becomes a line break there).
    const QString summary = ws->editor()->store().notes().value(NoteField::Summary);
    QVERIFY(summary.contains(QLatin1Char('\r')));
    const std::size_t auditBefore = ws->editor()->auditLog().size();
    ExportReportDialog* dialog = ws->showExportReport();
    QCOMPARE(ws->editor()->store().notes().value(NoteField::Summary), summary);
    QCOMPARE(ws->editor()->auditLog().size(), auditBefore);
    dialog->setPdfPath(pdf);
    dialog->setConfirmFlaggedFirst(true);
    QSignalSpy finished(dialog, &ExportReportDialog::reportFinished);
    QVERIFY(dialog->startExport());
    QVERIFY(finished.wait(120000));
    const auto result = finished.front().front().value<ReportResult>();
    QVERIFY2(result.ok, qPrintable(result.error));
    dialog->close();
    QFile::remove(test::outputDir() + QStringLiteral("/hostile-report.pdf"));
    QFile::copy(pdf, test::outputDir() + QStringLiteral("/hostile-report.pdf"));

    auto run = [](const QString& program, const QStringList& args) {
        QProcess p;
        p.start(program, args);
        p.waitForFinished(60000);
        return QString::fromUtf8(p.readAllStandardOutput());
    };
    const QString text = run(QStringLiteral("pdftotext"),
                             { QStringLiteral("-enc"), QStringLiteral("UTF-8"), pdf, QStringLiteral("-") });
    QVERIFY(!text.isEmpty());
    // Line breaks fall where the layout put them: compare with runs of white space made one space.
    const QString flat = text.simplified();
    // Markup prints as typed.
    for (const QString& markup : { m_hostile[1], m_hostile[2] })
        QVERIFY2(flat.contains(markup), qPrintable(QStringLiteral("not literally in the report: ") + markup));
    QVERIFY(flat.contains(QLatin1String("<table><tr><td>")));
    // Control and direction characters are visible marks; none is left raw.
    QVERIFY(flat.contains(QStringLiteral("acct-\u2039RLO\u203Agpj.exe")));
    QVERIFY(flat.contains(QStringLiteral("ctl\u2039SOH\u203A\u2039BEL\u203A\u2039BS\u203A\u2039ESC\u203A[31mred")));
    QVERIFY(flat.contains(
        QStringLiteral("[0m tab\u2039CR\u203Acr nl\u2039DEL\u203A\u2039NEL\u203A"))); // the summary, lines kept
    for (const QChar c : { QChar(0x202E), QChar(0x2066), QChar(0x001B), QChar(0x0007) })
        QVERIFY2(!text.contains(c),
                 qPrintable(QStringLiteral("raw U+%1 in the report").arg(c.unicode(), 4, 16, QLatin1Char('0'))));
    // The megabyte prompt is cut with a note, not printed over hundreds of pages; the 4096-character id too.
    QVERIFY(flat.contains(QLatin1String("Prompt cut for the report")));
    // Counts are grouped by a comma, as everywhere in the report.
    QVERIFY(flat.contains(QStringLiteral("\u2026 [4,096 characters]")));
    QVERIFY2(result.pages < 80, qPrintable(QStringLiteral("%1 pages").arg(result.pages)));

    // The pages that show hostile text, as images to look at.
    const QStringList pages = text.split(QLatin1Char('\f'));
    int rendered = 0;
    for (int i = 0; i < pages.size() && rendered < 6; ++i) {
        if (!pages[i].contains(QChar(0x2039)) && !pages[i].contains(QLatin1String("Prompt cut")))
            continue;
        const QString page = QString::number(i + 1);
        QProcess p;
        p.start(QStringLiteral("pdftoppm"),
                { QStringLiteral("-r"), QStringLiteral("60"), QStringLiteral("-png"), QStringLiteral("-f"), page,
                  QStringLiteral("-l"), page, QStringLiteral("-singlefile"), pdf,
                  test::outputDir() + QStringLiteral("/hostile-report-p") + page });
        QVERIFY(p.waitForFinished(60000));
        ++rendered;
    }
    QVERIFY(rendered > 0);
}

void TestHostileGui::caseOpensOffTheGuiThread()
{
    // Opening a case for editing checks it and audits its runs, about half a second at a million accounts:
    // that happens on a worker. Here another writer holds the case's lock, so the open has to wait; the
    // window must not (on the GUI thread it would hang until SQLite's 10 s busy timeout).
    const QString copy = m_dir->file(QStringLiteral("copy.case.sqlite"));
    QVERIFY(QFile::copy(m_case, copy));
    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
    SqliteDb blocker(copy, SqliteDb::Mode::ReadWrite);
    blocker.exec("BEGIN IMMEDIATE");
    StallProbe probe;
    probe.start();
    m_window->openCase(copy);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->analysis()->casePath() == copy && !m_window->caseWorkspace(), 10000);
    QTest::qWait(1500);
    QVERIFY2(!m_window->caseWorkspace(), "the case cannot be open for editing while another writer holds it");
    probe.stop();
    qInfo("longest event-loop stall while the case waited for its lock: %lld ms", probe.longestStallMs());
    QVERIFY2(probe.longestStallMs() < 250,
             qPrintable(QStringLiteral("the window stalled %1 ms").arg(probe.longestStallMs())));
    blocker.exec("ROLLBACK");
    QTRY_VERIFY_WITH_TIMEOUT(m_window->caseWorkspace(), 15000);
    const CaseWorkspace* ws = m_window->caseWorkspace();
    QVERIFY(ws);
    QCOMPARE(ws->property("casePath").toString(), copy);
    QVERIFY(m_window->dock(QStringLiteral("pinsDock")));
}

void TestHostileGui::cleanupTestCase()
{
    m_window.reset();
    QSettings().clear();
}

QTEST_MAIN(TestHostileGui)
#include "tst_hostilegui.moc"
