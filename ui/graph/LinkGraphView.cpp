#include "graph/LinkGraphView.h"

#include "data/BackgroundTask.h"
#include "text/DisplayText.h"
#include "views/AnalysisBanner.h"
#include "workspace/ReadConnection.h"

#include <QGraphicsEllipseItem>
#include <QGraphicsLineItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QLabel>
#include <QVBoxLayout>
#include <QWheelEvent>

namespace ds {

namespace {
constexpr int kAccountRole = 0;
constexpr double kNodeRadius = 11;
constexpr int kLabelWidth = 120; // about the room GraphLayout reserves under a node

QColor scoreColor(double score)
{
    // Green (low) to amber to red (high), readable on light and dark backgrounds.
    const double s = std::clamp(score, 0.0, 1.0);
    return QColor::fromHsvF(static_cast<float>((1.0 - s) * 0.33), 0.75f, 0.9f);
}
} // namespace

LinkGraphView::LinkGraphView(QWidget* parent)
    : QWidget(parent)
{
    m_banner = new AnalysisBanner(this);
    m_status = new QLabel(tr("Select a network in Clusters to see how its accounts are linked."), this);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_scene = new QGraphicsScene(this);
    m_view = new QGraphicsView(m_scene, this);
    m_view->setObjectName(QStringLiteral("linkGraph"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setDragMode(QGraphicsView::ScrollHandDrag);
    m_view->setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    m_view->viewport()->installEventFilter(this);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addWidget(m_status);
    layout->addWidget(m_view, 1);
    connect(m_scene, &QGraphicsScene::selectionChanged, this, &LinkGraphView::onSelectionChanged);
}

LinkGraphView::~LinkGraphView()
{
    // The scene (a child) deletes its items after this body: a selected node going then emits
    // selectionChanged, and onSelectionChanged would restyle nodes already deleted.
    disconnect(m_scene, nullptr, this, nullptr);
    m_nodeItems.clear();
}

void LinkGraphView::setCase(const QString& casePath)
{
    m_casePath = casePath;
    showCluster(0, 0);
}

void LinkGraphView::showCluster(std::int64_t run, std::int64_t cluster)
{
    const quint64 generation = ++m_generation;
    if (cluster <= 0 || m_casePath.isEmpty()) {
        m_data = {};
        m_loading = false;
        rebuild();
        return;
    }
    m_loading = true;
    m_status->setText(tr("Laying out the network…"));
    std::function<LinkGraphData()> work = [path = m_casePath, run, cluster] {
        return LinkGraphData::load(readConnection(path), run, cluster);
    };
    runInBackground<LinkGraphData>(this, std::move(work), [this, generation](TaskResult<LinkGraphData> r) {
        if (generation != m_generation)
            return;
        m_loading = false;
        m_data = r.ok() ? std::move(r.value) : LinkGraphData{};
        if (!r.ok())
            m_data.error = r.error;
        rebuild();
        Q_EMIT loaded();
    });
}

void LinkGraphView::rebuild()
{
    m_selecting = true;
    m_scene->clear();
    m_nodeItems.clear();
    m_labels.clear();
    m_selecting = false;
    if (m_data.nodes.isEmpty()) {
        m_status->setText(m_data.error.isEmpty() ? tr("Select a network in Clusters to see how its accounts are linked.")
                                                 : m_data.error);
        return;
    }
    const QString shown = m_data.members > m_data.nodes.size()
                              ? tr("%L1 of %L2 accounts (those of the strongest links, then the highest scores)")
                                    .arg(m_data.nodes.size())
                                    .arg(m_data.members)
                              : tr("%n account(s)", nullptr, static_cast<int>(m_data.nodes.size()));
    m_status->setText(tr("%1: %2, %3 links. Node colour: score (green low, red high); edge width: link "
                         "strength. Hover an edge for what is shared; wheel to zoom (ids appear when readable).")
                          .arg(displaytext::embedded(m_data.label, 40), shown)
                          .arg(m_data.edges.size()));
    const QColor fg = palette().color(QPalette::Text);
    double maxWeight = 0;
    for (const auto& e : m_data.edges)
        maxWeight = std::max(maxWeight, e.weight);
    for (const auto& e : m_data.edges) {
        const QPointF a = m_data.nodes[e.a].pos, b = m_data.nodes[e.b].pos;
        auto* line = m_scene->addLine(QLineF(a, b));
        QColor c = fg;
        c.setAlpha(90);
        line->setPen(QPen(c, 0.6 + 3.0 * (maxWeight > 0 ? e.weight / maxWeight : 0)));
        line->setToolTip(displaytext::tooltip(tr("%1 — %2: shared %3 (weight %4)")
                                                  .arg(m_data.nodes[e.a].accountId.left(80), m_data.nodes[e.b].accountId.left(80),
                                                       e.kinds.join(QStringLiteral(", ")))
                                                  .arg(e.weight, 0, 'f', 2)));
        line->setZValue(0);
    }
    m_labels.clear();
    for (const auto& n : m_data.nodes) {
        auto* node = m_scene->addEllipse(-kNodeRadius, -kNodeRadius, 2 * kNodeRadius, 2 * kNodeRadius, QPen(fg, 1),
                                         QBrush(scoreColor(n.score)));
        node->setPos(n.pos);
        node->setZValue(1);
        node->setFlag(QGraphicsItem::ItemIsSelectable);
        node->setData(kAccountRole, QVariant::fromValue<qint64>(n.account));
        node->setToolTip(displaytext::tooltip(tr("%1\nscore %2%3").arg(n.accountId.left(200)).arg(n.score, 0, 'f', 2).arg(n.flagged ? tr(", flagged") : QString())));
        m_nodeItems.insert(n.account, node);
        {
            // QGraphicsSimpleTextItem paints plain text: account ids are never interpreted. Marks
            // (‹ESC›, ‹RLO›) make a neutralised id longer than it looks: cut to the room, not to a count.
            QFont small = font();
            small.setPointSizeF(std::max(7.0, small.pointSizeF() - 1));
            const QString label = QFontMetrics(small).elidedText(displaytext::cell(n.accountId, 64), Qt::ElideRight, kLabelWidth);
            auto* text = m_scene->addSimpleText(label, small);
            text->setBrush(fg);
            // Centred under the node, inside the box the layout reserved for it.
            text->setPos(n.pos + QPointF(-text->boundingRect().width() / 2, kNodeRadius + 1));
            text->setZValue(2);
            m_labels.append(text);
        }
    }
    m_scene->setSceneRect(m_scene->itemsBoundingRect().adjusted(-30, -30, 30, 30));
    // Fit the whole network, but never below a scale where the labels become
    // unreadable; past that the analyst pans and zooms from the best-linked account.
    m_view->resetTransform();
    const QRectF r = m_scene->sceneRect();
    const QSize v = m_view->viewport()->size();
    const double fit = std::min(v.width() / r.width(), v.height() / r.height());
    const double scale = std::clamp(fit, 0.45, 1.5);
    m_view->scale(scale, scale);
    QHash<int, int> degree;
    for (const auto& e : m_data.edges) {
        ++degree[e.a];
        ++degree[e.b];
    }
    int hub = 0;
    for (auto it = degree.begin(); it != degree.end(); ++it)
        if (it.value() > degree.value(hub))
            hub = it.key();
    m_view->centerOn(fit >= 0.45 ? r.center() : m_data.nodes[hub].pos);
    updateLabels();
}

void LinkGraphView::selectAccount(std::int64_t account)
{
    m_selecting = true;
    m_scene->clearSelection();
    if (auto* item = m_nodeItems.value(account)) {
        item->setSelected(true);
        m_view->ensureVisible(item);
    }
    m_selecting = false;
}

void LinkGraphView::onSelectionChanged()
{
    if (m_selecting)
        return;
    const QList<QGraphicsItem*> selected = m_scene->selectedItems();
    for (QGraphicsItem* item : m_nodeItems)
        static_cast<QGraphicsEllipseItem*>(item)->setPen(QPen(palette().color(QPalette::Text), item->isSelected() ? 3 : 1));
    if (!selected.isEmpty())
        Q_EMIT accountSelected(selected.first()->data(kAccountRole).toLongLong());
}

void LinkGraphView::updateLabels()
{
    // Labels only where they can be read; zoomed out, the tooltips name the accounts.
    const bool readable = m_view->transform().m11() >= 0.7;
    for (QGraphicsSimpleTextItem* label : m_labels)
        label->setVisible(readable);
}

bool LinkGraphView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Wheel) {
        const auto* wheel = static_cast<QWheelEvent*>(event);
        const double factor = std::pow(1.0015, wheel->angleDelta().y());
        m_view->scale(factor, factor);
        updateLabels();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void LinkGraphView::changeEvent(QEvent* event)
{
    // Light/dark switch: redraw with the new palette's colours.
    if (event->type() == QEvent::PaletteChange)
        rebuild();
    QWidget::changeEvent(event);
}

} // namespace ds
