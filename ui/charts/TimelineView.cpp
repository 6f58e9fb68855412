#include "charts/TimelineView.h"

#include "charts/ChartTheme.h"
#include "data/BackgroundTask.h"
#include "text/DisplayText.h"
#include "views/AnalysisBanner.h"
#include "workspace/InvestigationState.h"
#include "workspace/ReadConnection.h"

#include <QAction>
#include <QBuffer>
#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPicture>
#include <QPushButton>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QToolButton>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>

namespace ds {

namespace {
constexpr int kLegendNameWidth = 190; // pixels: an id longer than that is elided

// Counts are whole numbers: ticks on 1, 2, 5, 10... never on 2.5.
QSharedPointer<QCPAxisTicker> countTicker()
{
    auto t = QSharedPointer<QCPAxisTickerFixed>::create();
    t->setTickStep(1.0);
    t->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    t->setTickCount(5);
    return t;
}

TimelineData::StackBy stackByOf(int index)
{
    switch (index) {
    case 1: return TimelineData::StackBy::Account;
    case 2: return TimelineData::StackBy::Model;
    default: return TimelineData::StackBy::Network;
    }
}
} // namespace

TimelineView::TimelineView(QWidget* parent)
    : QWidget(parent)
{
    m_banner = new AnalysisBanner(this);
    m_stackBy = new QComboBox(this);
    m_stackBy->setObjectName(QStringLiteral("stackBy"));
    m_stackBy->setSizeAdjustPolicy(QComboBox::AdjustToContents); // the first item's text says when it fell back
    // Sizing to contents builds the popup's list view; give it the plain-text delegate every item view uses.
    m_stackBy->setItemDelegate(new QStyledItemDelegate(m_stackBy));
    m_stackBy->addItem(tr("Stack by network"));
    m_stackBy->addItem(tr("Stack by account"));
    m_stackBy->addItem(tr("Stack by model"));
    m_stackBy->setToolTip(tr("Colour the bars by flagged network (a selected network: by its accounts), by the busiest "
                             "accounts or by model"));
    auto* reset = new QPushButton(tr("Reset zoom"), this);
    reset->setToolTip(tr("Show the whole range again (Home)"));
    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::PlainText);
    // Room for the brush in words without the row jumping as it changes, yet narrow enough (with the hint
    // wrapping) for the dock to fit a 1366-px laptop screen beside the triage column.
    m_status->setMinimumWidth(m_status->fontMetrics().averageCharWidth() * 30);
    m_status->setMaximumWidth(m_status->fontMetrics().averageCharWidth() * 52);
    m_status->setWordWrap(true);
    auto* hint = new QLabel(tr("Wheel: zoom · drag: pan · Shift+drag: filter every view to a time range"), this);
    hint->setTextFormat(Qt::PlainText);
    hint->setWordWrap(true);
    hint->setForegroundRole(QPalette::PlaceholderText);

    m_plot = new QCustomPlot(this);
    m_plot->setObjectName(QStringLiteral("timelinePlot"));
    m_plot->setFocusPolicy(Qt::StrongFocus);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeSpec(Qt::UTC);
    ticker->setDateTimeFormat(QStringLiteral("MMM d\nhh:mm"));
    m_plot->xAxis->setTicker(ticker);
    m_plot->yAxis->setLabel(tr("requests per bucket"));
    m_plot->yAxis->setTicker(countTicker());
    // The legend sits under the plot, in rows: inside the axis rect it covered the latest bars,
    // which are the ones the analyst looks at.
    auto* legendRow = new QCPLayoutGrid;
    m_plot->plotLayout()->addElement(1, 0, legendRow);
    m_plot->plotLayout()->setRowStretchFactor(1, 0.001);
    legendRow->setMargins(QMargins(4, 0, 4, 2));
    legendRow->addElement(0, 0, m_plot->legend);
    m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_plot->legend->setColumnSpacing(12);
    m_plot->legend->setRowSpacing(0);
    m_plot->legend->setVisible(true);
    m_plot->installEventFilter(this);
    m_plot->setMinimumHeight(130); // with the heat map and the rows below, within a 768-px-high laptop screen
    // QCustomPlot's own minimum is its layout's, legend included, and the legend takes as many columns as the
    // current width allows: left alone, the plot could never be made narrower than it once was.
    m_plot->setMinimumWidth(240);

    m_heat = new QCustomPlot(this);
    m_heat->setObjectName(QStringLiteral("heatMap"));
    m_heat->setMinimumHeight(90);
    m_heat->setMinimumWidth(240);
    m_heat->yAxis->setLabel(tr("hour (UTC)"));
    m_heat->yAxis->setRangeReversed(true);
    m_heat->yAxis->setTicker(countTicker());

    m_pinAction = new QAction(tr("Pin chart"), this);
    m_pinAction->setObjectName(QStringLiteral("pinChart"));
    m_pinAction->setToolTip(tr("Pin the chart as displayed into the case, with the selected network"));
    auto* pin = new QToolButton(this);
    pin->setDefaultAction(m_pinAction);
    connect(m_pinAction, &QAction::triggered, this, [this] { Q_EMIT pinRequested(chartPin()); });

    auto* controls = new QHBoxLayout;
    controls->setContentsMargins(6, 2, 6, 2);
    controls->addWidget(m_stackBy);
    controls->addWidget(reset);
    controls->addWidget(pin);
    controls->addWidget(m_status, 1);
    controls->addWidget(hint);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_plot);
    split->addWidget(m_heat);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addLayout(controls);
    layout->addWidget(split, 1);

    connect(m_stackBy, &QComboBox::currentIndexChanged, this, &TimelineView::reload);
    rebuild(); // the empty state, until a case is open
    connect(reset, &QPushButton::clicked, this, &TimelineView::resetZoom);
    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        if (e->modifiers() & Qt::ShiftModifier) {
            m_plot->setInteraction(QCP::iRangeDrag, false); // the drag brushes instead of panning
            m_brushStart = m_plot->xAxis->pixelToCoord(e->position().x());
        }
    });
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
        if (m_brushStart) {
            showBrush(*m_brushStart, m_plot->xAxis->pixelToCoord(e->position().x()));
            m_plot->replot(QCustomPlot::rpQueuedReplot);
        }
    });
    connect(m_plot, &QCustomPlot::mouseRelease, this, [this](QMouseEvent* e) {
        if (!m_brushStart)
            return;
        const double a = *m_brushStart, b = m_plot->xAxis->pixelToCoord(e->position().x());
        m_brushStart.reset();
        m_plot->setInteraction(QCP::iRangeDrag, true);
        if (std::abs(b - a) * 1000.0 >= 1000.0)
            Q_EMIT timeRangeBrushed(static_cast<qint64>(std::min(a, b) * 1000.0), static_cast<qint64>(std::max(a, b) * 1000.0));
    });
    applyTheme();
}

void TimelineView::setCase(const QString& casePath)
{
    m_casePath = casePath;
    reload();
}

void TimelineView::setScope(const ViewScope& scope)
{
    // The brushed range stays drawn: the chart shows the scope without its own
    // time range, so the analyst sees what the brush cut out.
    ViewScope s = scope;
    s.fromMs.reset();
    s.toMs.reset();
    // The heat map counts the brushed range only: it changes with the brush.
    const bool same = s == m_scope && scope.fromMs == m_heatFrom && scope.toMs == m_heatTo;
    m_scope = s;
    m_heatFrom = scope.fromMs;
    m_heatTo = scope.toMs;
    if (scope.hasTime())
        showBrush(*scope.fromMs / 1000.0, *scope.toMs / 1000.0);
    else if (m_brush)
        m_brush->setVisible(false);
    if (same)
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    else
        reload();
}

void TimelineView::brush(qint64 fromMs, qint64 toMs)
{
    showBrush(fromMs / 1000.0, toMs / 1000.0);
    Q_EMIT timeRangeBrushed(fromMs, toMs);
}

void TimelineView::reload()
{
    const quint64 generation = ++m_generation;
    if (m_casePath.isEmpty())
        return;
    m_loading = true;
    m_status->setText(tr("loading…"));
    // A superseded computation (the scope changed again) is interrupted instead of holding a view thread.
    if (m_cancel)
        m_cancel->requestCancel();
    m_cancel = std::make_shared<CancelToken>();
    const auto stackBy = stackByOf(m_stackBy->currentIndex());
    std::function<TimelineData()> work = [path = m_casePath, scope = m_scope, stackBy, cancel = m_cancel,
                                          from = m_heatFrom, to = m_heatTo] {
        if (cancel->isCancelled())
            throw Cancelled{};
        return TimelineData::compute(readConnection(path), scope, stackBy, *cancel, from, to);
    };
    runInBackground<TimelineData>(this, std::move(work), [this, generation](TaskResult<TimelineData> r) {
        if (generation != m_generation)
            return;
        m_loading = false;
        if (!r.ok()) {
            m_status->setText(tr("could not load: %1").arg(r.error));
            return;
        }
        m_data = std::move(r.value);
        rebuild();
        rebuildHeat();
        Q_EMIT loaded();
    });
}

void TimelineView::rebuild()
{
    m_plot->clearPlottables();
    m_plot->clearItems();
    m_brush = nullptr;
    const TimelineData& d = m_data;
    const QString by = d.stackedBy == TimelineData::StackBy::Network ? tr("by network")
                       : d.stackedBy == TimelineData::StackBy::Model ? tr("by model")
                                                                     : tr("by account");
    // "By network" that fell back to accounts says so in the menu itself, where the eye looks for what the colours are.
    const bool fellBack = stackByOf(m_stackBy->currentIndex()) == TimelineData::StackBy::Network
                          && d.stackedBy != TimelineData::StackBy::Network;
    m_stackBy->setItemText(0, !fellBack                 ? tr("Stack by network")
                              : m_scope.accountsRestricted ? tr("Stacked by account: the selected accounts")
                                                           : tr("Stacked by account: no flagged networks"));
    m_stackBy->setMinimumWidth(m_stackBy->sizeHint().width()); // the controls row must not cut what it says
    m_status->setText(d.requests ? tr("%L1 requests, %2 buckets, %3").arg(d.requests).arg(
                                       d.bucketMs >= 3600000 ? tr("%1 h").arg(d.bucketMs / 3600000) : tr("%1 min").arg(d.bucketMs / 60000), by)
                                 : tr("no requests in this scope"));
    QVector<double> keys(d.bucketCount);
    for (int b = 0; b < d.bucketCount; ++b)
        keys[b] = (d.startMs + b * d.bucketMs + d.bucketMs / 2) / 1000.0;
    QCPBars* below = nullptr;
    double maxStack = 0;
    const QFontMetrics legendMetrics(legendFont());
    QVector<double> stack(d.bucketCount, 0.0);
    for (int i = 0; i < d.series.size(); ++i) {
        const auto& s = d.series[i];
        auto* bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
        // Series names are account ids or model names from the logs: QCustomPlot draws them as plain text,
        // displaytext makes controls and direction overrides visible; the legend gives each the same room.
        bars->setName(legendMetrics.elidedText(displaytext::cell(s.name, 64), Qt::ElideRight, kLegendNameWidth));
        bars->setWidthType(QCPBars::wtPlotCoords);
        bars->setWidth(d.bucketMs / 1000.0 * 0.9);
        const QColor c = charttheme::seriesColor(i, palette());
        bars->setBrush(c);
        bars->setPen(Qt::NoPen);
        bars->setData(keys, s.counts, true);
        if (below)
            bars->moveAbove(below);
        below = bars;
        for (int b = 0; b < d.bucketCount; ++b)
            stack[b] += s.counts[b];
    }
    for (double v : stack)
        maxStack = std::max(maxStack, v);
    const QColor fg = palette().color(QPalette::Text);
    // Labels for releases; account creations get a label each only when few, else
    // one summary label, so dozens of co-created accounts do not smear into ink.
    int creations = 0;
    qint64 firstCreation = 0;
    for (const auto& m : d.markers)
        if (!m.isModelRelease && (creations++ == 0 || m.ts < firstCreation))
            firstCreation = m.ts;
    // A label starts at its marker and runs right; one whose marker is off the chart's left edge (accounts
    // created before their first request) starts at the edge, and one near the right edge runs left, so
    // no label is cut by the edge of the chart (nor of a pinned copy).
    const double rangeFrom = d.startMs / 1000.0, rangeTo = (d.startMs + d.bucketCount * d.bucketMs) / 1000.0;
    auto addLabel = [this, &fg, rangeFrom, rangeTo](double xSec, double yRatio, const QString& text) {
        auto* label = new QCPItemText(m_plot);
        label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        const bool rightHalf = xSec > rangeFrom + (rangeTo - rangeFrom) / 2;
        label->position->setCoords(std::clamp(xSec, rangeFrom, std::max(rangeFrom, rangeTo)), yRatio);
        label->setPositionAlignment((rightHalf ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignTop);
        label->setText(text); // QCPItemText paints plain text
        label->setColor(fg);
        QColor bg = palette().color(QPalette::Base);
        bg.setAlpha(190);
        label->setBrush(bg);
        label->setFont(QFont(font().family(), std::max(7, font().pointSize() - 1)));
        label->setClipToAxisRect(true);
    };
    for (const auto& m : d.markers) {
        auto* line = new QCPItemStraightLine(m_plot);
        line->point1->setCoords(m.ts / 1000.0, 0);
        line->point2->setCoords(m.ts / 1000.0, 1);
        const QColor c = m.isModelRelease ? QColor(0xD5, 0x5E, 0x00) : QColor(0x00, 0x9E, 0x73);
        line->setPen(QPen(c, 1, m.isModelRelease ? Qt::DashLine : Qt::DotLine));
        if (m.isModelRelease)
            addLabel(m.ts / 1000.0, 0.02, tr("release: %1").arg(displaytext::embedded(m.label, 32)));
        else if (creations <= 3)
            addLabel(m.ts / 1000.0, 0.12, tr("created: %1").arg(displaytext::embedded(m.label, 32)));
    }
    if (creations > 3)
        addLabel(firstCreation / 1000.0, 0.12, tr("%1 accounts created (dotted lines)").arg(creations));
    // No data: no made-up axes (an empty chart with dates reads like "no activity"); say what is missing.
    const bool empty = d.requests == 0;
    for (QCPAxis* axis : {m_plot->xAxis, m_plot->yAxis, m_heat->xAxis, m_heat->yAxis}) {
        axis->setTickLabels(!empty);
        axis->setTicks(!empty);
    }
    if (empty) {
        auto* note = new QCPItemText(m_plot);
        note->position->setType(QCPItemPosition::ptAxisRectRatio);
        note->position->setCoords(0.5, 0.5);
        note->setText(m_casePath.isEmpty() ? tr("Open logs (Ctrl+O) or a case to see requests over time")
                                           : m_loading ? tr("Loading…") : tr("No requests in this scope"));
        note->setColor(palette().color(QPalette::PlaceholderText));
    }
    m_plot->legend->setVisible(!d.series.isEmpty());
    m_plot->legend->setBrush(Qt::NoBrush);
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->legend->setFont(legendFont());
    fitLegend();
    resetZoom();
    m_plot->yAxis->setRange(0, std::max(1.0, maxStack * 1.1));
    // m_scope has no time range (setScope): the brush is the one the heat map counts.
    if (m_heatFrom && m_heatTo)
        showBrush(*m_heatFrom / 1000.0, *m_heatTo / 1000.0);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimelineView::rebuildHeat()
{
    m_heat->clearPlottables();
    const TimelineData& d = m_data;
    if (d.dayCount <= 0) {
        m_heat->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    auto* map = new QCPColorMap(m_heat->xAxis, m_heat->yAxis);
    map->data()->setSize(d.dayCount, 24);
    const double day0 = d.firstDay * 86400.0 + 43200.0; // cell centres at noon
    map->data()->setRange(QCPRange(day0, day0 + (d.dayCount - 1) * 86400.0), QCPRange(0, 23));
    double maxv = 0;
    for (int day = 0; day < d.dayCount; ++day)
        for (int h = 0; h < 24; ++h) {
            const double v = d.heat[day * 24 + h];
            map->data()->setCell(day, h, v);
            maxv = std::max(maxv, v);
        }
    // Zero blends into the background; busy hours stand out in the theme's contrast colour.
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0.0, palette().color(QPalette::Base));
    if (charttheme::isDark(palette())) {
        g.setColorStopAt(0.15, QColor(0x3b, 0x2a, 0x5c));
        g.setColorStopAt(0.6, QColor(0xd5, 0x5e, 0x00));
        g.setColorStopAt(1.0, QColor(0xff, 0xe0, 0x80));
    } else {
        g.setColorStopAt(0.15, QColor(0xc6, 0xdb, 0xef));
        g.setColorStopAt(0.6, QColor(0x21, 0x71, 0xb5));
        g.setColorStopAt(1.0, QColor(0x08, 0x30, 0x6b));
    }
    map->setGradient(g);
    map->setInterpolate(false);
    // One label per day (or per few days), under the day's column: no repeated dates.
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const int every = std::max(1, d.dayCount / 10);
    for (int day = 0; day < d.dayCount; day += every)
        ticker->addTick(day0 + day * 86400.0,
                        QDateTime::fromMSecsSinceEpoch((d.firstDay + day) * 86400000LL, Qt::UTC).toString(QStringLiteral("MMM d")));
    m_heat->xAxis->setTicker(ticker);
    // Brushed, the heat map counts the brushed hours only, and says so under its dates.
    m_heat->xAxis->setLabel(d.heatBrushed && m_heatFrom && m_heatTo
                                ? tr("requests of %1 only (the brushed range)").arg(timeRangeText(*m_heatFrom, *m_heatTo))
                                : QString());
    if (!m_heatScale) {
        m_heatScale = new QCPColorScale(m_heat);
        m_heat->plotLayout()->addElement(0, 1, m_heatScale);
        m_heatScale->setBarWidth(10);
        m_heatScale->axis()->setLabel(tr("requests"));
        m_heatScale->axis()->setTicker(countTicker());
        auto* group = new QCPMarginGroup(m_heat);
        m_heat->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, group);
        m_heatScale->setMarginGroup(QCP::msBottom | QCP::msTop, group);
    }
    map->setColorScale(m_heatScale);
    m_heatScale->setGradient(g); // a colour scale imposes its gradient on the map
    // After setColorScale, which otherwise imposes the previous map's range.
    map->setDataRange(QCPRange(0, std::max(1.0, maxv)));
    charttheme::apply(m_heat, palette());
    m_heatScale->axis()->setBasePen(QPen(palette().color(QPalette::Text)));
    m_heatScale->axis()->setTickLabelColor(palette().color(QPalette::Text));
    m_heatScale->axis()->setLabelColor(palette().color(QPalette::Text));
    m_heat->xAxis->setRange(day0 - 43200.0, day0 + (d.dayCount - 1) * 86400.0 + 43200.0);
    m_heat->yAxis->setRange(-0.5, 23.5);
    m_heat->replot(QCustomPlot::rpQueuedReplot);
}

void TimelineView::showBrush(double fromSec, double toSec)
{
    if (!m_brush) {
        m_brush = new QCPItemRect(m_plot);
        m_brush->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
        m_brush->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
        QColor c = palette().color(QPalette::Highlight);
        c.setAlpha(50);
        m_brush->setBrush(c);
        m_brush->setPen(QPen(palette().color(QPalette::Highlight)));
    }
    m_brush->setVisible(true);
    m_brush->topLeft->setCoords(std::min(fromSec, toSec), 0);
    m_brush->bottomRight->setCoords(std::max(fromSec, toSec), 1);
}

void TimelineView::resetZoom()
{
    if (m_data.bucketCount > 0)
        m_plot->xAxis->setRange(m_data.startMs / 1000.0, (m_data.startMs + m_data.bucketCount * m_data.bucketMs) / 1000.0);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QFont TimelineView::legendFont() const { return QFont(font().family(), std::max(7, font().pointSize() - 1)); }

void TimelineView::fitLegend()
{
    QCPLegend* legend = m_plot->legend;
    const QFontMetrics fm(legend->font());
    int widest = 0;
    for (int i = 0; i < legend->itemCount(); ++i)
        if (auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i)))
            widest = std::max(widest, fm.horizontalAdvance(item->plottable()->name()));
    const int itemWidth = widest + legend->iconSize().width() + legend->iconTextPadding() + legend->columnSpacing() + 12;
    const int columns = std::max(1, (m_plot->width() - 16) / std::max(1, itemWidth));
    if (columns != legend->wrap()) {
        legend->setWrap(columns);
        legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true); // re-flows the items into the new columns
    }
}

bool TimelineView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_plot && event->type() == QEvent::Resize) {
        const int before = m_plot->legend->wrap();
        fitLegend();
        if (m_plot->legend->wrap() != before)
            m_plot->replot(QCustomPlot::rpQueuedReplot);
    }
    if (watched == m_plot && event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        QCPRange r = m_plot->xAxis->range();
        const double step = r.size() * 0.1;
        switch (key->key()) {
        case Qt::Key_Left: m_plot->xAxis->setRange(r.lower - step, r.upper - step); break;
        case Qt::Key_Right: m_plot->xAxis->setRange(r.lower + step, r.upper + step); break;
        case Qt::Key_Plus:
        case Qt::Key_Equal: m_plot->xAxis->scaleRange(0.8, r.center()); break;
        case Qt::Key_Minus: m_plot->xAxis->scaleRange(1.25, r.center()); break;
        case Qt::Key_Home: resetZoom(); return true;
        default: return QWidget::eventFilter(watched, event);
        }
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void TimelineView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange) {
        applyTheme();
        rebuild();
        rebuildHeat();
    }
    QWidget::changeEvent(event);
}

void TimelineView::applyTheme()
{
    charttheme::apply(m_plot, palette());
    charttheme::apply(m_heat, palette());
}

PinnedItem TimelineView::chartPin() const
{
    const int w = std::max(m_plot->width(), 480);
    const int h = std::max(m_plot->height(), 240);
    PinnedItem pin;
    pin.kind = PinKind::Chart;
    QPicture picture; // vector: the report replays it into the PDF
    {
        QCPPainter painter(&picture);
        m_plot->toPainter(&painter, w, h);
    }
    pin.picture = QByteArray(picture.data(), static_cast<qsizetype>(picture.size()));
    QBuffer png(&pin.thumbnail);
    png.open(QIODevice::WriteOnly);
    m_plot->toPixmap(w, h).scaledToHeight(120, Qt::SmoothTransformation).save(&png, "PNG");

    const QCPRange r = m_plot->xAxis->range();
    auto when = [](double sec) {
        return QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(sec * 1000), Qt::UTC).toString(QStringLiteral("yyyy-MM-dd hh:mm"));
    };
    pin.title = tr("Requests over time, %1 – %2 UTC").arg(when(r.lower), when(r.upper));
    pin.payload = {{QStringLiteral("description"),
                    tr("Requests over time, stacked by %1, from %2 to %3 UTC, as displayed.")
                        .arg(m_data.stackedBy == TimelineData::StackBy::Network ? tr("network")
                             : m_data.stackedBy == TimelineData::StackBy::Model ? tr("model")
                                                                                : tr("account"),
                             when(r.lower), when(r.upper))}};
    return pin;
}

} // namespace ds
