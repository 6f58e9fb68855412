// File > Open from ClickHouse…: the dialog's connection test on a worker thread (one sentence when
// it fails, the rows to pull when it works) and the import of the prepared table through the
// AnalysisController, as the main window runs it. The table part needs the two-shard cluster of
// tests/remote (fixture clickhouse_cluster, release builds).
#include "TestSupport.h"

#include "AnalysisController.h"
#include "ingest/ClickHouseDialog.h"
#include "remote/ClickHouseClient.h"

#include <QFile>
#include <QLineEdit>
#include <QPushButton>
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
};

QTEST_MAIN(TestClickHouseDialog)
#include "tst_clickhouse_dialog.moc"
