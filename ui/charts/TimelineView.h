#pragma once

#include "case/PinnedItem.h"
#include "workspace/Scope.h"
#include "workspace/TimelineData.h"

#include <QWidget>

#include <memory>
#include <optional>

class QAction;
class QCustomPlot;
class QCPItemRect;
class QCPColorScale;
class QComboBox;
class QLabel;
class QMouseEvent;

namespace ds {

class AnalysisBanner;

// Requests over time for the current scope (stacked bars by flagged network by default, or by
// account or model; whole-number count ticks), an hour-of-day by day heat map (of the brushed
// range, once one is brushed) and release / creation markers. Wheel and drag zoom and pan, keys
// too (arrows, +/-, Home); Shift+drag brushes a time range, which the window applies to every view. Data is computed off the GUI thread.
// GUI thread only.
class TimelineView : public QWidget
{
    Q_OBJECT
public:
    explicit TimelineView(QWidget* parent = nullptr);

    void setCase(const QString& casePath);
    void setScope(const ViewScope& scope);
    void reload();
    AnalysisBanner* banner() const { return m_banner; }
    QCustomPlot* plot() const { return m_plot; }
    QCustomPlot* heatMap() const { return m_heat; }
    const TimelineData& data() const { return m_data; }
    bool isLoading() const { return m_loading; }
    // Brushes [fromMs, toMs) as if dragged with Shift (tests use it too).
    void brush(qint64 fromMs, qint64 toMs);
    // "Pin chart" (the button above the chart): emits pinRequested with chartPin().
    QAction* pinAction() const { return m_pinAction; }
    // The chart as displayed: a vector QPicture, a PNG thumbnail and a description (case/PinnedItem.h).
    // The owner (run/cluster/account) is left for the caller to set.
    PinnedItem chartPin() const;

Q_SIGNALS:
    void timeRangeBrushed(qint64 fromMs, qint64 toMs);
    void pinRequested(const ds::PinnedItem& pin);
    void loaded();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void rebuild();
    void rebuildHeat();
    void applyTheme();
    void showBrush(double fromSec, double toSec);
    void resetZoom();
    // Lays the legend (under the plot) out in as many columns as the width holds.
    void fitLegend();
    QFont legendFont() const;

    QString m_casePath;
    ViewScope m_scope;
    TimelineData m_data;
    quint64 m_generation = 0;
    std::shared_ptr<CancelToken> m_cancel; // the running computation's
    bool m_loading = false;
    AnalysisBanner* m_banner = nullptr;
    QComboBox* m_stackBy = nullptr;
    QLabel* m_status = nullptr;
    QCustomPlot* m_plot = nullptr;
    QCustomPlot* m_heat = nullptr;
    QCPItemRect* m_brush = nullptr;
    QCPColorScale* m_heatScale = nullptr;
    QAction* m_pinAction = nullptr;
    std::optional<double> m_brushStart; // seconds, while Shift-dragging
    std::optional<qint64> m_heatFrom, m_heatTo; // the brushed range the heat map counts
};

} // namespace ds
