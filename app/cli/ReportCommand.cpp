#include "CliCommand.h"

#include "case/CaseFindings.h"
#include "case/CaseTables.h"
#include "core/CancelToken.h"
#include "core/CaseDatabase.h"
#include "report/ReportWriter.h"

#include <QCommandLineParser>
#include <QFileInfo>

int runReportCommand(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Write the evidence report of a case as PDF, for enforcement and legal teams: cover, executive summary, sources with\n"
        "SHA-256, method and thresholds, one section per confirmed network, analyst notes, audit log and the confirmed accounts.\n"
        "The request ids of the confirmed accounts go to a CSV next to the PDF, which the report names with its SHA-256."));
    p.addHelpOption();
    const QCommandLineOption dbOpt(QStringLiteral("db"), QStringLiteral("Case database made by import or scan (must exist)."),
                                   QStringLiteral("CASE.sqlite"));
    const QCommandLineOption outOpt(QStringLiteral("out"), QStringLiteral("PDF file to write."), QStringLiteral("REPORT.pdf"));
    const QCommandLineOption ridOpt(QStringLiteral("request-ids"),
                                    QStringLiteral("Where to write the request-id CSV (default: REPORT.request-ids.csv)."), QStringLiteral("FILE"));
    const QCommandLineOption confirmOpt(QStringLiteral("confirm-flagged"),
                                        QStringLiteral("First confirm every flagged network of the latest detection run that the analyst has not\n"
                                                       "marked false positive (batch use; recorded in the audit log)."));
    p.addOptions({dbOpt, outOpt, ridOpt, confirmOpt});
    if (const std::optional<int> rc = parseCommandLine(p, args))
        return *rc;
    if (!p.isSet(dbOpt) || !p.isSet(outOpt)) {
        cliErr() << "report: needs --db CASE.sqlite and --out REPORT.pdf\n\n" << commandHelp(p);
        return 2;
    }
    // The report reads an existing case: a mistyped path must not leave a new empty one behind.
    if (!QFileInfo::exists(p.value(dbOpt))) {
        cliErr() << "report: " << p.value(dbOpt) << " does not exist.\n";
        return 1;
    }
    if (p.isSet(confirmOpt)) {
        try {
            ds::SqliteDb db = ds::CaseDatabase::openForWriting(p.value(dbOpt));
            ds::ensureCaseTables(db);
            const int n = ds::confirmFlaggedNetworks(db, QStringLiteral("report --confirm-flagged"));
            cliOut() << "confirmed " << n << " flagged network" << (n == 1 ? "" : "s") << "\n";
        } catch (const ds::CaseOpenError& e) {
            cliErr() << "report: " << e.message() << "\n";
            return 1;
        } catch (const ds::DatabaseError& e) {
            cliErr() << "report: database error: " << e.what() << "\n";
            return 1;
        }
    }
    std::atomic<int> progress{0};
    ds::CancelToken cancel;
    const ds::ReportResult r = ds::ReportWriter::write({p.value(dbOpt), p.value(outOpt), p.value(ridOpt)}, progress, cancel);
    if (!r.ok) {
        cliErr() << "report: " << r.error << "\n";
        return 1;
    }
    cliOut() << "report: " << r.pdfPath << " (" << r.pages << " pages, " << r.confirmedNetworks << " confirmed networks, "
             << r.confirmedAccounts << " confirmed accounts)\n"
             << "request ids: " << r.requestIdsPath << " (sha256 " << r.requestIdsSha256 << ")\n";
    if (!r.analysisComplete)
        cliErr() << "report: warning: the analysis is incomplete; every page says so\n";
    return 0;
}
