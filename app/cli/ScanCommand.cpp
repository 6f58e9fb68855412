#include "CliCommand.h"
#include "RemoteOptions.h"

#include "core/CaseDatabase.h"
#include "detect/Detector.h"
#include "detect/ResultsJson.h"
#include "ingest/Importer.h"
#include "ingest/LogFormats.h"
#include "remote/TriageImport.h"
#include "text/DisplayText.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>

ds::DetectSummary runDetectionForCli(const QString& db, const ds::DetectSettings& settings, bool quiet);
void printDetectSummary(const ds::DetectSummary& s, QTextStream& out);
bool loadSettingsOption(const QCommandLineParser& p, const QCommandLineOption& opt, ds::DetectSettings& settings);

int runScanCommand(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Import log files and run detection in one go; write every account's score, flag, network and reasons as JSON."));
    p.addHelpOption();
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Where to write the results."), QStringLiteral("OUT.json"));
    const QCommandLineOption dbOpt(QStringLiteral("db"), QStringLiteral("Case database to create or add to (default: a temporary one)."),
                                   QStringLiteral("CASE.sqlite"));
    const QCommandLineOption settingsOpt(QStringLiteral("settings"), QStringLiteral("JSON file overriding default settings."),
                                         QStringLiteral("FILE"));
    const QCommandLineOption mappingOpt(QStringLiteral("mapping"), QStringLiteral("Field mapping for non-canonical logs."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption formatOpt(
        QStringLiteral("format"),
        QStringLiteral("Read every log as this format: %1 (default: recognised by content).")
            .arg(ds::logformats::presetNames().join(QStringLiteral(", "))),
        QStringLiteral("NAME"));
    const QCommandLineOption maxRecordOpt(
        QStringLiteral("max-record-size"),
        QStringLiteral("Quarantine records longer than this, keeping their first and last bytes (default 64M)."),
        QStringLiteral("BYTES"));
    const QCommandLineOption pullAllOpt(
        QStringLiteral("pull-all"),
        QStringLiteral("With --from: pull every row of the table. By default the server triages first (per-account "
                       "aggregates, docs/CLICKHOUSE_TRIAGE.md) and only the chosen accounts' rows are pulled."));
    const QCommandLineOption budgetOpt(
        QStringLiteral("triage-budget"),
        QStringLiteral("With --from: the most rows the triage may choose, as a share of the table's (default 0.5)."),
        QStringLiteral("SHARE"));
    p.addOptions({jsonOpt, dbOpt, settingsOpt, mappingOpt, formatOpt, maxRecordOpt, pullAllOpt, budgetOpt});
    const RemoteOptions remote;
    remote.addTo(p);
    p.addPositionalArgument(QStringLiteral("LOGFILES"), QStringLiteral("Log and accounts files."), QStringLiteral("LOGFILES..."));
    if (const std::optional<int> rc = parseCommandLine(p, args))
        return *rc;
    if (!p.isSet(jsonOpt) || (p.positionalArguments().isEmpty() && !remote.isSet(p))) {
        cliErr() << "scan: needs --json OUT.json and at least one log file or --from table\n\n" << commandHelp(p);
        return 2;
    }
    if (remote.isSet(p) && p.isSet(mappingOpt)) {
        cliErr() << "scan: --mapping reads files; a --from table's columns are read with --format\n";
        return 2;
    }
    if (p.isSet(formatOpt) && p.isSet(mappingOpt)) {
        cliErr() << "scan: give --format or --mapping, not both (a mapping file can extend a format: \"extends\": \""
                 << ds::displaytext::embedded(p.value(formatOpt)) << "\")\n";
        return 2;
    }
    if (p.isSet(formatOpt) && !ds::logformats::presetNames().contains(p.value(formatOpt))) {
        cliErr() << "scan: \"" << ds::displaytext::embedded(p.value(formatOpt)) << "\" is not a log format; the formats are "
                 << ds::logformats::presetNames().join(QStringLiteral(", ")) << "\n";
        return 2;
    }
    ds::DetectSettings settings;
    if (!loadSettingsOption(p, settingsOpt, settings))
        return 2;

    QTemporaryDir tmp;
    const QString db = p.isSet(dbOpt) ? p.value(dbOpt) : tmp.filePath(QStringLiteral("scan.sqlite"));
    ds::ImportProgress progress;
    ds::CancelToken cancel;
    // With --from, --format names the table's columns and the files beside it are recognised by content.
    ds::ImportRequest request{db, p.positionalArguments(), p.value(mappingOpt), remote.isSet(p) ? QString() : p.value(formatOpt)};
    if (!maxRecordSizeOption(p, maxRecordOpt, "scan", request.maxRecordBytes))
        return 2;
    std::vector<std::shared_ptr<ds::ClickHouseSource>> tables;
    if (const std::optional<int> rc = remote.prepare(p, "scan", p.value(formatOpt), tables))
        return *rc;
    ds::ImportSummary imported;
    if (!tables.empty() && !p.isSet(pullAllOpt)) {
        // Triage on the server first; local files (the accounts file) are imported before it, since they say what
        // the table does not (creation times, payment fingerprints, e-mail domains).
        ds::TriageSettings triage = ds::TriageSettings::fromDetect(settings);
        if (p.isSet(budgetOpt)) {
            bool ok = false;
            triage.rowBudgetShare = p.value(budgetOpt).toDouble(&ok);
            if (!ok || !(triage.rowBudgetShare > 0 && triage.rowBudgetShare <= 1)) {
                cliErr() << "scan: --triage-budget takes a share of the rows, above 0 and at most 1\n";
                return 2;
            }
        }
        const ds::TriageImportResult triaged =
            ds::importWithTriage(request, tables, triage, ds::TriageSqlOptions{},
                                 settings.publicEmailDomains, progress, cancel);
        if (!triaged.error.isEmpty()) {
            cliErr() << "scan: the triage on the server failed: " << triaged.error << "\n";
            return 1;
        }
        for (size_t i = 0; i < triaged.triages.size(); ++i)
            cliOut() << ds::triageSummaryLine(tables[i]->url().redacted(), triaged.triages[i]) << "\n";
        imported = triaged.summary;
    } else {
        for (const auto& t : tables)
            request.streams.push_back(t->streamedLog());
        imported = ds::Importer::run(request, progress, cancel);
    }
    printPullSummary(tables);
    for (const ds::FileReport& f : imported.files)
        cliOut() << ds::outcomeName(f.outcome) << ": " << ds::displaytext::cell(f.path, -1) << " (" << f.logFormat << ", " << f.records << " records, " << f.quarantined
                 << " quarantined" << (f.conflicts > 0 ? QStringLiteral(", %1 conflicting").arg(f.conflicts) : QString())
                 << (f.skipped > 0 ? QStringLiteral(", %1 skipped").arg(f.skipped) : QString()) << ")" << (f.message.isEmpty() ? QString() : QStringLiteral(" ") + f.message) << "\n";
    if (!imported.error.isEmpty() || !imported.anyImported()) {
        cliErr() << "scan: import failed" << (imported.error.isEmpty() ? QString() : QStringLiteral(": ") + imported.error) << "\n";
        return 1;
    }
    const ds::DetectSummary s = runDetectionForCli(db, settings, false);
    printDetectSummary(s, cliOut());
    if (!s.error.isEmpty() || s.cancelled)
        return 1;
    try {
        ds::SqliteDb reader = ds::CaseDatabase::openForReading(db);
        QFile out(p.value(jsonOpt));
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            cliErr() << "scan: cannot write " << out.fileName() << ": " << out.errorString() << "\n";
            return 1;
        }
        out.write(QJsonDocument(ds::detectionResultsJson(reader, s.run)).toJson(QJsonDocument::Indented));
        cliOut() << "results: " << out.fileName() << "\n";
    } catch (const std::exception& e) {
        cliErr() << "scan: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
