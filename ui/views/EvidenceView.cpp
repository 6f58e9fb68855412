#include "views/EvidenceView.h"

#include "charts/ChartTheme.h"
#include "data/BackgroundTask.h"
#include "detect/ReasonText.h"
#include "text/DisplayText.h"
#include "util/PromptHighlight.h"
#include "views/AnalysisBanner.h"
#include "views/TemplatesPanel.h"
#include "workspace/ReadConnection.h"

#include <QAction>
#include <QEvent>
#include <QJsonArray>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <utility>

namespace ds {

namespace {
constexpr int kPlotRows = 12;

QTableWidget* makeTable(QWidget* parent, const QStringList& headers)
{
    auto* t = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    t->setHorizontalHeaderLabels(headers);
    t->verticalHeader()->setVisible(false);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setWordWrap(false);
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}

QString number(std::optional<double> v)
{
    if (!v)
        return QStringLiteral("–");
    const double a = std::abs(*v);
    return a >= 1000 ? QLocale().toString(*v, 'f', 0) : QString::number(*v, 'g', a >= 10 ? 4 : 3);
}

// A strip plot of 23,000 members per row costs seconds of painting on the GUI thread and shows no more
// than its shape: beyond kMaxDots members, evenly spaced quantiles of their values stand in for them.
constexpr qsizetype kMaxDots = 1000;
QList<double> dotsOf(QList<double> v)
{
    if (v.size() <= kMaxDots)
        return v;
    std::sort(v.begin(), v.end());
    QList<double> out;
    out.reserve(kMaxDots);
    for (qsizetype i = 0; i < kMaxDots; ++i)
        out << v[i * (v.size() - 1) / (kMaxDots - 1)];
    return out;
}

double median(QList<double> v)
{
    if (v.isEmpty())
        return -1;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

PivotKind pivotKindFor(const QString& kind)
{
    if (kind == QLatin1String("IP"))
        return PivotKind::Ip;
    if (kind == QLatin1String("Network"))
        return PivotKind::Network;
    if (kind == QLatin1String("User agent"))
        return PivotKind::UserAgent;
    if (kind == QLatin1String("Payment fingerprint"))
        return PivotKind::PaymentFingerprint;
    if (kind == QLatin1String("E-mail domain"))
        return PivotKind::EmailDomain;
    return PivotKind::None;
}

// The payload's "value_kind" key for a shared value's kind (case/PinnedItem.h).
QString valueKindKey(const QString& kind)
{
    if (kind == QLatin1String("IP"))
        return QStringLiteral("ip");
    if (kind == QLatin1String("Network"))
        return QStringLiteral("network");
    if (kind == QLatin1String("User agent"))
        return QStringLiteral("user_agent");
    if (kind == QLatin1String("Payment fingerprint"))
        return QStringLiteral("payment_fingerprint");
    if (kind == QLatin1String("E-mail domain"))
        return QStringLiteral("email_domain");
    return kind.toLower().replace(QLatin1Char(' '), QLatin1Char('_'));
}

// A table's context menu shows `action`.
void addContextAction(QTableWidget* table, QAction* action)
{
    table->setContextMenuPolicy(Qt::ActionsContextMenu);
    table->addAction(action);
}
} // namespace

EvidenceView::EvidenceView(QWidget* parent)
    : QWidget(parent)
{
    m_banner = new AnalysisBanner(this);
    m_title = new QLabel(tr("Select a network or an account to see the evidence."), this);
    m_title->setTextFormat(Qt::PlainText);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_counts = new QLabel(this);
    m_counts->setObjectName(QStringLiteral("evidenceMemberCounts"));
    m_counts->setTextFormat(Qt::PlainText);
    m_counts->setWordWrap(true);
    m_counts->setVisible(false);
    m_tabs = new QTabWidget(this);

    // Reasons and indicators.
    auto* first = new QSplitter(Qt::Vertical, m_tabs);
    m_reasons = new QListWidget(first);
    m_reasons->setWordWrap(true);
    // Not "strongest first": the detector lists by kind, and a tie that weighs nothing can come first (report/ReportSections).
    m_reasons->setToolTip(tr("Why detection flagged it: what ties the accounts together first, then what they did, then how "
                             "each behaves"));
    auto* indicatorSplit = new QSplitter(Qt::Horizontal, first);
    m_plot = new QCustomPlot(indicatorSplit);
    m_plot->setObjectName(QStringLiteral("indicatorPlot"));
    m_plot->setMinimumHeight(150); // the window must fit a 768-px-high laptop screen (tst_gui_investigation)
    m_plot->setToolTip(tr("Each dot is one member's percentile in the whole population; dashed lines mark the median and "
                          "the 90th percentile"));
    m_indicators = makeTable(indicatorSplit, {tr("Indicator"), tr("Value"), tr("Population median"), tr("p90"), tr("p99"),
                                              tr("Percentile")});
    m_plot->setMinimumWidth(340);
    indicatorSplit->setStretchFactor(0, 1);
    indicatorSplit->setStretchFactor(1, 1);
    indicatorSplit->setSizes({500, 500});
    first->addWidget(m_reasons);
    first->addWidget(indicatorSplit);
    first->setStretchFactor(0, 1);
    first->setStretchFactor(1, 3);
    m_tabs->addTab(first, tr("Reasons and indicators"));

    m_shared = makeTable(m_tabs, {tr("Kind"), tr("Value"), tr("Members using it"), tr("Accounts in case")});
    m_shared->setToolTip(tr("Values the accounts share; a value shared by many unrelated accounts links little. "
                            "Double-click to pivot on it."));
    m_tabs->addTab(m_shared, tr("Shared infrastructure"));

    m_templatesPanel = new TemplatesPanel(m_tabs);
    m_tabs->addTab(m_templatesPanel, tr("Templates"));
    connect(m_templatesPanel, &TemplatesPanel::pivotRequested, this, &EvidenceView::pivotRequested);
    connect(m_templatesPanel, &TemplatesPanel::pinRequested, this, &EvidenceView::pinRequested);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_banner);
    layout->addWidget(m_title);
    layout->addWidget(m_counts);
    layout->addWidget(m_tabs, 1);

    connect(m_shared, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        if (row < 0 || row >= m_data.shared.size())
            return;
        const auto& s = m_data.shared[row];
        QString value = s.value;
        if (value.endsWith(QLatin1Char('*')))
            value.chop(1);
        Q_EMIT pivotRequested({pivotKindFor(s.kind), s.kind == QLatin1String("Network") ? value + QLatin1Char('0') : value});
    });
    m_pinShared = new QAction(tr("Pin shared value to case"), this);
    m_pinShared->setObjectName(QStringLiteral("pinSharedValue"));
    m_pinShared->setToolTip(tr("Pin the selected shared value with the accounts that use it into the case"));
    m_pinIndicators = new QAction(tr("Pin indicator table to case"), this);
    m_pinIndicators->setObjectName(QStringLiteral("pinIndicatorTable"));
    m_pinIndicators->setToolTip(tr("Pin the indicators against the population, as shown, into the case"));
    addContextAction(m_shared, m_pinShared);
    addContextAction(m_indicators, m_pinIndicators);
    using Builder = std::optional<PinnedItem> (EvidenceView::*)() const;
    const std::pair<QAction*, Builder> pinActions[] = {{m_pinShared, &EvidenceView::sharedValuePin},
                                                        {m_pinIndicators, &EvidenceView::indicatorTablePin}};
    for (const auto& entry : pinActions) {
        connect(entry.first, &QAction::triggered, this, [this, build = entry.second] {
            if (const std::optional<PinnedItem> pin = (this->*build)())
                Q_EMIT pinRequested(*pin);
        });
    }
}

std::optional<PinnedItem> EvidenceView::templatePin() const { return m_templatesPanel->templatePin(); }
QTableWidget* EvidenceView::templatesTable() const { return m_templatesPanel->table(); }
QAction* EvidenceView::pinTemplateAction() const { return m_templatesPanel->pinAction(); }

std::optional<PinnedItem> EvidenceView::sharedValuePin() const
{
    const int row = m_shared->currentRow();
    if (row < 0 || row >= m_data.shared.size())
        return std::nullopt;
    const auto& s = m_data.shared[row];
    PinnedItem pin;
    pin.kind = PinKind::SharedValue;
    pin.title = tr("%1 %2 shared by %3 of %4")
                    .arg(s.kind, s.value, reasontext::count(s.members, QStringLiteral("account"), QStringLiteral("accounts")), m_data.subject);
    pin.payload = {{QStringLiteral("value_kind"), valueKindKey(s.kind)},
                   {QStringLiteral("value"), s.value},
                   {QStringLiteral("accounts"), QJsonArray::fromStringList(s.accounts)}};
    return pin;
}

std::optional<PinnedItem> EvidenceView::indicatorTablePin() const
{
    if (m_data.subject.isEmpty() || m_indicators->rowCount() == 0)
        return std::nullopt;
    QJsonArray columns, rows;
    for (int c = 0; c < m_indicators->columnCount(); ++c)
        columns.append(m_indicators->horizontalHeaderItem(c) ? m_indicators->horizontalHeaderItem(c)->text() : QString());
    for (int r = 0; r < m_indicators->rowCount(); ++r) {
        QJsonArray cells;
        for (int c = 0; c < m_indicators->columnCount(); ++c)
            cells.append(m_indicators->item(r, c) ? m_indicators->item(r, c)->text() : QString());
        rows.append(cells);
    }
    PinnedItem pin;
    pin.kind = PinKind::IndicatorTable;
    pin.title = tr("Indicators of %1 against the population").arg(m_data.subject);
    pin.payload = {{QStringLiteral("columns"), columns}, {QStringLiteral("rows"), rows}};
    return pin;
}

void EvidenceView::setCase(const QString& casePath)
{
    m_casePath = casePath;
    m_templatesPanel->setCase(casePath);
    clear();
}

void EvidenceView::clear()
{
    ++m_generation;
    if (m_cancel)
        m_cancel->requestCancel();
    m_loading = false;
    m_data = {};
    m_templatesPanel->setSubject({}, {}, {});
    present();
}

void EvidenceView::showSubject(std::int64_t run, std::int64_t cluster, const std::vector<std::int64_t>& members)
{
    const quint64 generation = ++m_generation;
    // A load for the previous subject still running would hold one of the views' two threads: interrupt it.
    if (m_cancel)
        m_cancel->requestCancel();
    m_cancel = std::make_shared<CancelToken>();
    m_loading = true;
    m_title->setText(tr("Loading evidence…"));
    std::function<EvidenceData()> work = [path = m_casePath, run, cluster, members, cancel = m_cancel] {
        if (cancel->isCancelled())
            throw Cancelled{};
        return EvidenceData::load(readConnection(path), run, cluster, members, cancel.get());
    };
    runInBackground<EvidenceData>(this, std::move(work), [this, generation, members](TaskResult<EvidenceData> r) {
        if (generation != m_generation)
            return;
        m_loading = false;
        m_data = r.ok() ? std::move(r.value) : EvidenceData{};
        m_templatesPanel->setSubject(m_data.subject, m_data.templates, r.ok() ? members : std::vector<std::int64_t>{});
        present();
        if (!r.ok())
            m_title->setText(tr("Could not load the evidence: %1").arg(r.error));
        Q_EMIT loaded();
    });
}

void EvidenceView::present()
{
    m_reasons->clear();
    if (m_data.subject.isEmpty()) {
        m_title->setText(tr("Select a network or an account to see the evidence."));
    } else {
        // A network's name already gives its accounts; "(150 account(s))" after it said nothing more.
        m_title->setText(tr("Evidence for %1").arg(displaytext::embedded(m_data.subject, 80)));
    }
    // Our sentence of counts: it quotes no values from the logs.
    m_counts->setText(m_data.memberCounts);
    m_counts->setVisible(!m_data.memberCounts.isEmpty());
    // QListWidgetItem text is plain; reasons quote values from the logs.
    for (const QString& r : m_data.reasons)
        m_reasons->addItem(displaytext::cell(r, 1000));
    // Sentences of our own: they quote no values from the logs.
    for (const QString& r : m_data.whyNotFlagged)
        m_reasons->addItem(r);
    if (m_data.reasons.isEmpty() && m_data.whyNotFlagged.isEmpty() && !m_data.subject.isEmpty())
        m_reasons->addItem(tr("Detection gives no reason: it was not flagged."));
    presentIndicators();
    m_shared->setRowCount(0);
    for (const auto& s : m_data.shared) {
        const int row = m_shared->rowCount();
        m_shared->insertRow(row);
        m_shared->setItem(row, 0, new QTableWidgetItem(s.kind));
        auto* value = new QTableWidgetItem(displaytext::cell(s.value, 200));
        value->setToolTip(displaytext::tooltip(s.value));
        m_shared->setItem(row, 1, value);
        auto* members = new QTableWidgetItem(QLocale().toString(s.members));
        members->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_shared->setItem(row, 2, members);
        auto* all = new QTableWidgetItem(QLocale().toString(s.caseAccounts));
        all->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        all->setToolTip(tr("Every account in the case that uses this value"));
        m_shared->setItem(row, 3, all);
    }
    m_shared->resizeColumnsToContents();
    m_templatesPanel->refresh();
}

void EvidenceView::presentIndicators()
{
    m_indicators->setRowCount(0);
    m_plot->clearPlottables();
    m_plot->clearItems();
    charttheme::apply(m_plot, palette());
    // Most unusual first: sort by the members' median percentile.
    // Each median once: a comparison that sorted a copy of 23,000 percentiles stalled the GUI thread.
    QList<int> order;
    QList<double> medians;
    for (int i = 0; i < m_data.indicators.size(); ++i) {
        order << i;
        medians << median(m_data.indicators[i].percentiles);
    }
    std::stable_sort(order.begin(), order.end(), [&medians](int a, int b) { return medians[a] > medians[b]; });
    for (int i : order) {
        const auto& ind = m_data.indicators[i];
        const int row = m_indicators->rowCount();
        m_indicators->insertRow(row);
        auto* name = new QTableWidgetItem(ind.label);
        name->setToolTip(ind.description);
        m_indicators->setItem(row, 0, name);
        const double pct = medians[i];
        const QStringList cells = {number(ind.value), number(ind.p50), number(ind.p90), number(ind.p99),
                                   pct >= 0 ? QStringLiteral("%1 %").arg(pct * 100, 0, 'f', 0) : QStringLiteral("–")};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            item->setToolTip(ind.description);
            m_indicators->setItem(row, c + 1, item);
        }
    }
    m_indicators->resizeColumnsToContents();

    // Strip plot of the most unusual indicators: x = percentile in the population.
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const QColor dot = charttheme::seriesColor(3, palette());
    int plotted = 0;
    for (int i : order) {
        const auto& ind = m_data.indicators[i];
        if (ind.percentiles.isEmpty())
            continue;
        if (plotted == kPlotRows)
            break;
        const double y = kPlotRows - plotted;
        ticker->addTick(y, ind.label);
        auto* g = new QCPGraph(m_plot->xAxis, m_plot->yAxis);
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, dot, QColor(dot.red(), dot.green(), dot.blue(), 90), 6));
        QVector<double> xs, ys;
        int j = 0;
        for (double p : dotsOf(ind.percentiles)) {
            xs << p * 100.0;
            ys << y + ((j++ % 5) - 2) * 0.08; // small jitter so identical values stay visible
        }
        g->setData(xs, ys);
        ++plotted;
    }
    for (double x : {50.0, 90.0}) {
        auto* line = new QCPItemStraightLine(m_plot);
        line->point1->setCoords(x, 0);
        line->point2->setCoords(x, 1);
        line->setPen(QPen(palette().color(QPalette::PlaceholderText), 1, Qt::DashLine));
    }
    m_plot->yAxis->setTicker(ticker);
    m_plot->yAxis->setRange(kPlotRows - plotted + 0.5, kPlotRows + 0.5);
    m_plot->xAxis->setRange(0, 100);
    const qsizetype members = m_data.indicators.isEmpty() ? 0 : m_data.indicators.first().percentiles.size();
    m_plot->xAxis->setLabel(members > kMaxDots ? tr("percentile among all accounts (dots: %L1 quantiles of %L2)")
                                                     .arg(kMaxDots)
                                                     .arg(members)
                                               : tr("percentile among all accounts (dot = one account)"));
    m_plot->xAxis->ticker()->setTickCount(5);
    m_plot->yAxis->grid()->setVisible(false);
    m_plot->replot();
}

void EvidenceView::changeEvent(QEvent* event)
{
    // Light/dark switch: redraw with the new palette's colours.
    if (event->type() == QEvent::PaletteChange)
        present();
    QWidget::changeEvent(event);
}

} // namespace ds
