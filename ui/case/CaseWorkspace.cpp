#include "case/CaseWorkspace.h"

#include "case/AuditLogView.h"
#include "case/CaseEditor.h"
#include "case/CaseNotesPanel.h"
#include "case/ExportDataDialog.h"
#include "case/ExportReportDialog.h"
#include "case/PinsPanel.h"
#include "case/ReviewActions.h"
#include "core/CaseDatabase.h"
#include "core/Sqlite.h"
#include "data/BackgroundTask.h"

#include <QAction>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QStatusBar>
#include <QUndoStack>

namespace ds {

QString CaseWorkspace::openErrorText(std::exception_ptr error)
{
    try {
        std::rethrow_exception(error);
    } catch (const CaseOpenError& e) {
        return e.message();
    } catch (const DatabaseError& e) {
        return QObject::tr("The case could not be opened for editing: %1").arg(QString::fromUtf8(e.what()));
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
}

CaseWorkspace* CaseWorkspace::open(const QString& casePath, QMainWindow* window, QString* error)
{
    try {
        return open(CaseEditor::prepare(casePath), window);
    } catch (const std::exception&) {
        if (error)
            *error = openErrorText(std::current_exception());
    }
    return nullptr;
}

CaseWorkspace* CaseWorkspace::open(SqliteDb&& prepared, QMainWindow* window)
{
    return new CaseWorkspace(new CaseEditor(std::move(prepared)), window);
}

void CaseWorkspace::openInBackground(const QString& casePath, QMainWindow* window, OpenDone done)
{
    // The connection travels in a shared_ptr (a future's result must be copyable); it is used by one
    // thread at a time: the worker, then the GUI thread.
    using Prepared = std::shared_ptr<SqliteDb>;
    std::function<Prepared()> work = [casePath] {
        try {
            return std::make_shared<SqliteDb>(CaseEditor::prepare(casePath));
        } catch (const std::exception&) {
            throw CaseOpenError(openErrorText(std::current_exception()));
        }
    };
    runInBackground<Prepared>(window, std::move(work), [window, done = std::move(done)](TaskResult<Prepared> r) {
        if (!r.ok() || !r.value) {
            done(nullptr, r.error.isEmpty() ? QObject::tr("The case could not be opened for editing.") : r.error);
            return;
        }
        done(open(std::move(*r.value), window), QString());
    });
}

CaseWorkspace::CaseWorkspace(CaseEditor* editor, QMainWindow* window)
    : QObject(window)
    , m_window(window)
    , m_editor(editor)
    , m_review(new ReviewActions(editor, this))
{
    m_editor->setParent(this);
    m_undo = m_editor->undoStack()->createUndoAction(this, tr("&Undo"));
    m_undo->setObjectName(QStringLiteral("caseUndo"));
    m_undo->setShortcut(QKeySequence::Undo);
    m_redo = m_editor->undoStack()->createRedoAction(this, tr("&Redo"));
    m_redo->setObjectName(QStringLiteral("caseRedo"));
    m_redo->setShortcut(QKeySequence::Redo);

    m_exportReport = new QAction(tr("Export &report…"), this);
    m_exportReport->setObjectName(QStringLiteral("exportReport"));
    m_exportReport->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_exportReport->setStatusTip(tr("Write the evidence report (PDF) of the confirmed networks"));
    connect(m_exportReport, &QAction::triggered, this, &CaseWorkspace::showExportReport);
    m_exportData = new QAction(tr("Export &data…"), this);
    m_exportData->setObjectName(QStringLiteral("exportData"));
    m_exportData->setStatusTip(tr("Write the confirmed accounts (CSV), the case (JSON) and the indicators (STIX 2.1)"));
    connect(m_exportData, &QAction::triggered, this, &CaseWorkspace::showExportData);

    m_notes = new CaseNotesPanel(m_editor);
    m_pins = new PinsPanel(m_editor);
    m_audit = new AuditLogView(m_editor);
    connect(m_pins, &PinsPanel::pinActivated, this, &CaseWorkspace::pinActivated);
    connect(m_editor, &CaseEditor::editFailed, this, [this](const QString& message) {
        if (m_window)
            m_window->statusBar()->showMessage(message, 15000);
        Q_EMIT editFailed(message);
    });
}

CaseWorkspace::~CaseWorkspace()
{
    // Docks belong to the window, which outlives this case: take them away with it. The dialogs are
    // children of the window too; deleting them stops their workers before the editor goes.
    delete m_reportDialog.data();
    delete m_dataDialog.data();
    for (const QPointer<QDockWidget>& d : m_docks)
        delete d.data();
    if (m_docks.isEmpty()) { // never attached: the panels have no parent
        delete m_notes;
        delete m_pins;
        delete m_audit;
    }
    delete m_reviewMenu.data();
}

QDockWidget* CaseWorkspace::makeDock(QWidget* content, const QString& title, const char* objectName)
{
    auto* dock = new QDockWidget(title, m_window);
    dock->setObjectName(QString::fromLatin1(objectName));
    dock->setWidget(content);
    m_docks << dock;
    return dock;
}

void CaseWorkspace::attach(QMainWindow* window, QMenu* editMenu, QMenu* fileMenu)
{
    m_window = window;
    if (m_docks.isEmpty()) {
        QDockWidget* notes = makeDock(m_notes, tr("Case notes"), "caseNotesDock");
        QDockWidget* pins = makeDock(m_pins, tr("Pinned evidence"), "pinsDock");
        QDockWidget* audit = makeDock(m_audit, tr("Audit log"), "auditLogDock");
        window->addDockWidget(Qt::RightDockWidgetArea, notes);
        window->tabifyDockWidget(notes, pins);
        notes->raise();
        // The log is a wide table (time, user, action, subject, details): along the bottom, not in a column.
        window->addDockWidget(Qt::BottomDockWidgetArea, audit);
    }
    // Separators are our own actions, so that deleting the workspace leaves the menus as they were.
    auto separator = [this] {
        auto* s = new QAction(this);
        s->setSeparator(true);
        return s;
    };
    if (editMenu) {
        editMenu->addAction(m_undo);
        editMenu->addAction(m_redo);
        editMenu->addAction(separator());
        m_reviewMenu = editMenu->addMenu(tr("Re&view selection"));
        m_review->addTo(m_reviewMenu);
    }
    if (fileMenu) {
        QAction* before = nullptr;
        for (QAction* a : fileMenu->actions())
            if (a->menuRole() == QAction::QuitRole || a->shortcut() == QKeySequence(QKeySequence::Quit))
                before = a;
        fileMenu->insertAction(before, separator());
        fileMenu->insertAction(before, m_exportReport);
        fileMenu->insertAction(before, m_exportData);
        if (before)
            fileMenu->insertAction(before, separator());
    }
    // Without the menus the shortcuts still work window-wide.
    window->addActions({m_undo, m_redo, m_exportReport});
    window->addActions(m_review->actions());
}

QList<QAction*> CaseWorkspace::dockToggleActions() const
{
    QList<QAction*> list;
    for (const QPointer<QDockWidget>& d : m_docks)
        if (d)
            list << d->toggleViewAction();
    return list;
}

void CaseWorkspace::setClusterSelection(std::vector<ClusterRef> clusters) { m_review->setClusterSelection(std::move(clusters)); }
void CaseWorkspace::setAccountSelection(std::vector<std::int64_t> accounts) { m_review->setAccountSelection(std::move(accounts)); }

void CaseWorkspace::analysisFinished() { m_editor->syncAnalysisRuns(); }

ExportReportDialog* CaseWorkspace::showExportReport()
{
    m_notes->commitAll(); // the report shows the notes as typed, even if the field still has focus
    ExportReportDialog* dialog = m_reportDialog;
    if (!dialog) {
        dialog = new ExportReportDialog(m_editor, m_window);
        // The report audits its export on its own connection: the log view re-reads.
        connect(dialog, &ExportReportDialog::reportFinished, m_audit, &AuditLogView::refresh);
        m_reportDialog = dialog;
    }
    dialog->open();
    return dialog;
}

ExportDataDialog* CaseWorkspace::showExportData()
{
    ExportDataDialog* dialog = m_dataDialog;
    if (!dialog) {
        dialog = new ExportDataDialog(m_editor, m_window);
        connect(dialog, &ExportDataDialog::exportsFinished, m_audit, &AuditLogView::refresh);
        m_dataDialog = dialog;
    }
    dialog->open();
    return dialog;
}

} // namespace ds
