#include "CliCommand.h"

#include "case/AuditLog.h"
#include "case/CaseFindings.h"
#include "case/CaseTables.h"
#include "core/CancelToken.h"
#include "core/CaseDatabase.h"
#include "report/CaseExports.h"

#include <QCommandLineParser>
#include <QFileInfo>

namespace {

int report(const QString& kind, const ds::ExportedFile& f, ds::SqliteDb& db)
{
    if (!f.error.isEmpty()) {
        cliErr() << "export: " << f.error << "\n";
        return 1;
    }
    ds::exports::auditExport(db, kind, f);
    cliOut() << kind << ": " << f.path << " (" << f.rows << (kind.contains(QLatin1String("STIX")) ? " objects" : " rows")
             << ", sha256 " << f.sha256 << ")\n";
    return 0;
}

} // namespace

int runExportCommand(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Export what the analyst confirmed in a case, for enforcement and threat-intelligence tooling:\n"
        "the confirmed accounts (CSV), the whole case (JSON), the confirmed networks' indicators (STIX 2.1 bundle)\n"
        "and every request id of the confirmed accounts (CSV). Each export is recorded in the case's audit log."));
    p.addHelpOption();
    const QCommandLineOption dbOpt(QStringLiteral("db"), QStringLiteral("Case database made by import or scan (must exist)."),
                                   QStringLiteral("CASE.sqlite"));
    const QCommandLineOption csvOpt(QStringLiteral("confirmed-csv"), QStringLiteral("Write the confirmed accounts as CSV."), QStringLiteral("FILE"));
    const QCommandLineOption jsonOpt(QStringLiteral("case-json"), QStringLiteral("Write the whole case as JSON."), QStringLiteral("FILE"));
    const QCommandLineOption stixOpt(QStringLiteral("stix"), QStringLiteral("Write the confirmed networks' indicators as a STIX 2.1 bundle."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption ridOpt(QStringLiteral("request-ids"), QStringLiteral("Write the request ids of the confirmed accounts as CSV."),
                                    QStringLiteral("FILE"));
    p.addOptions({dbOpt, csvOpt, jsonOpt, stixOpt, ridOpt});
    if (const std::optional<int> rc = parseCommandLine(p, args))
        return *rc;
    if (!p.isSet(dbOpt) || !(p.isSet(csvOpt) || p.isSet(jsonOpt) || p.isSet(stixOpt) || p.isSet(ridOpt))) {
        cliErr() << "export: needs --db CASE.sqlite and at least one of --confirmed-csv, --case-json, --stix, --request-ids\n\n"
                 << commandHelp(p);
        return 2;
    }
    // Exports read an existing case: a mistyped path must not leave a new empty one behind.
    if (!QFileInfo::exists(p.value(dbOpt))) {
        cliErr() << "export: " << p.value(dbOpt) << " does not exist.\n";
        return 1;
    }
    try {
        ds::SqliteDb db = ds::CaseDatabase::openForWriting(p.value(dbOpt));
        {
            ds::SqliteTransaction tx(db);
            ds::ensureCaseTables(db);
            ds::audit::syncAnalysisRuns(db);
            tx.commit();
        }
        const ds::CaseFindings findings = ds::loadFindings(db);
        if (findings.networks.empty() && findings.accounts.empty())
            cliErr() << "export: note: nothing is confirmed in this case yet; the exports list no accounts\n";
        ds::CancelToken cancel; // the CLI is stopped with Ctrl-C; OutputFile leaves no partial file
        int rc = 0;
        if (p.isSet(csvOpt))
            rc |= report(QStringLiteral("confirmed accounts CSV"), ds::exports::writeConfirmedAccountsCsv(db, findings, p.value(csvOpt)), db);
        if (p.isSet(ridOpt))
            rc |= report(QStringLiteral("request ids CSV"), ds::exports::writeRequestIdsCsv(db, findings, p.value(ridOpt), cancel), db);
        if (p.isSet(stixOpt))
            rc |= report(QStringLiteral("STIX 2.1 bundle"), ds::exports::writeStixBundle(db, findings, p.value(stixOpt), cancel), db);
        // Last, so that the case JSON's audit log lists the other exports of this command.
        if (p.isSet(jsonOpt))
            rc |= report(QStringLiteral("case JSON"), ds::exports::writeCaseJson(db, findings, p.value(jsonOpt)), db);
        return rc;
    } catch (const ds::CaseOpenError& e) {
        cliErr() << "export: " << e.message() << "\n";
    } catch (const ds::DatabaseError& e) {
        cliErr() << "export: database error: " << e.what() << "\n";
    }
    return 1;
}
