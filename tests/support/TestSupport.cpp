#include "TestSupport.h"

#include "core/CaseDatabase.h"
#include "ingest/Importer.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <zlib.h>

namespace ds::test {

ScratchDir::ScratchDir() { m_dir.setAutoRemove(true); }

QString ScratchDir::write(const QString& name, const QByteArray& bytes) const
{
    const QString p = file(name);
    QFile f(p);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        qFatal("cannot write fixture %s", qPrintable(p));
    return p;
}

QString ScratchDir::writeGzip(const QString& name, const QByteArray& bytes) const
{
    const QString p = file(name);
    gzFile gz = gzopen(QFile::encodeName(p).constData(), "wb6");
    if (!gz || gzwrite(gz, bytes.constData(), static_cast<unsigned>(bytes.size())) != bytes.size())
        qFatal("cannot write gzip fixture %s", qPrintable(p));
    gzclose(gz);
    return p;
}

QByteArray requestJson(const QString& requestId, const QString& accountId, std::int64_t epochMs, const QString& prompt,
                       const QString& extraFields)
{
    QString prom = prompt;
    prom.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\"")).replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    QString s = QStringLiteral(R"({"request_id":"%1","timestamp":%2,"account_id":"%3","ip":"203.0.113.7",)"
                               R"("user_agent":"anthropic-python/0.39.0","model":"claude-sonnet-4-5","prompt":"%4",)"
                               R"("prompt_tokens":212,"completion_tokens":1874,"max_tokens":4096,"stop_reason":"end_turn"%5})")
                    .arg(requestId)
                    .arg(epochMs)
                    .arg(accountId, prom, extraFields.isEmpty() ? QString() : QStringLiteral(",") + extraFields);
    return s.toUtf8();
}

CliResult runCli(const QStringList& args, int timeoutMs)
{
    QProcess p;
    p.start(QStringLiteral(DS_CLI_PATH), args);
    CliResult r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

ImportSummary importInto(const QString& dbPath, const QStringList& files, const QString& mappingPath)
{
    ImportProgress progress;
    CancelToken cancel;
    return Importer::run(ImportRequest{dbPath, files, mappingPath}, progress, cancel);
}

std::int64_t queryInt(const QString& dbPath, const char* sql)
{
    SqliteDb db = CaseDatabase::openForReading(dbPath);
    return db.queryInt(sql, -1);
}

QString queryText(const QString& dbPath, const char* sql)
{
    SqliteDb db = CaseDatabase::openForReading(dbPath);
    SqliteStatement st(db, sql);
    return st.step() ? st.columnText(0) : QString();
}

QList<QByteArray> csvDataLines(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> lines = f.readAll().split('\n');
    lines.removeFirst(); // header
    lines.removeAll(QByteArray());
    return lines;
}

QString outputDir()
{
    QString dir = qEnvironmentVariable("DS_TEST_OUTPUT");
    if (dir.isEmpty())
        dir = QDir::tempPath() + QStringLiteral("/distillscope-test-output");
    QDir().mkpath(dir);
    return dir;
}


QStringList hostileStrings()
{
    return {
        QStringLiteral("acct-\u202Egpj.exe"),                                       // right-to-left override
        QStringLiteral("<html><h1>BIG</h1><img src=x onerror=alert(1)></html>"),    // Qt rich text auto-detection
        QStringLiteral("<b>bold</b><script>alert('x')</script>&amp;&lt;"),         // markup and entities
        QStringLiteral("ctl\u0001\u0007\u0008\u001b[31mred\u001b[0m\ttab\rcr\nnl\u007f\u0085"), // C0/C1 and ANSI
        QStringLiteral("%1%2%n%s%x {0} ${HOME} `id`"),                              // format specifiers
        QStringLiteral("=HYPERLINK(\"http://evil.example\",\"click\")"),            // CSV formula
        QStringLiteral("+cmd|' /C calc'!A0"),
        QStringLiteral("@SUM(1+1)*cmd|' /C calc'!A0"),
        QStringLiteral("\u2066isolate\u2069\u200B\u200D\u2028\u2029\uFEFF\u061C"), // bidi isolates, zero-width, separators
        QStringLiteral("Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358\u0359\u035A\u035B\u035C\u035D\u035E\u035F"),
        QString::fromUtf8("\xF0\x9F\x98\x80\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7"),
        QStringLiteral("back\\slash \"double\" 'single' ,comma; semi"),
        QString(4096, QLatin1Char('W')),                                           // one unbreakable word
        QStringLiteral("\u05E9\u05DC\u05D5\u05DD mixed \u0645\u0631\u062D\u0628\u0627 123"), // RTL scripts
    };
}

HostileLog hostileLog(qsizetype hugePromptBytes)
{
    HostileLog log;
    const QStringList hostile = hostileStrings();
    const std::int64_t t0 = 1714564800000; // 2024-05-01T12:00:00Z
    QByteArray jsonl;
    auto addRequest = [&](const QJsonObject& o) {
        jsonl += QJsonDocument(o).toJson(QJsonDocument::Compact);
        jsonl += '\n';
        ++log.requests;
    };
    // The campaign: one account per hostile string, the same templates in lockstep from one address.
    for (int a = 0; a < hostile.size(); ++a) {
        const QString& id = hostile[a];
        log.accountIds << id;
        for (int k = 0; k < 40; ++k) {
            addRequest(QJsonObject{
                {QStringLiteral("request_id"), QStringLiteral("hostile-%1-%2").arg(a).arg(k)},
                {QStringLiteral("timestamp"), static_cast<qint64>(t0 + k * 30000 + a * 150)},
                {QStringLiteral("account_id"), id},
                {QStringLiteral("org_id"), hostile[(a + 1) % hostile.size()]},
                {QStringLiteral("api_key_id"), hostile[(a + 2) % hostile.size()]},
                {QStringLiteral("ip"), QStringLiteral("198.51.100.23")},
                {QStringLiteral("user_agent"), hostile[(a + 3) % hostile.size()]},
                {QStringLiteral("model"), hostile[(a + 4) % hostile.size()]},
                {QStringLiteral("endpoint"), QStringLiteral("/v1/messages")},
                {QStringLiteral("system_prompt"), hostile[(a + 5) % hostile.size()]},
                {QStringLiteral("prompt"),
                 QStringLiteral("Solve the following problem step by step and explain every step in full detail. "
                                "Problem %1: %2 \u0000 nul and \u0001 soh inside a prompt.")
                     .arg(k)
                     .arg(hostile[(a + k) % hostile.size()])},
                {QStringLiteral("tools"), QJsonArray{hostile[(a + 6) % hostile.size()], QStringLiteral("search")}},
                {QStringLiteral("prompt_tokens"), 180 + k},
                {QStringLiteral("completion_tokens"), 3900},
                {QStringLiteral("max_tokens"), 4096},
                {QStringLiteral("stop_reason"), QStringLiteral("max_tokens")},
                {QStringLiteral("status"), 200},
            });
        }
    }
    // Ordinary accounts around it, so views and baselines have a population.
    for (int b = 0; b < 20; ++b) {
        const QString id = QStringLiteral("benign-%1").arg(b, 3, 10, QLatin1Char('0'));
        log.accountIds << id;
        for (int k = 0; k < 12; ++k) {
            addRequest(QJsonObject{
                {QStringLiteral("request_id"), QStringLiteral("benign-%1-%2").arg(b).arg(k)},
                {QStringLiteral("timestamp"), static_cast<qint64>(t0 + (b * 7919 + k * 104729) % 86400 * 1000)},
                {QStringLiteral("account_id"), id},
                {QStringLiteral("ip"), QStringLiteral("203.0.113.%1").arg(b + 1)},
                {QStringLiteral("user_agent"), QStringLiteral("anthropic-python/0.39.%1").arg(b % 4)},
                {QStringLiteral("model"), QStringLiteral("claude-sonnet-4-5")},
                {QStringLiteral("prompt"), QStringLiteral("Question %1 of user %2: how do I sort a list in language %3?")
                                               .arg(k)
                                               .arg(b)
                                               .arg(k * b % 9)},
                {QStringLiteral("prompt_tokens"), 40 + k},
                {QStringLiteral("completion_tokens"), 300 + 17 * k},
                {QStringLiteral("stop_reason"), QStringLiteral("end_turn")},
            });
        }
    }
    // One huge prompt: markup, bidi overrides and long lines repeated to the size asked for.
    const QString unit = QStringLiteral("<table><tr><td>\u202E%1</td></tr></table> <b>not bold</b> \u2067rtl\u2069 ")
                             .arg(QString(200, QLatin1Char('x')));
    QString huge;
    while (huge.toUtf8().size() < hugePromptBytes)
        huge += unit;
    log.hugePrompt = huge;
    log.hugePromptRequestId = QStringLiteral("hostile-huge-prompt");
    addRequest(QJsonObject{{QStringLiteral("request_id"), log.hugePromptRequestId},
                           {QStringLiteral("timestamp"), static_cast<qint64>(t0 + 3600000)},
                           {QStringLiteral("account_id"), hostile.first()},
                           {QStringLiteral("prompt"), huge}});
    // Lines that are not records: invalid UTF-8 and raw markup, kept in quarantine as they are.
    jsonl += "\xFF\xFE<script>alert('raw')</script>\x80\n";
    jsonl += "<html><body onload=alert(1)>not json</body></html>\n";
    log.quarantinedLines = 2;
    log.requestsJsonl = jsonl;

    auto csvCell = [](QString v) { return QLatin1Char('"') + v.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"'); };
    QString csv = QStringLiteral("account_id,created_at,email_domain,payment_fingerprint,billing_country,org_id,tier,verified\n");
    for (int i = 0; i < log.accountIds.size(); ++i) {
        const bool bad = i < hostile.size();
        csv += QStringList{csvCell(log.accountIds[i]), QString::number(t0 - 86400000LL * (bad ? 2 : 400 + i)),
                           csvCell(bad ? hostile[(i + 7) % hostile.size()] : QStringLiteral("example.com")),
                           csvCell(bad ? QStringLiteral("pf-shared") : QStringLiteral("pf-%1").arg(i)),
                           QStringLiteral("US"), csvCell(bad ? hostile[(i + 8) % hostile.size()] : QString()),
                           QStringLiteral("free"), bad ? QStringLiteral("false") : QStringLiteral("true")}
                   .join(QLatin1Char(','));
        csv += QLatin1Char('\n');
    }
    log.accountsCsv = csv.toUtf8();
    return log;
}

} // namespace ds::test
