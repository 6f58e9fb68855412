#include "TestSupport.h"
#include "core/CancelToken.h"
#include "sim/SimLogFormat.h"
#include "sim/SimLogRewriter.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>
#include <algorithm>

using namespace ds;
using namespace ds::test;

namespace {

// What one written record says, read back by hand from each format's own layout (not through the importer, which
// the round-trip suite tests): the text of the last user turn, the system text, the tool names, the account.
struct ReadBack
{
    QString requestKey; // the canonical request id where the format keeps it, else empty
    QString lastUser;
    QString system;
    QStringList tools;
    QString account;
    int earlierTurns = 0;
};

QString textOf(const QJsonValue& content, const char* textKey = "text")
{
    if (content.isString())
        return content.toString();
    QStringList parts;
    for (const QJsonValue& p : content.toArray()) {
        const QJsonObject o = p.toObject();
        if (o.contains(QLatin1String(textKey))
            && o.value(QStringLiteral("type")).toString(QStringLiteral("text")) == QLatin1String("text"))
            parts << o.value(QLatin1String(textKey)).toString();
    }
    return parts.join(QStringLiteral("\n\n"));
}

// OpenAI or Anthropic messages: the last user turn's text and how many turns came before it (system excluded).
void readMessages(const QJsonArray& messages, ReadBack& rb)
{
    int turns = 0;
    for (const QJsonValue& m : messages) {
        const QJsonObject o = m.toObject();
        const QString role = o.value(QStringLiteral("role")).toString();
        if (role == QLatin1String("system")) {
            rb.system = textOf(o.value(QStringLiteral("content")));
            continue;
        }
        ++turns;
        if (role == QLatin1String("user"))
            rb.lastUser = textOf(o.value(QStringLiteral("content")));
    }
    rb.earlierTurns = turns - 1;
}

QJsonObject parse(const QByteArray& text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (!doc.isObject())
        qFatal("not a JSON object (%s): %s", qPrintable(error.errorString()), text.left(200).constData());
    return doc.object();
}

QJsonValue parseValue(const QString& text)
{
    return QJsonDocument::fromJson(("{\"v\":" + text + "}").toUtf8()).object().value(QStringLiteral("v"));
}

QList<ReadBack> readBack(const QString& format, const QByteArray& file, int* linesOut)
{
    QList<ReadBack> out;
    int lines = 0;
    for (const QByteArray& line : file.split('\n')) {
        if (line.isEmpty())
            continue;
        ++lines;
        const QJsonObject o = parse(line);
        if (format == QLatin1String("otlp")) {
            for (const QJsonValue& rs : o.value(QStringLiteral("resourceSpans")).toArray())
                for (const QJsonValue& ss : rs.toObject().value(QStringLiteral("scopeSpans")).toArray())
                    for (const QJsonValue& span : ss.toObject().value(QStringLiteral("spans")).toArray()) {
                        ReadBack rb;
                        const QJsonObject s = span.toObject();
                        if (!s.value(QStringLiteral("startTimeUnixNano")).isString())
                            qFatal("startTimeUnixNano is not a string");
                        for (const QJsonValue& a : s.value(QStringLiteral("attributes")).toArray()) {
                            const QString key = a.toObject().value(QStringLiteral("key")).toString();
                            const QJsonObject v = a.toObject().value(QStringLiteral("value")).toObject();
                            if (v.contains(QStringLiteral("intValue"))
                                && !v.value(QStringLiteral("intValue")).isString())
                                qFatal("intValue is not a string");
                            const QString sv = v.value(QStringLiteral("stringValue")).toString();
                            if (key == QLatin1String("gen_ai.response.id"))
                                rb.requestKey = sv;
                            else if (key == QLatin1String("user.id"))
                                rb.account = sv;
                            else if (key == QLatin1String("gen_ai.system_instructions"))
                                rb.system = textOf(parseValue(sv), "content");
                            else if (key == QLatin1String("gen_ai.tool.definitions"))
                                for (const QJsonValue& t : parseValue(sv).toArray())
                                    rb.tools << t.toObject().value(QStringLiteral("name")).toString();
                            else if (key == QLatin1String("gen_ai.input.messages")) {
                                const QJsonArray msgs = parseValue(sv).toArray();
                                for (const QJsonValue& m : msgs)
                                    if (m.toObject().value(QStringLiteral("role")).toString() == QLatin1String("user"))
                                        rb.lastUser = textOf(m.toObject().value(QStringLiteral("parts")), "content");
                                rb.earlierTurns = static_cast<int>(msgs.size()) - 1;
                            }
                        }
                        out << rb;
                    }
            continue;
        }
        ReadBack rb;
        if (format == QLatin1String("litellm")) {
            const QJsonObject req = o.value(QStringLiteral("proxy_server_request")).toObject();
            readMessages(o.value(QStringLiteral("messages")).toArray(), rb);
            for (const QJsonValue& t : req.value(QStringLiteral("tools")).toArray())
                rb.tools << t.toObject()
                                .value(QStringLiteral("function"))
                                .toObject()
                                .value(QStringLiteral("name"))
                                .toString();
            const QString endUser = o.value(QStringLiteral("end_user")).toString();
            rb.account = endUser.isEmpty() ? o.value(QStringLiteral("user")).toString() : endUser;
            if (!QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}$"))
                     .match(o.value(QStringLiteral("startTime")).toString())
                     .hasMatch())
                qFatal("startTime is not a timestamp without zone");
            if (!QRegularExpression(QStringLiteral("^[0-9a-f]{64}$"))
                     .match(o.value(QStringLiteral("api_key")).toString())
                     .hasMatch())
                qFatal("api_key is not a SHA-256 hex digest");
        } else if (format == QLatin1String("helicone")) {
            const QJsonObject body = parse(o.value(QStringLiteral("request_body")).toString().toUtf8());
            readMessages(body.value(QStringLiteral("messages")).toArray(), rb);
            rb.system = textOf(body.value(QStringLiteral("system")));
            for (const QJsonValue& t : body.value(QStringLiteral("tools")).toArray())
                rb.tools << t.toObject().value(QStringLiteral("name")).toString();
            rb.account = o.value(QStringLiteral("user_id")).toString();
            for (const char* k : { "latency", "status" })
                if (!o.value(QLatin1String(k)).isString())
                    qFatal("Int64 %s is not quoted", k);
            if (!QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}$"))
                     .match(o.value(QStringLiteral("request_created_at")).toString())
                     .hasMatch())
                qFatal("request_created_at is not DateTime64(3) text");
        } else if (format == QLatin1String("langfuse")) {
            const QJsonValue input = parseValue(o.value(QStringLiteral("input")).toString());
            const QJsonArray msgs
                = input.isArray() ? input.toArray() : input.toObject().value(QStringLiteral("messages")).toArray();
            readMessages(msgs, rb);
            for (const QJsonValue& t : input.toObject().value(QStringLiteral("tools")).toArray())
                rb.tools << t.toObject()
                                .value(QStringLiteral("function"))
                                .toObject()
                                .value(QStringLiteral("name"))
                                .toString();
            rb.account = o.value(QStringLiteral("user_id")).toString();
            if (o.value(QStringLiteral("type")).toString() != QLatin1String("GENERATION")
                || !QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}$"))
                        .match(o.value(QStringLiteral("start_time")).toString())
                        .hasMatch())
                qFatal("not a Langfuse generation with a microsecond start_time");
        } else if (format == QLatin1String("bedrock")) {
            const QJsonObject body
                = o.value(QStringLiteral("input")).toObject().value(QStringLiteral("inputBodyJson")).toObject();
            rb.account = o.value(QStringLiteral("identity")).toObject().value(QStringLiteral("arn")).toString();
            if (o.value(QStringLiteral("operation")).toString() == QLatin1String("Converse")) {
                const QJsonArray msgs = body.value(QStringLiteral("messages")).toArray();
                for (const QJsonValue& m : msgs)
                    if (m.toObject().value(QStringLiteral("role")).toString() == QLatin1String("user")) {
                        QStringList texts;
                        for (const QJsonValue& c : m.toObject().value(QStringLiteral("content")).toArray())
                            if (c.toObject().contains(QStringLiteral("text")))
                                texts << c.toObject().value(QStringLiteral("text")).toString();
                        rb.lastUser = texts.join(QStringLiteral("\n\n"));
                    }
                rb.earlierTurns = static_cast<int>(msgs.size()) - 1;
                for (const QJsonValue& s : body.value(QStringLiteral("system")).toArray())
                    rb.system = s.toObject().value(QStringLiteral("text")).toString();
                for (const QJsonValue& t :
                     body.value(QStringLiteral("toolConfig")).toObject().value(QStringLiteral("tools")).toArray())
                    rb.tools << t.toObject()
                                    .value(QStringLiteral("toolSpec"))
                                    .toObject()
                                    .value(QStringLiteral("name"))
                                    .toString();
            } else {
                readMessages(body.value(QStringLiteral("messages")).toArray(), rb);
                rb.system = textOf(body.value(QStringLiteral("system")));
                for (const QJsonValue& t : body.value(QStringLiteral("tools")).toArray())
                    rb.tools << t.toObject().value(QStringLiteral("name")).toString();
            }
            if (!QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$"))
                     .match(o.value(QStringLiteral("timestamp")).toString())
                     .hasMatch())
                qFatal("Bedrock timestamp is not to the second");
        }
        out << rb;
    }
    *linesOut = lines;
    return out;
}

// A canonical dataset: one busy account with a system prompt and tools (so later turns and tool results occur),
// a quiet one in an organisation, an error.
void writeCanonical(const ScratchDir& dir, QList<QJsonObject>& records)
{
    QByteArray requests;
    for (int i = 0; i < 40; ++i) {
        QJsonObject r {
            { QStringLiteral("request_id"), QStringLiteral("req_%1").arg(i) },
            { QStringLiteral("timestamp"),
              QStringLiteral("2026-02-01T00:%1:%2.250Z")
                  .arg(i / 60, 2, 10, QLatin1Char('0'))
                  .arg(i % 60, 2, 10, QLatin1Char('0')) },
            { QStringLiteral("account_id"), i % 4 == 3 ? QStringLiteral("acct_quiet") : QStringLiteral("acct_busy") },
            { QStringLiteral("ip"), QStringLiteral("203.0.113.7") },
            { QStringLiteral("user_agent"), QStringLiteral("anthropic-sdk-python/0.40.0") },
            { QStringLiteral("model"), QStringLiteral("claude-sonnet-4-5") },
            { QStringLiteral("endpoint"), QStringLiteral("/v1/messages") },
            { QStringLiteral("prompt"), QStringLiteral("Question %1: \"why\" \\ and\nhow? \u00e9\u4e2d").arg(i) },
            { QStringLiteral("max_tokens"), 1024 },
            { QStringLiteral("latency_ms"), 900 + i },
            { QStringLiteral("status"), i == 5 ? 429 : 200 }
        };
        if (i != 5) {
            r.insert(QStringLiteral("prompt_tokens"), 100 + i);
            r.insert(QStringLiteral("completion_tokens"), 50);
            r.insert(QStringLiteral("stop_reason"), QStringLiteral("end_turn"));
        }
        if (i % 4 == 3) {
            r.insert(QStringLiteral("org_id"), QStringLiteral("org_acme"));
            r.insert(QStringLiteral("api_key_id"), QStringLiteral("key_q1"));
        } else {
            r.insert(QStringLiteral("system_prompt"), QStringLiteral("You are a careful assistant."));
            r.insert(QStringLiteral("tools"), QJsonArray { QStringLiteral("web_search"), QStringLiteral("run_code") });
            r.insert(QStringLiteral("api_key_id"), QStringLiteral("key_b1"));
        }
        records << r;
        requests += QJsonDocument(r).toJson(QJsonDocument::Compact) + '\n';
    }
    dir.write(QStringLiteral("requests.jsonl"), requests);
    dir.write(QStringLiteral("accounts.csv"),
              "account_id,created_at,email_domain,payment_fingerprint,billing_country,org_id,tier,verified\n"
              "acct_busy,2025-01-01T00:00:00.000Z,example.org,pf_1,US,,tier-1,true\n"
              "acct_quiet,2025-01-02T00:00:00.000Z,acme.test,pf_2,DE,org_acme,tier-2,true\n");
    dir.write(QStringLiteral("truth.csv"),
              "account_id,label,campaign,role\nacct_busy,benign,,casual\n"
              "acct_quiet,attacker,c1,hydra-worker\n");
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return f.readAll();
}

} // namespace

// The writers that re-write simulated traffic in real log formats (simulate --log-format): every line is the
// format's own JSON, the prompt is the last user turn, the system prompt and tools are where the format keeps
// them, accounts are named as the format names them, and the same input gives the same bytes.
class TestSimLogFormats : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesEachFormatAsItsSystemDoes_data()
    {
        QTest::addColumn<QString>("format");
        for (const QString& f : SimLogFormat::names())
            QTest::newRow(qPrintable(f)) << f;
    }

    void writesEachFormatAsItsSystemDoes()
    {
        QFETCH(QString, format);
        ScratchDir in, out;
        QList<QJsonObject> canonical;
        writeCanonical(in, canonical);
        const auto writer = SimLogFormat::create(format.toStdString());
        QVERIFY(writer);
        CancelToken cancel;
        const SimLogRewriteResult res = simRewriteLogs(in.path(), out.path(), *writer, false, cancel);
        QVERIFY2(res.error.isEmpty(), qPrintable(res.error));
        QCOMPARE(res.records, 40);
        QCOMPARE(res.requestsPath, out.file(QStringLiteral("requests.%1.jsonl").arg(format)));

        int lines = 0;
        const QList<ReadBack> back = readBack(format, readAll(res.requestsPath), &lines);
        QCOMPARE(back.size(), 40);
        if (format == QLatin1String("otlp"))
            QVERIFY2(lines < 40, "OTLP lines carry many spans"); // one export request per batch
        else
            QCOMPARE(lines, 40);
        int multiTurn = 0, toolResults = 0;
        QHash<QString, QJsonObject> byId;
        for (const QJsonObject& c : canonical)
            byId.insert(c.value(QStringLiteral("request_id")).toString(), c);
        for (int i = 0; i < back.size(); ++i) {
            const ReadBack& b = back[i];
            // OTLP groups a batch's spans by resource (gateway instance): match spans by their request id.
            const QJsonObject c = format == QLatin1String("otlp") ? byId.value(b.requestKey) : canonical[i];
            QVERIFY(!c.isEmpty());
            QCOMPARE(b.lastUser, c.value(QStringLiteral("prompt")).toString());
            QCOMPARE(b.system, c.value(QStringLiteral("system_prompt")).toString());
            QStringList tools;
            for (const QJsonValue& t : c.value(QStringLiteral("tools")).toArray())
                tools << t.toString();
            QCOMPARE(b.tools, tools);
            const QString account = c.value(QStringLiteral("account_id")).toString();
            if (format == QLatin1String("bedrock"))
                QVERIFY2(QRegularExpression(QStringLiteral("^arn:aws:iam::\\d{12}:user/%1$").arg(account))
                             .match(b.account)
                             .hasMatch(),
                         qPrintable(b.account));
            else
                QCOMPARE(b.account, account);
            multiTurn += b.earlierTurns > 0;
            toolResults += b.earlierTurns > 1; // a tool call and its result between the two user texts
        }
        QVERIFY2(multiTurn >= 5, qPrintable(QString::number(multiTurn)));
        if (format != QLatin1String("litellm") && format != QLatin1String("langfuse"))
            QVERIFY2(toolResults >= 1, qPrintable(QString::number(toolResults)));

        // truth.csv and accounts.csv name the accounts as the log does.
        const QList<QByteArray> truth = csvDataLines(out.file(QStringLiteral("truth.csv")));
        QCOMPARE(truth.size(), 2);
        const QList<QByteArray> accounts = csvDataLines(out.file(QStringLiteral("accounts.csv")));
        QCOMPARE(accounts.size(), 2);
        const QString quietId = QString::fromUtf8(truth[1].left(truth[1].indexOf(',')));
        QCOMPARE(QString::fromUtf8(accounts[1].left(accounts[1].indexOf(','))), quietId);
        QVERIFY(std::any_of(back.begin(), back.end(), [&](const ReadBack& b) { return b.account == quietId; }));

        // Deterministic: the same input gives the same bytes.
        ScratchDir again;
        const auto writer2 = SimLogFormat::create(format.toStdString());
        const SimLogRewriteResult res2 = simRewriteLogs(in.path(), again.path(), *writer2, false, cancel);
        QVERIFY(res2.error.isEmpty());
        QCOMPARE(readAll(res2.requestsPath), readAll(res.requestsPath));
    }

    void unknownFormatIsRefused()
    {
        QVERIFY(!SimLogFormat::create("splunk"));
        const CliResult r = runCli({ QStringLiteral("simulate"), QStringLiteral("--out"), ScratchDir().path(),
                                     QStringLiteral("--log-format"), QStringLiteral("splunk") });
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("litellm"));
    }

    void simulateWritesTheFormatInPlaceOfCanonical()
    {
        ScratchDir dir;
        const CliResult r
            = runCli({ QStringLiteral("simulate"), QStringLiteral("--out"), dir.path(), QStringLiteral("--scenario"),
                       QStringLiteral("tiny"), QStringLiteral("--scale"), QStringLiteral("0.2"),
                       QStringLiteral("--log-format"), QStringLiteral("helicone") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(QFile::exists(dir.file(QStringLiteral("requests.helicone.jsonl.gz"))));
        QVERIFY(!QFile::exists(dir.file(QStringLiteral("requests.jsonl.gz"))));
        QVERIFY(r.out.contains("requests.helicone.jsonl.gz"));
    }
};

QTEST_GUILESS_MAIN(TestSimLogFormats)
#include "tst_simlogformats.moc"
