// The accounts view on a case of a million accounts: time to the row count,
// scroll jumps across the whole table, and the longest event-loop stall.
// Labelled "bench" (builds a large case first).
#include "EventTiming.h"
#include "GuiSupport.h"
#include "TestSupport.h"

#include "MainWindow.h"
#include "core/CaseDatabase.h"
#include "core/Timestamp.h"
#include "models/PagedTableModel.h"
#include "util/StallProbe.h"
#include "views/DataTableView.h"

#include <QElapsedTimer>
#include <QScrollBar>
#include <QTableView>
#include <QtTest>

using namespace ds;

class TestScale : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void millionAccounts();
};

void TestScale::millionAccounts()
{
    ds::test::useTestSettings();
    test::ScratchDir dir;
    const QString path = dir.file(QStringLiteral("million.case.sqlite"));
    const int accounts = qEnvironmentVariableIntValue("DS_SCALE_ACCOUNTS") > 0 ? qEnvironmentVariableIntValue("DS_SCALE_ACCOUNTS")
                                                                               : 1000000;
    try {
        // A case as the importer leaves it: accounts, one request each, indexes.
        SqliteDb db = CaseDatabase::openForWriting(path);
        SqliteTransaction tx(db);
        db.exec("INSERT INTO source_file(id, path, size, sha256, kind, format, compression, records, inserted, quarantined, "
                "imported_at) VALUES (1, 'synthetic', 0, '', 'requests', 'jsonl', 'none', 0, 0, 0, 0)");
        SqliteStatement acc(db, "INSERT INTO account(id, account_id, created_at, tier) VALUES (?, ?, ?, 'tier-1')");
        SqliteStatement req(db, "INSERT INTO request(id, rid_hash, ts, account, prompt_bytes, skeleton_hash, head_hash, simhash, "
                                "prompt_flags, category, source_file, line) VALUES (?, ?, ?, ?, 10, 1, 1, 1, 0, 0, 1, ?)");
        const std::int64_t t0 = 1769904000000;
        for (int i = 1; i <= accounts; ++i) {
            acc.bind(1, i);
            acc.bindText(2, QStringLiteral("acct_%1").arg(qint64(i) * 7919 % 1000003, 7, 10, QLatin1Char('0')));
            acc.bind(3, t0 - i * 1000LL);
            acc.run();
            req.bind(1, i);
            req.bind(2, i);
            req.bind(3, t0 + i * 60000LL);
            req.bind(4, i);
            req.bind(5, i);
            req.run();
        }
        tx.commit();
        CaseDatabase::ensureIndexes(db);
    } catch (const DatabaseError& e) {
        QFAIL(e.what());
    }

    MainWindow window;
    window.resize(1600, 1000);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    StallProbe probe;
    probe.start();
    QElapsedTimer clock;
    clock.start();
    window.openCase(path);
    PagedTableModel* model = window.accountsView()->model();
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->rowCount() == accounts, 120000);
    const qint64 countMs = clock.elapsed();
    QTableView* table = window.accountsView()->table();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowId(0) != 0, 20000);
    const qint64 openStall = probe.longestStallMs();

    probe.reset();
    TimingApplication::s_slowestMs = 0; // name what is slow while scrolling, not while opening
    QScrollBar* bar = table->verticalScrollBar();
    qint64 worstFill = 0, totalFill = 0;
    const int jumps = 20;
    for (int step = 0; step <= jumps; ++step) {
        // Far jumps in a scattered order, as when the scroll bar is dragged about.
        bar->setValue(static_cast<int>(static_cast<qint64>(bar->maximum()) * ((step * 7) % (jumps + 1)) / jumps));
        QElapsedTimer fill;
        fill.start();
        const int first = table->rowAt(0);
        const int last = table->rowAt(table->viewport()->height() - 2);
        QVERIFY(first >= 0);
        QTRY_VERIFY_WITH_TIMEOUT(model->index(first, 0).data().toString() != QStringLiteral("…")
                                     && (last < 0 || model->index(last, 0).data().toString() != QStringLiteral("…")),
                                 20000);
        worstFill = std::max(worstFill, fill.elapsed());
        totalFill += fill.elapsed();
    }
    const qint64 scrollStall = probe.longestStallMs();
    const QString scrollSlowest = TimingApplication::s_slowest;
    // Sorting a million rows by another column: a new key pass, off the GUI thread.
    probe.reset();
    clock.restart();
    table->sortByColumn(0, Qt::DescendingOrder);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->effectiveSortOrder() == Qt::DescendingOrder, 120000);
    QTRY_VERIFY_WITH_TIMEOUT(model->rowId(table->rowAt(0)) != 0, 20000);
    const qint64 sortMs = clock.elapsed();
    probe.stop();
    qInfo("%d accounts: row count after %lld ms (longest stall while opening %lld ms); %d scroll jumps, rows shown after "
          "%lld ms on average, %lld ms at worst, longest stall while scrolling %lld ms (%s); re-sort %lld ms, longest stall "
          "meanwhile %lld ms",
          accounts, countMs, openStall, jumps + 1, totalFill / (jumps + 1), worstFill, scrollStall, qPrintable(scrollSlowest),
          sortMs, probe.longestStallMs());
    QVERIFY2(scrollStall < 100, "scrolling stalled the GUI thread");
}

int main(int argc, char** argv)
{
    TimingApplication app(argc, argv);
    TestScale test;
    const int rc = QTest::qExec(&test, argc, argv);
    qInfo("slowest single event: %lld ms, %s", TimingApplication::s_slowestMs, qPrintable(TimingApplication::s_slowest));
    return rc;
}
#include "tst_scale.moc"
