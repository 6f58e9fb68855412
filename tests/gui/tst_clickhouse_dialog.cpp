// File > Open from ClickHouse…: the dialog's connection test on a worker thread (one sentence when
// it fails, the rows to pull when it works), the import of the prepared table through the
// AnalysisController, as the main window runs it, and the triage on the server run from the dialog. The table part needs the two-shard cluster of
// tests/remote (fixture clickhouse_cluster, release builds).
#include "TestSupport.h"

#include "AnalysisController.h"
#include "ingest/ClickHouseDialog.h"
#include "remote/ClickHouseClient.h"
#include "remote/TriageImport.h"

#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QPixmap>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>

using namespace ds;
using namespace ds::test;

class TestClickHouseDialog : public QObject
{
    Q_OBJECT

    int httpPort() const
    {
        QFile env(qEnvironmentVariable("DS_CLICKHOUSE_CLUSTER") + QStringLiteral("/cluster.env"));
        if (!env.open(QIODevice::ReadOnly))
            return 0;
        for (const QByteArray& line : env.readAll().split('\n'))
            if (line.startsWith("HTTP1="))
                return line.mid(6).toInt();
        return 0;
    }

private Q_SLOTS:
    void refusedPortIsOneSentence()
    {
        ClickHouseDialog dialog;
        dialog.addressEdit()->setText(QStringLiteral("clickhouse://analyst:hunter2@127.0.0.1:1/logs.requests"));
        QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.outcome().contains(QStringLiteral("nothing answers at 127.0.0.1:1")), 20000);
        QVERIFY(!dialog.outcome().contains(QStringLiteral("hunter2")));
        QVERIFY(!dialog.importButton()->isEnabled());
        QVERIFY(dialog.testButton()->isEnabled());
    }

    void badAddressIsRefusedAtOnce()
    {
        ClickHouseDialog dialog;
        dialog.addressEdit()->setText(QStringLiteral("clickhouse://127.0.0.1:8123/nodot"));
        QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
        QVERIFY(dialog.outcome().contains(QStringLiteral("names no table")));
        QVERIFY(!dialog.importButton()->isEnabled());
    }

    void tableImportsThroughTheController()
    {
        const int port = httpPort();
        if (!port)
            QSKIP("needs the clickhouse_cluster fixture (tests/remote, release builds)");
        // Epoch-millisecond integer times, as test::requestJson writes them.
        const auto admin = ClickHouseUrl::parse(QStringLiteral("clickhouse://default@127.0.0.1:%1/default.x").arg(port), nullptr, {});
        ClickHouseClient client(*admin);
        QByteArray body;
        QByteArray rows;
        constexpr int kRows = 3000;
        for (int i = 0; i < kRows; ++i)
            rows += requestJson(QStringLiteral("gui-%1").arg(i), QStringLiteral("acct-%1").arg(i % 40),
                                1'767'225'600'000 + std::int64_t(i) * 60'000, QStringLiteral("Question %1 about sorting").arg(i % 17))
                    + '\n';
        for (const QString& sql :
             {QStringLiteral("CREATE DATABASE IF NOT EXISTS gui"), QStringLiteral("DROP TABLE IF EXISTS gui.requests"),
              QStringLiteral("CREATE TABLE gui.requests (request_id String, timestamp UInt64, account_id String, ip String, "
                             "user_agent String, model String, prompt String, prompt_tokens UInt32, completion_tokens UInt32, "
                             "max_tokens UInt32, stop_reason String) ENGINE = MergeTree ORDER BY request_id"),
              QStringLiteral("INSERT INTO gui.requests FORMAT JSONEachRow\n") + QString::fromUtf8(rows)})
            QVERIFY2(client.fetch(sql, &body).ok(), qPrintable(sql.left(80)));

        ClickHouseDialog dialog;
        dialog.addressEdit()->setText(QStringLiteral("clickhouse://default@127.0.0.1:%1/gui.requests").arg(port));
        QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.importButton()->isEnabled(), 30000);
        QVERIFY2(dialog.outcome().contains(QStringLiteral("rows to pull as canonical")), qPrintable(dialog.outcome()));
        QCOMPARE(dialog.source()->expectedRows(), qint64(kRows));
        // Changing a field withdraws the tested source: what is imported is what was tested.
        dialog.addressEdit()->setText(dialog.addressEdit()->text() + QStringLiteral("x"));
        QVERIFY(!dialog.importButton()->isEnabled() && !dialog.source());
        dialog.addressEdit()->setText(QStringLiteral("clickhouse://default@127.0.0.1:%1/gui.requests").arg(port));
        QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.importButton()->isEnabled(), 30000);

        ScratchDir dir;
        const QString db = dir.file(QStringLiteral("gui.sqlite"));
        AnalysisController analysis;
        analysis.importStreamsAndAnalyse(db, {dialog.source()->streamedLog()});
        QVERIFY(analysis.isBusy());
        QTRY_VERIFY_WITH_TIMEOUT(!analysis.isBusy(), 120000);
        QCOMPARE(queryInt(db, "SELECT count(*) FROM request"), qint64(kRows));
        QCOMPARE(queryInt(db, "SELECT min(ts) FROM request"), qint64(1'767'225'600'000));
        QCOMPARE(queryText(db, "SELECT address FROM remote_pull"), QStringLiteral("clickhouse://default@127.0.0.1:%1/gui.requests").arg(port));
        QVERIFY2(client.fetch(QStringLiteral("DROP DATABASE gui"), &body).ok(), "drop");
    }

    // "Triage on the server" from the dialog: 4 accounts with long answers to short prompts among 26 ordinary ones;
    // the triage chooses them, the import pulls their rows only and records the triage with the pull.
    void triageFromTheDialog()
    {
        const int port = httpPort();
        if (!port)
            QSKIP("needs the clickhouse_cluster fixture (tests/remote, release builds)");
        const auto admin = ClickHouseUrl::parse(QStringLiteral("clickhouse://default@127.0.0.1:%1/default.x").arg(port), nullptr, {});
        ClickHouseClient client(*admin);
        QByteArray body, rows;
        qint64 harvestRows = 0, allRows = 0;
        for (int a = 0; a < 30; ++a) {
            const bool harvest = a < 4;
            const int requests = harvest ? 60 : 20;
            for (int i = 0; i < requests; ++i) {
                rows += QStringLiteral(R"({"request_id":"t-%1-%2","timestamp":%3,"account_id":"acct-%1","ip":"198.51.%1.%4",)"
                                       R"("user_agent":"anthropic-python/0.39.0","model":"claude-sonnet-4-5","prompt":"%5",)"
                                       R"("prompt_tokens":%6,"completion_tokens":%7,"max_tokens":4096,"stop_reason":"end_turn"})")
                            .arg(a)
                            .arg(i)
                            .arg(1'767'225'600'000 + std::int64_t(a) * 3'600'000 + std::int64_t(i) * 90'000)
                            .arg(1 + i % 3)
                            .arg(harvest ? QStringLiteral("Explain topic %1 in depth").arg(i) : QStringLiteral("Thanks, and %1?").arg(i))
                            .arg(harvest ? 150 : 300)
                            .arg(harvest ? 2200 : 120)
                            .toUtf8()
                        + '\n';
                harvestRows += harvest;
                ++allRows;
            }
        }
        for (const QString& sql :
             {QStringLiteral("CREATE DATABASE IF NOT EXISTS guitriage"), QStringLiteral("DROP TABLE IF EXISTS guitriage.requests"),
              QStringLiteral("CREATE TABLE guitriage.requests (request_id String, timestamp UInt64, account_id String, ip String, "
                             "user_agent String, model String, prompt String, prompt_tokens UInt32, completion_tokens UInt32, "
                             "max_tokens UInt32, stop_reason String) ENGINE = MergeTree ORDER BY (account_id, request_id)"),
              QStringLiteral("INSERT INTO guitriage.requests FORMAT JSONEachRow\n") + QString::fromUtf8(rows)})
            QVERIFY2(client.fetch(sql, &body).ok(), qPrintable(sql.left(80)));

        ClickHouseDialog dialog;
        dialog.resize(640, dialog.sizeHint().height());
        dialog.show();
        dialog.addressEdit()->setText(QStringLiteral("clickhouse://default@127.0.0.1:%1/guitriage.requests").arg(port));
        QVERIFY(!dialog.triageButton()->isEnabled()); // nothing tested yet
        QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.triageButton()->isEnabled(), 30000);
        QCOMPARE(dialog.source()->expectedRows(), allRows);
        QCOMPARE(dialog.budgetBox()->value(), 50);
        QTest::mouseClick(dialog.triageButton(), Qt::LeftButton);
        QVERIFY(!dialog.importButton()->isEnabled() && !dialog.triageButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(dialog.triage().has_value() || dialog.outcome().contains(QStringLiteral("did not run")), 60000);
        QVERIFY2(dialog.triage().has_value(), qPrintable(dialog.outcome()));
        QVERIFY2(dialog.outcome().contains(QStringLiteral("Triage: %1 of %2 rows chosen").arg(harvestRows).arg(allRows)),
                 qPrintable(dialog.outcome()));
        QVERIFY(dialog.importButton()->isEnabled());
        QVERIFY(!dialog.triageButton()->isEnabled()); // once per tested source: its pull is restricted
        QCOMPARE(dialog.source()->expectedRows(), harvestRows);
        // For a person to look at: the dialog after its triage.
        QVERIFY(dialog.grab().save(QDir(outputDir()).filePath(QStringLiteral("clickhouse_dialog_triage.png"))));

        ScratchDir dir;
        const QString db = dir.file(QStringLiteral("triaged.sqlite"));
        AnalysisController analysis;
        analysis.importStreamsAndAnalyse(db, {triagedStreamedLog(*dialog.source(), *dialog.triage(), dialog.triageSettings())});
        QTRY_VERIFY_WITH_TIMEOUT(!analysis.isBusy(), 120000);
        QCOMPARE(queryInt(db, "SELECT count(*) FROM request"), harvestRows);
        QCOMPARE(queryInt(db, "SELECT count(DISTINCT account) FROM request"), 4);
        QCOMPARE(queryInt(db, "SELECT rows_chosen FROM triage_run"), harvestRows);
        // The four triage queries and the three of the population behind the choice.
        QCOMPARE(queryInt(db, "SELECT count(*) FROM remote_query WHERE purpose LIKE 'triage%'"), 7);
        QVERIFY(queryInt(db, "SELECT count(*) FROM triage_baseline") > 0);
        QVERIFY(queryInt(db, "SELECT count(*) FROM triage_value") > 0);

        // A changed budget withdraws the triaged source: the next import is tested and triaged again.
        dialog.budgetBox()->setValue(30);
        QVERIFY(!dialog.source() && !dialog.triage() && !dialog.importButton()->isEnabled());
        QVERIFY2(client.fetch(QStringLiteral("DROP DATABASE guitriage"), &body).ok(), "drop");
    }
};

QTEST_MAIN(TestClickHouseDialog)
#include "tst_clickhouse_dialog.moc"
