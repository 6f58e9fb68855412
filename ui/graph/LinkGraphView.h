#pragma once

#include "workspace/LinkGraphData.h"

#include <QGraphicsView>
#include <QHash>
#include <QWidget>

class QGraphicsEllipseItem;
class QGraphicsScene;
class QGraphicsSimpleTextItem;
class QGridLayout;
class QLabel;
class QToolButton;

namespace ds {

class AnalysisBanner;

// The selected network as a graph: accounts as nodes (colour by score), links
// as edges (colour by link kind with a legend, width by weight, tooltip with what they share),
// laid out by Graphviz on a worker, fitted to the view. Wheel zooms (labels appear once readable,
// and on hover before that), drag pans, "Fit" shows the whole network again; clicking a node
// selects the account everywhere. A line under the legend says how many pieces the drawn links
// form and what ties the network together beyond them. GUI thread only.
class LinkGraphView : public QWidget
{
    Q_OBJECT
public:
    explicit LinkGraphView(QWidget* parent = nullptr);
    ~LinkGraphView() override;
    void setCase(const QString& casePath);
    // Shows cluster `cluster` of run `run` (0: clears).
    void showCluster(std::int64_t run, std::int64_t cluster);
    // Highlights the node of this account, if it is in the graph.
    void selectAccount(std::int64_t account);
    AnalysisBanner* banner() const { return m_banner; }
    const LinkGraphData& data() const { return m_data; }
    bool isLoading() const { return m_loading; }
    QGraphicsView* view() const { return m_view; }
    // The legend's entries, one per link kind drawn ("same IP address"), in order.
    QStringList legendEntries() const;
    // The line on the pieces of the drawing and what joins them.
    QString piecesText() const;
    QToolButton* fitButton() const { return m_fit; }
    // Scales the view so the whole network shows.
    void fitToView();

Q_SIGNALS:
    void accountSelected(qint64 account);
    void loaded();

protected:
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void rebuild();
    void onSelectionChanged();
    void updateLabels();
    void rebuildLegend();

    QString m_casePath;
    quint64 m_generation = 0;
    bool m_loading = false;
    bool m_selecting = false;
    bool m_userZoomed = false; // the analyst zoomed: resizing no longer refits
    LinkGraphData m_data;
    AnalysisBanner* m_banner = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_pieces = nullptr;
    QWidget* m_legend = nullptr;
    QGridLayout* m_legendLayout = nullptr; // a few kinds per row, so the dock fits a laptop screen
    QToolButton* m_fit = nullptr;
    QGraphicsView* m_view = nullptr;
    QGraphicsScene* m_scene = nullptr;
    QHash<std::int64_t, QGraphicsEllipseItem*> m_nodeItems;
    QList<QGraphicsSimpleTextItem*> m_labels;
};

} // namespace ds
