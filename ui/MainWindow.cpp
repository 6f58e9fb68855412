#include "MainWindow.h"

#include "charts/TimelineView.h"
#include "data/BackgroundTask.h"
#include "ingest/ClickHouseDialog.h"
#include "remote/TriageImport.h"
#include "models/PagedTableModel.h"
#include "views/AnalysisBanner.h"
#include "views/CarryNote.h"
#include "graph/LinkGraphView.h"
#include "views/DataTableView.h"
#include "views/EvidenceView.h"
#include "views/KnownIndicatorsView.h"
#include "views/QuarantinePanel.h"
#include "views/RequestViewer.h"
#include "views/ScopeBar.h"
#include "util/FittedStatusMessage.h"
#include "case/CaseEditor.h"
#include "core/CaseDatabase.h"
#include "report/ExportFiles.h"
#include "workspace/DatasetInfo.h"
#include "workspace/ReadConnection.h"
#include "workspace/WorkspaceTables.h"

#include <QDateTime>
#include <QGuiApplication>
#include <QScreen>
#include <QDir>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>

namespace ds {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Distillscope"));
    setObjectName(QStringLiteral("mainWindow"));
    setAcceptDrops(true);
    setDockNestingEnabled(true);
    setDockOptions(dockOptions() | QMainWindow::AllowTabbedDocks | QMainWindow::GroupedDragging);
    m_caseDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/cases");
    m_analysis = new AnalysisController(this);
    buildViews();
    buildDetectionViews();
    buildPinActions();
    buildMenus();
    buildStatusBar();
    connect(m_analysis, &AnalysisController::stateChanged, this, &MainWindow::onAnalysisState);
    connect(m_analysis, &AnalysisController::progress, this, &MainWindow::onProgress);
    connect(m_analysis, &AnalysisController::dataChanged, this, &MainWindow::onDataChanged);
    connect(m_analysis, &AnalysisController::resultsChanged, this, &MainWindow::onResultsChanged);
    connect(m_analysis, &AnalysisController::message, this,
            [this](const QString& text) { m_statusMessage->show(text, 15000); });
    applyDefaultGeometry();
    // The triage column (clusters over accounts) gets the room its main columns need (rank, name, score,
    // review, accounts, requests: about 560 px), the charts the rest.
    const int left = std::clamp(width() * 2 / 5, std::min(560, width() / 2), width() / 2);
    resizeDocks({dock(QStringLiteral("clustersDock")), dock(QStringLiteral("timelineDock"))}, {left, width() - left},
                Qt::Horizontal);
    resizeDocks({dock(QStringLiteral("clustersDock")), dock(QStringLiteral("accountsDock"))}, {height() / 3, height() * 2 / 3},
                Qt::Vertical);
    resizeDocks({dock(QStringLiteral("timelineDock")), dock(QStringLiteral("requestsDock"))}, {height() * 11 / 20, height() * 9 / 20},
                Qt::Vertical);
    resizeDocks({dock(QStringLiteral("requestsDock")), dock(QStringLiteral("requestViewerDock"))}, {width() * 2 / 5, width() / 5},
                Qt::Horizontal);
    restoreLayout();
    onAnalysisState(m_analysis->state());
}

MainWindow::~MainWindow() = default;

void MainWindow::applyDefaultGeometry()
{
    // First run (later runs restore the saved geometry): most of the available screen, centred. Up to
    // 1800 px wide the whole width, less the window frame: every view needs it.
    const QScreen* screen = QGuiApplication::primaryScreen();
    if (!screen) {
        resize(1440, 900);
        return;
    }
    const QRect avail = screen->availableGeometry();
    constexpr int kFrameWidth = 16, kFrameHeight = 48; // what a window manager adds around the window, about
    const QSize size(avail.width() < 1800 ? avail.width() - kFrameWidth : avail.width() * 94 / 100,
                     avail.height() < 1000 ? avail.height() - kFrameHeight : avail.height() * 92 / 100);
    resize(size);
    move(avail.center() - QPoint(size.width() / 2, size.height() / 2));
}

QDockWidget* MainWindow::addDock(const QString& name, const QString& title, QWidget* widget, Qt::DockWidgetArea area)
{
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(name); // saveState() keys the layout by object name
    dock->setWidget(widget);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    addDockWidget(area, dock);
    return dock;
}

QDockWidget* MainWindow::dock(const QString& objectName) const { return findChild<QDockWidget*>(objectName); }

void MainWindow::buildViews()
{
    m_accountsModel = new PagedTableModel(&workspace::accountsTable, this);
    m_requestsModel = new PagedTableModel(&workspace::requestsTable, this);
    m_quarantineModel = new PagedTableModel([](SqliteDb&, const ViewScope&) { return workspace::quarantineTable(); }, this);

    m_accountsView = new DataTableView(tr("Accounts"), m_accountsModel, this);
    m_accountsView->setObjectName(QStringLiteral("accountsView"));
    m_accountFilter = new QLineEdit(m_accountsView);
    m_accountFilter->setObjectName(QStringLiteral("accountFilter"));
    m_accountFilter->setClearButtonEnabled(true);
    m_accountFilter->setPlaceholderText(tr("Filter: flagged  score>=0.5  lockstep_share>0.8"));
    m_accountFilter->setToolTip(tr("Terms all required: flagged, unflagged, or an indicator key (see the column tooltips) "
                                   "compared with a number: > >= < <= = !=. Enter applies."));
    m_accountFilter->setMinimumWidth(260);
    m_accountsView->toolRow()->addWidget(m_accountFilter);
    connect(m_accountFilter, &QLineEdit::returnPressed, this, [this] {
        m_state.accountFilter = m_accountFilter->text().trimmed();
        applyState();
    });
    m_requestsView = new DataTableView(tr("Requests"), m_requestsModel, this);
    m_requestsView->setObjectName(QStringLiteral("requestsView"));
    m_quarantineView = new DataTableView(tr("Quarantined records"), m_quarantineModel, this);
    m_quarantineView->setObjectName(QStringLiteral("quarantineView"));
    auto* exportButton = new QPushButton(tr("Export CSV…"), m_quarantineView);
    exportButton->setObjectName(QStringLiteral("exportQuarantine"));
    m_quarantineView->toolRow()->addWidget(exportButton);
    connect(exportButton, &QPushButton::clicked, this, &MainWindow::exportQuarantine);
    m_quarantinePanel = new QuarantinePanel(m_quarantineView, this);
    m_timeline = new TimelineView(this);
    m_timeline->setObjectName(QStringLiteral("timelineView"));
    m_requestViewer = new RequestViewer(this);
    m_requestViewer->setObjectName(QStringLiteral("requestViewer"));
    m_banners = {m_accountsView->banner(), m_requestsView->banner(), m_quarantineView->banner(),
                 m_quarantinePanel->conflictsView()->banner(), m_timeline->banner()};

    m_scopeBar = new ScopeBar(this);
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("searchBox"));
    m_search->setClearButtonEnabled(true);
    m_search->setPlaceholderText(tr("Search (Ctrl+F):  ip:203.0.113.7  ip:10.1.2.*  account:acct_1*  template:3fa1…  model:NAME  free text in prompts"));
    m_search->setToolTip(tr("ip: an address, or a network with * or /24; account: an id, * for a prefix; template: a "
                            "skeleton fingerprint; model: a model name; anything else is searched in prompts. Enter applies."));
    m_search->setMinimumWidth(520);
    auto* bar = addToolBar(tr("Search and scope"));
    bar->setObjectName(QStringLiteral("scopeToolbar"));
    bar->setMovable(false);
    bar->addWidget(m_search);
    bar->addWidget(m_scopeBar);
    connect(m_search, &QLineEdit::returnPressed, this, [this] { applySearch(m_search->text()); });

    // Default layout: the triage column on the left (clusters over accounts, added
    // in buildDetectionViews), the big charts top right, requests along the bottom.
    addDock(QStringLiteral("accountsDock"), tr("Accounts"), m_accountsView, Qt::LeftDockWidgetArea);
    addDock(QStringLiteral("timelineDock"), tr("Timeline"), m_timeline, Qt::RightDockWidgetArea);
    auto* requests = addDock(QStringLiteral("requestsDock"), tr("Requests"), m_requestsView, Qt::RightDockWidgetArea);
    auto* viewer = addDock(QStringLiteral("requestViewerDock"), tr("Request"), m_requestViewer, Qt::RightDockWidgetArea);
    splitDockWidget(dock(QStringLiteral("timelineDock")), requests, Qt::Vertical);
    splitDockWidget(requests, viewer, Qt::Horizontal);
    auto* quarantine = addDock(QStringLiteral("quarantineDock"), tr("Quarantine"), m_quarantinePanel, Qt::RightDockWidgetArea);
    tabifyDockWidget(requests, quarantine);
    buildIndicatorsView();
    tabifyDockWidget(quarantine, dock(QStringLiteral("indicatorsDock")));
    requests->raise();

    for (DataTableView* v : {m_accountsView, m_requestsView})
        connect(v, &DataTableView::pivotRequested, this, &MainWindow::pivot);
    connect(m_requestViewer, &RequestViewer::pivotRequested, this, &MainWindow::pivot);
    connect(m_requestsView, &DataTableView::rowSelected, m_requestViewer, &RequestViewer::showRequest);
    connect(m_accountsView, &DataTableView::rowSelected, this, &MainWindow::focusAccount);
    connect(m_timeline, &TimelineView::timeRangeBrushed, this, &MainWindow::setTimeRange);
    connect(m_scopeBar, &ScopeBar::clearAccounts, this, [this] {
        ++m_clusterGeneration; // a network selection still loading must not narrow the views again
        m_state.clearAccounts();
        applyState();
    });
    connect(m_scopeBar, &ScopeBar::clearFocus, this, [this] {
        ++m_focusGeneration;
        m_state.clearFocus();
        applyState();
    });
    connect(m_scopeBar, &ScopeBar::clearAccountFilter, this, [this] {
        m_accountFilter->clear();
        m_state.accountFilter.clear();
        applyState();
    });
    connect(m_scopeBar, &ScopeBar::clearAll, this, &MainWindow::clearScope);
    connect(m_scopeBar, &ScopeBar::clearTime, this, [this] {
        ViewScope s = m_state.scope;
        s.fromMs.reset();
        s.toMs.reset();
        setScope(s);
    });
    connect(m_scopeBar, &ScopeBar::clearPivot, this, [this] {
        ViewScope s = m_state.scope;
        s.pivot = {};
        setScope(s);
    });
    connect(m_scopeBar, &ScopeBar::clearSearch, this, [this] {
        m_search->clear();
        applySearch({});
    });
}

void MainWindow::buildStatusBar()
{
    m_dataset = new QLabel(tr("No case open"), this);
    m_dataset->setTextFormat(Qt::PlainText);
    m_stateLabel = new QLabel(this);
    m_stateLabel->setTextFormat(Qt::PlainText);
    m_stage = new QLabel(this);
    m_stage->setTextFormat(Qt::PlainText);
    // A fixed width: progress text changes ten times a second and must not relayout the window.
    m_stage->setFixedSize(m_stage->fontMetrics().averageCharWidth() * 64, m_stage->fontMetrics().height() + 2);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("analysisProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(220);
    m_progress->setTextVisible(true);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelAnalysis"));
    m_cancel->setToolTip(tr("Stop the running import or detection; what was committed stays in the case"));
    statusBar()->addPermanentWidget(m_dataset);
    statusBar()->addPermanentWidget(m_stateLabel);
    statusBar()->addPermanentWidget(m_stage);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    m_statusMessage = new FittedStatusMessage(statusBar(), {m_dataset, m_stateLabel, m_stage, m_progress, m_cancel});
    connect(m_cancel, &QPushButton::clicked, m_analysis, &AnalysisController::cancel);
}

void MainWindow::openLogs(const QStringList& files, const QString& casePath, const QList<FormatChoice>& choices)
{
    if (files.isEmpty() || m_analysis->isBusy())
        return;
    withCase(casePath, QFileInfo(files.first()).baseName(), [this, files, choices](const QString& target) {
        addRecent(files, target);
        m_analysis->importAndAnalyse(target, files, choices);
    });
}

void MainWindow::openFromClickHouse()
{
    if (m_analysis->isBusy())
        return;
    ClickHouseDialog dialog(this);
    dialog.setCasePath(m_analysis->casePath()); // its accounts file informs a triage
    if (dialog.exec() != QDialog::Accepted || !dialog.source())
        return;
    const std::shared_ptr<ClickHouseSource> source = dialog.source();
    // A triaged pull records its triage (and the server's baselines detection then uses) in the pull's transaction.
    const StreamedLog log = dialog.triage() ? triagedStreamedLog(*source, *dialog.triage(), dialog.triageSettings())
                                            : source->streamedLog();
    withCase({}, source->url().table, [this, log](const QString& target) {
        m_analysis->importStreamsAndAnalyse(target, {log});
    });
}

void MainWindow::withCase(const QString& casePath, const QString& nameHint, const std::function<void(const QString&)>& then)
{
    QString target = casePath.isEmpty() ? m_analysis->casePath() : casePath;
    if (target.isEmpty()) {
        QDir().mkpath(m_caseDir);
        // A new case per investigation, named after the first log (or table) so the analyst recognises it.
        target = QDir(m_caseDir).filePath(QStringLiteral("%1-%2.case.sqlite")
                                              .arg(nameHint, QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
    }
    if (m_analysis->casePath() != target)
        closeCaseConnections(m_analysis->casePath());
    showCaseInTitle(target);
    m_dataset->setText(tr("Case %1").arg(QFileInfo(target).fileName()));
    if (!QFileInfo::exists(target)) {
        // A new case is created on a worker (schema and case tables, with their disk
        // syncs) with the case-building connection, then case building attaches to it
        // before the import starts: notes, pins and the audit log are there from the start.
        std::function<std::shared_ptr<SqliteDb>()> work = [target] {
            return std::make_shared<SqliteDb>(CaseEditor::prepare(target));
        };
        runInBackground<std::shared_ptr<SqliteDb>>(this, std::move(work), [this, target, then](TaskResult<std::shared_ptr<SqliteDb>> r) {
            if (!r.ok() || !r.value) {
                statusBar()->showMessage(tr("Cannot create the case: %1").arg(r.error), 15000);
                return;
            }
            installCaseWorkspace(target, CaseWorkspace::open(std::move(*r.value), this));
            then(target);
        });
        return;
    }
    then(target);
}

void MainWindow::openCase(const QString& casePath)
{
    if (m_analysis->isBusy())
        return;
    addRecent({}, casePath);
    if (m_analysis->casePath() != casePath)
        closeCaseConnections(m_analysis->casePath());
    showCaseInTitle(casePath);
    m_state = {};
    m_search->clear();
    m_accountFilter->clear();
    m_scopeBar->setState(m_state);
    m_carryNote->setSentences({}); // it spoke of the case that was open
    m_analysis->openCase(casePath);
}

void MainWindow::showCaseInTitle(const QString& casePath)
{
    // The case's name as its exports are named (report/ExportFiles.h), so window and files agree.
    setWindowTitle(casePath.isEmpty() ? tr("Distillscope") : tr("%1 — Distillscope").arg(exportfiles::baseName(casePath)));
}

void MainWindow::onDataChanged()
{
    const QString path = m_analysis->casePath();
    m_state.casePath = path;
    m_accountsModel->setScope(m_state.accountsScope());
    m_accountsModel->setCase(path);
    m_requestsModel->setScope(m_state.requestsScope());
    m_requestsModel->setCase(path);
    m_quarantineModel->setCase(path); // the quarantine is never filtered: its records have no account or time
    m_quarantinePanel->setCase(path);
    m_timeline->setScope(m_state.timelineScope());
    m_timeline->setCase(path);
    m_requestViewer->setCase(path);
    m_evidence->setCase(path);
    m_graph->setCase(path);
    m_clustersModel->setCase(path);
    m_knownIndicators->setCase(path);
    refreshDatasetInfo();
}

void MainWindow::refreshDatasetInfo()
{
    const QString path = m_analysis->casePath();
    if (path.isEmpty())
        return;
    const quint64 generation = ++m_infoGeneration;
    std::function<DatasetInfo()> work = [path] { return DatasetInfo::load(readConnection(path)); };
    runInBackground<DatasetInfo>(this, std::move(work), [this, generation](TaskResult<DatasetInfo> r) {
        if (generation != m_infoGeneration)
            return;
        if (!r.ok()) {
            m_dataset->setText(tr("Case unreadable: %1").arg(r.error));
            return;
        }
        const DatasetInfo& d = r.value;
        m_dataset->setText(tr("%L1 requests · %L2 accounts · %L3 quarantined · %n file(s)", nullptr, static_cast<int>(d.files))
                               .arg(d.requests)
                               .arg(d.accounts)
                               .arg(d.quarantined));
    });
}

void MainWindow::onAnalysisState(AnalysisController::State state)
{
    const bool busy = m_analysis->isBusy();
    m_progress->setVisible(busy);
    m_cancel->setVisible(busy);
    m_stage->setVisible(busy);
    switch (state) {
    case AnalysisController::State::NoCase: m_stateLabel->setText(tr("No case")); break;
    case AnalysisController::State::Importing: m_stateLabel->setText(tr("Importing…")); break;
    case AnalysisController::State::Detecting: m_stateLabel->setText(tr("Detecting…")); break;
    case AnalysisController::State::Complete: m_stateLabel->setText(tr("Analysis complete")); break;
    case AnalysisController::State::Incomplete: m_stateLabel->setText(tr("Analysis incomplete")); break;
    }
    setBanners(m_analysis->incompleteReason());
    if (!busy && state != AnalysisController::State::NoCase)
        attachCaseWorkspace(m_analysis->casePath());
}

void MainWindow::setBanners(const QString& message)
{
    for (AnalysisBanner* b : m_banners)
        b->setMessage(message);
}

void MainWindow::onProgress(double fraction, const QString& stage, int eta)
{
    if (fraction < 0) {
        m_progress->setRange(0, 0);
    } else {
        m_progress->setRange(0, 1000);
        m_progress->setValue(static_cast<int>(fraction * 1000));
    }
    QString text = stage;
    if (eta >= 0)
        text += eta >= 60 ? tr(" · about %1 min %2 s left").arg(eta / 60).arg(eta % 60, 2, 10, QLatin1Char('0'))
                          : tr(" · about %1 s left").arg(eta);
    m_stage->setText(text);
}

void MainWindow::setScope(const ViewScope& scope)
{
    m_state.scope = scope;
    applyState();
}

void MainWindow::applyState()
{
    m_scopeBar->setState(m_state);
    m_accountsModel->setScope(m_state.accountsScope());
    m_requestsModel->setScope(m_state.requestsScope());
    m_requestViewer->setScope(m_state.requestsScope());
    m_timeline->setScope(m_state.timelineScope());
}

void MainWindow::pivot(const Pivot& p)
{
    // A pivot asks "who else shares this": across every account, not only the focused one.
    ++m_clusterGeneration;
    ++m_focusGeneration;
    m_state.clearAccounts();
    m_state.clearFocus();
    m_state.scope.pivot = p;
    applyState();
    statusBar()->showMessage(tr("Pivot: every account and request sharing this %1").arg(pivotKindName(p.kind).toLower()), 8000);
}

void MainWindow::setTimeRange(qint64 fromMs, qint64 toMs)
{
    ViewScope s = m_state.scope;
    s.fromMs = fromMs;
    s.toMs = toMs;
    setScope(s);
}

void MainWindow::applySearch(const QString& query)
{
    ViewScope s = m_state.scope;
    s.search = SearchQuery::parse(query);
    if (m_search->text() != query)
        m_search->setText(query);
    setScope(s);
}

void MainWindow::clearScope()
{
    m_search->clear();
    m_accountFilter->clear();
    m_pendingCluster = 0;
    ++m_clusterGeneration; // a network selection still loading must not narrow the views again
    ++m_focusGeneration;
    m_state.clearFilters();
    applyState();
}

} // namespace ds
