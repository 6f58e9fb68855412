// Prints how fast the simulator writes a scenario and how much memory it needs:
// records/s, peak resident memory (VmHWM), output size, and an extrapolation to
// the scenario's full scale.  Usage: bench_simulate [SCALE] [SCENARIO]  (default 0.1 campaign)

#include "TestSupport.h"

#include "sim/SimGenerator.h"
#include "sim/SimScenario.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>

#include <cstdio>

namespace {

long peakRssKiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLong();
    return -1;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const double scale = argc > 1 ? QByteArray(argv[1]).toDouble() : 0.1;
    const QString name = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QStringLiteral("campaign");
    QString error;
    ds::SimScenario s = ds::SimScenario::load(name, &error);
    if (!error.isEmpty() || scale <= 0) {
        std::fprintf(stderr, "bench_simulate: %s\n", qPrintable(error.isEmpty() ? QStringLiteral("bad scale") : error));
        return 2;
    }
    s.applyScale(scale);
    ds::test::ScratchDir dir;
    ds::SimOptions o;
    o.outDir = dir.path();
    ds::CancelToken cancel;
    QElapsedTimer t;
    t.start();
    const ds::SimSummary sum = ds::SimGenerator::run(s, o, cancel);
    const double secs = static_cast<double>(t.elapsed()) / 1000.0;
    if (!sum.error.isEmpty()) {
        std::fprintf(stderr, "bench_simulate: %s\n", qPrintable(sum.error));
        return 1;
    }
    const double rate = static_cast<double>(sum.requests) / secs;
    std::printf("scenario %s at scale %.3g: %lld requests, %lld accounts in %.1f s\n", qPrintable(name), scale,
                static_cast<long long>(sum.requests), static_cast<long long>(sum.accounts), secs);
    std::printf("records/s: %.0f\n", rate);
    std::printf("peak RSS: %.1f MiB\n", static_cast<double>(peakRssKiB()) / 1024.0);
    std::printf("requests.jsonl.gz: %.1f MiB (%.0f bytes/record compressed)\n",
                static_cast<double>(sum.requestsBytes) / (1 << 20), static_cast<double>(sum.requestsBytes) / static_cast<double>(sum.requests));
    std::printf("extrapolated to scale 1: %.0f requests, %.1f min, %.2f GiB compressed\n",
                static_cast<double>(sum.requests) / scale, static_cast<double>(sum.requests) / scale / rate / 60.0,
                static_cast<double>(sum.requestsBytes) / scale / (1 << 30));
    return 0;
}
