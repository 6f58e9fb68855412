// GUI benchmark on a prepared case (label "bench", outside the default run): opens
// the case in the real main window, selects each of the top networks, waits for
// every view a selection fills, switches to each Evidence tab and the link
// graph, scrolls the Accounts and Requests tables, and prints the time to
// populated per view and the longest event-loop stall.
//
// Usage: bench_gui_select CASE.sqlite [NETWORKS]   (NETWORKS: how many of the top ones, default 3)
// DS_BENCH_SCREENSHOTS=DIR saves PNGs of the window and each view of the first network.
// Without arguments the case comes from DS_BENCH_CASE; when that is unset too (a plain
// `ctest -L bench`) it exits 77, which CTest reports as skipped.
// Exit 0 when every view populated, 1 when one did not within its time limit, 2 on a usage error.

#include "EventTiming.h"

#include "GuiSupport.h"
#include "MainWindow.h"
#include "charts/TimelineView.h"
#include "core/CaseDatabase.h"
#include "graph/LinkGraphView.h"
#include "models/PagedTableModel.h"
#include "util/StallProbe.h"
#include "views/DataTableView.h"
#include "views/EvidenceView.h"

#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QScrollBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

#include <cstdio>
#include <functional>

using namespace ds;

namespace {

constexpr qint64 kLimitMs = 600000; // a view that is not there after 10 minutes counts as failed

// Runs the event loop until `done` holds; returns the elapsed ms, or -1 after `limitMs`.
qint64 waitFor(const std::function<bool()>& done, qint64 limitMs = kLimitMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > limitMs)
            return -1;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        QTest::qWait(1);
    }
    return t.elapsed();
}

bool rowShown(PagedTableModel* model, int row)
{
    return row >= 0 && row < model->rowCount() && model->index(row, 0).data().toString() != QStringLiteral("…");
}

// The visible rows of a table are all loaded.
bool viewportFilled(QTableView* table, PagedTableModel* model)
{
    if (model->isLoading())
        return false;
    if (model->rowCount() == 0)
        return true;
    const int first = std::max(0, table->rowAt(0));
    const int last = table->rowAt(table->viewport()->height() - 2);
    return rowShown(model, first) && (last < 0 || rowShown(model, last));
}

struct Network
{
    qint64 id = 0;
    qint64 accounts = 0, requests = 0;
    QString label;
};

QList<Network> topNetworks(const QString& path, int n)
{
    QList<Network> out;
    SqliteDb db = CaseDatabase::openForReading(path);
    SqliteStatement st(db, "SELECT id, accounts, requests, label FROM cluster WHERE run = (SELECT MAX(id) FROM detection_run "
                           "WHERE status = 'done') ORDER BY id LIMIT ?");
    st.bind(1, n);
    while (st.step())
        out.append({st.columnInt(0), st.columnInt(1), st.columnInt(2), st.columnText(3)});
    return out;
}

QString ms(qint64 v) { return v < 0 ? QStringLiteral("FAILED") : QStringLiteral("%1 ms").arg(v); }

} // namespace

int main(int argc, char** argv)
{
    TimingApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    if (args.isEmpty() && !qEnvironmentVariableIsEmpty("DS_BENCH_CASE"))
        args << qEnvironmentVariable("DS_BENCH_CASE");
    if (args.isEmpty()) {
        std::fprintf(stderr, "no case given (argument or DS_BENCH_CASE): skipped\n");
        return 77;
    }
    if (args.isEmpty() || args.size() > 2 || !QFileInfo(args[0]).isFile()) {
        std::fprintf(stderr, "usage: bench_gui_select CASE.sqlite [NETWORKS]\n");
        return 2;
    }
    const QString path = QFileInfo(args[0]).absoluteFilePath();
    const int wanted = args.size() > 1 ? args[1].toInt() : 3;
    ds::test::useTestSettings();
    const QList<Network> networks = topNetworks(path, std::max(1, wanted));
    if (networks.isEmpty()) {
        std::fprintf(stderr, "the case has no flagged network (run detection first)\n");
        return 1;
    }

    MainWindow window;
    window.resize(1600, 1000);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return 1;
    StallProbe probe;
    probe.start();
    bool failed = false;

    QElapsedTimer clock;
    clock.start();
    window.openCase(path);
    PagedTableModel* clusters = window.clustersView()->model();
    const qint64 openMs = waitFor([&] { return !clusters->isLoading() && clusters->rowCount() > 0 && clusters->rowId(0) != 0; });
    waitFor([&] { return !window.timelineView()->isLoading() && !window.accountsView()->model()->isLoading(); });
    const qint64 openAllMs = clock.elapsed();
    std::printf("case %s\nopen: networks listed after %s, timeline and accounts after %lld ms, longest stall %lld ms\n",
                qPrintable(QFileInfo(path).fileName()), qPrintable(ms(openMs)), openAllMs, probe.longestStallMs());
    failed |= openMs < 0;
    // With DS_BENCH_SCREENSHOTS=DIR: the whole case's timeline and requests as the case opens, before any selection.
    if (const QString shots = qEnvironmentVariable("DS_BENCH_SCREENSHOTS"); !shots.isEmpty()) {
        QDir().mkpath(shots);
        waitFor([&] { return !window.requestsView()->model()->isLoading(); }, 60000);
        QTest::qWait(200);
        window.timelineView()->grab().save(QDir(shots).filePath(QStringLiteral("case-timeline.png")));
        window.requestsView()->grab().save(QDir(shots).filePath(QStringLiteral("case-requests.png")));
    }

    PagedTableModel* accounts = window.accountsView()->model();
    PagedTableModel* requests = window.requestsView()->model();
    EvidenceView* evidence = window.evidenceView();
    LinkGraphView* graph = window.graphView();
    TimelineView* timeline = window.timelineView();
    qint64 worstStall = probe.longestStallMs();
    for (const Network& net : networks) {
        probe.reset();
        TimingApplication::s_slowestMs = 0;
        auto restricted = [&](PagedTableModel* m) {
            return m->scope().accountsRestricted && static_cast<qint64>(m->scope().accounts.size()) == net.accounts;
        };
        // The window learns the latest run in the background after opening; a click before that selects nothing.
        if (waitFor([&] {
                window.selectCluster(net.id);
                return window.selectedCluster() == net.id;
            }, 60000) < 0) {
            std::printf("network %lld could not be selected\n", net.id);
            failed = true;
            continue;
        }
        clock.restart();
        window.selectCluster(net.id);
        // Each view's first moment with its content for this network, measured from the click.
        qint64 accFirst = -1, reqFirst = -1, evidenceMs = -1, graphMs = -1, timelineMs = -1, accCount = -1, reqCount = -1;
        const qint64 all = waitFor([&] {
            const qint64 now = clock.elapsed();
            if (accCount < 0 && restricted(accounts) && !accounts->isLoading())
                accCount = now;
            if (accFirst < 0 && accCount >= 0 && viewportFilled(window.accountsView()->table(), accounts))
                accFirst = now;
            if (reqCount < 0 && restricted(requests) && !requests->isLoading())
                reqCount = now;
            if (reqFirst < 0 && reqCount >= 0 && viewportFilled(window.requestsView()->table(), requests))
                reqFirst = now;
            if (evidenceMs < 0 && !evidence->isLoading() && evidence->data().memberCount == net.accounts)
                evidenceMs = now;
            if (graphMs < 0 && !graph->isLoading() && graph->data().members == net.accounts)
                graphMs = now;
            if (timelineMs < 0 && !timeline->isLoading() && restricted(accounts))
                timelineMs = now;
            return accFirst >= 0 && reqFirst >= 0 && evidenceMs >= 0 && graphMs >= 0 && timelineMs >= 0;
        });
        failed |= all < 0;
        const qint64 selectStall = probe.longestStallMs();
        const QString selectSlowest = TimingApplication::s_slowest;

        // Each Evidence tab, then the link graph's dock: time until the switch has painted.
        probe.reset();
        QStringList tabTimes;
        QTabWidget* tabs = evidence->tabs();
        if (QDockWidget* d = qobject_cast<QDockWidget*>(evidence->parentWidget()))
            d->raise();
        for (int i = 0; i < tabs->count(); ++i) {
            QElapsedTimer t;
            t.start();
            tabs->setCurrentIndex(i);
            tabs->currentWidget()->repaint();
            QCoreApplication::processEvents();
            tabTimes << QStringLiteral("%1 %2 ms").arg(tabs->tabText(i).remove(QLatin1Char('&'))).arg(t.elapsed());
        }
        {
            QElapsedTimer t;
            t.start();
            for (QWidget* w = graph; w; w = w->parentWidget())
                if (auto* d = qobject_cast<QDockWidget*>(w)) {
                    d->raise();
                    break;
                }
            graph->repaint();
            QCoreApplication::processEvents();
            tabTimes << QStringLiteral("link graph %1 ms").arg(t.elapsed());
        }

        // With DS_BENCH_SCREENSHOTS=DIR: the window and each view of the first network, to look at.
        const QString shots = qEnvironmentVariable("DS_BENCH_SCREENSHOTS");
        if (!shots.isEmpty() && &net == &networks.first()) {
            QDir().mkpath(shots);
            auto shoot = [&](QWidget* w, const QString& name) {
                for (QWidget* p = w; p; p = p->parentWidget())
                    if (auto* d = qobject_cast<QDockWidget*>(p)) {
                        d->raise();
                        break;
                    }
                QCoreApplication::processEvents();
                QTest::qWait(200);
                w->grab().save(QDir(shots).filePath(name + QStringLiteral(".png")));
            };
            shoot(window.accountsView(), QStringLiteral("accounts"));
            shoot(window.requestsView(), QStringLiteral("requests"));
            for (int i = 0; i < tabs->count(); ++i) {
                tabs->setCurrentIndex(i);
                shoot(evidence, QStringLiteral("evidence-%1").arg(i));
            }
            shoot(graph, QStringLiteral("graph"));
            shoot(timeline, QStringLiteral("timeline"));
            shoot(&window, QStringLiteral("window"));
        }

        // Scroll jumps over both tables, as when the scroll bar is dragged about.
        auto scroll = [&](DataTableView* view, qint64& worst, qint64& total) {
            QTableView* table = view->table();
            for (QWidget* w = view; w; w = w->parentWidget())
                if (auto* d = qobject_cast<QDockWidget*>(w)) {
                    d->raise();
                    break;
                }
            QCoreApplication::processEvents();
            QScrollBar* bar = table->verticalScrollBar();
            const int jumps = 10;
            for (int step = 0; step <= jumps; ++step) {
                bar->setValue(static_cast<int>(static_cast<qint64>(bar->maximum()) * ((step * 7) % (jumps + 1)) / jumps));
                const qint64 fill = waitFor([&] { return viewportFilled(table, view->model()); }, 120000);
                if (fill < 0)
                    failed = true;
                worst = std::max(worst, fill < 0 ? 120000 : fill);
                total += std::max<qint64>(fill, 0);
            }
            bar->setValue(0);
            return jumps + 1;
        };
        qint64 accWorst = 0, accTotal = 0, reqWorst = 0, reqTotal = 0;
        const int accJumps = scroll(window.accountsView(), accWorst, accTotal);
        const int reqJumps = scroll(window.requestsView(), reqWorst, reqTotal);
        const qint64 browseStall = probe.longestStallMs();
        worstStall = std::max({worstStall, selectStall, browseStall});
        std::printf("network %lld (%s; %lld accounts, %lld requests)\n"
                    "  accounts: counted %s, first rows %s; requests: counted %s, first rows %s\n"
                    "  evidence %s, link graph %s (%lld nodes), timeline %s; everything %s; longest stall %lld ms (%s)\n"
                    "  tabs: %s\n"
                    "  scroll: accounts %lld ms avg, %lld ms worst; requests %lld ms avg, %lld ms worst; longest stall %lld ms\n",
                    net.id, qPrintable(net.label), net.accounts, net.requests, qPrintable(ms(accCount)), qPrintable(ms(accFirst)),
                    qPrintable(ms(reqCount)), qPrintable(ms(reqFirst)), qPrintable(ms(evidenceMs)), qPrintable(ms(graphMs)),
                    static_cast<long long>(graph->data().nodes.size()), qPrintable(ms(timelineMs)), qPrintable(ms(all)),
                    selectStall, qPrintable(selectSlowest), qPrintable(tabTimes.join(QStringLiteral(", "))),
                    accTotal / accJumps, accWorst, reqTotal / reqJumps, reqWorst, browseStall);
        std::fflush(stdout);
    }
    std::printf("longest event-loop stall overall: %lld ms\n", worstStall);
    return failed ? 1 : 0;
}
