#include "TestSupport.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace ds;

// `distillscope-cli import` end to end: the JSON summary and exit status.
class TestCliImport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jsonSummary()
    {
        test::ScratchDir dir;
        QByteArray log;
        for (int i = 0; i < 40; ++i)
            log += test::requestJson(QStringLiteral("r%1").arg(i), QStringLiteral("a%1").arg(i % 4), 1770128525123 + i * 60000) + "\n";
        log += "{not json\n";
        const QString file = dir.writeGzip(QStringLiteral("logs.jsonl.gz"), log);
        const QString accounts = dir.write(QStringLiteral("accounts.csv"), "account_id,email_domain\na0,x.example\na9,y.example\n");
        const QString db = dir.file(QStringLiteral("case.sqlite"));

        const test::CliResult r = test::runCli({QStringLiteral("import"), QStringLiteral("--db"), db, QStringLiteral("--json"), file, accounts});
        QCOMPARE(r.exitCode, 0);
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out, &pe);
        QVERIFY2(doc.isObject(), qPrintable(pe.errorString() + QString::fromUtf8(r.out)));
        const QJsonObject o = doc.object();
        QCOMPARE(o.value(QStringLiteral("requests")).toInteger(), 40);
        QCOMPARE(o.value(QStringLiteral("accounts")).toInteger(), 5); // a0..a3 and a9
        QCOMPARE(o.value(QStringLiteral("quarantined")).toInteger(), 1);
        const QJsonArray files = o.value(QStringLiteral("files")).toArray();
        QCOMPARE(files.size(), 2);
        QJsonObject logEntry;
        for (const auto& f : files)
            if (f.toObject().value(QStringLiteral("path")).toString().endsWith(QLatin1String("logs.jsonl.gz")))
                logEntry = f.toObject();
        QFile raw(file);
        QVERIFY(raw.open(QIODevice::ReadOnly));
        QCOMPARE(logEntry.value(QStringLiteral("sha256")).toString(),
                 QString::fromLatin1(QCryptographicHash::hash(raw.readAll(), QCryptographicHash::Sha256).toHex()));
        QCOMPARE(logEntry.value(QStringLiteral("records")).toInteger(), 40);
        QCOMPARE(logEntry.value(QStringLiteral("quarantined")).toInteger(), 1);
        QCOMPARE(logEntry.value(QStringLiteral("first")).toString(), QStringLiteral("2026-02-03T14:22:05.123Z"));
        QCOMPARE(logEntry.value(QStringLiteral("last")).toString(), QStringLiteral("2026-02-03T15:01:05.123Z"));
    }

    void exitStatusNonZeroOnlyWhenNothingImported()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QString junk = dir.write(QStringLiteral("junk.bin"), QByteArray("\x00\x01\x02\x03", 4));
        const QString good = dir.write(QStringLiteral("ok.jsonl"), test::requestJson(QStringLiteral("r"), QStringLiteral("a"), 1770128525123));
        const test::CliResult bad = test::runCli({QStringLiteral("import"), QStringLiteral("--db"), db, junk});
        QVERIFY(bad.exitCode != 0);
        QVERIFY(bad.out.contains("binary"));
        const test::CliResult mixed = test::runCli({QStringLiteral("import"), QStringLiteral("--db"), db, junk, good});
        QCOMPARE(mixed.exitCode, 0);
        const test::CliResult usage = test::runCli({QStringLiteral("import"), good});
        QCOMPARE(usage.exitCode, 2);
    }

    // The same file again is recognised before it is read: the JSON summary
    // counts it as already in the case; the text summary shows file names escaped.
    void sameFileAgainIsRecognised()
    {
        test::ScratchDir dir;
        QByteArray log;
        for (int i = 0; i < 40; ++i)
            log += test::requestJson(QStringLiteral("r%1").arg(i), QStringLiteral("a%1").arg(i % 4), 1770128525123 + i * 60000) + "\n";
        const QString file = dir.write(QStringLiteral("logs\x1b[31m.jsonl"), log); // a name with a terminal escape
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        QCOMPARE(test::runCli({QStringLiteral("import"), QStringLiteral("--db"), db, file}).exitCode, 0);

        const test::CliResult again = test::runCli({QStringLiteral("import"), QStringLiteral("--db"), db, QStringLiteral("--json"), file});
        QCOMPARE(again.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(again.out).object();
        QCOMPARE(o.value(QStringLiteral("files_already_in_case")).toInteger(), 1);
        const QJsonObject f = o.value(QStringLiteral("files")).toArray().at(0).toObject();
        QCOMPARE(f.value(QStringLiteral("outcome")).toString(), QStringLiteral("already-imported"));
        QCOMPARE(f.value(QStringLiteral("recognised_before_reading")).toBool(), true);
        QCOMPARE(f.value(QStringLiteral("records")).toInteger(), 0);
        QCOMPARE(f.value(QStringLiteral("source_file")).toInteger(), 1);
        QCOMPARE(f.value(QStringLiteral("path")).toString(), QFileInfo(file).absoluteFilePath()); // JSON keeps the name as it is

        const test::CliResult text = test::runCli({QStringLiteral("import"), QStringLiteral("--db"), db, file});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(!text.out.contains('\x1b'), text.out.constData());
        QVERIFY2(text.out.contains("already-imported"), text.out.constData());
        QVERIFY2(text.out.contains("not read again"), text.out.constData());
        QCOMPARE(text.out.count(QStringLiteral("\u2039ESC\u203a").toUtf8()), 2); // the path, and the earlier one in the message
        QVERIFY(text.out.contains("case: 40 requests"));
    }

    // Standard input is a pipe: no size to compare, read once, imported.
    void importsFromStandardInput()
    {
        test::ScratchDir dir;
        QByteArray log;
        for (int i = 0; i < 40; ++i)
            log += test::requestJson(QStringLiteral("r%1").arg(i), QStringLiteral("a%1").arg(i % 4), 1770128525123 + i * 60000) + "\n";
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        for (int round = 0; round < 2; ++round) {
            QProcess p;
            p.start(QStringLiteral(DS_CLI_PATH), {QStringLiteral("import"), QStringLiteral("--db"), db, QStringLiteral("--json"),
                                                  QStringLiteral("/dev/stdin")});
            QVERIFY(p.waitForStarted());
            p.write(log);
            p.closeWriteChannel();
            QVERIFY(p.waitForFinished(60000));
            QCOMPARE(p.exitCode(), 0);
            const QJsonObject o = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
            const QJsonObject f = o.value(QStringLiteral("files")).toArray().at(0).toObject();
            // The second time the same bytes come through the pipe: read, recognised by their SHA-256.
            QCOMPARE(f.value(QStringLiteral("outcome")).toString(), round == 0 ? QStringLiteral("imported") : QStringLiteral("already-imported"));
            QCOMPARE(f.value(QStringLiteral("records")).toInteger(), 40);
            QCOMPARE(f.value(QStringLiteral("sha256")).toString(),
                     QString::fromLatin1(QCryptographicHash::hash(log, QCryptographicHash::Sha256).toHex()));
            QCOMPARE(o.value(QStringLiteral("requests")).toInteger(), 40);
        }
    }

    void versionAndHelp()
    {
        const test::CliResult v = test::runCli({QStringLiteral("--version")});
        QCOMPARE(v.exitCode, 0);
        QVERIFY(v.out.startsWith("distillscope-cli " DS_VERSION));
        const test::CliResult h = test::runCli({QStringLiteral("import"), QStringLiteral("--help")});
        QCOMPARE(h.exitCode, 0);
        QVERIFY(h.out.contains("--mapping"));
        // The command list keeps a gap after the longest name, so no name runs into its summary.
        const test::CliResult top = test::runCli({QStringLiteral("--help")});
        QCOMPARE(top.exitCode, 0);
        QVERIFY2(top.out.contains("  indicators  import"), top.out.constData());
        QVERIFY(top.out.contains("  import      load"));
    }

    // Counts agree with their nouns ("1 quarantined records" was printed), and the report command, which starts Qt's
    // GUI module, says nothing on stderr of its own when XDG_RUNTIME_DIR is unset (root in a container, cron).
    void summaryWordsAndQuietStderr()
    {
        test::ScratchDir dir;
        const QString log = dir.write(QStringLiteral("one.jsonl"),
                                      test::requestJson(QStringLiteral("req_1"), QStringLiteral("acct_1"), 1770120000000LL,
                                                        QStringLiteral("Hello")) + "\n{broken\n");
        const test::CliResult r = test::runCli({QStringLiteral("import"), QStringLiteral("--db"), dir.file(QStringLiteral("c.sqlite")), log});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("case: 1 request, 1 account, 1 quarantined record\n"), r.out.constData());

        const QByteArray saved = qgetenv("XDG_RUNTIME_DIR");
        qunsetenv("XDG_RUNTIME_DIR");
        const test::CliResult help = test::runCli({QStringLiteral("report"), QStringLiteral("--help")});
        if (!saved.isEmpty())
            qputenv("XDG_RUNTIME_DIR", saved);
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(help.err.isEmpty(), help.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliImport)
#include "tst_cli_import.moc"
