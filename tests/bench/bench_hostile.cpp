// Peak memory on issue 17's hostile inputs (label "bench", outside the default test run). Target: under 1 GB each,
// in a release build, whatever the input holds, beside a clean log's figure.
//
// The inputs are tests/support/HostileRuns' (the list tst_hostile_files runs scaled down in CI), here at the issue's
// sizes: one huge JSON line and one huge quoted CSV cell of HUGE_MB in gzip against the default 64 MiB record limit,
// 100,000-record logs, and the cases and exports of the items that are not imports. Each measured run is a
// distillscope-cli child; the table gives its peak resident memory (wait4's rusage), wall time, exit status and
// whether it did what its item asks.
//
// Usage: bench_hostile [HUGE_MB [CLI]]   (default 1100: the 1.1 GB line of the issue; 10000 for the 10 GB one;
//        CLI: another distillscope-cli to measure, e.g. an older build, side by side with this one's figures)

#include "HostileRuns.h"
#include "TestSupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>

#include <cstdio>

namespace {

double mbOnDisk(const QString& path)
{
    const QFileInfo info(path);
    return info.isFile() ? static_cast<double>(info.size()) / 1e6 : 0.0;
}

} // namespace

int main(int argc, char** argv)
{
    ds::test::MeasuredSpawner spawner; // before anything large: HostileRuns.h says why
    QCoreApplication app(argc, argv);
    const long hugeMb = argc > 1 ? std::atol(argv[1]) : 1100;
    if (hugeMb <= 0 || argc > 3) {
        std::fprintf(stderr, "usage: bench_hostile [HUGE_MB [CLI]]\n");
        return 2;
    }
    QTemporaryDir dir; // under TMPDIR: point it at a disk with room for a few hundred MB
    const QString runtime = dir.filePath(QStringLiteral("runtime"));
    QDir().mkpath(runtime);
    QFile::setPermissions(runtime, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(runtime));
    const QString cli = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QStringLiteral(DS_CLI_PATH);
    const int records = 100000;

    // The baseline: a clean log of as many records as the ordinary hostile files.
    QList<ds::test::HostileRun> runs;
    {
        QByteArray clean;
        for (int i = 0; i < records; ++i)
            clean += ds::test::requestJson(QStringLiteral("r%1").arg(i), QStringLiteral("a%1").arg(i % 50), 1714564800000 + i * 1000LL,
                                           QStringLiteral("question number %1").arg(i))
                     + '\n';
        ds::test::HostileRun base;
        base.name = QStringLiteral("clean log, 100k records (baseline)");
        base.input = dir.filePath(QStringLiteral("clean.jsonl"));
        QFile f(base.input);
        if (!f.open(QIODevice::WriteOnly) || f.write(clean) != clean.size())
            return 1;
        f.close();
        base.args = {QStringLiteral("import"), QStringLiteral("--db"), dir.filePath(QStringLiteral("clean.sqlite")), base.input};
        base.check = [](const ds::test::HostileOutcome& o) { return o.exitCode == 0 ? QString() : QStringLiteral("exit %1").arg(o.exitCode); };
        runs.push_back(base);
    }
    runs += ds::test::hostileRuns(dir.path(), ds::test::HostileScale{hugeMb, records, QString()});

    std::printf("%-4s %-52s %10s %10s %8s %5s  %s\n", "item", "input", "on disk", "peak RSS", "wall s", "exit", "behaviour");
    long worst = 0, baseline = 0;
    int wrong = 0;
    for (const ds::test::HostileRun& run : runs) {
        const ds::test::HostileOutcome o = ds::test::runHostile(run, cli, dir.path(), spawner);
        const QString why = run.check(o);
        wrong += !why.isEmpty();
        std::printf("%-4s %-52s %7.1f MB %7.1f MB %8.2f %5d  %s\n",
                    run.item ? qPrintable(QString::number(run.item)) : "-", qPrintable(run.name.left(52)), mbOnDisk(run.input),
                    static_cast<double>(o.maxRssKb) / 1024.0, o.seconds, o.exitCode,
                    why.isEmpty() ? "as the item asks" : qPrintable(why.left(200)));
        std::fflush(stdout);
        if (run.item == 0)
            baseline = o.maxRssKb;
        worst = std::max(worst, o.maxRssKb);
    }
    std::printf("\nworst peak %.1f MB (%.1fx the clean log's %.1f MB); target under 1024 MB: %s; %d run(s) not as their item asks\n",
                static_cast<double>(worst) / 1024.0, baseline ? static_cast<double>(worst) / static_cast<double>(baseline) : 0.0,
                static_cast<double>(baseline) / 1024.0, worst < 1024L * 1024L ? "met" : "NOT met", wrong);
    return worst < 1024L * 1024L && wrong == 0 ? 0 : 1;
}
