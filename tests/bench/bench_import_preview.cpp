// What the GUI's import preview costs against the import it precedes (label "bench", outside the default run).
//
// Simulates one scenario (`distillscope-cli simulate`, gzip) and the same traffic as each gateway and cloud format
// logs it, then per file: the preview (previewLogFile, the median of 21 runs: sniff, head read, parse of the head)
// and, in the same run, one full import of the file into a fresh case (Importer::run). Prints the file size, the
// decompressed head the preview read, both times and their ratio. The preview reads a bounded head, so its time
// should not grow with the file.
//
// Usage: bench_import_preview [SCENARIO [SCALE]]   (default: small 1, about 50,000 requests)

#include "TestSupport.h"
#include "ingest/ImportPreview.h"
#include "ingest/ImportTypes.h"
#include "ingest/Importer.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace ds;

namespace {

const char* const kFormats[] = {"canonical", "litellm", "helicone", "langfuse", "bedrock", "otlp"};

double medianPreviewMs(const QString& path, FilePreview& last)
{
    std::vector<double> ms;
    for (int i = 0; i < 21; ++i) {
        CancelToken cancel;
        QElapsedTimer t;
        t.start();
        last = previewLogFile(path, {}, 20, cancel);
        ms.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
    }
    std::nth_element(ms.begin(), ms.begin() + 10, ms.end());
    return ms[10];
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QString scenario = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("small");
    const QString scale = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QStringLiteral("1");
    test::ScratchDir dir;
    std::printf("bench_import_preview: scenario %s, scale %s\n", qPrintable(scenario), qPrintable(scale));
    std::printf("%-10s %10s %12s %11s %11s %9s %9s\n", "format", "file MB", "head kB", "preview ms", "import s",
                "records", "ratio");
    bool ok = true;
    for (const char* format : kFormats) {
        const QString name = QString::fromLatin1(format);
        const QString out = dir.file(name);
        QStringList args{QStringLiteral("simulate"), QStringLiteral("--out"), out,   QStringLiteral("--scenario"),
                         scenario,                  QStringLiteral("--scale"), scale, QStringLiteral("--seed"),
                         QStringLiteral("1")};
        if (name != QLatin1String("canonical"))
            args << QStringLiteral("--log-format") << name;
        const test::CliResult sim = test::runCli(args, 1800000);
        const QString log = QDir(out).filePath(name == QLatin1String("canonical")
                                                   ? QStringLiteral("requests.jsonl.gz")
                                                   : QStringLiteral("requests.%1.jsonl.gz").arg(name));
        if (sim.exitCode != 0 || !QFileInfo::exists(log)) {
            std::printf("%-10s simulate failed (exit %d)\n", format, sim.exitCode);
            ok = false;
            continue;
        }
        FilePreview p;
        const double previewMs = medianPreviewMs(log, p);
        ImportProgress progress;
        CancelToken cancel;
        QElapsedTimer t;
        t.start();
        const ImportSummary s = Importer::run(ImportRequest{QDir(out).filePath(QStringLiteral("case.sqlite")), {log}},
                                              progress, cancel);
        const double importS = static_cast<double>(t.nsecsElapsed()) / 1e9;
        const bool agrees = p.logFormat == s.files.value(0).logFormat && p.previewed();
        ok = ok && agrees;
        std::printf("%-10s %10.1f %12.1f %11.2f %11.2f %9lld %8.5f%s\n", format,
                    static_cast<double>(QFileInfo(log).size()) / 1e6, static_cast<double>(p.headBytes) / 1e3,
                    previewMs, importS, static_cast<long long>(s.files.value(0).records), previewMs / 1e3 / importS,
                    agrees ? "" : "  (preview and import disagree on the format)");
        QDir(out).removeRecursively();
    }
    return ok ? 0 : 1;
}
