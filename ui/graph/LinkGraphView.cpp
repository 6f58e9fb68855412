#include "graph/LinkGraphView.h"

#include "data/BackgroundTask.h"
#include "detect/ReasonText.h"
#include "text/DisplayText.h"
#include "views/AnalysisBanner.h"
#include "workspace/LinkKinds.h"
#include "workspace/ReadConnection.h"

#include <QGraphicsEllipseItem>
#include <QGraphicsLineItem>
#include <QGraphicsScene>
#include <QGraphicsSceneHoverEvent>
#include <QGraphicsSimpleTextItem>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLayoutItem>
#include <QPainter>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWheelEvent>

namespace ds {

namespace {
constexpr int kAccountRole = 0;
constexpr double kNodeRadius = 11;
constexpr int kLabelWidth = 120; // about the room GraphLayout reserves under a node

constexpr double kMaxFitScale = 1.5; // a small network is not blown up past this

// An account's node: its id shows under it while the pointer is on it, however far zoomed out.
class NodeItem : public QGraphicsEllipseItem
{
public:
    explicit NodeItem(const QRectF& rect)
        : QGraphicsEllipseItem(rect)
    {
        setAcceptHoverEvents(true);
    }
    QGraphicsSimpleTextItem* label = nullptr;
    bool labelReadable = false; // zoomed in enough to show every label

protected:
    void hoverEnterEvent(QGraphicsSceneHoverEvent* event) override
    {
        if (label)
            label->setVisible(true);
        QGraphicsEllipseItem::hoverEnterEvent(event);
    }
    void hoverLeaveEvent(QGraphicsSceneHoverEvent* event) override
    {
        if (label)
            label->setVisible(labelReadable);
        QGraphicsEllipseItem::hoverLeaveEvent(event);
    }
};

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
    m_view->installEventFilter(this);
    m_legend = new QWidget(this);
    m_legend->setObjectName(QStringLiteral("linkLegend"));
    m_legendLayout = new QGridLayout(m_legend);
    m_legendLayout->setContentsMargins(6, 2, 6, 2);
    m_fit = new QToolButton(this);
    m_fit->setObjectName(QStringLiteral("fitGraph"));
    m_fit->setText(tr("Fit"));
    m_fit->setToolTip(tr("Show the whole network"));
    connect(m_fit, &QToolButton::clicked, this, &LinkGraphView::fitToView);
    m_pieces = new QLabel(this);
    m_pieces->setObjectName(QStringLiteral("graphPieces"));
    m_pieces->setTextFormat(Qt::PlainText);
    m_pieces->setWordWrap(true);
    m_pieces->setVisible(false);
    auto* head = new QHBoxLayout;
    head->setContentsMargins(0, 0, 4, 0);
    head->addWidget(m_legend, 1);
    head->addWidget(m_fit);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addWidget(m_status);
    layout->addLayout(head);
    layout->addWidget(m_pieces);
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
    rebuildLegend();
    m_pieces->setText(piecesText());
    m_pieces->setVisible(!m_pieces->text().isEmpty());
    m_fit->setEnabled(!m_data.nodes.isEmpty());
    if (m_data.nodes.isEmpty()) {
        m_status->setText(m_data.error.isEmpty() ? tr("Select a network in Clusters to see how its accounts are linked.")
                                                 : m_data.error);
        return;
    }
    const QString shown = m_data.members > m_data.nodes.size()
                              ? tr("%L1 of %L2 accounts (those of the strongest links, then the highest scores)")
                                    .arg(m_data.nodes.size())
                                    .arg(m_data.members)
                              : reasontext::count(m_data.nodes.size(), QStringLiteral("account"), QStringLiteral("accounts"));
    m_status->setText(tr("%1: %2, %3 links. Node colour: score (green low, red high); link colour: what is shared "
                         "(legend); width: link strength. Hover a node for its id, a link for all it shares; wheel to zoom.")
                          .arg(displaytext::embedded(m_data.label, 40), shown)
                          .arg(m_data.edges.size()));
    const QColor fg = palette().color(QPalette::Text);
    double maxWeight = 0;
    for (const auto& e : m_data.edges)
        maxWeight = std::max(maxWeight, e.weight);
    for (const auto& e : m_data.edges) {
        const QPointF a = m_data.nodes[e.a].pos, b = m_data.nodes[e.b].pos;
        auto* line = m_scene->addLine(QLineF(a, b));
        // Coloured by the strongest kind (the first); the tooltip names every kind.
        QColor c = e.kinds.isEmpty() ? fg : linkkinds::color(e.kinds.front());
        c.setAlpha(190);
        line->setPen(QPen(c, 0.8 + 3.0 * (maxWeight > 0 ? e.weight / maxWeight : 0)));
        QStringList shared;
        for (const QString& k : e.kinds)
            shared << linkkinds::label(k);
        line->setToolTip(displaytext::tooltip(tr("%1 — %2: %3 (strength %4)")
                                                  .arg(m_data.nodes[e.a].accountId.left(80), m_data.nodes[e.b].accountId.left(80),
                                                       shared.join(QStringLiteral(", ")))
                                                  .arg(e.weight, 0, 'f', 2)));
        line->setZValue(0);
    }
    m_labels.clear();
    for (const auto& n : m_data.nodes) {
        auto* node = new NodeItem(QRectF(-kNodeRadius, -kNodeRadius, 2 * kNodeRadius, 2 * kNodeRadius));
        node->setPen(QPen(fg, 1));
        node->setBrush(QBrush(scoreColor(n.score)));
        m_scene->addItem(node);
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
            // Centred under the node, inside the box the layout reserved for it, at the font's size
            // however far the view is zoomed out: a label shown on hover must be readable.
            text->setFlag(QGraphicsItem::ItemIgnoresTransformations);
            text->setPos(n.pos + QPointF(0, kNodeRadius + 1));
            text->setTransform(QTransform::fromTranslate(-text->boundingRect().width() / 2, 0));
            text->setZValue(2);
            node->label = text;
            m_labels.append(text);
        }
    }
    m_scene->setSceneRect(m_scene->itemsBoundingRect().adjusted(-30, -30, 30, 30));
    m_userZoomed = false;
    fitToView();
}

void LinkGraphView::fitToView()
{
    if (m_data.nodes.isEmpty())
        return;
    m_view->fitInView(m_scene->sceneRect(), Qt::KeepAspectRatio);
    if (m_view->transform().m11() > kMaxFitScale) {
        m_view->resetTransform();
        m_view->scale(kMaxFitScale, kMaxFitScale);
    }
    m_view->centerOn(m_scene->sceneRect().center());
    m_userZoomed = false;
    updateLabels();
}

QStringList LinkGraphView::legendEntries() const
{
    QStringList out;
    for (const QString& kind : m_data.kindsDrawn)
        out << linkkinds::label(kind);
    return out;
}

void LinkGraphView::rebuildLegend()
{
    while (QLayoutItem* item = m_legendLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    if (m_data.kindsDrawn.isEmpty())
        return;
    auto* title = new QLabel(tr("Links:"), m_legend);
    title->setTextFormat(Qt::PlainText);
    m_legendLayout->addWidget(title, 0, 0);
    // Eleven kinds in one row asked for 730 px and pushed the window past a 1366-px laptop screen.
    constexpr int kKindsPerRow = 4;
    int index = 0;
    for (const QString& kind : m_data.kindsDrawn) {
        QPixmap swatch(18, 10);
        swatch.fill(Qt::transparent);
        {
            QPainter p(&swatch);
            p.setPen(QPen(linkkinds::color(kind), 3));
            p.drawLine(1, 5, 17, 5);
        }
        auto* mark = new QLabel(m_legend);
        mark->setPixmap(swatch);
        auto* text = new QLabel(linkkinds::label(kind), m_legend);
        text->setTextFormat(Qt::PlainText);
        const int row = index / kKindsPerRow, column = 1 + 2 * (index % kKindsPerRow);
        m_legendLayout->addWidget(mark, row, column);
        m_legendLayout->addWidget(text, row, column + 1);
        ++index;
    }
    m_legendLayout->setHorizontalSpacing(6);
    m_legendLayout->setColumnStretch(1 + 2 * kKindsPerRow, 1);
}

QString LinkGraphView::piecesText() const
{
    if (m_data.nodes.size() < 2)
        return {};
    const int shown = static_cast<int>(m_data.nodes.size());
    auto accounts = [](int n) { return reasontext::count(n, QStringLiteral("account"), QStringLiteral("accounts")); };
    if (m_data.components <= 1)
        return tr("The drawn links join %1 shown.").arg(reasontext::partOf(shown, shown, QStringLiteral("accounts")));
    QString text = tr("The drawn links form %1 separate groups (the largest has %2")
                       .arg(m_data.components)
                       .arg(accounts(m_data.largestComponent));
    text += m_data.unlinked > 0 ? tr("; %1 no drawn link).")
                                      .arg(m_data.unlinked == 1 ? tr("1 account has") : tr("%1 accounts have").arg(m_data.unlinked))
                                : QStringLiteral(").");
    if (m_data.linksKept > 0 && m_data.edges.size() >= m_data.linksKept)
        text += QLatin1Char(' ')
                + tr("Only the network's %L1 strongest links are kept with the results, so weaker links between the "
                     "groups are not drawn.")
                      .arg(m_data.linksKept);
    if (!m_data.reasons.isEmpty())
        // The detector's sentences may quote values from the logs: shown as plain, neutralised text.
        text += QLatin1Char(' ') + tr("What ties the network together: %1").arg(displaytext::cell(m_data.reasons.join(QLatin1Char(' ')), 600));
    return text;
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
    // Labels only where they can be read; zoomed out, hovering a node shows its id.
    const bool readable = m_view->transform().m11() >= 0.7;
    for (QGraphicsEllipseItem* item : m_nodeItems) {
        auto* node = static_cast<NodeItem*>(item);
        node->labelReadable = readable;
        if (node->label)
            node->label->setVisible(readable || node->isUnderMouse());
    }
}

bool LinkGraphView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Wheel) {
        const auto* wheel = static_cast<QWheelEvent*>(event);
        const double factor = std::pow(1.0015, wheel->angleDelta().y());
        m_view->scale(factor, factor);
        m_userZoomed = true;
        updateLabels();
        return true;
    }
    // Until the analyst zooms, the network keeps fitting the view as the dock is resized or shown.
    if (watched == m_view && (event->type() == QEvent::Resize || event->type() == QEvent::Show) && !m_userZoomed)
        fitToView();
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
