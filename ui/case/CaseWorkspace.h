#pragma once

#include "case/CaseStore.h"
#include "case/PinnedItem.h"

#include <QObject>
#include <QPointer>

#include <exception>
#include <functional>
#include <vector>

class QAction;
class QDockWidget;
class QMainWindow;
class QMenu;

namespace ds {

class AuditLogView;
class CaseEditor;
class CaseNotesPanel;
class ExportDataDialog;
class ExportReportDialog;
class PinsPanel;
class ReviewActions;
class SqliteDb;

// Everything case-building in one object the main window embeds: the
// CaseEditor of the open case, Undo/Redo, the review actions, the notes, pins
// and audit-log docks, and File > Export report / Export data. One per open
// case; deleting it removes its docks and actions. GUI thread only.
class CaseWorkspace : public QObject
{
    Q_OBJECT
public:
    // Opens `casePath` for editing, parented to `window`. Returns nullptr and sets *error (one sentence)
    // when the case cannot be opened.
    static CaseWorkspace* open(const QString& casePath, QMainWindow* window, QString* error = nullptr);
    // The same with a connection CaseEditor::prepare() made (on a worker): quick.
    static CaseWorkspace* open(SqliteDb&& prepared, QMainWindow* window);
    // Opens `casePath` for editing without blocking: CaseEditor::prepare() runs on the views' pool, then
    // `done` gets the workspace (parented to `window`) on the GUI thread, or nullptr and one sentence.
    // Nothing is delivered once `window` is gone.
    using OpenDone = std::function<void(CaseWorkspace* workspace, const QString& error)>;
    static void openInBackground(const QString& casePath, QMainWindow* window, OpenDone done);
    // The error sentence for an exception of CaseEditor::prepare() (rethrown inside).
    static QString openErrorText(std::exception_ptr error);
    ~CaseWorkspace() override;

    // Adds the docks to `window` (object names caseNotesDock, pinsDock, auditLogDock, so saveState and
    // restoreState keep their layout: call before restoreState), Undo/Redo and the Review submenu to
    // `editMenu`, Export report/data to `fileMenu` (before Quit when there is one). Menus may be null.
    void attach(QMainWindow* window, QMenu* editMenu, QMenu* fileMenu);

    // The main window's current selection, which the review actions act on (the last one set wins).
    void setClusterSelection(std::vector<ClusterRef> clusters);
    void setAccountSelection(std::vector<std::int64_t> accounts);
    // Call when an import or detection run finished: audits the runs it finds in the case.
    void analysisFinished();

    // Non-blocking dialogs (window-modal); returned so tests can drive them.
    ExportReportDialog* showExportReport();
    ExportDataDialog* showExportData();

    CaseEditor* editor() const { return m_editor; }
    ReviewActions* reviewActions() const { return m_review; }
    QAction* undoAction() const { return m_undo; }
    QAction* redoAction() const { return m_redo; }
    QAction* exportReportAction() const { return m_exportReport; }
    QAction* exportDataAction() const { return m_exportData; }
    // Show/hide actions of the three docks, for the main window's View menu.
    QList<QAction*> dockToggleActions() const;
    CaseNotesPanel* notesPanel() const { return m_notes; }
    PinsPanel* pinsPanel() const { return m_pins; }
    AuditLogView* auditLogView() const { return m_audit; }

Q_SIGNALS:
    // The analyst double-clicked a pin: show that evidence (its run/cluster/account and payload).
    void pinActivated(const ds::PinnedItem& pin);
    // A write to the case failed; the message is one sentence for the analyst (also shown in the status bar).
    void editFailed(const QString& message);

private:
    CaseWorkspace(CaseEditor* editor, QMainWindow* window);
    QDockWidget* makeDock(QWidget* content, const QString& title, const char* objectName);

    QMainWindow* m_window;
    CaseEditor* m_editor;
    ReviewActions* m_review;
    QAction* m_undo;
    QAction* m_redo;
    QAction* m_exportReport;
    QAction* m_exportData;
    QPointer<QMenu> m_reviewMenu; // owned by the edit menu, which may go first
    CaseNotesPanel* m_notes = nullptr;
    PinsPanel* m_pins = nullptr;
    AuditLogView* m_audit = nullptr;
    QList<QPointer<QDockWidget>> m_docks;
    QPointer<ExportReportDialog> m_reportDialog;
    QPointer<ExportDataDialog> m_dataDialog;
};

} // namespace ds
