#include "TestSupport.h"
#include "core/CaseDatabase.h"
#include "ingest/ImportTypes.h"

#include <QFile>
#include <QTest>

using namespace ds;
using Outcome = FileReport::Outcome;

namespace {

QByteArray good(int i)
{
    return test::requestJson(QStringLiteral("req_%1").arg(i), QStringLiteral("acct"), 1770128525123 + i) + "\n";
}

struct Quarantined
{
    int line;
    QString reason;
    QByteArray raw;
};

QList<Quarantined> quarantineOf(const QString& db)
{
    QList<Quarantined> out;
    SqliteDb conn = CaseDatabase::openForReading(db);
    SqliteStatement st(conn, "SELECT line, reason, raw FROM quarantine ORDER BY line");
    while (st.step())
        out.push_back({static_cast<int>(st.columnInt(0)), st.columnText(1), st.columnBlob(2)});
    return out;
}

} // namespace



// Unreadable records are quarantined with file, line, reason and raw bytes; the
// import goes on. Files that are not logs are refused before anything is written.
class TestBadInput : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void quarantinesBadRecords_data()
    {
        QTest::addColumn<QByteArray>("bad");
        QTest::addColumn<QString>("reason");
        QTest::newRow("broken json") << QByteArray(R"({"request_id":"x","timestamp":)") << "broken JSON";
        QTest::newRow("trailing garbage") << QByteArray(R"({"request_id":"x","timestamp":1770128525123,"account_id":"a"} junk)") << "broken JSON";
        QTest::newRow("not an object") << QByteArray(R"(["request_id","x"])") << "not a JSON object";
        QTest::newRow("missing request_id") << QByteArray(R"({"timestamp":1770128525123,"account_id":"a"})") << "missing required field request_id";
        QTest::newRow("missing account_id") << QByteArray(R"({"request_id":"x","timestamp":1770128525123})") << "missing required field account_id";
        QTest::newRow("empty account_id") << QByteArray(R"({"request_id":"x","timestamp":1770128525123,"account_id":""})") << "missing required field account_id";
        QTest::newRow("missing timestamp") << QByteArray(R"({"request_id":"x","account_id":"a"})") << "missing required field timestamp";
        QTest::newRow("bad timestamp") << QByteArray(R"({"request_id":"x","timestamp":"03/02/2026","account_id":"a"})") << "neither RFC 3339";
        QTest::newRow("timestamp without offset") << QByteArray(R"({"request_id":"x","timestamp":"2026-02-03T14:22:05","account_id":"a"})") << "neither RFC 3339";
        QTest::newRow("seconds not millis") << QByteArray(R"({"request_id":"x","timestamp":1770128525,"account_id":"a"})") << "outside 1990-2200";
        QTest::newRow("invalid utf-8") << QByteArray("{\"request_id\":\"x\",\"timestamp\":1770128525123,\"account_id\":\"a\xff\xfe\"}") << "invalid UTF-8";
    }
    void quarantinesBadRecords()
    {
        QFETCH(QByteArray, bad);
        QFETCH(QString, reason);
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QByteArray content = good(1) + good(2) + bad + "\n" + good(3);
        const ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("r.jsonl"), content)});
        QCOMPARE(s.files[0].outcome, Outcome::Imported);
        QCOMPARE(s.files[0].records, 3);
        QCOMPARE(s.files[0].quarantined, 1);
        const auto q = quarantineOf(db);
        QCOMPARE(q.size(), 1);
        QCOMPARE(q[0].line, 3);
        QVERIFY2(q[0].reason.contains(reason), qPrintable(q[0].reason));
        QCOMPARE(q[0].raw, bad); // every byte kept
        QCOMPARE(test::queryInt(db, "SELECT quarantined FROM source_file"), 1);
    }

    void outOfRangeOrBooleanCountsStayAsGiven()
    {
        // The smallest 64-bit integer is the columns' "absent" mark: it must not read as absent.
        // A boolean where a count belongs stays a JSON boolean in extra, not the string "true".
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QByteArray line = R"({"request_id":"x","timestamp":1770128525123,"account_id":"a","prompt_tokens":-9223372036854775808,"completion_tokens":true,"latency_ms":-9223372036854775807})" "\n";
        const ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("r.jsonl"), line)});
        QCOMPARE(s.files[0].records, 1);
        QCOMPARE(test::queryInt(db, "SELECT prompt_tokens IS NULL AND completion_tokens IS NULL FROM request"), 1);
        QCOMPARE(test::queryInt(db, "SELECT latency_ms FROM request"), -9223372036854775807LL);
        QCOMPARE(test::queryText(db, "SELECT ds_text(extra) FROM request_text"),
                 QStringLiteral(R"({"prompt_tokens":-9223372036854775808,"completion_tokens":true})"));
    }

    void wrongTypedOptionalFieldGoesToExtra()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QByteArray line = R"({"request_id":"x","timestamp":1770128525123,"account_id":"a","prompt_tokens":"many","status":200.5})" "\n";
        const ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("r.jsonl"), line)});
        QCOMPARE(s.files[0].records, 1);
        QCOMPARE(test::queryInt(db, "SELECT prompt_tokens IS NULL AND status IS NULL FROM request"), 1);
        QCOMPARE(test::queryText(db, "SELECT ds_text(extra) FROM request_text"), QStringLiteral(R"({"prompt_tokens":"many","status":200.5})"));
    }

    void truncatedLastLine()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        QByteArray content = good(1) + good(2) + good(3);
        content.chop(20); // cut inside the last record, no final newline
        const ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("r.jsonl"), content)});
        QCOMPARE(s.files[0].records, 2);
        const auto q = quarantineOf(db);
        QCOMPARE(q.size(), 1);
        QCOMPARE(q[0].line, 3);
        QVERIFY(q[0].reason.contains(QLatin1String("truncated")));
    }

    void lastLineWithoutNewlineIsFine()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        QByteArray content = good(1) + good(2);
        content.chop(1);
        const ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("r.jsonl"), content)});
        QCOMPARE(s.files[0].records, 2);
        QCOMPARE(s.files[0].quarantined, 0);
    }

    void tenMegabyteSingleLine()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QString huge(10 * 1024 * 1024, QLatin1Char('x'));
        const QByteArray content = good(1) + test::requestJson(QStringLiteral("big"), QStringLiteral("acct"), 1770128525123, huge) + "\n" + good(2);
        const ImportSummary s = test::importInto(db, {dir.writeGzip(QStringLiteral("r.jsonl.gz"), content)});
        QCOMPARE(s.files[0].records, 3);
        QCOMPARE(test::queryInt(db, "SELECT length(ds_text(prompt)) FROM request_text WHERE request_id='big'"), 10 * 1024 * 1024);
        // A 10 MB file that is one line and the first line too.
        test::ScratchDir dir2;
        const QString db2 = dir2.file(QStringLiteral("case.sqlite"));
        const ImportSummary s2 = test::importInto(db2, {dir2.write(QStringLiteral("one.jsonl"), test::requestJson(QStringLiteral("big"), QStringLiteral("acct"), 1770128525123, huge))});
        QCOMPARE(s2.files[0].outcome, Outcome::Imported);
        QCOMPARE(s2.files[0].records, 1);
    }

    void wrongCsvColumnCounts()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QByteArray csv = "request_id,timestamp,account_id,prompt\n"
                               "a,1770128525123,acct,fine\n"
                               "b,1770128525123,acct\n"
                               "c,1770128525123,acct,one,two\n"
                               "d,1770128525123,acct,\"unterminated\n";
        const ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("r.csv"), csv)});
        QCOMPARE(s.files[0].records, 1);
        QCOMPARE(s.files[0].quarantined, 3);
        const auto q = quarantineOf(db);
        QVERIFY(q[0].reason.contains(QLatin1String("expected 4, found 3")));
        QCOMPARE(q[0].raw, QByteArray("b,1770128525123,acct"));
        QVERIFY(q[1].reason.contains(QLatin1String("expected 4, found 5")));
        QVERIFY(q[2].reason.contains(QLatin1String("unterminated")));
        QCOMPARE(q[2].line, 5);
    }

    void refusesFilesThatAreNotLogs_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("gzip");
        QTest::addColumn<QString>("reason");
        QByteArray binary;
        for (int i = 0; i < 4096; ++i)
            binary += static_cast<char>((i * 131 + 7) % 256);
        QTest::newRow("empty") << QByteArray() << false << "is empty";
        QTest::newRow("blank lines") << QByteArray("\n\n  \n") << false << "no records";
        QTest::newRow("binary") << binary << false << "binary";
        QTest::newRow("gzip of binary") << binary << true << "binary";
        QTest::newRow("damaged gzip") << QByteArray("\x1f\x8b\x08\x00garbage-not-deflate", 24) << false << "gzip";
        // An array of records is read element by element (tst_logformats jsonArrayDocuments); one of none is refused.
        QTest::newRow("json array") << QByteArray(R"([1, "x", [2]])") << false << "JSON array without objects";
        QTest::newRow("json without ids") << QByteArray("{\"user\":\"x\",\"when\":1}\n") << false << "no request_id or account_id";
        QTest::newRow("csv without ids") << QByteArray("name,age\nbob,3\n") << false << "no request_id or account_id";
        QTest::newRow("prose") << QByteArray("Dear team please find the logs attached.\n") << false << "neither JSON Lines nor CSV";
        QTest::newRow("prose with comma") << QByteArray("Dear team, please find the logs attached.\n") << false << "no request_id or account_id";
    }
    void refusesFilesThatAreNotLogs()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, gzip);
        QFETCH(QString, reason);
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QString file = gzip ? dir.writeGzip(QStringLiteral("x.jsonl.gz"), bytes) : dir.write(QStringLiteral("x.jsonl"), bytes);
        const ImportSummary s = test::importInto(db, {file});
        QCOMPARE(s.files[0].outcome, Outcome::Refused);
        QVERIFY2(s.files[0].message.contains(reason), qPrintable(s.files[0].message));
        QVERIFY(!s.anyImported());
        QVERIFY2(!QFile::exists(db), "nothing may be written for a refused file");
    }

    void repeatedIdWithOtherContentIsKeptAsAConflict()
    {
        // Issue 17 item 5: a copy of a request_id that differs in anything is kept in request_conflict with its
        // content, beside the kept row; identical copies stay silent. Inside one file (settled after the bulk load)
        // and across files (against the committed row), the second file also with a repeat of its own.
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QByteArray first = test::requestJson(QStringLiteral("dup"), QStringLiteral("alice"), 1770128525123) + "\n";
        const QByteArray same = first;
        const QByteArray otherAccount = test::requestJson(QStringLiteral("dup"), QStringLiteral("mallory"), 1770128525123) + "\n";
        const QByteArray otherPrompt =
            test::requestJson(QStringLiteral("dup"), QStringLiteral("alice"), 1770128525123, QStringLiteral("What is the capital of Peru?")) + "\n";
        const QByteArray otherTime = test::requestJson(QStringLiteral("dup"), QStringLiteral("alice"), 1770128999999) + "\n";
        const QByteArray otherTokens = test::requestJson(QStringLiteral("dup"), QStringLiteral("alice"), 1770128525123, QStringLiteral("What is the capital of France?"),
                                                         QStringLiteral(R"("endpoint":"/v1/messages")")) + "\n";
        ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("a.jsonl"), first + good(1) + same + otherAccount + otherPrompt)});
        QCOMPARE(s.files[0].records, 5);
        QCOMPARE(s.files[0].inserted, 2);
        QCOMPARE(s.files[0].quarantined, 0);
        QCOMPARE(s.files[0].conflicts, 2);
        QCOMPARE(s.conflictsInCase, 2);
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM quarantine"), 0);
        QCOMPARE(test::queryText(db, "SELECT group_concat(line || ' ' || differs, '; ') FROM (SELECT * FROM request_conflict ORDER BY id)"),
                 QStringLiteral("4 account_id; 5 prompt"));
        // Both copies' content: the other copy as read, the kept one by its row.
        const QString copy = test::queryText(db, "SELECT copy FROM request_conflict WHERE line = 4");
        QVERIFY2(copy.contains(QStringLiteral("\"account_id\":\"mallory\"")) && copy.contains(QStringLiteral("\"request_id\":\"dup\""))
                     && copy.contains(QStringLiteral("capital of France")),
                 qPrintable(copy));
        QVERIFY(test::queryText(db, "SELECT copy FROM request_conflict WHERE line = 5").contains(QStringLiteral("capital of Peru")));
        QCOMPARE(test::queryText(db, "SELECT a.account_id || ' ' || r.line || ' ' || ds_text(t.prompt) FROM request_conflict c "
                                     "JOIN request r ON r.id = c.kept_request JOIN request_text t ON t.id = r.id "
                                     "JOIN account a ON a.id = r.account WHERE c.line = 5"),
                 QStringLiteral("alice 1 What is the capital of France?"));

        s = test::importInto(db, {dir.write(QStringLiteral("b.jsonl"), good(2) + otherTime + same + good(3) + good(3) + otherTokens)});
        QCOMPARE(s.files[0].inserted, 2);
        QCOMPARE(s.files[0].conflicts, 2);
        QCOMPARE(s.conflictsInCase, 4);
        QCOMPARE(test::queryText(db, "SELECT group_concat(differs, '; ') FROM (SELECT differs FROM request_conflict "
                                     "WHERE source_file = 2 ORDER BY line)"),
                 QStringLiteral("timestamp; endpoint"));
        QVERIFY(test::queryText(db, "SELECT copy FROM request_conflict WHERE differs = 'timestamp'").contains(QStringLiteral("2026-02-03T14:29:59.999Z")));
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM request"), 4);
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM quarantine"), 0);
    }

    void conflictingCopyCreatesNoAccount()
    {
        // Issue 17 item 5: an account read only in conflicting copies gets no account row; request_conflict
        // names it. Within one file (settled after the bulk load) and against the committed row of a later file.
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QByteArray alice = test::requestJson(QStringLiteral("dup"), QStringLiteral("alice"), 1770128525123) + "\n";
        const QByteArray mallory = test::requestJson(QStringLiteral("dup"), QStringLiteral("mallory"), 1770128525123) + "\n";
        ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("a.jsonl"), alice + mallory)});
        QCOMPARE(s.files[0].inserted, 1);
        QCOMPARE(s.files[0].conflicts, 1);
        QCOMPARE(test::queryText(db, "SELECT group_concat(account_id) FROM account"), QStringLiteral("alice"));
        QVERIFY(test::queryText(db, "SELECT copy FROM request_conflict").contains(QStringLiteral("\"account_id\":\"mallory\"")));

        // Another file: eve only in a conflicting copy, then mallory in a kept request of her own.
        const QByteArray eve = test::requestJson(QStringLiteral("dup"), QStringLiteral("eve"), 1770128525123) + "\n";
        const QByteArray malloryOwn = test::requestJson(QStringLiteral("own"), QStringLiteral("mallory"), 1770128525124) + "\n";
        s = test::importInto(db, {dir.write(QStringLiteral("b.jsonl"), eve + malloryOwn)});
        QCOMPARE(s.files[0].inserted, 1);
        QCOMPARE(s.files[0].conflicts, 1);
        QCOMPARE(test::queryText(db, "SELECT group_concat(account_id, ' ') FROM (SELECT account_id FROM account ORDER BY account_id)"),
                 QStringLiteral("alice mallory"));
        QVERIFY(test::queryText(db, "SELECT copy FROM request_conflict WHERE source_file = 2").contains(QStringLiteral("\"account_id\":\"eve\"")));
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM request r LEFT JOIN account a ON a.id = r.account WHERE a.id IS NULL"), 0);
    }

    void refusedFilesLeaveTheCaseTotalsAsTheyWere()
    {
        // Every file of the call refused: the summary still gives the case's totals, not zeros.
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        QCOMPARE(test::importInto(db, {dir.write(QStringLiteral("r.jsonl"), good(1) + good(2) + good(3))}).requestsInCase, 3);
        const ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("empty.jsonl"), {})});
        QCOMPARE(s.files[0].outcome, Outcome::Refused);
        QCOMPARE(s.requestsInCase, 3);
        QVERIFY(s.accountsInCase > 0);
    }

    void refusedFileDoesNotStopOthers()
    {
        test::ScratchDir dir;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const ImportSummary s = test::importInto(db, {dir.write(QStringLiteral("empty.jsonl"), {}), dir.write(QStringLiteral("r.jsonl"), good(1))});
        QCOMPARE(s.files[0].outcome, Outcome::Refused);
        QCOMPARE(s.files[1].outcome, Outcome::Imported);
        QVERIFY(s.anyImported());
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM source_file"), 1);
    }

    void sourceFileIsNeverModified()
    {
        test::ScratchDir dir;
        const QString file = dir.write(QStringLiteral("r.jsonl"), good(1) + "{broken\n" + good(2));
        QFile::setPermissions(file, QFile::ReadOwner);
        const ImportSummary s = test::importInto(dir.file(QStringLiteral("case.sqlite")), {file});
        QCOMPARE(s.files[0].outcome, Outcome::Imported);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), good(1) + "{broken\n" + good(2));
    }
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "tst_badinput.moc"
