// Peak memory of the import on hostile files (issue 17; label "bench", outside the default test run).
// Target: under 1 GB each, in a release build, whatever the file holds, beside a clean log's figure.
//
// Generates each file from a small generator (nothing stored), then runs `distillscope-cli import` on it in a
// child process and prints the child's peak resident memory (wait4's rusage), wall time, exit status, and what
// the case kept (records, quarantined). The files: one huge JSON line between two valid records (gzip, a few
// MB on disk), a huge quoted CSV cell, a CSV quote never closed, CR-only line ends, a gzip cut short, NUL bytes
// in many records, and a mapping file of 200 KB of dotted paths.
//
// Usage: bench_hostile [HUGE_MB]   (default 1100: the 1.1 GB line of the issue; 10000 for the 10 GB one)

#include "BenchRun.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <zlib.h>

#include <cstdio>
#include <functional>

namespace {

using ds::bench::runMeasured;

QByteArray record(int i, const char* account = nullptr)
{
    return QStringLiteral(R"({"request_id":"r%1","timestamp":%2,"account_id":"%3","prompt":"question number %1"})")
               .arg(i)
               .arg(1714564800000LL + i)
               .arg(account ? QString::fromLatin1(account) : QStringLiteral("a%1").arg(i % 50))
        .toUtf8();
}

// Writes a gzip file from a generator that calls `put` with chunks.
bool writeGzip(const QString& path, const std::function<void(const std::function<void(const QByteArray&)>&)>& generate)
{
    gzFile gz = gzopen(QFile::encodeName(path).constData(), "wb1");
    if (!gz)
        return false;
    generate([&](const QByteArray& chunk) { gzwrite(gz, chunk.constData(), static_cast<unsigned>(chunk.size())); });
    return gzclose(gz) == Z_OK;
}

bool writePlain(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

struct Case
{
    QString name;
    QString file;
    QStringList extraArgs;
};

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const long hugeMb = argc > 1 ? std::atol(argv[1]) : 1100;
    if (hugeMb <= 0) {
        std::fprintf(stderr, "usage: bench_hostile [HUGE_MB]\n");
        return 2;
    }
    QTemporaryDir dir;
    const QString cli = QStringLiteral(DS_CLI_PATH);
    const QByteArray mb(1 << 20, 'x');
    const int records = 100000;
    std::vector<Case> cases;

    auto add = [&](const QString& name, const QString& file, QStringList extra = {}) { cases.push_back({name, file, extra}); };

    {
        const QString f = dir.filePath(QStringLiteral("clean.jsonl.gz"));
        writeGzip(f, [&](const auto& put) {
            for (int i = 0; i < records; ++i)
                put(record(i) + "\n");
        });
        add(QStringLiteral("clean log, 100k records (baseline)"), f);
    }
    {
        const QString f = dir.filePath(QStringLiteral("huge-line.jsonl.gz"));
        writeGzip(f, [&](const auto& put) {
            put(record(1) + "\n{\"request_id\":\"big\",\"prompt\":\"");
            for (long i = 0; i < hugeMb; ++i)
                put(mb);
            put("\"}\n" + record(2) + "\n");
        });
        add(QStringLiteral("one %1 MB JSON line between two records").arg(hugeMb), f);
    }
    {
        const QString f = dir.filePath(QStringLiteral("huge-cell.csv.gz"));
        writeGzip(f, [&](const auto& put) {
            put("request_id,timestamp,account_id,prompt\nr1,1714564800000,a,before\nr2,1714564800001,a,\"");
            const QByteArray lines = QByteArray("a line of a long quoted cell\n").repeated(36000);
            for (long i = 0; i < hugeMb; ++i)
                put(lines);
            put("\"\nr3,1714564800002,a,after\n");
        });
        add(QStringLiteral("CSV quoted cell of %1 MB").arg(hugeMb), f);
    }
    {
        const QString f = dir.filePath(QStringLiteral("unclosed.csv.gz"));
        writeGzip(f, [&](const auto& put) {
            put("request_id,timestamp,account_id,prompt\nr0,1714564800000,a,\"never closed\n");
            for (int i = 1; i < records; ++i)
                put(QStringLiteral("r%1,%2,a%3,prompt %1\n").arg(i).arg(1714564800000LL + i).arg(i % 50).toUtf8());
        });
        add(QStringLiteral("CSV quote never closed, then 100k rows"), f);
    }
    {
        QByteArray bytes;
        for (int i = 0; i < records; ++i)
            bytes += record(i) + "\r";
        const QString f = dir.filePath(QStringLiteral("cr-only.jsonl"));
        writePlain(f, bytes);
        add(QStringLiteral("CR-only line ends, 100k records"), f);
    }
    {
        const QString whole = dir.filePath(QStringLiteral("whole.jsonl.gz"));
        writeGzip(whole, [&](const auto& put) {
            for (int i = 0; i < records; ++i)
                put(record(i) + "\n");
        });
        QFile in(whole);
        in.open(QIODevice::ReadOnly);
        const QByteArray bytes = in.readAll();
        const QString f = dir.filePath(QStringLiteral("cut.jsonl.gz"));
        writePlain(f, bytes.left(bytes.size() * 6 / 10));
        add(QStringLiteral("gzip cut at 60 %"), f);
    }
    {
        QByteArray bytes;
        for (int i = 0; i < records; ++i)
            bytes += (i % 10 == 0 ? QByteArray("{\"request_id\":\"n\0l\"}", 20) : record(i)) + "\n";
        const QString f = dir.filePath(QStringLiteral("nul.jsonl"));
        writePlain(f, bytes);
        add(QStringLiteral("NUL in every tenth record"), f);
    }
    {
        QString path;
        for (int i = 0; i < 100000; ++i)
            path += i ? QStringLiteral(".a") : QStringLiteral("a");
        const QString map = dir.filePath(QStringLiteral("map.json"));
        writePlain(map, QJsonDocument(QJsonObject{{QStringLiteral("fields"),
                                                   QJsonObject{{QStringLiteral("request_id"), path},
                                                               {QStringLiteral("account_id"), path}}}})
                            .toJson());
        add(QStringLiteral("mapping file of 200 KB dotted paths"), dir.filePath(QStringLiteral("clean.jsonl.gz")),
            {QStringLiteral("--mapping"), map});
    }

    std::printf("%-44s %10s %10s %8s %6s %9s %11s\n", "file", "on disk", "peak RSS", "wall s", "exit", "records",
                "quarantined");
    long worst = 0, baseline = 0;
    for (const Case& c : cases) {
        const QString db = dir.filePath(QFileInfo(c.file).completeBaseName() + QStringLiteral("-%1.sqlite").arg(&c - cases.data()));
        const QString json = db + QStringLiteral(".json");
        QStringList args{cli, QStringLiteral("import"), QStringLiteral("--db"), db, QStringLiteral("--json")};
        args << c.extraArgs << c.file;
        // The summary goes to stdout, which runMeasured discards: ask a second, cheap run for the counts.
        const ds::bench::RunResult r = runMeasured(args);
        QProcess counts;
        counts.start(QStringLiteral("sqlite3"), {db, QStringLiteral("SELECT (SELECT count(*) FROM request) || ' ' || (SELECT count(*) FROM quarantine)")});
        counts.waitForFinished(60000);
        const QStringList kept = QString::fromUtf8(counts.readAllStandardOutput()).trimmed().split(QLatin1Char(' '));
        std::printf("%-44s %7.1f MB %7.1f MB %8.2f %6d %9s %11s\n", qPrintable(c.name),
                    static_cast<double>(QFileInfo(c.file).size()) / 1e6, static_cast<double>(r.maxRssKb) / 1024.0,
                    r.seconds, r.status, qPrintable(kept.value(0, QStringLiteral("-"))),
                    qPrintable(kept.value(1, QStringLiteral("-"))));
        if (&c == cases.data())
            baseline = r.maxRssKb;
        worst = std::max(worst, r.maxRssKb);
    }
    std::printf("\nworst peak %.1f MB (%.1fx the clean log's %.1f MB); target under 1024 MB: %s\n",
                static_cast<double>(worst) / 1024.0, baseline ? static_cast<double>(worst) / static_cast<double>(baseline) : 0.0,
                static_cast<double>(baseline) / 1024.0, worst < 1024L * 1024L ? "met" : "NOT met");
    return worst < 1024L * 1024L ? 0 : 1;
}
