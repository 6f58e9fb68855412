#pragma once

#include "AnalysisController.h"
#include "case/CaseWorkspace.h"
#include "workspace/InvestigationState.h"

#include <QMainWindow>
#include <QPointer>

#include <functional>

class QAction;
class QDockWidget;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QPushButton;
class QSettings;

namespace ds {

class AnalysisBanner;
class CarryNote;
class FittedStatusMessage;
class ImportPreviewDialog;

class DataTableView;
class EvidenceView;
class KnownIndicatorsView;
class LinkGraphView;
class PagedTableModel;
class QuarantinePanel;
class RequestViewer;
class ScopeBar;
class TimelineView;

// The investigation workspace: dock views over one case database, a scope
// (cluster, time range, pivot, search) that every view follows, and the
// background analysis with its progress. GUI thread only.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // Replaces file dialogs in tests: gets (title, filter, save?) and returns the chosen paths.
    using FileDialogHook = std::function<QStringList(const QString& title, const QString& filter, bool save)>;

    // Replaces yes/no message boxes in tests: gets (title, text) and returns whether to go on.
    using QuestionHook = std::function<bool(const QString& title, const QString& text)>;

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Imports logs into `casePath` (empty: the open case, or a new case in the case folder), each file
    // read as `choices` says (parallel to `files`; empty: recognised by its content).
    void openLogs(const QStringList& files, const QString& casePath = {}, const QList<FormatChoice>& choices = {});
    // File > Open from ClickHouse…: asks for the table (ClickHouseDialog), then imports it as openLogs does.
    void openFromClickHouse();
    // Shows the import preview of `files` (File > Open logs, drag and drop, recent logs); its
    // Import button then imports them as chosen there (openLogs).
    void previewLogs(const QStringList& files);
    // The open import preview, or null.
    ImportPreviewDialog* importPreview() const;
    void openCase(const QString& casePath);
    // Where new cases are created (default: the application data folder).
    void setCaseDirectory(const QString& dir) { m_caseDir = dir; }
    void setFileDialogHook(FileDialogHook hook) { m_fileDialogHook = std::move(hook); }
    void setQuestionHook(QuestionHook hook) { m_questionHook = std::move(hook); }
    // Analysis > Run detection: when the case holds verdicts, first says what the new run will do with
    // them (case/PendingReviews.h) and runs only if the analyst agrees.
    void runDetection();
    // The note above the networks table on what a re-run did with the verdicts (views/CarryNote).
    CarryNote* carryNote() const { return m_carryNote; }

    // What the analyst is looking at (workspace/InvestigationState.h): every view reads its part of it.
    const InvestigationState& investigation() const { return m_state; }
    const ViewScope& scope() const { return m_state.scope; }
    void setScope(const ViewScope& scope);
    void pivot(const Pivot& pivot);
    void setTimeRange(qint64 fromMs, qint64 toMs);
    void applySearch(const QString& query);
    // Drops every filter and the focused account: the one way to see the whole case again.
    void clearScope();

    AnalysisController* analysis() const { return m_analysis; }
    DataTableView* accountsView() const { return m_accountsView; }
    DataTableView* requestsView() const { return m_requestsView; }
    DataTableView* quarantineView() const { return m_quarantineView; }
    QuarantinePanel* quarantinePanel() const { return m_quarantinePanel; }
    TimelineView* timelineView() const { return m_timeline; }
    RequestViewer* requestViewer() const { return m_requestViewer; }
    DataTableView* clustersView() const { return m_clustersView; }
    EvidenceView* evidenceView() const { return m_evidence; }
    LinkGraphView* graphView() const { return m_graph; }
    // Partners' STIX indicators in the case (File > Import indicators…).
    KnownIndicatorsView* knownIndicatorsView() const { return m_knownIndicators; }
    // Imports a partner's STIX 2.1 bundle into the open case (the Known indicators view shows progress and errors).
    void importIndicators(const QString& bundlePath);
    // Selects the network with this cluster id: every view follows it.
    void selectCluster(qint64 clusterId);
    // Moves the cluster selection by `delta` rows (next/previous cluster).
    void stepCluster(int delta);
    qint64 selectedCluster() const { return m_state.cluster; }
    // Selects network `clusterId` of detection run `run` (a pin's network keeps its run after a re-run).
    void selectNetwork(qint64 run, qint64 clusterId);
    ScopeBar* scopeBar() const { return m_scopeBar; }
    // Focuses one account: its requests, its evidence, its node in the graph.
    void focusAccount(qint64 accountRowId);
    QDockWidget* dock(const QString& objectName) const;
    QLineEdit* searchBox() const { return m_search; }
    QLineEdit* accountFilterBox() const { return m_accountFilter; }
    // Case building (review, notes, pins, audit log, exports) of the open case; null until a case is open.
    CaseWorkspace* caseWorkspace() const { return m_case; }
    // "Pin selected requests" (requests view: context menu and button).
    QAction* pinRequestsAction() const { return m_pinRequests; }

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void applyDefaultGeometry();
    void buildViews();
    void buildMenus();
    void buildStatusBar();
    QDockWidget* addDock(const QString& name, const QString& title, QWidget* widget, Qt::DockWidgetArea area);
    void onAnalysisState(AnalysisController::State state);
    void onProgress(double fraction, const QString& stage, int eta);
    void onDataChanged();
    void refreshDatasetInfo();
    void showCaseInTitle(const QString& casePath);
    void setBanners(const QString& message);
    // Remembers opened logs and the case in one settings write.
    void addRecent(const QStringList& logs, const QString& casePath);
    // Runs `then` with the case to import into: `casePath`, the open case, or a new one named after
    // `nameHint`, created on a worker first.
    void withCase(const QString& casePath, const QString& nameHint, const std::function<void(const QString&)>& then);
    void rebuildRecentMenu(const QSettings& settings);
    QStringList askFiles(const QString& title, const QString& filter, bool save);
    bool ask(const QString& title, const QString& text);
    void exportQuarantine();
    void showShortcuts();
    void focusDock(const QString& name);
    void restoreLayout();
    void saveLayout();
    void buildDetectionViews();
    void buildIndicatorsView();
    // Opens the case-building workspace for `path` in the background (or tells the open one an
    // analysis finished); installCaseWorkspace embeds it once it is open.
    void attachCaseWorkspace(const QString& path);
    void installCaseWorkspace(const QString& path, CaseWorkspace* workspace);
    void updateReviewSelection();
    void addReviewActions(QMenu* menu, DataTableView* view);
    // The pin actions of the views; each pin goes into the case through pinToCase.
    void buildPinActions();
    void pinSelectedRequests();
    // Adds `pin` (owned by the selected network and focused account) to the case, undoable, and
    // selects it in the pins dock so its note can be typed there.
    void pinToCase(PinnedItem pin);
    void onResultsChanged();
    // Hands every view its part of m_state and says it in the scope bar.
    void applyState();

    AnalysisController* m_analysis = nullptr;
    QString m_caseDir;
    FileDialogHook m_fileDialogHook;
    QuestionHook m_questionHook;
    CarryNote* m_carryNote = nullptr;
    InvestigationState m_state;

    PagedTableModel* m_accountsModel = nullptr;
    PagedTableModel* m_requestsModel = nullptr;
    PagedTableModel* m_quarantineModel = nullptr;
    DataTableView* m_accountsView = nullptr;
    DataTableView* m_requestsView = nullptr;
    DataTableView* m_quarantineView = nullptr;
    QuarantinePanel* m_quarantinePanel = nullptr;
    TimelineView* m_timeline = nullptr;
    RequestViewer* m_requestViewer = nullptr;
    ScopeBar* m_scopeBar = nullptr;
    QList<AnalysisBanner*> m_banners;

    QLineEdit* m_search = nullptr;
    QLineEdit* m_accountFilter = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QMenu* m_fileMenu = nullptr;
    QMenu* m_editMenu = nullptr;
    QPointer<CaseWorkspace> m_case;
    QPointer<ImportPreviewDialog> m_importPreview;
    QString m_caseOpening;        // the case whose workspace is opening in the background
    quint64 m_caseGeneration = 0; // drops a workspace that finished opening too late
    QAction* m_pinRequests = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_stage = nullptr;
    QPushButton* m_cancel = nullptr;
    FittedStatusMessage* m_statusMessage = nullptr; // the analysis's messages, fitted beside the widgets above
    QLabel* m_dataset = nullptr;
    QLabel* m_stateLabel = nullptr;
    quint64 m_infoGeneration = 0;
    quint64 m_clusterGeneration = 0;
    PagedTableModel* m_clustersModel = nullptr;
    DataTableView* m_clustersView = nullptr;
    EvidenceView* m_evidence = nullptr;
    LinkGraphView* m_graph = nullptr;
    KnownIndicatorsView* m_knownIndicators = nullptr;
    QLineEdit* m_clusterFilter = nullptr;
    qint64 m_pendingCluster = 0; // a network clicked before the run was known (selectCluster)
    quint64 m_focusGeneration = 0; // drops a focused account's name that arrives after the focus moved
};

} // namespace ds
