#pragma once

#include <QStringList>
#include <QTextStream>

#include <functional>

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

int runImportCommand(const QStringList& args);
int runDetectCommand(const QStringList& args);
int runScanCommand(const QStringList& args);
int runEvalCommand(const QStringList& args);
int runSimulateCommand(const QStringList& args);
int runExportCommand(const QStringList& args);
int runReportCommand(const QStringList& args);
int runRepairCommand(const QStringList& args);
