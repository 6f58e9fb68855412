// The import preview (model/ingest/ImportPreview.h) on the format fixtures: what it maps agrees
// with what the import writes, its warnings name what each format lacks, and it reads only the
// head of large and compressed files and never opens a FIFO.
#include "FormatFixtures.h"
#include "TestSupport.h"
#include "ingest/ImportPreview.h"
#include "ingest/ImportTypes.h"
#include "ingest/Importer.h"
#include "ingest/LogFormats.h"
#include "ingest/PreviewWarnings.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <sys/stat.h>

using namespace ds;
using ds::test::formatFixture;
using ds::test::formatFixtureRecords;

namespace {

FilePreview preview(const QString& path, const FormatChoice& choice = {}, int maxRecords = 20)
{
    CancelToken cancel;
    return previewLogFile(path, choice, maxRecords, cancel);
}

// The one warning that starts with `start`, or an empty string.
QString warningStarting(const FilePreview& p, const QString& start)
{
    QString found;
    for (const QString& w : p.warnings)
        if (w.startsWith(start)) {
            if (!found.isEmpty())
                return QStringLiteral("(twice) ") + found;
            found = w;
        }
    return found;
}

bool anyWarningContains(const FilePreview& p, const QString& text)
{
    return std::any_of(p.warnings.begin(), p.warnings.end(), [&](const QString& w) { return w.contains(text); });
}

} // namespace

class TestImportPreview : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jsonArrayOfRecords()
    {
        // LiteLLM's /spend/logs list, pretty-printed; and one too long for the head: cut inside an element, whose
        // remains are left out rather than shown as a broken record.
        test::ScratchDir dir;
        const QJsonArray rows = formatFixtureRecords(QStringLiteral("litellm.jsonl"));
        QVERIFY(!rows.isEmpty());
        const FilePreview small = preview(dir.write(QStringLiteral("spend.json"), QJsonDocument(rows).toJson()));
        QVERIFY(small.previewed());
        QCOMPARE(small.logFormat, QStringLiteral("litellm"));
        QVERIFY(small.jsonArray && !small.csv);
        QCOMPARE(small.requests, 3);
        QCOMPARE(small.quarantined, 0);
        QJsonArray many;
        while (many.size() < 300)
            for (const QJsonValue& r : rows)
                many.append(r);
        const FilePreview big = preview(dir.write(QStringLiteral("many.json"), QJsonDocument(many).toJson()));
        QVERIFY(big.previewed());
        QVERIFY(!big.wholeFile);
        QVERIFY(big.requests >= 2);
        QCOMPARE(big.quarantined, 0);
    }

    void litellmColumns()
    {
        const FilePreview p = preview(formatFixture(QStringLiteral("litellm.jsonl")));
        QVERIFY(p.previewed());
        QCOMPARE(p.logFormat, QStringLiteral("litellm"));
        QVERIFY(p.wholeFile);
        QCOMPARE(p.requests, 3);
        QCOMPARE(p.quarantined, 0);
        QCOMPARE(p.records.size(), 3);
        const PreviewRecord& r = p.records[0];
        QCOMPARE(r.line, 1);
        QCOMPARE(r.accountId, QStringLiteral("cust-1842")); // end_user before user
        QCOMPARE(r.timestampMs.value(), 1769904043143); // no zone: UTC
        QCOMPARE(r.model, QStringLiteral("gpt-4o-mini"));
        QCOMPARE(r.ip, QStringLiteral("203.0.113.7"));
        QVERIFY(r.userAgent.isEmpty());
        QCOMPARE(r.prompt, QStringLiteral("What is the capital of France?"));
        QCOMPARE(r.systemPrompt, QStringLiteral("You are a concise assistant."));
        QCOMPARE(r.promptTokens.value(), 42);
        QCOMPARE(r.completionTokens.value(), 19);
        // No end_user and an empty user: the hashed key is the account.
        QCOMPARE(p.records[1].accountId,
                 QStringLiteral("88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b"));
        QCOMPARE(p.records[1].prompt, QStringLiteral("Describe this image"));
        QCOMPARE(p.records[2].prompt, QStringLiteral("Summarise RFC 3339."));
        QVERIFY(p.records[2].ip.isEmpty());

        QCOMPARE(p.presence.ip, 2);
        QCOMPARE(p.presence.accountIsKey, 2);
        QVERIFY(warningStarting(p, QStringLiteral("LiteLLM logs carry no user agent"))
                    .contains(QLatin1String("no user-agent links")));
        QVERIFY(warningStarting(p, QStringLiteral("2 of the first 3 requests name no user"))
                    .contains(QLatin1String("end_user, user or api_key")));
        QVERIFY(!warningStarting(p, QStringLiteral("Times without a zone (\u2068startTime\u2069) are read as UTC"))
                     .isEmpty());
        QVERIFY(!anyWarningContains(p, QStringLiteral("client IP"))); // it has them
        QVERIFY(!anyWarningContains(p, QStringLiteral("quarantined")));
    }

    void heliconeHasNoIp()
    {
        const FilePreview p = preview(formatFixture(QStringLiteral("helicone.jsonl")));
        QCOMPARE(p.logFormat, QStringLiteral("helicone"));
        QCOMPARE(p.records.size(), 2);
        QCOMPARE(p.records[0].accountId, QStringLiteral("cust-1842"));
        QCOMPARE(p.records[0].timestampMs.value(), 1769904043143);
        QCOMPARE(p.records[0].promptTokens.value(), 42); // a quoted 64-bit integer
        QCOMPARE(p.records[1].accountId, QStringLiteral("9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d")); // proxy_key_id
        QCOMPARE(p.records[1].prompt, QStringLiteral("42 rows\nNow chart it."));
        QCOMPARE(p.records[1].model, QStringLiteral("claude-3-5-sonnet-20241022"));
        const QString noIp = warningStarting(p, QStringLiteral("Helicone logs carry no client IP"));
        QVERIFY2(noIp.contains(QLatin1String("infrastructure links will rest on e-mail domains, payment fingerprints "
                                             "and sign-up times (from an accounts file)")),
                 qPrintable(noIp));
        QVERIFY(!warningStarting(p, QStringLiteral("Helicone logs carry no user agent")).isEmpty());
        QVERIFY(!warningStarting(
                     p, QStringLiteral("1 of the first 2 requests names no user: its account is its API key id"))
                     .isEmpty());
    }

    void langfuseSkipsSpans()
    {
        const FilePreview p = preview(formatFixture(QStringLiteral("langfuse.jsonl")));
        QCOMPARE(p.logFormat, QStringLiteral("langfuse"));
        QCOMPARE(p.requests, 2);
        QCOMPARE(p.skipped, 1);
        QCOMPARE(p.records[0].line, 2);
        QCOMPARE(p.records[0].accountId, QStringLiteral("cust-1842"));
        QCOMPARE(p.records[0].timestampMs.value(), 1769904043143); // microseconds cut to ms
        QCOMPARE(p.records[0].model, QStringLiteral("gpt-4o-mini"));
        QCOMPARE(p.records[1].prompt, QStringLiteral("Tell me a joke"));
        QVERIFY(
            !warningStarting(p, QStringLiteral("1 observation in the first 3 lines is not a model call")).isEmpty());
        QVERIFY(!warningStarting(p, QStringLiteral("Langfuse logs carry no client IP")).isEmpty());
        QVERIFY(!anyWarningContains(p, QStringLiteral("name no user")));
    }

    void bedrockAccountsAreArns()
    {
        const FilePreview p = preview(formatFixture(QStringLiteral("bedrock.jsonl")));
        QCOMPARE(p.logFormat, QStringLiteral("bedrock"));
        QCOMPARE(p.records.size(), 2);
        QCOMPARE(p.records[0].accountId, QStringLiteral("arn:aws:sts::123456789012:assumed-role/app-role/cust-1842"));
        QCOMPARE(p.records[0].timestampMs.value(), 1769904043000);
        QCOMPARE(p.records[0].model, QStringLiteral("anthropic.claude-3-5-sonnet-20240620-v1:0"));
        QCOMPARE(p.records[1].prompt, QStringLiteral("List three primes."));
        QCOMPARE(p.records[1].completionTokens.value(), 29);
        QVERIFY(!warningStarting(p, QStringLiteral("AWS Bedrock logs carry no client IP")).isEmpty());
        QVERIFY(!anyWarningContains(p, QStringLiteral("token count")));
    }

    void otlpQuarantinedSpanIsShownWithItsReason()
    {
        const FilePreview p = preview(formatFixture(QStringLiteral("otlp.jsonl")));
        QCOMPARE(p.logFormat, QStringLiteral("otlp"));
        QCOMPARE(p.headLines, 1);
        QCOMPARE(p.requests, 2);
        QCOMPARE(p.quarantined, 1);
        QCOMPARE(p.skipped, 1);
        QCOMPARE(p.records.size(), 3);
        QCOMPARE(p.records[0].accountId, QStringLiteral("cust-1842"));
        QCOMPARE(p.records[0].ip, QStringLiteral("203.0.113.7"));
        QCOMPARE(p.records[1].accountId, QStringLiteral("tenant-default"));
        const PreviewRecord& q = p.records[2];
        QVERIFY(q.quarantined);
        QCOMPARE(q.line, 1);
        QVERIFY2(q.reason.contains(QLatin1String("record 4 of 4")) && q.reason.contains(QLatin1String("no request id: spanId")),
                 qPrintable(q.reason));
        QVERIFY(q.raw.startsWith(QLatin1String("{\"traceId\":\"6c9f\"")));
        const QString w = warningStarting(p, QStringLiteral("1 of the first 3 spans would be quarantined; line 1: "));
        QVERIFY2(w.contains(QLatin1String("record 4 of 4")), qPrintable(p.warnings.join(QLatin1Char('\n'))));
        // One span has an IP: the format has them. None has a user agent: the log lacks them, named by its path.
        QVERIFY(!anyWarningContains(p, QStringLiteral("client IP")));
        QVERIFY(!warningStarting(p,
                                 QStringLiteral("None of the first 2 requests has a user agent (read from "
                                                "\u2068attributes{user_agent.original}\u2069)"))
                     .isEmpty());
    }

    // The preview parses with the importer's parser: its counts are the import's, for every format forced on every
    // fixture.
    void agreesWithTheImport_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("format");
        for (const char* f : { "litellm", "helicone", "langfuse", "bedrock", "otlp" })
            for (const QString& format : QStringList { QString() } + logformats::presetNames())
                QTest::addRow("%s as %s", f, format.isEmpty() ? "detected" : qPrintable(format))
                    << QStringLiteral("%1.jsonl").arg(QLatin1String(f)) << format;
    }
    void agreesWithTheImport()
    {
        QFETCH(QString, file);
        QFETCH(QString, format);
        const FilePreview p = preview(formatFixture(file), FormatChoice { format, {} });
        test::ScratchDir dir;
        ImportProgress progress;
        CancelToken cancel;
        const ImportSummary s = Importer::run(
            ImportRequest { dir.file(QStringLiteral("c.sqlite")), { formatFixture(file) }, {}, format }, progress, cancel);
        QVERIFY(s.error.isEmpty());
        const FileReport& f = s.files[0];
        QCOMPARE(p.accepted, f.outcome != FileReport::Outcome::Refused);
        QCOMPARE(p.logFormat, f.logFormat);
        if (!p.accepted) {
            QVERIFY(f.message.endsWith(p.refusal));
            QVERIFY(p.warnings.value(0).startsWith(QLatin1String("This file will be refused")));
            return;
        }
        QCOMPARE(p.requests, f.records);
        QCOMPARE(p.quarantined, f.quarantined);
        QCOMPARE(p.skipped, f.skipped);
        if (p.quarantined > 0)
            QVERIFY(anyWarningContains(p, QStringLiteral("would be quarantined")));
    }

    // A LiteLLM export its content does not give away (no call_type): every record would be quarantined as
    // the canonical format, and the warnings say which formats to try.
    void unrecognisedLogSuggestsAFormat()
    {
        test::ScratchDir dir;
        QFile f(formatFixture(QStringLiteral("litellm.jsonl")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray variant = f.readAll().replace("\"call_type\":\"acompletion\",", "");
        const QString log = dir.write(QStringLiteral("spend.jsonl"), variant);
        const FilePreview p = preview(log);
        QCOMPARE(p.logFormat, QStringLiteral("canonical"));
        QCOMPARE(p.quarantined, 3);
        QVERIFY(
            !warningStarting(p, QStringLiteral("All of the first 3 records would be quarantined; line 1: ")).isEmpty());
        QVERIFY(!warningStarting(p, QStringLiteral("If this log comes from LiteLLM, Helicone")).isEmpty());
        const FilePreview chosen = preview(log, FormatChoice { QStringLiteral("litellm"), {} });
        QCOMPARE(chosen.requests, 3);
        QCOMPARE(chosen.quarantined, 0);
        QVERIFY(!anyWarningContains(chosen, QStringLiteral("If this log comes from")));
    }

    void mappingFileExtendingAPreset()
    {
        test::ScratchDir dir;
        const QString mapping
            = dir.write(QStringLiteral("m.json"), R"({"extends": "litellm", "fields": {"account_id": "api_key"}})");
        const FilePreview p = preview(formatFixture(QStringLiteral("litellm.jsonl")), FormatChoice { {}, mapping });
        QVERIFY(p.previewed());
        QCOMPARE(p.extends, QStringLiteral("litellm"));
        QCOMPARE(p.logFormat, QStringLiteral("litellm"));
        QCOMPARE(p.records[0].accountId,
                 QStringLiteral("88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b"));
        QCOMPARE(p.presence.accountIsKey, 3);
        QVERIFY(!warningStarting(p, QStringLiteral("Your mapping reads no user agent")).isEmpty());

        const QString broken = dir.write(QStringLiteral("bad.json"), "{\"fields\": 3}");
        const FilePreview b = preview(formatFixture(QStringLiteral("litellm.jsonl")), FormatChoice { {}, broken });
        QVERIFY(!b.previewed());
        QVERIFY2(b.error.startsWith(QLatin1String("the mapping file cannot be used")), qPrintable(b.error));
        QVERIFY(b.mappingUnusable);
        QVERIFY(!p.mappingUnusable);
    }

    // Hostile text in a log reaches the warnings escaped; the records keep it as it is, for the view to escape.
    void hostileTextInWarningsIsEscaped()
    {
        test::ScratchDir dir;
        const QString log
            = dir.write(QStringLiteral("h.jsonl"),
                        test::requestJson(QStringLiteral("r1"), QStringLiteral("a1"), 1770000000000) + "\n"
                            + QStringLiteral(R"({"request_id":"r2","timestamp":"x%1gnp.exe","account_id":"a2"})")
                                  .arg(QChar(0x202E))
                                  .toUtf8()
                            + "\n");
        const FilePreview p = preview(log);
        QCOMPARE(p.logFormat, QStringLiteral("canonical"));
        QCOMPARE(p.quarantined, 1);
        QVERIFY(p.records[1].reason.contains(QChar(0x202E)));
        const QString w = warningStarting(p, QStringLiteral("1 of the first 2 records would be quarantined; line 2: "));
        QVERIFY2(w.contains(QStringLiteral("‹RLO›")), qPrintable(w));
        QVERIFY(!w.contains(QChar(0x202E)));
    }

    void gzipReadsOnlyTheHead()
    {
        test::ScratchDir dir;
        QByteArray text;
        for (int i = 0; i < 20000; ++i)
            text += test::requestJson(QStringLiteral("r%1").arg(i), QStringLiteral("a%1").arg(i % 7), 1770000000000 + i)
                + "\n";
        const QString gz = dir.writeGzip(QStringLiteral("big.jsonl.gz"), text);
        QElapsedTimer clock;
        clock.start();
        const FilePreview p = preview(gz);
        QVERIFY(p.previewed());
        QVERIFY(p.gzip);
        QVERIFY(!p.wholeFile);
        QCOMPARE(p.headLines, kPreviewHeadLines);
        QVERIFY(p.headBytes < text.size() / 10);
        QCOMPARE(p.requests, kPreviewHeadLines);
        QCOMPARE(p.records.size(), 20);
        QCOMPARE(p.records.last().line, 20);
        QVERIFY(p.warnings.isEmpty()); // a canonical log with every field
        qInfo("preview of a %lld-byte log (gzip): %lld ms", static_cast<long long>(text.size()),
              static_cast<long long>(clock.elapsed()));
    }

    // A CSV record with a line break in quotes that the head cuts in two is left out, not quarantined.
    void csvHeadNeverEndsInsideARecord()
    {
        test::ScratchDir dir;
        QByteArray csv = "account_id,created_at,email_domain,payment_fingerprint,billing_country,tier\n";
        for (int i = 0; csv.count('\n') < kPreviewHeadLines + 20; ++i)
            csv += QStringLiteral("acct-%1,1769904000000,example.org,\"pf-%1\nsecond line\",FR,free\n").arg(i).toUtf8();
        const FilePreview p = preview(dir.write(QStringLiteral("accounts.csv"), csv));
        QVERIFY(p.previewed());
        QCOMPARE(p.kind, RecordKind::Accounts);
        QVERIFY(p.csv);
        QCOMPARE(p.quarantined, 0);
        QCOMPARE(p.accounts, (kPreviewHeadLines - 1) / 2); // the 100th is cut by the head
        QCOMPARE(p.records[0].accountId, QStringLiteral("acct-0"));
        QCOMPARE(p.records[0].paymentFingerprint, QStringLiteral("pf-0\nsecond line"));
        QCOMPARE(p.records[0].createdAtMs.value(), 1769904000000);
    }

    void fifoIsNotOpened()
    {
        test::ScratchDir dir;
        const QString fifo = dir.file(QStringLiteral("pipe.jsonl"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        const FilePreview p = preview(fifo); // opening it would wait for a writer forever
        QVERIFY(p.accepted);
        QVERIFY(!p.previewed());
        QVERIFY(p.note.contains(QLatin1String("FIFO")));
        QVERIFY(p.records.isEmpty());
    }

    void notALogIsRefusedAsTheImportWould()
    {
        test::ScratchDir dir;
        const FilePreview p = preview(dir.write(QStringLiteral("b.bin"), QByteArray("\0\1\2", 3)));
        QVERIFY(!p.accepted);
        QVERIFY(p.refusal.contains(QLatin1String("binary")));
        QVERIFY(p.warnings.value(0).startsWith(QLatin1String("This file will be refused")));
    }

    void cancelStopsIt()
    {
        CancelToken cancel;
        cancel.requestCancel();
        QVERIFY_THROWS_EXCEPTION(Cancelled, previewLogFile(formatFixture(QStringLiteral("litellm.jsonl")), {}, 20, cancel));
    }

    void formatTitles()
    {
        QCOMPARE(previewwarnings::formatTitle(QStringLiteral("bedrock")), QStringLiteral("AWS Bedrock"));
        QCOMPARE(previewwarnings::formatTitle(QStringLiteral("otlp")), QStringLiteral("OpenTelemetry"));
        for (const QString& name : logformats::presetNames())
            QVERIFY(previewwarnings::formatTitle(name) != name);
    }
};

QTEST_GUILESS_MAIN(TestImportPreview)
#include "tst_importpreview.moc"
