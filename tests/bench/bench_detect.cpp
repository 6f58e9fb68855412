// Detection speed and memory benchmark (label "bench", outside the default test run).
//
// Simulates a scenario with distillscope-cli (or reuses a case), imports it, then
// runs detection in this process and prints the time of every stage, requests/s
// and this process's peak resident memory (VmHWM: detection only, since the
// simulation and import ran in child processes). With a truth.csv at hand (in the
// work folder, or beside the --db case) it also prints the quality figures of the run.
//
// Usage: bench_detect SCENARIO [SCALE] [--work DIR] [--threads N]
//        bench_detect --db CASE.sqlite [--threads N]

#include "TestSupport.h"
#include "core/CancelToken.h"
#include "core/CaseDatabase.h"
#include "detect/Detector.h"
#include "detect/Evaluation.h"
#include "detect/ResultsJson.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace {

long statusKb(const char* field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(static_cast<qsizetype>(std::strlen(field))).trimmed().split(' ').first().toLong();
    return -1;
}
long vmHwmKb() { return statusKb("VmHWM:"); }

// Resets VmHWM to the current RSS (Linux 4.0+), so that the next reading is the peak of one stage only.
void resetPeak()
{
    QFile f(QStringLiteral("/proc/self/clear_refs"));
    if (f.open(QIODevice::WriteOnly))
        f.write("5");
}

bool runStep(const char* what, const QStringList& args)
{
    QElapsedTimer t;
    t.start();
    const ds::test::CliResult r = ds::test::runCli(args, 4 * 3600 * 1000);
    std::printf("%-10s %8.1f s  (exit %d)\n", what, static_cast<double>(t.elapsed()) / 1000.0, r.exitCode);
    if (r.exitCode != 0)
        std::fprintf(stderr, "%s", r.err.constData());
    return r.exitCode == 0;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    auto option = [&args](const QString& name) {
        const qsizetype i = args.indexOf(name);
        if (i < 0 || i + 1 >= args.size())
            return QString();
        const QString v = args[i + 1];
        args.remove(i, 2);
        return v;
    };
    QString db = option(QStringLiteral("--db"));
    QString work = option(QStringLiteral("--work"));
    const QString threads = option(QStringLiteral("--threads"));
    QTemporaryDir tmp;
    QString truth;
    if (!db.isEmpty()) // a case prepared by hand: its quality when the simulator's truth.csv lies beside it
        truth = QFileInfo(db).dir().filePath(QStringLiteral("truth.csv"));
    if (db.isEmpty()) {
        const QString scenario = args.value(0, QStringLiteral("demo"));
        const QString scale = args.value(1, QStringLiteral("1"));
        if (work.isEmpty())
            work = tmp.path();
        QDir().mkpath(work);
        db = QDir(work).filePath(QStringLiteral("case.sqlite"));
        truth = QDir(work).filePath(QStringLiteral("truth.csv"));
        std::printf("scenario %s, scale %s, in %s\n", qPrintable(scenario), qPrintable(scale), qPrintable(work));
        if (!QFileInfo::exists(db)) {
            if (!runStep("simulate", {QStringLiteral("simulate"), QStringLiteral("--out"), work, QStringLiteral("--scenario"),
                                      scenario, QStringLiteral("--scale"), scale, QStringLiteral("--seed"), QStringLiteral("1")}))
                return 1;
            QStringList files = QDir(work).entryList({QStringLiteral("requests*"), QStringLiteral("accounts*")}, QDir::Files);
            for (QString& f : files)
                f = QDir(work).filePath(f);
            if (!runStep("import", QStringList{QStringLiteral("import"), QStringLiteral("--db"), db} + files))
                return 1;
        }
    }
    ds::DetectSettings settings;
    if (!threads.isEmpty())
        settings.threads = threads.toInt();
    ds::DetectProgress progress;
    ds::CancelToken cancel;
    QElapsedTimer t;
    t.start();
    // Each line: the stage entered, the RSS then, and the peak of the stage that ended (VmHWM since its start).
    long overallPeakKb = 0;
    const ds::DetectSummary s = ds::Detector::run(db, settings, progress, cancel, [&](const ds::DetectProgress& p) {
        const long peak = vmHwmKb();
        overallPeakKb = std::max(overallPeakKb, peak);
        std::printf("  at %6.1f s: %-22s RSS %7.1f MB, peak of the stage before %7.1f MB\n", static_cast<double>(t.elapsed()) / 1000.0,
                    ds::detectStageName(static_cast<ds::DetectStage>(p.stage.load())),
                    static_cast<double>(statusKb("VmRSS:")) / 1024.0, static_cast<double>(peak) / 1024.0);
        std::fflush(stdout);
        resetPeak();
    });
    overallPeakKb = std::max(overallPeakKb, vmHwmKb());
    const double secs = static_cast<double>(t.nsecsElapsed()) / 1e9;
    if (!s.error.isEmpty()) {
        std::fprintf(stderr, "detection failed: %s\n", qPrintable(s.error));
        return 1;
    }
    std::printf("detection: %lld requests, %lld accounts, %lld links, flagged %lld accounts in %lld networks\n",
                static_cast<long long>(s.requests), static_cast<long long>(s.accounts), static_cast<long long>(s.graphEdges),
                static_cast<long long>(s.flaggedAccounts), static_cast<long long>(s.flaggedClusters));
    for (const auto& [stage, sec] : s.stageSeconds)
        std::printf("  %-14s %8.2f s\n", stage.substr(2).c_str(), sec);
    std::printf("  %-14s %8.2f s  (%.0f requests/s)\n", "total", secs, static_cast<double>(s.requests) / secs);
    std::printf("peak RSS (VmHWM) of detection: %.1f MB (storing results: %.1f MB)\n", static_cast<double>(overallPeakKb) / 1024.0,
                static_cast<double>(vmHwmKb()) / 1024.0);
    if (!truth.isEmpty() && QFileInfo::exists(truth)) {
        std::map<QString, ds::TruthRow> rows;
        QString error;
        if (ds::readTruth(truth, rows, &error)) {
            ds::SqliteDb reader = ds::CaseDatabase::openForReading(db);
            const ds::EvaluationReport r = ds::evaluate(rows, ds::detectionResultsJson(reader, s.run));
            std::printf("%s", qPrintable(r.toText()));
        }
    }
    return 0;
}
