#include "CliCommand.h"

#include "core/Timestamp.h"
#include "sim/SimGenerator.h"
#include "sim/SimLogFormat.h"
#include "sim/SimLogRewriter.h"
#include "sim/SimScenario.h"
#include "text/DisplayText.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>

#include <algorithm>

#include <unistd.h>

namespace {

QString humanBytes(std::int64_t b)
{
    if (b >= 1LL << 30)
        return QString::number(static_cast<double>(b) / (1LL << 30), 'f', 2) + QStringLiteral(" GiB");
    if (b >= 1LL << 20)
        return QString::number(static_cast<double>(b) / (1LL << 20), 'f', 1) + QStringLiteral(" MiB");
    return QString::number(b) + QStringLiteral(" bytes");
}

} // namespace

int runSimulateCommand(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Write simulated API query logs with distillation campaigns and ground truth:\n"
        "DIR/requests.jsonl.gz (or .jsonl), DIR/accounts.csv and DIR/truth.csv.\n"
        "The same scenario, seed and scale give byte-identical files."));
    p.addHelpOption();
    const QCommandLineOption outOpt(QStringLiteral("out"), QStringLiteral("Folder to write into (created if needed)."),
                                    QStringLiteral("DIR"));
    const QCommandLineOption scenarioOpt(QStringLiteral("scenario"),
                                         QStringLiteral("Built-in scenario name or a scenario JSON file (default: demo)."),
                                         QStringLiteral("NAME|FILE"), QStringLiteral("demo"));
    const QCommandLineOption seedOpt(QStringLiteral("seed"), QStringLiteral("Random seed (default: 1)."), QStringLiteral("N"),
                                     QStringLiteral("1"));
    const QCommandLineOption scaleOpt(QStringLiteral("scale"),
                                      QStringLiteral("Multiply population sizes and request volumes (default: 1)."),
                                      QStringLiteral("X"), QStringLiteral("1"));
    const QCommandLineOption noGzipOpt(QStringLiteral("no-gzip"), QStringLiteral("Write requests.jsonl uncompressed."));
    const QCommandLineOption listOpt(QStringLiteral("list-scenarios"), QStringLiteral("List the built-in scenarios."));
    const QCommandLineOption printOpt(QStringLiteral("print-scenario"),
                                      QStringLiteral("Print a scenario with every knob resolved, as JSON to copy and edit."),
                                      QStringLiteral("NAME|FILE"));
    const QCommandLineOption logFormatOpt(
        QStringLiteral("log-format"),
        QStringLiteral("Write the requests as a real gateway or cloud logs them instead of the canonical format: %1. "
                       "Gives DIR/requests.NAME.jsonl.gz; accounts.csv and truth.csv then name accounts as NAME does.")
            .arg(ds::SimLogFormat::names().join(QStringLiteral(", "))),
        QStringLiteral("NAME"));
    p.addOptions({outOpt, scenarioOpt, seedOpt, scaleOpt, noGzipOpt, listOpt, printOpt, logFormatOpt});
    if (const std::optional<int> rc = parseCommandLine(p, args))
        return *rc;

    if (p.isSet(listOpt)) {
        // The widest name sets the column: "adversarial" ran into its description at a fixed 10.
        const QStringList names = ds::SimScenario::builtinNames();
        qsizetype width = 0;
        for (const QString& name : names)
            width = std::max(width, name.size());
        for (const QString& name : names) {
            QString error;
            const ds::SimScenario s = ds::SimScenario::load(name, &error);
            cliOut() << name.leftJustified(width + 2) << (error.isEmpty() ? s.description : error) << "\n";
        }
        return 0;
    }
    if (p.isSet(printOpt)) {
        QString error;
        const ds::SimScenario s = ds::SimScenario::load(p.value(printOpt), &error);
        if (!error.isEmpty()) {
            cliErr() << "simulate: " << error << "\n";
            return 2;
        }
        cliOut() << QJsonDocument(s.toJson()).toJson(QJsonDocument::Indented);
        return 0;
    }
    if (!p.isSet(outOpt)) {
        cliErr() << "simulate: needs --out DIR\n\n" << commandHelp(p);
        return 2;
    }
    bool okSeed = false, okScale = false;
    const qulonglong seed = p.value(seedOpt).toULongLong(&okSeed);
    const double scale = p.value(scaleOpt).toDouble(&okScale);
    if (!okSeed) {
        cliErr() << "simulate: --seed must be a non-negative integer, not \""
                 << ds::displaytext::embedded(p.value(seedOpt).left(40)) << "\"\n";
        return 2;
    }
    if (!okScale || scale <= 0 || scale > 100) {
        cliErr() << "simulate: --scale must be a number above 0 and at most 100, not \""
                 << ds::displaytext::embedded(p.value(scaleOpt).left(40)) << "\"\n";
        return 2;
    }
    std::unique_ptr<ds::SimLogFormat> logFormat;
    if (p.isSet(logFormatOpt)) {
        logFormat = ds::SimLogFormat::create(p.value(logFormatOpt).toStdString());
        if (!logFormat) {
            cliErr() << "simulate: unknown --log-format " << p.value(logFormatOpt) << " (one of "
                     << ds::SimLogFormat::names().join(QStringLiteral(", ")) << ")\n";
            return 2;
        }
    }
    QString error;
    ds::SimScenario scenario = ds::SimScenario::load(p.value(scenarioOpt), &error);
    if (!error.isEmpty()) {
        cliErr() << "simulate: " << error << "\n";
        return 2;
    }
    scenario.applyScale(scale);

    ds::SimOptions options;
    options.outDir = p.value(outOpt);
    options.seed = seed;
    options.gzip = !p.isSet(noGzipOpt);
    ds::CancelToken cancel;
    const bool showProgress = isatty(STDERR_FILENO);
    QElapsedTimer timer;
    timer.start();
    ds::SimSummary sum = ds::SimGenerator::run(scenario, options, cancel, [&](std::int64_t records) {
        if (showProgress)
            cliErr() << "\r" << records << " requests" << Qt::flush;
    });
    if (showProgress)
        cliErr() << "\r" << QString(40, QLatin1Char(' ')) << "\r" << Qt::flush;
    if (!sum.error.isEmpty()) {
        cliErr() << "simulate: " << sum.error << "\n";
        return 1;
    }
    if (logFormat) {
        // The canonical file is written first and then re-written: one generator, one truth, any format.
        const ds::SimLogRewriteResult rewritten =
            ds::simRewriteLogs(options.outDir, options.outDir, *logFormat, options.gzip, cancel);
        if (!rewritten.error.isEmpty()) {
            cliErr() << "simulate: " << rewritten.error << "\n";
            return 1;
        }
        for (QString& f : sum.files)
            if (f.contains(QStringLiteral("requests.jsonl")))
                f = rewritten.requestsPath;
        sum.requestsBytes = QFileInfo(rewritten.requestsPath).size();
    }
    const double secs = static_cast<double>(timer.elapsed()) / 1000.0;
    cliOut() << "scenario " << scenario.name << ", seed " << seed << ", scale " << scale << "\n";
    for (const QString& f : sum.files)
        cliOut() << "wrote " << f << "\n";
    cliOut() << sum.requests << " requests (" << humanBytes(sum.requestsBytes) << ") from " << sum.accounts
             << " accounts, " << ds::timestamp::toIso(sum.firstTs) << " to " << ds::timestamp::toIso(sum.lastTs) << "\n";
    for (const auto& [role, c] : sum.byRole)
        cliOut() << "  " << QString::fromStdString(role).leftJustified(30) << c.accounts << " accounts, " << c.requests
                 << " requests\n";
    for (const auto& [name, c] : sum.byCampaign)
        cliOut() << "  campaign " << QString::fromStdString(name).leftJustified(21) << c.accounts << " accounts, "
                 << c.requests << " requests\n";
    cliOut() << "in " << QString::number(secs, 'f', 1) << " s ("
             << QString::number(secs > 0 ? static_cast<double>(sum.requests) / secs : 0.0, 'f', 0) << " requests/s)\n";
    return 0;
}
