#include "CliCommand.h"

#include "case/CaseRepair.h"
#include "core/CancelToken.h"
#include "core/CaseDatabase.h"
#include "text/DisplayText.h"

#include <QCommandLineParser>
#include <QLocale>

int runRepairCommand(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Copy the data of a case that was refused because it holds database objects Distillscope does not create\n"
        "(triggers, views, other tables: a case file may have been altered) into a new, clean case. Only the tables\n"
        "Distillscope creates are copied; the source file is read, never changed."));
    p.addHelpOption();
    const QCommandLineOption dbOpt(QStringLiteral("db"), QStringLiteral("The refused case."), QStringLiteral("CASE.sqlite"));
    const QCommandLineOption outOpt(QStringLiteral("out"), QStringLiteral("The clean case to write (must not exist)."),
                                    QStringLiteral("CLEAN.sqlite"));
    p.addOptions({dbOpt, outOpt});
    if (const std::optional<int> rc = parseCommandLine(p, args))
        return *rc;
    if (!p.isSet(dbOpt) || !p.isSet(outOpt) || !p.positionalArguments().isEmpty()) {
        cliErr() << "repair: needs --db CASE.sqlite and --out CLEAN.sqlite, and nothing else\n\n" << commandHelp(p);
        return 2;
    }
    const QString from = p.value(dbOpt), to = p.value(outOpt);
    try {
        ds::CancelToken cancel; // Ctrl-C ends the process; the clean case is written in one transaction
        const ds::RepairSummary s = ds::repairCase(from, to, cancel);
        const QLocale c = QLocale::c();
        for (const QString& d : s.dropped)
            cliOut() << "left out: " << d << "\n";
        for (const QString& col : s.skippedColumns)
            cliOut() << "left out column: " << col << "\n";
        cliOut() << "repair: wrote " << ds::displaytext::cell(to, 200) << ": " << s.tables << " tables, " << c.toString(qint64(s.rows))
                 << " rows copied, " << s.dropped.size() << " unknown objects left out\n";
        return 0;
    } catch (const ds::CaseOpenError& e) {
        cliErr() << "repair: " << e.message() << "\n";
    } catch (const ds::DatabaseError& e) {
        cliErr() << "repair: database error: " << e.what() << "\n";
    }
    return 1;
}
