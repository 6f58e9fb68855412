#include "LogRoundTrip.h"
#include "TestSupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QtTest>

using namespace ds::test;

namespace {

constexpr int kPageSize = 100;

QList<QByteArray> linesOf(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> out;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (!line.trimmed().isEmpty())
            out << line;
    return out;
}

// LiteLLM spend-log rows as a client saves the pages of GET /spend/logs/v2: one response a line.
QByteArray asSpendLogPages(const QList<QByteArray>& rows)
{
    const int pages = static_cast<int>((rows.size() + kPageSize - 1) / kPageSize);
    QByteArray out;
    for (int p = 0; p < pages; ++p) {
        QByteArray data = "[";
        for (int i = p * kPageSize; i < std::min<int>(static_cast<int>(rows.size()), (p + 1) * kPageSize); ++i)
            data += (i > p * kPageSize ? "," : "") + rows[i];
        out += "{\"data\":" + data + "],\"total\":" + QByteArray::number(rows.size()) + ",\"page\":" + QByteArray::number(p + 1)
             + ",\"page_size\":" + QByteArray::number(kPageSize) + ",\"total_pages\":" + QByteArray::number(pages) + "}\n";
    }
    return out;
}

QJsonObject stringAttr(const QString& key, const QString& value)
{
    return QJsonObject{{QStringLiteral("key"), key}, {QStringLiteral("value"), QJsonObject{{QStringLiteral("stringValue"), value}}}};
}

// The text parts of an OpenTelemetry message ([{type: "text", content}]) as OpenAI content: one string, or parts.
QJsonValue openAiContent(const QJsonArray& parts)
{
    QJsonArray out;
    for (const QJsonValue& p : parts)
        if (p.toObject().value(QStringLiteral("type")).toString() == QLatin1String("text"))
            out.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                   {QStringLiteral("text"), p.toObject().value(QStringLiteral("content"))}});
    if (out.size() == 1)
        return out[0].toObject().value(QStringLiteral("text"));
    return out;
}

// A GenAI span of the current conventions as instrumentations before 1.27 wrote it: gen_ai.system and the usage as
// prompt/completion tokens, no gen_ai.operation.name; the conversation as OpenLLMetry's numbered attributes
// gen_ai.prompt.N.* with the user as llm.user (even spans), or as the gen_ai.content.prompt event of the conventions
// 1.24-1.26 with the user as enduser.id (odd spans).
QJsonObject asSpanBefore127(QJsonObject span, bool numbered)
{
    QJsonArray attrs;
    QJsonArray messages; // OpenAI messages
    for (const QJsonValue& v : span.value(QStringLiteral("attributes")).toArray()) {
        QJsonObject a = v.toObject();
        const QString key = a.value(QStringLiteral("key")).toString();
        const QString text = a.value(QStringLiteral("value")).toObject().value(QStringLiteral("stringValue")).toString();
        if (key == QLatin1String("gen_ai.operation.name"))
            continue;
        if (key == QLatin1String("gen_ai.provider.name")) {
            a[QStringLiteral("key")] = QStringLiteral("gen_ai.system");
        } else if (key == QLatin1String("gen_ai.usage.input_tokens")) {
            a[QStringLiteral("key")] = QStringLiteral("gen_ai.usage.prompt_tokens");
        } else if (key == QLatin1String("gen_ai.usage.output_tokens")) {
            a[QStringLiteral("key")] = QStringLiteral("gen_ai.usage.completion_tokens");
        } else if (key == QLatin1String("user.id")) {
            a[QStringLiteral("key")] = numbered ? QStringLiteral("llm.user") : QStringLiteral("enduser.id");
        } else if (key == QLatin1String("gen_ai.system_instructions")) {
            messages.prepend(QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                                         {QStringLiteral("content"), openAiContent(QJsonDocument::fromJson(text.toUtf8()).array())}});
            continue;
        } else if (key == QLatin1String("gen_ai.input.messages")) {
            for (const QJsonValue& m : QJsonDocument::fromJson(text.toUtf8()).array())
                messages.append(QJsonObject{{QStringLiteral("role"), m.toObject().value(QStringLiteral("role"))},
                                            {QStringLiteral("content"), openAiContent(m.toObject().value(QStringLiteral("parts")).toArray())}});
            continue;
        }
        attrs.append(a);
    }
    if (numbered) {
        for (int i = 0; i < messages.size(); ++i) {
            const QJsonObject m = messages[i].toObject();
            const QString prefix = QStringLiteral("gen_ai.prompt.%1.").arg(i);
            const QJsonValue content = m.value(QStringLiteral("content"));
            attrs.append(stringAttr(prefix + QStringLiteral("role"), m.value(QStringLiteral("role")).toString()));
            attrs.append(stringAttr(prefix + QStringLiteral("content"),
                                    content.isString() ? content.toString()
                                                       : QString::fromUtf8(QJsonDocument(content.toArray()).toJson(QJsonDocument::Compact))));
        }
        attrs.append(stringAttr(QStringLiteral("llm.request.type"), QStringLiteral("chat")));
    } else {
        const QJsonObject event{{QStringLiteral("timeUnixNano"), span.value(QStringLiteral("startTimeUnixNano"))},
                                {QStringLiteral("name"), QStringLiteral("gen_ai.content.prompt")},
                                {QStringLiteral("attributes"), QJsonArray{stringAttr(QStringLiteral("gen_ai.prompt"),
                                    QString::fromUtf8(QJsonDocument(messages).toJson(QJsonDocument::Compact)))}}};
        span[QStringLiteral("events")] = QJsonArray{event};
    }
    span[QStringLiteral("attributes")] = attrs;
    return span;
}

QByteArray asOtlpBefore127(const QList<QByteArray>& lines)
{
    QByteArray out;
    int n = 0;
    for (const QByteArray& line : lines) {
        QJsonObject doc = QJsonDocument::fromJson(line).object();
        QJsonArray resourceSpans = doc.value(QStringLiteral("resourceSpans")).toArray();
        for (int r = 0; r < resourceSpans.size(); ++r) {
            QJsonObject rs = resourceSpans[r].toObject();
            QJsonArray scopes = rs.value(QStringLiteral("scopeSpans")).toArray();
            for (int s = 0; s < scopes.size(); ++s) {
                QJsonObject scope = scopes[s].toObject();
                QJsonArray spans = scope.value(QStringLiteral("spans")).toArray();
                for (int i = 0; i < spans.size(); ++i)
                    spans[i] = asSpanBefore127(spans[i].toObject(), n++ % 2 == 0);
                scope[QStringLiteral("spans")] = spans;
                scopes[s] = scope;
            }
            rs[QStringLiteral("scopeSpans")] = scopes;
            resourceSpans[r] = rs;
        }
        doc[QStringLiteral("resourceSpans")] = resourceSpans;
        out += QJsonDocument(doc).toJson(QJsonDocument::Compact) + '\n';
    }
    return out;
}

} // namespace

// Round trips (as tst_detect_logformats) through the shapes of issue 14's later additions: LiteLLM rows fetched page
// by page from /spend/logs/v2, and OpenTelemetry GenAI spans as instrumentations before the conventions 1.27 wrote
// them (OpenLLMetry's numbered gen_ai.prompt.N attributes, the gen_ai.content.prompt event). The simulated traffic of
// the tiny scenario, re-written: every request imported, nothing quarantined, detection at the targets.
// Release phase only.
class TestDetectLogVariants : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<QString>("variant");
        QTest::addColumn<QString>("format"); // of the simulated file re-written, and as it is recognised
        QTest::newRow("litellm-pages") << QStringLiteral("litellm-pages") << QStringLiteral("litellm");
        QTest::newRow("otlp-before-1.27") << QStringLiteral("otlp-before-1.27") << QStringLiteral("otlp");
    }

    void roundTrip()
    {
        QFETCH(QString, variant);
        QFETCH(QString, format);
        ScratchDir dir;
        const qint64 requests = simulateTiny(dir, QStringLiteral("1"),
                                             {QStringLiteral("--no-gzip"), QStringLiteral("--log-format"), format});
        if (QTest::currentTestFailed())
            return;

        const QList<QByteArray> lines = linesOf(dir.file(QStringLiteral("requests.%1.jsonl").arg(format)));
        QVERIFY(!lines.isEmpty());
        const QString file = dir.write(QStringLiteral("%1.json").arg(variant),
                                       format == QLatin1String("litellm") ? asSpendLogPages(lines) : asOtlpBefore127(lines));
        QFile::remove(dir.file(QStringLiteral("requests.%1.jsonl").arg(format)));

        scanAndScore(dir, file, format, requests, variant);
    }
};

QTEST_GUILESS_MAIN(TestDetectLogVariants)
#include "tst_detect_logvariants.moc"
