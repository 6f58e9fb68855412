// The link graph of a flagged network (issue 16, finding 5): links coloured by their kind with a
// legend naming the kinds drawn, the whole network fitted to the view (and again with "Fit" after
// zooming), an account's id shown while the pointer is on its node, and a line saying how many
// pieces the drawn links form and what ties the network together beyond them. DS_SCREENSHOT_DIR /
// test-output/ receive the view.
#include "DetectTestCase.h"

#include "core/CaseDatabase.h"
#include "graph/LinkGraphView.h"
#include "workspace/LinkKinds.h"

#include <QGraphicsEllipseItem>
#include <QGraphicsLineItem>
#include <QGraphicsSimpleTextItem>
#include <QLabel>
#include <QToolButton>
#include <QWheelEvent>
#include <QtTest>

#include <map>

using namespace ds;

class TestLinkGraphView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void linksColouredByKindWithLegend();
    void wholeNetworkFitsAndFitsAgain();
    void hoveredNodeShowsItsId();
    void piecesAreExplained();

private:
    QList<QGraphicsEllipseItem*> nodes() const;
    bool allNodesVisible() const;

    test::ScratchDir m_dir;
    std::unique_ptr<LinkGraphView> m_view;
};

void TestLinkGraphView::initTestCase()
{
    // Few links kept per network, as on a large network: the drawing falls into pieces to explain.
    DetectSettings settings;
    settings.topEdgesPerCluster = 6;
    const test::DetectedCase c = test::importAndDetect(m_dir, test::DetectFixture(), settings);
    QVERIFY2(c.summary.error.isEmpty(), qPrintable(c.summary.error));
    // The network with the most stored links: the drawing has something to colour.
    const std::int64_t cluster = test::queryInt(
        c.database, QStringLiteral("SELECT cluster FROM link WHERE run = %1 GROUP BY cluster ORDER BY count(*) DESC, cluster LIMIT 1")
                        .arg(c.summary.run)
                        .toUtf8()
                        .constData());
    QVERIFY(cluster > 0);
    m_view = std::make_unique<LinkGraphView>();
    m_view->resize(1000, 700);
    m_view->setCase(c.database);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    m_view->showCluster(c.summary.run, cluster);
    QTRY_VERIFY_WITH_TIMEOUT(!m_view->isLoading() && !m_view->data().nodes.isEmpty(), 60000);
    QVERIFY(!m_view->data().edges.isEmpty());
    QVERIFY(m_view->grab().save(test::outputDir() + QStringLiteral("/gui-link-graph.png")));
}

QList<QGraphicsEllipseItem*> TestLinkGraphView::nodes() const
{
    QList<QGraphicsEllipseItem*> out;
    for (QGraphicsItem* item : m_view->view()->scene()->items())
        if (auto* e = qgraphicsitem_cast<QGraphicsEllipseItem*>(item))
            out << e;
    return out;
}

bool TestLinkGraphView::allNodesVisible() const
{
    const QRectF shown = m_view->view()->mapToScene(m_view->view()->viewport()->rect()).boundingRect();
    for (QGraphicsEllipseItem* n : nodes())
        if (!shown.contains(n->sceneBoundingRect()))
            return false;
    return true;
}

void TestLinkGraphView::linksColouredByKindWithLegend()
{
    std::map<QString, int> drawn; // colour name -> links
    for (QGraphicsItem* item : m_view->view()->scene()->items())
        if (auto* line = qgraphicsitem_cast<QGraphicsLineItem*>(item))
            ++drawn[line->pen().color().name()];
    // Each link has its strongest kind's colour, and the legend names exactly the kinds drawn.
    QStringList expected;
    std::map<QString, int> byKind;
    for (const auto& e : m_view->data().edges) {
        QVERIFY(!e.kinds.isEmpty());
        ++byKind[linkkinds::color(e.kinds.front()).name()];
        if (!expected.contains(linkkinds::label(e.kinds.front())))
            expected << linkkinds::label(e.kinds.front());
    }
    QCOMPARE(drawn, byKind);
    QStringList legend = m_view->legendEntries();
    std::sort(legend.begin(), legend.end());
    std::sort(expected.begin(), expected.end());
    QCOMPARE(legend, expected);
    // The legend is on screen, in words, not keys.
    QStringList shown;
    for (QLabel* l : m_view->findChild<QWidget*>(QStringLiteral("linkLegend"))->findChildren<QLabel*>())
        if (!l->text().isEmpty())
            shown << l->text();
    QVERIFY2(shown.contains(QStringLiteral("Links:")), qPrintable(shown.join(QLatin1Char('|'))));
    for (const QString& label : expected)
        QVERIFY2(shown.contains(label), qPrintable(shown.join(QLatin1Char('|'))));
    for (const QString& s : shown)
        QVERIFY2(!s.contains(QLatin1Char('_')), qPrintable(s));
}

void TestLinkGraphView::wholeNetworkFitsAndFitsAgain()
{
    QVERIFY(allNodesVisible());
    // Zoomed in far, some nodes leave the view; Fit brings them all back.
    for (int i = 0; i < 6; ++i) {
        QWheelEvent wheel(QPointF(50, 50), m_view->view()->viewport()->mapToGlobal(QPointF(50, 50)), QPoint(), QPoint(0, 240),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(m_view->view()->viewport(), &wheel);
    }
    if (nodes().size() > 1)
        QVERIFY(!allNodesVisible());
    QTest::mouseClick(m_view->fitButton(), Qt::LeftButton);
    QVERIFY(allNodesVisible());
}

void TestLinkGraphView::hoveredNodeShowsItsId()
{
    // Zoomed out past the point where every label shows.
    for (int i = 0; i < 4; ++i) {
        QWheelEvent wheel(QPointF(50, 50), m_view->view()->viewport()->mapToGlobal(QPointF(50, 50)), QPoint(), QPoint(0, -240),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(m_view->view()->viewport(), &wheel);
    }
    QVERIFY(m_view->view()->transform().m11() < 0.7);
    QList<QGraphicsSimpleTextItem*> labels;
    for (QGraphicsItem* item : m_view->view()->scene()->items())
        if (auto* t = qgraphicsitem_cast<QGraphicsSimpleTextItem*>(item))
            labels << t;
    QVERIFY(!labels.isEmpty());
    for (QGraphicsSimpleTextItem* t : labels)
        QVERIFY(!t->isVisible());
    // The pointer on a node: its label appears; away from it, it goes.
    m_view->view()->centerOn(nodes().first());
    QGraphicsEllipseItem* node = nodes().first();
    const QPoint at = m_view->view()->mapFromScene(node->sceneBoundingRect().center());
    QTest::mouseMove(m_view->view()->viewport(), at);
    auto visibleLabel = [&]() -> QGraphicsSimpleTextItem* {
        for (QGraphicsSimpleTextItem* t : labels)
            if (t->isVisible())
                return t;
        return nullptr;
    };
    QTRY_VERIFY(visibleLabel());
    // The label shown is the hovered node's: right under it, and the only one.
    const QRectF under = visibleLabel()->sceneBoundingRect();
    QVERIFY(std::abs(under.center().x() - node->sceneBoundingRect().center().x()) < 2);
    QVERIFY(under.top() >= node->sceneBoundingRect().bottom() - 1 && under.top() < node->sceneBoundingRect().bottom() + 5);
    int shown = 0;
    for (QGraphicsSimpleTextItem* t : labels)
        shown += t->isVisible();
    QCOMPARE(shown, 1);
    QVERIFY(m_view->grab().save(test::outputDir() + QStringLiteral("/gui-link-graph-hover.png")));
    QTest::mouseMove(m_view->view()->viewport(), QPoint(1, 1));
    QTRY_VERIFY(!visibleLabel());
    QTest::mouseClick(m_view->fitButton(), Qt::LeftButton);
}

void TestLinkGraphView::piecesAreExplained()
{
    const LinkGraphData& d = m_view->data();
    // The pieces counted independently of the view, from the drawn links.
    std::vector<int> group(static_cast<std::size_t>(d.nodes.size()));
    for (std::size_t i = 0; i < group.size(); ++i)
        group[i] = int(i);
    std::function<int(int)> root = [&](int x) { return group[std::size_t(x)] == x ? x : group[std::size_t(x)] = root(group[std::size_t(x)]); };
    for (const auto& e : d.edges)
        group[std::size_t(root(e.a))] = root(e.b);
    int pieces = 0;
    for (std::size_t i = 0; i < group.size(); ++i)
        pieces += root(int(i)) == int(i);
    QCOMPARE(d.components, pieces);
    const QString text = m_view->piecesText();
    qInfo("%d accounts, %d links, %d pieces: %s", int(d.nodes.size()), int(d.edges.size()), pieces, qPrintable(text));
    QVERIFY2(pieces > 1, "six links cannot join a network of more than seven accounts");
    if (pieces == 1) {
        QVERIFY2(text.startsWith(QStringLiteral("The drawn links join ")), qPrintable(text));
    } else {
        QVERIFY2(text.startsWith(QStringLiteral("The drawn links form %1 separate groups").arg(pieces)), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("What ties the network together: ")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Only the network's 6 strongest links are kept")), qPrintable(text));
    }
    QVERIFY(m_view->findChild<QLabel*>(QStringLiteral("graphPieces"))->isVisible());
}

QTEST_MAIN(TestLinkGraphView)
#include "tst_link_graph_view.moc"
