#include "HostileRuns.h"

#include "TestSupport.h"

#include "case/CaseFindings.h"
#include "case/CaseTables.h"
#include "core/CaseDatabase.h"
#include "core/Sqlite.h"
#include "ingest/ImportTypes.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringEncoder>

#include <zlib.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

namespace ds::test {

namespace {

constexpr std::int64_t kT0 = 1714564800000; // 2024-05-01T12:00:00Z

QByteArray record(int i, const QString& extra = {})
{
    return requestJson(QStringLiteral("r%1").arg(i), QStringLiteral("a%1").arg(i % 50), kT0 + i * 1000LL,
                       QStringLiteral("question number %1").arg(i), extra);
}

QByteArray records(int from, int to)
{
    QByteArray out;
    for (int i = from; i < to; ++i)
        out += record(i) + '\n';
    return out;
}

using Put = std::function<void(const QByteArray&)>;

void writeGzip(const QString& path, const std::function<void(const Put&)>& generate)
{
    gzFile gz = gzopen(QFile::encodeName(path).constData(), "wb1");
    if (!gz)
        qFatal("cannot write %s", qPrintable(path));
    generate([&](const QByteArray& chunk) { gzwrite(gz, chunk.constData(), static_cast<unsigned>(chunk.size())); });
    if (gzclose(gz) != Z_OK)
        qFatal("cannot write %s", qPrintable(path));
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
}

QString oneLineError(const HostileOutcome& o)
{
    const QByteArray err = o.err.trimmed();
    return err.contains('\n') ? QStringLiteral("stderr has more than one line: ") + QString::fromUtf8(err) : QString();
}

// Checks of `import --json`: the exit status and file 0's counts (-1: not checked).
class ImportExpect
{
public:
    ImportExpect& exitCode(int v) { m_exitCode = v; return *this; }
    ImportExpect& outcome(const QString& v) { m_outcome = v; return *this; }
    ImportExpect& records(qint64 v) { m_records = v; return *this; }
    ImportExpect& quarantined(qint64 v) { m_quarantined = v; return *this; }
    ImportExpect& conflicts(qint64 v) { m_conflicts = v; return *this; }
    ImportExpect& kind(const QString& v) { m_kind = v; return *this; }
    ImportExpect& message(const QString& v) { m_message = v; return *this; }

    int m_exitCode = 0;
    QString m_outcome = QStringLiteral("imported");
    qint64 m_records = -1, m_quarantined = -1, m_conflicts = -1;
    QString m_kind;
    QString m_message; // contained in file 0's message
};

QString checkImport(const HostileOutcome& o, const ImportExpect& e)
{
    if (o.exitCode != e.m_exitCode)
        return QStringLiteral("exit %1 instead of %2; stderr: %3").arg(o.exitCode).arg(e.m_exitCode).arg(QString::fromUtf8(o.err.left(300)));
    const QJsonObject root = QJsonDocument::fromJson(o.out).object();
    const QJsonObject f = root.value(QStringLiteral("files")).toArray().at(0).toObject();
    if (f.isEmpty())
        return QStringLiteral("no JSON summary: ") + QString::fromUtf8(o.out.left(300));
    auto count = [&](const char* key, qint64 want) {
        const qint64 got = f.value(QLatin1String(key)).toInteger();
        return want < 0 || got == want ? QString() : QStringLiteral("%1 %2 instead of %3").arg(QLatin1String(key)).arg(got).arg(want);
    };
    for (const QString& why : {count("records", e.m_records), count("quarantined", e.m_quarantined), count("conflicts", e.m_conflicts)})
        if (!why.isEmpty())
            return why;
    if (f.value(QStringLiteral("outcome")).toString() != e.m_outcome)
        return QStringLiteral("outcome %1: %2").arg(f.value(QStringLiteral("outcome")).toString(), f.value(QStringLiteral("message")).toString());
    if (!e.m_kind.isEmpty() && f.value(QStringLiteral("kind")).toString() != e.m_kind)
        return QStringLiteral("read as %1").arg(f.value(QStringLiteral("kind")).toString());
    const QString message = f.value(QStringLiteral("message")).toString();
    if (!e.m_message.isEmpty() && !message.contains(e.m_message))
        return QStringLiteral("message without \"%1\": %2").arg(e.m_message, message);
    if (message.contains(QLatin1Char('\n')))
        return QStringLiteral("message of more than one line: ") + message;
    return oneLineError(o);
}

QStringList importArgs(const QString& db, const HostileScale& scale, const QStringList& files)
{
    QStringList args{QStringLiteral("import"), QStringLiteral("--db"), db, QStringLiteral("--json")};
    if (!scale.recordLimit.isEmpty())
        args << QStringLiteral("--max-record-size") << scale.recordLimit;
    return args + files;
}

void importOrDie(const QString& db, const QStringList& files)
{
    if (!importInto(db, files).anyImported())
        qFatal("cannot build the case %s", qPrintable(db));
}

} // namespace

QList<HostileRun> hostileRuns(const QString& dirPath, const HostileScale& scale)
{
    const QDir dir(dirPath);
    const int n = scale.records;
    QList<HostileRun> runs;
    auto path = [&](const char* name) { return dir.filePath(QString::fromLatin1(name)); };
    auto db = [&](const char* name) { return dir.filePath(QString::fromLatin1(name) + QStringLiteral(".sqlite")); };
    auto add = [&](int item, const QString& name, const QString& input, const QStringList& args,
                   std::function<QString(const HostileOutcome&)> check) {
        HostileRun r;
        r.item = item;
        r.name = name;
        r.input = input;
        r.args = args;
        r.check = std::move(check);
        runs.push_back(r);
        return &runs.back();
    };
    const QByteArray mb(1 << 20, 'x');

    // 1. One huge line between two records, and one huge quoted CSV cell, each in a small gzip.
    {
        const QString f = path("huge-line.jsonl.gz");
        writeGzip(f, [&](const Put& put) {
            put(record(1) + "\n{\"request_id\":\"big\",\"prompt\":\"");
            for (long i = 0; i < scale.hugeMb; ++i)
                put(mb);
            put("\"}\n" + record(2) + "\n");
        });
        add(1, QStringLiteral("one %1 MB JSON line between two records (gzip)").arg(scale.hugeMb), f,
            importArgs(db("huge-line"), scale, {f}),
            [](const HostileOutcome& o) { return checkImport(o, ImportExpect().records(2).quarantined(1)); });
    }
    {
        const QString f = path("huge-cell.csv.gz");
        writeGzip(f, [&](const Put& put) {
            put("request_id,timestamp,account_id,prompt\nr1,1714564800000,a,before\nr2,1714564800001,a,\"");
            const QByteArray lines = QByteArray("a line of a long quoted cell\n").repeated(36000);
            for (long i = 0; i < scale.hugeMb; ++i)
                put(lines);
            put("\"\nr3,1714564800002,a,after\n");
        });
        add(1, QStringLiteral("CSV quoted cell of %1 MB (gzip)").arg(scale.hugeMb), f, importArgs(db("huge-cell"), scale, {f}),
            [](const HostileOutcome& o) {
                const QString why = checkImport(o, ImportExpect().records(2));
                const qint64 q = QJsonDocument::fromJson(o.out).object().value(QStringLiteral("quarantined")).toInteger();
                return !why.isEmpty() ? why : q >= 1 && q <= 3 ? QString() : QStringLiteral("%1 quarantine entries for one cell").arg(q);
            });
    }
    // 2. A case with a planted trigger: refused by detect before anything runs.
    {
        const QString c = db("planted-trigger");
        HostileRun* r = add(2, QStringLiteral("case with a planted trigger, detect"), c,
                            {QStringLiteral("detect"), QStringLiteral("--db"), c}, [](const HostileOutcome& o) {
                                if (o.exitCode != 1 || !o.err.contains("flip") || !o.err.contains("repair"))
                                    return QStringLiteral("exit %1: %2").arg(o.exitCode).arg(QString::fromUtf8(o.err.left(300)));
                                return oneLineError(o);
                            });
        const QString log = path("small.jsonl");
        writeFile(log, records(0, 200));
        r->prepare = [c, log] {
            importOrDie(c, {log});
            SqliteDb conn(c, SqliteDb::Mode::ReadWrite);
            conn.exec("CREATE TRIGGER flip AFTER INSERT ON source_file BEGIN DELETE FROM request; END;");
        };
    }
    // 3. A requests log whose id is named requestId; an accounts file whose first record exceeds the sniff's sample.
    {
        QByteArray bytes;
        for (int i = 0; i < n; ++i)
            bytes += QStringLiteral(R"({"requestId":"r%1","account_id":"a%2","timestamp":%3,"prompt":"hi"})" "\n")
                         .arg(i)
                         .arg(i % 50)
                         .arg(kT0 + i)
                         .toUtf8();
        const QString f = path("request-id-renamed.jsonl");
        writeFile(f, bytes);
        add(3, QStringLiteral("requests log with requestId"), f, importArgs(db("renamed"), scale, {f}), [](const HostileOutcome& o) {
            return checkImport(o, ImportExpect().exitCode(1).outcome(QStringLiteral("refused")).message(QStringLiteral("no request_id")));
        });
    }
    {
        QByteArray bytes = R"({"account_id":"a0","tier":"pro","created_at":"2024-01-02T03:04:05Z","notes":")" + QByteArray(300 << 10, 'n')
                           + "\"}\n";
        for (int i = 1; i < n; ++i)
            bytes += QStringLiteral(R"({"account_id":"a%1","tier":"free","created_at":"2024-01-02T03:04:05Z"})" "\n").arg(i).toUtf8();
        const QString f = path("accounts-long-first.jsonl");
        writeFile(f, bytes);
        add(3, QStringLiteral("accounts file, first line of 300 KiB"), f, importArgs(db("accounts-long"), scale, {f}),
            [n](const HostileOutcome& o) {
                return checkImport(o, ImportExpect().records(n).quarantined(0).kind(QStringLiteral("accounts")));
            });
    }
    {
        // Every name that tells an accounts record after the first 256 KiB: as a file, and through a FIFO (read once).
        QByteArray bytes = R"({"notes":")" + QByteArray(300 << 10, 'n') + R"(","account_id":"a0","tier":"pro"})" "\n";
        for (int i = 1; i < n; ++i)
            bytes += QStringLiteral(R"({"account_id":"a%1","tier":"free","created_at":"2024-01-02T03:04:05Z"})" "\n").arg(i).toUtf8();
        const QString f = path("accounts-names-late.jsonl");
        writeFile(f, bytes);
        auto accounts = [n](const HostileOutcome& o) {
            return checkImport(o, ImportExpect().records(n).quarantined(0).kind(QStringLiteral("accounts")));
        };
        add(3, QStringLiteral("accounts file, its names after 300 KiB"), f, importArgs(db("accounts-late"), scale, {f}), accounts);
        const QString fifo = path("accounts-late.fifo");
        QFile::remove(fifo);
        if (::mkfifo(QFile::encodeName(fifo).constData(), 0600) != 0)
            qFatal("mkfifo failed");
        add(3, QStringLiteral("accounts FIFO, its names after 300 KiB"), fifo, importArgs(db("accounts-late-fifo"), scale, {fifo}), accounts)
            ->fifoBytes = bytes;
    }
    // 4. Formulas and escapes as account ids, exported for enforcement after their networks are confirmed.
    {
        const QString c = db("formula-ids");
        const QString csv = path("confirmed.csv"), rids = path("request-ids.csv");
        const QString log = path("hostile.jsonl");
        writeFile(log, hostileLog(1 << 16).requestsJsonl);
        HostileRun* r = add(4, QStringLiteral("formula and escape account ids, export CSVs"), c,
                            {QStringLiteral("export"), QStringLiteral("--db"), c, QStringLiteral("--confirmed-csv"), csv,
                             QStringLiteral("--request-ids"), rids},
                            [csv, rids](const HostileOutcome& o) {
                                if (o.exitCode != 0)
                                    return QStringLiteral("exit %1: %2").arg(o.exitCode).arg(QString::fromUtf8(o.err.left(300)));
                                for (const QString& p : {csv, rids}) {
                                    QFile f(p);
                                    const QByteArray b = f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
                                    if (!b.contains("'=HYPERLINK(") || !b.contains("'+cmd|") || !b.contains("'@SUM("))
                                        return QStringLiteral("%1 lacks the neutralised formulas").arg(p);
                                    for (const QByteArray& bad : {QByteArray(",=HYPERLINK("), QByteArray(",+cmd"), QByteArray(",@SUM"),
                                                                  QByteArray("\n=HYPERLINK("), QByteArray("\"=HYPERLINK("),
                                                                  QByteArray("\x1b"), QByteArray(1, '\0')})
                                        if (b.contains(bad))
                                            return QStringLiteral("%1 holds a live formula or raw control byte").arg(p);
                                }
                                return QString();
                            });
        // Built once, by whichever of the two runs comes first.
        const auto build = [c, log] {
            if (QFile::exists(c))
                return;
            importOrDie(c, {log});
            if (runCli({QStringLiteral("detect"), QStringLiteral("--db"), c}).exitCode != 0)
                qFatal("detection of %s failed", qPrintable(c));
            SqliteDb conn = CaseDatabase::openForWriting(c);
            ensureCaseTables(conn);
            if (confirmFlaggedNetworks(conn, QStringLiteral("hostile runs")) < 1)
                qFatal("nothing flagged in %s", qPrintable(c));
        };
        r->prepare = build;
        // The request-id CSV beside the report.
        const QString pdf = path("report.pdf"), besideReport = path("report-request-ids.csv");
        r = add(4, QStringLiteral("formula and escape account ids, report CSV"), c,
                {QStringLiteral("report"), QStringLiteral("--db"), c, QStringLiteral("--out"), pdf, QStringLiteral("--request-ids"),
                 besideReport},
                [besideReport](const HostileOutcome& o) {
                    if (o.exitCode != 0)
                        return QStringLiteral("exit %1: %2").arg(o.exitCode).arg(QString::fromUtf8(o.err.left(300)));
                    QFile f(besideReport);
                    const QByteArray b = f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
                    if (!b.contains("'=HYPERLINK(") || !b.contains("'@SUM("))
                        return QStringLiteral("the report's CSV lacks the neutralised formulas");
                    for (const QByteArray& bad : {QByteArray(",=HYPERLINK("), QByteArray(",@SUM"), QByteArray("\"=HYPERLINK("),
                                                  QByteArray("\x1b"), QByteArray(1, '\0')})
                        if (b.contains(bad))
                            return QStringLiteral("the report's CSV holds a live formula or raw control byte");
                    return QString();
                });
        r->prepare = build;
    }
    // 5. Repeated request ids: a tenth again with other content, a tenth again unchanged.
    {
        QByteArray bytes = records(0, n);
        for (int i = 0; i < n / 10; ++i)
            bytes += requestJson(QStringLiteral("r%1").arg(i), QStringLiteral("other-%1").arg(i), kT0 + i * 1000LL,
                                 QStringLiteral("question number %1").arg(i))
                     + '\n' + record(n / 10 + i) + '\n';
        const QString f = path("conflicts.jsonl");
        writeFile(f, bytes);
        const QString c = db("conflicts");
        add(5, QStringLiteral("a tenth of the ids again with other content"), f, importArgs(c, scale, {f}),
            [n](const HostileOutcome& o) {
                return checkImport(o, ImportExpect().records(n + n / 5).quarantined(0).conflicts(n / 10));
            });
        // The evidence report counts them beside the source (needs pdftotext, as the report's own tests).
        const QString pdf = path("conflicts.pdf");
        HostileRun* r = add(5, QStringLiteral("report of a case with conflicting copies"), c,
                            {QStringLiteral("report"), QStringLiteral("--db"), c, QStringLiteral("--out"), pdf}, [pdf](const HostileOutcome& o) {
                                if (o.exitCode != 0)
                                    return QStringLiteral("exit %1: %2").arg(o.exitCode).arg(QString::fromUtf8(o.err.left(300)));
                                QProcess text;
                                text.start(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
                                text.waitForFinished(60000);
                                const QString words = QString::fromUtf8(text.readAllStandardOutput()).simplified();
                                return words.contains(QLatin1String("Conflicting copies"))
                                               && words.contains(QLatin1String("request ids read before with other content"))
                                           ? QString()
                                           : QStringLiteral("the report does not count the conflicting copies");
                            });
        r->prepare = [c, f] {
            if (!QFile::exists(c))
                importOrDie(c, {f});
        };
    }
    // 6. A mapping file of 200 KB of dotted paths.
    {
        QString dotted;
        for (int i = 0; i < 100000; ++i)
            dotted += i ? QStringLiteral(".a") : QStringLiteral("a");
        const QString map = path("dotted-map.json");
        writeFile(map, QJsonDocument(QJsonObject{{QStringLiteral("fields"), QJsonObject{{QStringLiteral("request_id"), dotted},
                                                                                        {QStringLiteral("account_id"), dotted}}}})
                           .toJson());
        const QString log = path("small-for-map.jsonl");
        writeFile(log, records(0, 100));
        add(6, QStringLiteral("mapping file of 200 KB dotted paths"), map,
            importArgs(db("dotted-map"), scale, {QStringLiteral("--mapping"), map, log}), [](const HostileOutcome& o) {
                if (o.exitCode != 1 && o.exitCode != 2)
                    return QStringLiteral("exit %1: %2").arg(o.exitCode).arg(QString::fromUtf8(o.err.left(300)));
                if (!o.err.contains("longer than"))
                    return QStringLiteral("no refusal naming the path's length: ") + QString::fromUtf8(o.err.left(300));
                return oneLineError(o);
            });
    }
    // 7. A FIFO as the log.
    {
        const QString fifo = path("fifo.jsonl");
        QFile::remove(fifo);
        if (::mkfifo(QFile::encodeName(fifo).constData(), 0600) != 0)
            qFatal("mkfifo failed");
        HostileRun* r = add(7, QStringLiteral("a FIFO as the log"), fifo, importArgs(db("fifo"), scale, {fifo}),
                            [n](const HostileOutcome& o) { return checkImport(o, ImportExpect().records(n).quarantined(0)); });
        r->fifoBytes = records(0, n);
    }
    // 8. CR-only line ends, and CR, LF and CRLF mixed.
    {
        QByteArray cr, mixed;
        for (int i = 0; i < n; ++i) {
            cr += record(i) + '\r';
            mixed += record(i) + (i % 3 == 0 ? "\r" : i % 3 == 1 ? "\n" : "\r\n");
        }
        const QString f = path("cr-only.jsonl"), m = path("mixed-endings.jsonl");
        writeFile(f, cr);
        writeFile(m, mixed);
        add(8, QStringLiteral("CR-only line ends"), f, importArgs(db("cr-only"), scale, {f}),
            [n](const HostileOutcome& o) { return checkImport(o, ImportExpect().records(n).quarantined(0)); });
        add(8, QStringLiteral("CR, LF and CRLF mixed"), m, importArgs(db("mixed-endings"), scale, {m}),
            [n](const HostileOutcome& o) { return checkImport(o, ImportExpect().records(n).quarantined(0)); });
    }
    // 9. A CSV quote never closed, then every other row.
    {
        QByteArray csv = "request_id,timestamp,account_id,prompt\nr0,1714564800000,a,\"never closed\n";
        for (int i = 1; i < n; ++i)
            csv += QStringLiteral("r%1,%2,a%3,prompt %1\n").arg(i).arg(kT0 + i).arg(i % 50).toUtf8();
        const QString f = path("unclosed.csv");
        writeFile(f, csv);
        add(9, QStringLiteral("CSV quote never closed, then the rows"), f, importArgs(db("unclosed"), scale, {f}),
            [n](const HostileOutcome& o) { return checkImport(o, ImportExpect().records(n - 1).quarantined(1)); });
    }
    // 10. NUL in the first line and in every tenth; UTF-16 with and without its byte-order mark.
    {
        QByteArray bytes;
        for (int i = 0; i < n; ++i)
            bytes += (i % 10 == 0 ? QByteArray("{\"request_id\":\"n\0l\"}", 20) : record(i)) + '\n';
        const QString f = path("nul.jsonl");
        writeFile(f, bytes);
        add(10, QStringLiteral("NUL in the first and every tenth record"), f, importArgs(db("nul"), scale, {f}),
            [n](const HostileOutcome& o) { return checkImport(o, ImportExpect().records(n - n / 10).quarantined(n / 10)); });
        QStringEncoder withBom(QStringEncoder::Utf16LE, QStringEncoder::Flag::WriteBom);
        QStringEncoder withoutBom(QStringEncoder::Utf16LE);
        const QString text = QString::fromUtf8(records(0, n));
        const QString u16 = path("utf16-bom.jsonl"), bare = path("utf16-bare.jsonl");
        writeFile(u16, withBom.encode(text));
        writeFile(bare, withoutBom.encode(text));
        add(10, QStringLiteral("UTF-16LE with a byte-order mark"), u16, importArgs(db("utf16"), scale, {u16}),
            [n](const HostileOutcome& o) { return checkImport(o, ImportExpect().records(n).quarantined(0)); });
        add(10, QStringLiteral("UTF-16LE without its mark"), bare, importArgs(db("utf16-bare"), scale, {bare}), [](const HostileOutcome& o) {
            return checkImport(o, ImportExpect().exitCode(1).outcome(QStringLiteral("refused")).message(QStringLiteral("UTF-16")));
        });
    }
    // 11. The 64-bit minimum and booleans in count fields.
    {
        QByteArray bytes;
        for (int i = 0; i < n; ++i)
            bytes += record(i).replace("\"prompt_tokens\":212", "\"prompt_tokens\":-9223372036854775808")
                         .replace("\"completion_tokens\":1874", "\"completion_tokens\":true")
                     + '\n';
        const QString f = path("count-edges.jsonl"), c = db("count-edges");
        writeFile(f, bytes);
        add(11, QStringLiteral("INT64_MIN and booleans as counts"), f, importArgs(c, scale, {f}), [n, c](const HostileOutcome& o) {
            const QString why = checkImport(o, ImportExpect().records(n).quarantined(0));
            if (!why.isEmpty())
                return why;
            const QString extra = queryText(c, "SELECT ds_text(extra) FROM request_text ORDER BY id LIMIT 1");
            return extra == QLatin1String(R"({"prompt_tokens":-9223372036854775808,"completion_tokens":true})")
                       ? QString()
                       : QStringLiteral("extra holds %1").arg(extra);
        });
    }
    // 12. A gzip cut at 60 %, and one followed by bytes that are not gzip.
    {
        const QString whole = path("whole.jsonl.gz");
        writeGzip(whole, [&](const Put& put) { put(records(0, n)); });
        QFile in(whole);
        if (!in.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", qPrintable(whole));
        const QByteArray gz = in.readAll();
        const QString cut = path("cut.jsonl.gz"), trailing = path("trailing.jsonl.gz");
        writeFile(cut, gz.left(gz.size() * 6 / 10));
        writeFile(trailing, gz + "this is not gzip\n");
        const QString noTrailer = path("no-trailer.jsonl.gz");
        writeFile(noTrailer, gz.left(gz.size() - 8)); // the CRC and length gzip ends with
        add(12, QStringLiteral("gzip cut at 60 %"), cut, importArgs(db("cut"), scale, {cut}), [n](const HostileOutcome& o) {
            const QString why = checkImport(o, ImportExpect().message(QStringLiteral("partly read")));
            const QJsonObject root = QJsonDocument::fromJson(o.out).object();
            const qint64 kept = root.value(QStringLiteral("requests")).toInteger();
            const qint64 lost = root.value(QStringLiteral("quarantined")).toInteger(); // the cut record, the rest
            return !why.isEmpty()                                  ? why
                   : kept > n / 2 && kept < n * 7 / 10 && lost >= 1 && lost <= 2 ? QString()
                                                                   : QStringLiteral("%1 records kept, %2 quarantined").arg(kept).arg(lost);
        });
        add(12, QStringLiteral("gzip without its trailer"), noTrailer, importArgs(db("no-trailer"), scale, {noTrailer}),
            [n](const HostileOutcome& o) { return checkImport(o, ImportExpect().records(n)); });
        add(12, QStringLiteral("gzip with trailing garbage"), trailing, importArgs(db("trailing"), scale, {trailing}),
            [n](const HostileOutcome& o) { return checkImport(o, ImportExpect().records(n)); });
    }
    // 13. Messages: every file refused by a case that holds requests; a file name with an escape sequence; a
    // database error (a column missing from the case); a usage error.
    {
        const QString c = db("refused-into-case");
        const QString log = path("small-13.jsonl");
        writeFile(log, records(0, 300));
        const QString empty = dir.filePath(QStringLiteral("empty\x1b[31m.jsonl"));
        writeFile(empty, {});
        HostileRun* r = add(13, QStringLiteral("every file refused, escape in its name"), empty,
                            {QStringLiteral("import"), QStringLiteral("--db"), c, empty}, [](const HostileOutcome& o) {
                                if (o.exitCode != 1)
                                    return QStringLiteral("exit %1").arg(o.exitCode);
                                if (!o.out.contains("case: 300 requests"))
                                    return QStringLiteral("no case totals: ") + QString::fromUtf8(o.out);
                                if (o.out.contains('\x1b') || o.err.contains('\x1b'))
                                    return QStringLiteral("the escape sequence reached the terminal");
                                return QString();
                            });
        r->prepare = [c, log] { importOrDie(c, {log}); };
        const QString broken = db("column-missing");
        const QString more = path("more-13.jsonl");
        writeFile(more, records(300, 400));
        r = add(13, QStringLiteral("database error from a case missing a column"), broken, importArgs(broken, scale, {more}),
                [](const HostileOutcome& o) {
                    return checkImport(o, ImportExpect().exitCode(1).outcome(QStringLiteral("failed")).records(0).message(QStringLiteral("no column named status")));
                });
        r->prepare = [broken, log] {
            importOrDie(broken, {log});
            SqliteDb conn(broken, SqliteDb::Mode::ReadWrite);
            conn.exec("ALTER TABLE request DROP COLUMN status");
        };
        add(13, QStringLiteral("usage error"), log, {QStringLiteral("detect"), QStringLiteral("--no-such-option")},
            [](const HostileOutcome& o) {
                // Exit 2 as the help promises; the usage may follow the sentence naming the option.
                if (o.exitCode != 2 || !o.err.left(o.err.indexOf('\n')).contains("no-such-option"))
                    return QStringLiteral("exit %1: %2").arg(o.exitCode).arg(QString::fromUtf8(o.err.left(300)));
                // And so every other command, and a command that does not exist.
                for (const char* command : {"import", "scan", "report", "export", "simulate", "eval", "repair", "indicators"})
                    if (const int rc = runCli({QString::fromLatin1(command), QStringLiteral("--no-such-option")}).exitCode; rc != 2)
                        return QStringLiteral("%1 --no-such-option exits %2").arg(QLatin1String(command)).arg(rc);
                if (const int rc = runCli({QStringLiteral("no-such-command")}).exitCode; rc != 2)
                    return QStringLiteral("an unknown command exits %1").arg(rc);
                return QString();
            });
    }
    // 14. Lenient parsing: a key twice, an id of spaces, a second :60 outside a leap second; a CSV column named twice.
    {
        QByteArray bytes;
        for (int i = 0; i < n; ++i) {
            QByteArray line = record(i);
            if (i % 10 == 1)
                line.replace("\"account_id\":", "\"account_id\":\"twice\",\"account_id\":");
            else if (i % 10 == 2)
                line.replace(QStringLiteral("\"r%1\"").arg(i).toUtf8(), "\"   \"");
            else if (i % 10 == 3)
                line.replace(QByteArray::number(kT0 + i * 1000LL), "\"2026-02-01T12:30:60Z\"");
            bytes += line + '\n';
        }
        const QString f = path("lenient.jsonl");
        writeFile(f, bytes);
        add(14, QStringLiteral("keys twice, blank ids, second :60"), f, importArgs(db("lenient"), scale, {f}), [n](const HostileOutcome& o) {
            return checkImport(o, ImportExpect().records(n - 3 * (n / 10)).quarantined(3 * (n / 10)));
        });
        const QString csv = path("header-twice.csv");
        writeFile(csv, "request_id,account_id,timestamp,account_id\nr1,a,1714564800000,b\n");
        add(14, QStringLiteral("CSV header naming a column twice"), csv, importArgs(db("header-twice"), scale, {csv}),
            [](const HostileOutcome& o) {
                return checkImport(o, ImportExpect().exitCode(1).outcome(QStringLiteral("refused")).message(QStringLiteral("twice")));
            });
    }
    return runs;
}

namespace {

bool writeAll(int fd, const void* data, std::size_t size)
{
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd, p, size);
        if (n <= 0)
            return false;
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

bool readAll(int fd, void* data, std::size_t size)
{
    char* p = static_cast<char*>(data);
    while (size > 0) {
        const ssize_t n = ::read(fd, p, size);
        if (n <= 0)
            return false;
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

struct SpawnReply
{
    int exitCode;
    long maxRssKb;
};

// The spawner's loop: a request is a count of strings (argv..., stdout path, stderr path), each length-prefixed.
[[noreturn]] void serve(int in, int out)
{
    for (;;) {
        std::uint32_t count = 0;
        if (!readAll(in, &count, sizeof count) || count < 3 || count > 4096)
            _exit(0);
        std::vector<std::string> strings(count);
        for (std::string& s : strings) {
            std::uint32_t len = 0;
            if (!readAll(in, &len, sizeof len) || len > (1u << 24))
                _exit(0);
            s.resize(len);
            if (len && !readAll(in, s.data(), len))
                _exit(0);
        }
        const pid_t pid = fork();
        if (pid == 0) {
            const int o = ::open(strings[count - 2].c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            const int e = ::open(strings[count - 1].c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
                _exit(127);
            std::vector<char*> argv;
            for (std::uint32_t i = 0; i + 2 < count; ++i)
                argv.push_back(strings[i].data());
            argv.push_back(nullptr);
            execv(argv[0], argv.data());
            _exit(127);
        }
        int status = 0;
        rusage usage{};
        SpawnReply reply{-1, 0};
        if (pid > 0 && wait4(pid, &status, 0, &usage) == pid) {
            reply.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            reply.maxRssKb = usage.ru_maxrss;
        }
        if (!writeAll(out, &reply, sizeof reply))
            _exit(0);
    }
}

} // namespace

MeasuredSpawner::MeasuredSpawner()
{
    int down[2], up[2];
    if (pipe(down) != 0 || pipe(up) != 0)
        qFatal("pipe failed");
    const pid_t pid = fork();
    if (pid == 0) {
        ::close(down[1]);
        ::close(up[0]);
        serve(down[0], up[1]);
    }
    ::close(down[0]);
    ::close(up[1]);
    m_toSpawner = down[1];
    m_fromSpawner = up[0];
    m_pid = pid;
}

MeasuredSpawner::~MeasuredSpawner()
{
    ::close(m_toSpawner); // the spawner reads end of file and exits
    ::close(m_fromSpawner);
    if (m_pid > 0)
        waitpid(m_pid, nullptr, 0);
}

bool MeasuredSpawner::run(const QStringList& argv, const QString& outPath, const QString& errPath, int* exitCode, long* maxRssKb)
{
    QList<QByteArray> strings;
    for (const QString& a : argv)
        strings << a.toUtf8();
    strings << QFile::encodeName(outPath) << QFile::encodeName(errPath);
    const auto count = static_cast<std::uint32_t>(strings.size());
    bool ok = writeAll(m_toSpawner, &count, sizeof count);
    for (const QByteArray& s : strings) {
        const auto len = static_cast<std::uint32_t>(s.size());
        ok = ok && writeAll(m_toSpawner, &len, sizeof len) && writeAll(m_toSpawner, s.constData(), s.size());
    }
    SpawnReply reply{-1, 0};
    ok = ok && readAll(m_fromSpawner, &reply, sizeof reply);
    *exitCode = reply.exitCode;
    *maxRssKb = reply.maxRssKb;
    return ok;
}

HostileOutcome runHostile(const HostileRun& run, const QString& cli, const QString& dir, MeasuredSpawner& spawner)
{
    if (run.prepare)
        run.prepare();
    const QString outPath = QDir(dir).filePath(QStringLiteral("run.out"));
    const QString errPath = QDir(dir).filePath(QStringLiteral("run.err"));
    std::thread feeder;
    if (!run.fifoBytes.isEmpty())
        feeder = std::thread([&] {
            QFile f(run.input);
            if (f.open(QIODevice::WriteOnly))
                f.write(run.fifoBytes);
        });
    QElapsedTimer timer;
    timer.start();
    HostileOutcome o;
    if (!spawner.run(QStringList{cli} + run.args, outPath, errPath, &o.exitCode, &o.maxRssKb))
        o.exitCode = -1;
    if (feeder.joinable())
        feeder.join();
    o.seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    QFile out(outPath), err(errPath);
    if (out.open(QIODevice::ReadOnly))
        o.out = out.readAll();
    if (err.open(QIODevice::ReadOnly))
        o.err = err.readAll();
    return o;
}

} // namespace ds::test
