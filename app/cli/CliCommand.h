#pragma once

#include <QStringList>
#include <QTextStream>

#include <cstdint>
#include <functional>
#include <optional>

class QCommandLineOption;
class QCommandLineParser;

// One sub-command of distillscope-cli ("import", "simulate", "detect", ...).
// Each lives in its own file and registers itself in the table of main.cpp.
// Commands run on the main thread and may block it: the CLI has no event loop to keep alive.
struct CliCommand
{
    const char* name;
    const char* summary; // one line for `distillscope-cli --help`
    // `args` starts with the program name followed by the command's own arguments.
    std::function<int(const QStringList& args)> run;
};

// Standard streams shared by the commands (UTF-8).
QTextStream& cliOut();
QTextStream& cliErr();

// Parses a command's arguments. A usage error (unknown option, missing value) is
// printed with the command's help and gives 2, --help gives 0; both mean "return
// this now". Otherwise nullopt: go on. QCommandLineParser::process() would exit 1,
// the code of a failed run, on a usage error.
std::optional<int> parseCommandLine(QCommandLineParser& parser, const QStringList& args);

// The parser's help text with its usage line naming the command as typed
// ("Usage: distillscope-cli import [options] FILES..."). Call after parseCommandLine.
QString commandHelp(const QCommandLineParser& parser);

// "64M", "1G", "512k", "1000": a byte count with an optional binary suffix
// (k, M, G; an optional "iB" or "B" after it). nullopt when it is not one.
std::optional<std::uint64_t> parseByteSize(const QString& text);

// Reads --max-record-size into `bytes` when it is set; a value that is not a size,
// or outside 1 KiB..512 MiB (SQLite's limit on one value is 1 GB), is printed as a
// usage error for `command` and gives false.
bool maxRecordSizeOption(const QCommandLineParser& parser, const QCommandLineOption& option, const char* command,
                         std::size_t& bytes);

int runImportCommand(const QStringList& args);
int runDetectCommand(const QStringList& args);
int runScanCommand(const QStringList& args);
int runEvalCommand(const QStringList& args);
int runSimulateCommand(const QStringList& args);
int runExportCommand(const QStringList& args);
int runReportCommand(const QStringList& args);
int runRepairCommand(const QStringList& args);
int runIndicatorsCommand(const QStringList& args);
