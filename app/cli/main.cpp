#include "CliCommand.h"

#include <QCoreApplication>
#include <QGuiApplication>

#include <QDir>
#include <QFile>

#include <unistd.h>

#include <memory>

#include <vector>

namespace {

const std::vector<CliCommand>& commands()
{
    static const std::vector<CliCommand> table = {
        {"import", "load query logs and accounts files into a case database", runImportCommand},
        {"detect", "find distillation networks in a case, store scores and reasons", runDetectCommand},
        {"scan", "import logs and detect in one go, write results as JSON", runScanCommand},
        {"eval", "score scan results against simulator ground truth", runEvalCommand},
        {"simulate", "write simulated query logs with distillation campaigns and ground truth", runSimulateCommand},
        {"export", "export confirmed accounts (CSV), the case (JSON) and indicators (STIX 2.1)", runExportCommand},
        {"report", "write the evidence report (PDF) of a case", runReportCommand},
        {"indicators", "import a partner's STIX 2.1 bundle and match its indicators against a case", runIndicatorsCommand},
        {"repair", "copy a refused case's data into a clean case, leaving unknown objects out", runRepairCommand},
    };
    return table;
}

void printUsage(QTextStream& out)
{
    out << "Usage: distillscope-cli COMMAND [OPTIONS]\n\n"
        << "Distillscope finds and proves distillation attacks in LLM API query logs.\n\nCommands:\n";
    for (const CliCommand& c : commands())
        out << "  " << QString::fromLatin1(c.name).leftJustified(12) << c.summary << "\n";
    out << "\nRun `distillscope-cli COMMAND --help` for a command's options.\n\n"
        << "Options:\n  -h, --help     show this help\n  -v, --version  show the version\n\n"
        << "Exit status: 0 on success, 1 when the work failed (one sentence on stderr says why),\n"
        << "2 for a usage error.\n";
}

// Without XDG_RUNTIME_DIR (root in a container, cron) Qt's GUI module warns on stderr at every report run; a
// script must see only our own sentences there. Give it a private runtime folder, as Qt would, without the warning.
void provideRuntimeDir()
{
    if (!qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR"))
        return;
    const QString dir = QDir::tempPath() + QStringLiteral("/distillscope-runtime-%1").arg(getuid());
    if (!QDir().mkpath(dir))
        return;
    QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(dir));
}

} // namespace

int main(int argc, char** argv)
{
    // The report lays text out with Qt's fonts, which need a QGuiApplication; headless, on the offscreen platform.
    const bool needsFonts = argc > 1 && qstrcmp(argv[1], "report") == 0;
    if (needsFonts && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (needsFonts)
        provideRuntimeDir();
    std::unique_ptr<QCoreApplication> app(needsFonts ? new QGuiApplication(argc, argv) : new QCoreApplication(argc, argv));
    QCoreApplication::setApplicationName(QStringLiteral("distillscope-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DS_VERSION));
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 2 || args[1] == QLatin1String("-h") || args[1] == QLatin1String("--help")) {
        printUsage(args.size() < 2 ? cliErr() : cliOut());
        return args.size() < 2 ? 2 : 0;
    }
    if (args[1] == QLatin1String("-v") || args[1] == QLatin1String("--version")) {
        cliOut() << "distillscope-cli " << DS_VERSION << "\n";
        return 0;
    }
    for (const CliCommand& c : commands()) {
        if (args[1] == QLatin1String(c.name)) {
            QStringList rest = args.mid(2);
            rest.prepend(args[0] + QLatin1Char(' ') + args[1]);
            const int rc = c.run(rest);
            cliOut().flush();
            cliErr().flush();
            return rc;
        }
    }
    cliErr() << "distillscope-cli: unknown command \"" << args[1] << "\"\n\n";
    printUsage(cliErr());
    return 2;
}
