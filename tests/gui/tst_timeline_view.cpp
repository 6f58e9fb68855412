// The timeline (issue 16, finding 8): stacked by flagged network by default when the run flagged
// networks (the busiest benign accounts no longer hide them), whole-number ticks on count axes,
// labels that stay inside the chart, and a heat map that counts the brushed range only and says so
// in words. test-output/ receives the view.
#include "DetectTestCase.h"

#include "charts/TimelineView.h"
#include "core/CaseDatabase.h"
#include "workspace/InvestigationState.h"

#include <QComboBox>
#include <QtTest>
#include <qcustomplot.h>

#include <cmath>

using namespace ds;

class TestTimelineView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void stacksByNetworkByDefault();
    void countAxesTickOnWholeNumbers();
    void heatMapCountsTheBrushedRange();
    void labelsStayInsideTheChart();
    void stackingMenuSaysWhatIsShown();

private:
    void load(const ViewScope& scope);
    static bool whole(const QVector<double>& ticks);

    test::ScratchDir m_dir;
    QString m_path;
    std::int64_t m_run = 0;
    std::unique_ptr<TimelineView> m_view;
};

void TestTimelineView::initTestCase()
{
    const test::DetectedCase c = test::importAndDetect(m_dir, test::DetectFixture());
    QVERIFY2(c.summary.error.isEmpty(), qPrintable(c.summary.error));
    QVERIFY(c.summary.flaggedClusters > 0);
    m_path = c.database;
    m_run = c.summary.run;
    m_view = std::make_unique<TimelineView>();
    m_view->resize(1200, 800);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    m_view->setCase(m_path);
    QTRY_VERIFY_WITH_TIMEOUT(!m_view->isLoading() && m_view->data().requests > 0, 60000);
}

void TestTimelineView::load(const ViewScope& scope)
{
    QSignalSpy loaded(m_view.get(), &TimelineView::loaded);
    m_view->setScope(scope);
    QVERIFY(loaded.wait(60000));
    m_view->plot()->replot();
    m_view->heatMap()->replot();
}

bool TestTimelineView::whole(const QVector<double>& ticks)
{
    for (double t : ticks)
        if (std::abs(t - std::round(t)) > 1e-9)
            return false;
    return !ticks.isEmpty();
}

void TestTimelineView::stacksByNetworkByDefault()
{
    QCOMPARE(m_view->findChild<QComboBox*>(QStringLiteral("stackBy"))->currentText(), QStringLiteral("Stack by network"));
    const TimelineData& d = m_view->data();
    QCOMPARE(d.stackedBy, TimelineData::StackBy::Network);
    QVERIFY(d.series.size() >= 2);
    // Every flagged network is a series of its own (up to the series cap), the rest one series, last.
    const std::int64_t networks = test::queryInt(m_path, QStringLiteral("SELECT count(*) FROM cluster WHERE run = %1").arg(m_run).toUtf8().constData());
    for (int i = 0; i < d.series.size() - 1; ++i)
        QVERIFY2(d.series[i].name.startsWith(QStringLiteral("N-")), qPrintable(d.series[i].name));
    QCOMPARE(d.series.last().name, QStringLiteral("in no flagged network"));
    QCOMPARE(qint64(d.series.size() - 1), std::min<qint64>(networks, TimelineData::kMaxSeries - 1));
    std::int64_t total = 0;
    for (const auto& s : d.series)
        total += s.total;
    QCOMPARE(total, d.requests);
    QVERIFY(m_view->grab().save(test::outputDir() + QStringLiteral("/gui-timeline-by-network.png")));
}

void TestTimelineView::countAxesTickOnWholeNumbers()
{
    QVERIFY2(whole(m_view->plot()->yAxis->tickVector()), "requests axis");
    QVERIFY2(whole(m_view->heatMap()->yAxis->tickVector()), "hour axis");
    auto* scale = qobject_cast<QCPColorScale*>(m_view->heatMap()->plotLayout()->element(0, 1));
    QVERIFY(scale);
    QCPAxis* scaleAxis = scale->axis(); // read once: the scale keeps its axis in a QPointer
    QVERIFY(scaleAxis);
    QVERIFY2(whole(scaleAxis->tickVector()), "heat colour scale");
    // A small network has few requests per bucket: the fractional ticks appeared there.
    ViewScope one;
    one.accountsRestricted = true;
    one.accounts = {test::queryInt(m_path, "SELECT account FROM cluster_member ORDER BY run DESC, cluster DESC LIMIT 1")};
    load(one);
    QVERIFY2(whole(m_view->plot()->yAxis->tickVector()), "requests axis of one account");
    QVERIFY2(whole(scaleAxis->tickVector()), "heat colour scale of one account");
    load({});
}

void TestTimelineView::heatMapCountsTheBrushedRange()
{
    const TimelineData& all = m_view->data();
    double before = 0;
    for (double v : all.heat)
        before += v;
    QCOMPARE(qint64(before), all.requests);
    // The middle third of the case's time.
    const std::int64_t lo = test::queryInt(m_path, "SELECT min(ts) FROM request");
    const std::int64_t hi = test::queryInt(m_path, "SELECT max(ts) FROM request");
    const std::int64_t from = lo + (hi - lo) / 3, to = lo + 2 * (hi - lo) / 3;
    ViewScope brushed;
    brushed.fromMs = from;
    brushed.toMs = to;
    load(brushed);
    const TimelineData& d = m_view->data();
    QVERIFY(d.heatBrushed);
    QCOMPARE(d.requests, all.requests); // the bars still show everything, with the brush drawn over them
    double inHeat = 0;
    for (double v : d.heat)
        inHeat += v;
    const std::int64_t inRange = test::queryInt(
        m_path, QStringLiteral("SELECT count(*) FROM request WHERE ts >= %1 AND ts < %2").arg(from).arg(to).toUtf8().constData());
    QCOMPARE(qint64(inHeat), inRange);
    const QString label = m_view->heatMap()->xAxis->label();
    QVERIFY2(label.contains(timeRangeText(from, to)) && label.contains(QStringLiteral("brushed")), qPrintable(label));
    QVERIFY2(!label.contains(QLatin1Char('T')) || !label.contains(QStringLiteral(":00Z")), qPrintable(label));
    // The brush stays drawn over the bars after they reload.
    bool drawn = false;
    for (int i = 0; i < m_view->plot()->itemCount(); ++i)
        if (auto* rect = qobject_cast<QCPItemRect*>(m_view->plot()->item(i)); rect && rect->visible())
            drawn = std::abs(rect->topLeft->coords().x() - from / 1000.0) < 1 && std::abs(rect->bottomRight->coords().x() - to / 1000.0) < 1;
    QVERIFY(drawn);
    QVERIFY(m_view->grab().save(test::outputDir() + QStringLiteral("/gui-timeline-brushed.png")));
    load({});
    QVERIFY(m_view->heatMap()->xAxis->label().isEmpty());
}

void TestTimelineView::labelsStayInsideTheChart()
{
    // A network with its accounts' creation markers (some created before their first request).
    const std::int64_t cluster =
        test::queryInt(m_path, QStringLiteral("SELECT cluster FROM cluster_member WHERE run = %1 GROUP BY cluster ORDER BY count(*) DESC LIMIT 1")
                                   .arg(m_run)
                                   .toUtf8()
                                   .constData());
    ViewScope network;
    network.accountsRestricted = true;
    SqliteDb db = CaseDatabase::openForReading(m_path);
    SqliteStatement st(db, "SELECT account FROM cluster_member WHERE run = ? AND cluster = ?");
    st.bind(1, m_run);
    st.bind(2, cluster);
    while (st.step())
        network.accounts.push_back(st.columnInt(0));
    m_view->resize(700, 600); // narrow: the labels have little room
    load(network);
    int labels = 0;
    const QRect plotArea = m_view->plot()->axisRect()->rect();
    for (int i = 0; i < m_view->plot()->itemCount(); ++i) {
        auto* text = qobject_cast<QCPItemText*>(m_view->plot()->item(i));
        if (!text)
            continue;
        ++labels;
        const QPointF at = text->position->pixelPosition();
        const double width = QFontMetricsF(text->font()).horizontalAdvance(text->text());
        const bool right = text->positionAlignment() & Qt::AlignRight;
        const double left = right ? at.x() - width : at.x(), end = right ? at.x() : at.x() + width;
        QVERIFY2(left >= plotArea.left() - 1 && end <= plotArea.right() + 1,
                 qPrintable(QStringLiteral("%1 spans %2..%3 of %4..%5").arg(text->text()).arg(left).arg(end).arg(plotArea.left()).arg(plotArea.right())));
    }
    qInfo("%d labels checked", labels);
    QVERIFY(m_view->grab().save(test::outputDir() + QStringLiteral("/gui-timeline-network-labels.png")));
    m_view->resize(1200, 800);
    load({});
}

// "Stack by network" with no network to stack by (a selection of accounts, a case with no flagged network) shows
// accounts: the menu says so instead of naming what is not shown (issue 16, finding 8).
void TestTimelineView::stackingMenuSaysWhatIsShown()
{
    auto* stackBy = m_view->findChild<QComboBox*>(QStringLiteral("stackBy"));
    QVERIFY(stackBy);
    QCOMPARE(stackBy->currentIndex(), 0);
    ViewScope one;
    one.accountsRestricted = true;
    one.accounts = {test::queryInt(m_path, "SELECT account FROM cluster_member ORDER BY run DESC, cluster DESC LIMIT 1")};
    load(one);
    QCOMPARE(m_view->data().stackedBy, TimelineData::StackBy::Account);
    QCOMPARE(stackBy->currentText(), QStringLiteral("Stacked by account: the selected accounts"));
    QVERIFY(m_view->grab().save(test::outputDir() + QStringLiteral("/gui-timeline-fallback.png")));
    // A case whose run flagged nothing: no networks to stack by.
    test::ScratchDir none;
    const QString copy = none.file(QStringLiteral("none.sqlite"));
    QVERIFY(QFile::copy(m_path, copy));
    {
        SqliteDb db = CaseDatabase::openForWriting(copy);
        db.exec("DELETE FROM cluster_member");
    }
    m_view->setCase(copy);
    load({});
    QCOMPARE(m_view->data().stackedBy, TimelineData::StackBy::Account);
    QCOMPARE(stackBy->currentText(), QStringLiteral("Stacked by account: no flagged networks"));
    // Back on the case with networks: the menu names networks again.
    QSignalSpy loaded(m_view.get(), &TimelineView::loaded);
    m_view->setCase(m_path);
    QVERIFY(loaded.wait(60000));
    QCOMPARE(m_view->data().stackedBy, TimelineData::StackBy::Network);
    QCOMPARE(stackBy->currentText(), QStringLiteral("Stack by network"));
}

QTEST_MAIN(TestTimelineView)
#include "tst_timeline_view.moc"
