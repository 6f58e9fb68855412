// MainWindow's menus, shortcuts, recent files, drag and drop and layout persistence.
#include "MainWindow.h"

#include "data/BackgroundTask.h"
#include "ingest/ImportPreviewDialog.h"
#include "models/PagedTableModel.h"
#include "text/DisplayText.h"
#include "util/FittedStatusMessage.h"
#include "views/DataTableView.h"
#include "workspace/CsvExport.h"
#include "workspace/ReadConnection.h"
#include "workspace/WorkspaceTables.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QTableWidget>
#include <QVBoxLayout>

namespace ds {

namespace {
constexpr int kMaxRecent = 10;
const char* const kLogFilter = "Query logs (*.jsonl *.ndjson *.csv *.gz *.jsonl.gz *.csv.gz);;All files (*)";
const char* const kCaseFilter = "Distillscope cases (*.sqlite *.case.sqlite);;All files (*)";
const char* const kBundleFilter = "STIX 2.1 bundles (*.json);;All files (*)";
} // namespace

bool MainWindow::ask(const QString& title, const QString& text)
{
    if (m_questionHook)
        return m_questionHook(title, text);
    QMessageBox box(QMessageBox::Question, title, text, QMessageBox::Yes | QMessageBox::Cancel, this);
    box.setTextFormat(Qt::PlainText);
    box.setDefaultButton(QMessageBox::Yes);
    return box.exec() == QMessageBox::Yes;
}

QStringList MainWindow::askFiles(const QString& title, const QString& filter, bool save)
{
    if (m_fileDialogHook)
        return m_fileDialogHook(title, filter, save);
    if (save) {
        const QString f = QFileDialog::getSaveFileName(this, title, {}, filter);
        return f.isEmpty() ? QStringList() : QStringList{f};
    }
    if (filter == QLatin1String(kCaseFilter)) {
        const QString f = QFileDialog::getOpenFileName(this, title, {}, filter);
        return f.isEmpty() ? QStringList() : QStringList{f};
    }
    return QFileDialog::getOpenFileNames(this, title, {}, filter);
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    m_fileMenu = file;
    QAction* openLogsAction = file->addAction(tr("Open &logs…"), this, [this] {
        previewLogs(askFiles(tr("Open query logs"), QLatin1String(kLogFilter), false));
    });
    openLogsAction->setShortcut(QKeySequence::Open);
    openLogsAction->setToolTip(tr("Import JSONL, CSV or gzip-compressed logs into the open case (or a new one)"));
    QAction* openClickHouseAction = file->addAction(tr("Open from Click&House…"), this, &MainWindow::openFromClickHouse);
    openClickHouseAction->setToolTip(tr("Import the requests of a ClickHouse table into the open case (or a new one)"));
    QAction* openCaseAction = file->addAction(tr("Open &case…"), this, [this] {
        const QStringList f = askFiles(tr("Open case"), QLatin1String(kCaseFilter), false);
        if (!f.isEmpty())
            openCase(f.first());
    });
    openCaseAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_recentMenu = file->addMenu(tr("Open &recent"));
    rebuildRecentMenu(QSettings());
    file->addSeparator();
    QAction* importIndicatorsAction = file->addAction(tr("Import &indicators…"), this, [this] {
        const QStringList f = askFiles(tr("Import a partner's indicators (STIX 2.1 bundle)"), QLatin1String(kBundleFilter), false);
        if (!f.isEmpty())
            importIndicators(f.first());
    });
    importIndicatorsAction->setToolTip(tr("Read a STIX 2.1 bundle shared by another provider and match its indicators against the case"));
    file->addAction(tr("Export &quarantine as CSV…"), this, &MainWindow::exportQuarantine);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    m_editMenu = menuBar()->addMenu(tr("&Edit"));
    QMenu* analysis = menuBar()->addMenu(tr("&Analysis"));
    analysis->addAction(tr("Run &detection"), this, &MainWindow::runDetection);
    QAction* cancel = analysis->addAction(tr("&Cancel"), m_analysis, &AnalysisController::cancel);
    cancel->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    analysis->addSeparator();
    QAction* find = analysis->addAction(tr("&Find…"), this, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });
    find->setShortcut(QKeySequence::Find);
    QAction* clear = analysis->addAction(tr("Clear all &filters"), this, &MainWindow::clearScope);
    clear->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_X));

    analysis->addSeparator();
    QAction* nextCluster = analysis->addAction(tr("&Next cluster"), this, [this] { stepCluster(1); });
    nextCluster->setShortcuts({QKeySequence(Qt::Key_J), QKeySequence(Qt::ALT | Qt::Key_Down)});
    QAction* previousCluster = analysis->addAction(tr("&Previous cluster"), this, [this] { stepCluster(-1); });
    previousCluster->setShortcuts({QKeySequence(Qt::Key_K), QKeySequence(Qt::ALT | Qt::Key_Up)});

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    struct Jump
    {
        const char* dock;
        QString title;
        QKeySequence key;
    };
    const QList<Jump> jumps = {
        {"clustersDock", tr("&Clusters"), QKeySequence(Qt::CTRL | Qt::Key_1)},
        {"accountsDock", tr("&Accounts"), QKeySequence(Qt::CTRL | Qt::Key_2)},
        {"timelineDock", tr("&Timeline"), QKeySequence(Qt::CTRL | Qt::Key_T)},
        {"evidenceDock", tr("&Evidence"), QKeySequence(Qt::CTRL | Qt::Key_E)},
        {"graphDock", tr("Link &graph"), QKeySequence(Qt::CTRL | Qt::Key_G)},
        {"requestsDock", tr("&Requests"), QKeySequence(Qt::CTRL | Qt::Key_R)},
        {"requestViewerDock", tr("Request &viewer"), QKeySequence(Qt::CTRL | Qt::Key_3)},
        {"quarantineDock", tr("&Quarantine"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Q)},
        {"indicatorsDock", tr("&Known indicators"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K)},
    };
    for (const Jump& j : jumps) {
        const QString name = QString::fromLatin1(j.dock);
        if (!dock(name))
            continue;
        QAction* a = m_viewMenu->addAction(tr("Go to %1").arg(j.title), this, [this, name] { focusDock(name); });
        a->setShortcut(j.key);
    }
    m_viewMenu->addSeparator();
    QMenu* panels = m_viewMenu->addMenu(tr("Show panels"));
    for (QDockWidget* d : findChildren<QDockWidget*>())
        panels->addAction(d->toggleViewAction());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* keys = help->addAction(tr("&Keyboard shortcuts"), this, &MainWindow::showShortcuts);
    keys->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&About Distillscope"), this, [this] {
        QMessageBox::about(this, tr("About Distillscope"),
                           tr("Distillscope %1\nFind and prove distillation attacks in LLM API query logs.")
                               .arg(QStringLiteral(DS_VERSION)));
    });
}

void MainWindow::focusDock(const QString& name)
{
    if (QDockWidget* d = dock(name)) {
        d->show();
        d->raise();
        if (QWidget* w = d->widget()) {
            // Focus the view's main control so the keyboard works there at once.
            if (auto* table = w->findChild<QTableView*>())
                table->setFocus();
            else if (auto* focusable = w->findChild<QWidget*>(QStringLiteral("timelinePlot")))
                focusable->setFocus();
            else
                w->setFocus();
        }
    }
}

void MainWindow::showShortcuts()
{
    // Modeless and built from the actions themselves, so the list never drifts from the real keys.
    auto* dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("shortcutsDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Keyboard shortcuts"));
    auto* table = new QTableWidget(0, 2, dialog);
    table->setHorizontalHeaderLabels({tr("Keys"), tr("Action")});
    table->verticalHeader()->setVisible(false);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto addRow = [table](const QString& keys, const QString& what) {
        const int row = table->rowCount();
        table->insertRow(row);
        table->setItem(row, 0, new QTableWidgetItem(keys));
        table->setItem(row, 1, new QTableWidgetItem(what));
    };
    for (QAction* a : findChildren<QAction*>())
        if (!a->shortcut().isEmpty())
            addRow(QKeySequence::listToString(a->shortcuts(), QKeySequence::NativeText), a->text().remove(QLatin1Char('&')));
    addRow(tr("Double-click a value"), tr("Pivot: every account and request sharing it"));
    addRow(tr("Shift+drag on the timeline"), tr("Filter every view to a time range"));
    addRow(tr("Arrows, +, -, Home on the timeline"), tr("Pan, zoom in, zoom out, show all"));
    table->resizeColumnsToContents();
    table->horizontalHeader()->setStretchLastSection(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(table);
    layout->addWidget(buttons);
    dialog->resize(560, 480);
    dialog->show();
}

void MainWindow::exportQuarantine()
{
    const QString path = m_analysis->casePath();
    if (path.isEmpty())
        return;
    const QStringList out = askFiles(tr("Export quarantined records"), tr("CSV files (*.csv)"), true);
    if (out.isEmpty())
        return;
    statusBar()->showMessage(tr("Exporting quarantined records…"));
    std::function<qint64()> work = [path, target = out.first()] {
        CancelToken never;
        return exportTableCsv(readConnection(path), workspace::quarantineTable(), target, never);
    };
    runInBackground<qint64>(this, std::move(work), [this, target = out.first()](TaskResult<qint64> r) {
        statusBar()->showMessage(r.ok() ? tr("Exported %L1 quarantined records to %2").arg(r.value).arg(target)
                                        : tr("Export failed: %1").arg(r.error),
                                 15000);
    });
}

void MainWindow::addRecent(const QStringList& logs, const QString& casePath)
{
    QSettings settings;
    auto push = [&settings](const QString& key, const QStringList& paths) {
        QStringList list = settings.value(key).toStringList();
        for (const QString& p : paths) {
            const QString abs = QFileInfo(p).absoluteFilePath();
            list.removeAll(abs);
            list.prepend(abs);
        }
        while (list.size() > kMaxRecent)
            list.removeLast();
        settings.setValue(key, list);
    };
    if (!logs.isEmpty())
        push(QStringLiteral("recent/logs"), logs);
    if (!casePath.isEmpty())
        push(QStringLiteral("recent/cases"), {casePath});
    rebuildRecentMenu(settings);
}

void MainWindow::rebuildRecentMenu(const QSettings& settings)
{
    if (!m_recentMenu)
        return;
    m_recentMenu->clear();
    for (const QString& c : settings.value(QStringLiteral("recent/cases")).toStringList())
        m_recentMenu->addAction(tr("Case: %1").arg(displaytext::actionText(c, 200)), this, [this, c] { openCase(c); });
    m_recentMenu->addSeparator();
    for (const QString& l : settings.value(QStringLiteral("recent/logs")).toStringList())
        m_recentMenu->addAction(tr("Logs: %1").arg(displaytext::actionText(l, 200)), this,
                                [this, l] { previewLogs({l}); });
    m_recentMenu->setEnabled(!m_recentMenu->isEmpty());
}

ImportPreviewDialog* MainWindow::importPreview() const { return m_importPreview; }

void MainWindow::previewLogs(const QStringList& files)
{
    if (files.isEmpty())
        return;
    if (m_analysis->isBusy()) {
        m_statusMessage->show(tr("An import or detection is running: open more logs when it is done, or cancel it"),
                              15000);
        return;
    }
    if (m_importPreview)
        m_importPreview->close(); // one preview at a time: the latest files win
    auto chooseMapping = [this] {
        return askFiles(tr("Mapping file"), QStringLiteral("Mapping files (*.json);;All files (*)"), false).value(0);
    };
    auto* dialog = new ImportPreviewDialog(files, chooseMapping, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_importPreview = dialog;
    connect(dialog, &QDialog::accepted, this, [this, dialog] { openLogs(dialog->files(), {}, dialog->choices()); });
    dialog->open(); // window-modal, without a nested event loop
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList logs;
    QString caseFile;
    for (const QUrl& url : event->mimeData()->urls()) {
        if (!url.isLocalFile())
            continue;
        const QString p = url.toLocalFile();
        if (p.endsWith(QLatin1String(".sqlite")))
            caseFile = p;
        else
            logs << p;
    }
    if (!caseFile.isEmpty())
        openCase(caseFile);
    else if (!logs.isEmpty())
        previewLogs(logs);
    event->acceptProposedAction();
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    for (DataTableView* v : findChildren<DataTableView*>())
        v->restoreHeaderState(settings.value(QStringLiteral("columns/") + v->objectName()).toByteArray());
}

void MainWindow::saveLayout()
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    for (DataTableView* v : findChildren<DataTableView*>())
        settings.setValue(QStringLiteral("columns/") + v->objectName(), v->saveHeaderState());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    saveLayout();
    m_analysis->cancel();
    QMainWindow::closeEvent(event);
}

} // namespace ds
