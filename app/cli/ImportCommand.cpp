#include "CliCommand.h"
#include "RemoteOptions.h"

#include "core/Timestamp.h"
#include "ingest/Importer.h"
#include "ingest/LogFormats.h"
#include "text/DisplayText.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

#include <unistd.h>

namespace {

QJsonValue isoOrNull(const std::optional<std::int64_t>& ms)
{
    return ms ? QJsonValue(ds::timestamp::toIso(*ms)) : QJsonValue(QJsonValue::Null);
}

QJsonObject summaryJson(const ds::ImportSummary& s)
{
    QJsonArray files;
    for (const ds::FileReport& f : s.files) {
        QJsonObject o{
            {QStringLiteral("path"), f.path},
            {QStringLiteral("outcome"), QString::fromLatin1(ds::outcomeName(f.outcome))},
            {QStringLiteral("kind"), QString::fromLatin1(ds::recordKindName(f.kind))},
            {QStringLiteral("format"), f.logFormat.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(f.logFormat)},
            {QStringLiteral("encoding"), f.format.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(f.format)},
            {QStringLiteral("sha256"), f.sha256.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(f.sha256)},
            {QStringLiteral("size"), static_cast<qint64>(f.size)},
            {QStringLiteral("records"), static_cast<qint64>(f.records)},
            {QStringLiteral("inserted"), static_cast<qint64>(f.inserted)},
            {QStringLiteral("quarantined"), static_cast<qint64>(f.quarantined)},
            {QStringLiteral("conflicts"), static_cast<qint64>(f.conflicts)},
            {QStringLiteral("skipped"), static_cast<qint64>(f.skipped)},
            {QStringLiteral("first"), isoOrNull(f.firstTs)},
            {QStringLiteral("last"), isoOrNull(f.lastTs)},
        };
        if (!f.message.isEmpty())
            o.insert(QStringLiteral("message"), f.message);
        if (f.outcome == ds::FileReport::Outcome::AlreadyImported) {
            o.insert(QStringLiteral("source_file"), static_cast<qint64>(f.sourceFileId)); // the copy in the case
            o.insert(QStringLiteral("recognised_before_reading"), f.recognisedBeforeReading);
        }
        files.append(o);
    }
    const auto alreadyInCase = std::count_if(s.files.begin(), s.files.end(), [](const ds::FileReport& f) {
        return f.outcome == ds::FileReport::Outcome::AlreadyImported;
    });
    QJsonObject root{
        {QStringLiteral("requests"), static_cast<qint64>(s.requestsInCase)},
        {QStringLiteral("accounts"), static_cast<qint64>(s.accountsInCase)},
        {QStringLiteral("quarantined"), static_cast<qint64>(s.quarantinedInCase)},
        {QStringLiteral("conflicts"), static_cast<qint64>(s.conflictsInCase)},
        {QStringLiteral("cancelled"), s.cancelled},
        {QStringLiteral("files_already_in_case"), static_cast<qint64>(alreadyInCase)},
        {QStringLiteral("files"), files},
    };
    if (!s.error.isEmpty())
        root.insert(QStringLiteral("error"), s.error);
    return root;
}

void printSummary(const ds::ImportSummary& s, QTextStream& out)
{
    for (const ds::FileReport& f : s.files) {
        out << ds::outcomeName(f.outcome) << ": " << ds::displaytext::cell(f.path, -1) << "\n";
        const bool read = f.outcome == ds::FileReport::Outcome::Imported
                          || (f.outcome == ds::FileReport::Outcome::AlreadyImported && !f.recognisedBeforeReading);
        if (read) {
            out << "    " << ds::recordKindName(f.kind) << ", " << f.logFormat << " " << f.format
                << (f.compression == QLatin1String("gzip") ? "+gzip" : "") << ", " << f.records << " records (" << f.inserted
                << " new), " << f.quarantined << " quarantined";
            if (f.conflicts > 0)
                out << ", " << f.conflicts << " conflicting cop" << (f.conflicts == 1 ? "y" : "ies") << " of a request_id kept apart";
            if (f.skipped > 0)
                out << ", " << f.skipped << " skipped (not model calls)";
            out << "\n";
            if (f.records == 0 && f.quarantined > 0 && f.skipped == 0)
                out << "    every record was quarantined; the first because: "
                    << ds::displaytext::cell(f.firstQuarantineReason, 300) << "\n";
            if (f.firstTs)
                out << "    from " << ds::timestamp::toIso(*f.firstTs) << " to " << ds::timestamp::toIso(*f.lastTs) << "\n";
        }
        if (!f.sha256.isEmpty())
            out << "    sha256 " << f.sha256 << "\n";
        if (!f.message.isEmpty())
            out << "    " << f.message << "\n";
    }
    if (!s.error.isEmpty())
        cliErr() << "import: " << s.error << "\n"; // stderr: scripts see the refusal, stdout keeps the summary
    out << "case: " << s.requestsInCase << " request" << (s.requestsInCase == 1 ? "" : "s") << ", " << s.accountsInCase
        << " account" << (s.accountsInCase == 1 ? "" : "s") << ", " << s.quarantinedInCase << " quarantined record"
        << (s.quarantinedInCase == 1 ? "" : "s");
    if (s.conflictsInCase > 0)
        out << ", " << s.conflictsInCase << " conflicting request cop" << (s.conflictsInCase == 1 ? "y" : "ies");
    out << "\n";
}

} // namespace

int runImportCommand(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Import query logs (JSON Lines or CSV, plain or gzip) and accounts files into a case database.\n"
        "Records that cannot be read are quarantined, not dropped; re-importing adds no duplicates."));
    p.addHelpOption();
    const QCommandLineOption dbOpt(QStringLiteral("db"), QStringLiteral("Case database to create or add to."),
                                   QStringLiteral("CASE.sqlite"));
    const QCommandLineOption mappingOpt(QStringLiteral("mapping"),
                                        QStringLiteral("JSON file mapping other field names onto the canonical format."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption formatOpt(
        QStringLiteral("format"),
        QStringLiteral("Read every file as this log format: %1 (default: recognised by content).")
            .arg(ds::logformats::presetNames().join(QStringLiteral(", "))),
        QStringLiteral("NAME"));
    const QCommandLineOption printFormatOpt(QStringLiteral("print-format"),
                                            QStringLiteral("Print a format's mapping file (to copy and adapt) and exit."),
                                            QStringLiteral("NAME"));
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print one JSON object summarising the import."));
    const QCommandLineOption maxRecordOpt(
        QStringLiteral("max-record-size"),
        QStringLiteral("Quarantine records longer than this, keeping their first and last bytes (default 64M; "
                       "k, M, G suffixes; at most 512M)."),
        QStringLiteral("BYTES"));
    p.addOptions({dbOpt, mappingOpt, formatOpt, printFormatOpt, jsonOpt, maxRecordOpt});
    const RemoteOptions remote;
    remote.addTo(p);
    p.addPositionalArgument(QStringLiteral("FILES"), QStringLiteral("Log and accounts files to import."), QStringLiteral("FILES..."));
    if (const std::optional<int> rc = parseCommandLine(p, args))
        return *rc;

    if (p.isSet(printFormatOpt)) {
        const QByteArray text = ds::logformats::presetJson(p.value(printFormatOpt));
        if (text.isEmpty()) {
            cliErr() << "import: \"" << ds::displaytext::embedded(p.value(printFormatOpt)) << "\" is not a log format; the formats are "
                     << ds::logformats::presetNames().join(QStringLiteral(", ")) << "\n";
            return 2;
        }
        cliOut() << QString::fromUtf8(text);
        return 0;
    }
    if (p.isSet(formatOpt) && p.isSet(mappingOpt)) {
        cliErr() << "import: give --format or --mapping, not both (a mapping file can extend a format: \"extends\": \""
                 << ds::displaytext::embedded(p.value(formatOpt)) << "\")\n";
        return 2;
    }
    if (p.isSet(formatOpt) && !ds::logformats::presetNames().contains(p.value(formatOpt))) {
        cliErr() << "import: \"" << ds::displaytext::embedded(p.value(formatOpt)) << "\" is not a log format; the formats are "
                 << ds::logformats::presetNames().join(QStringLiteral(", ")) << "\n";
        return 2;
    }
    if (!p.isSet(dbOpt) || (p.positionalArguments().isEmpty() && !remote.isSet(p))) {
        cliErr() << "import: needs --db CASE.sqlite and at least one file or --from table\n\n" << commandHelp(p);
        return 2;
    }
    if (remote.isSet(p) && p.isSet(mappingOpt)) {
        cliErr() << "import: --mapping reads files; a --from table's columns are read with --format\n";
        return 2;
    }
    // With --from, --format names the table's columns and the files beside it are recognised by content.
    ds::ImportRequest request{p.value(dbOpt), p.positionalArguments(), p.value(mappingOpt),
                              remote.isSet(p) ? QString() : p.value(formatOpt)};
    if (!maxRecordSizeOption(p, maxRecordOpt, "import", request.maxRecordBytes))
        return 2;
    std::vector<std::shared_ptr<ds::ClickHouseSource>> tables;
    if (const std::optional<int> rc = remote.prepare(p, "import", p.value(formatOpt), tables))
        return *rc;
    for (const auto& t : tables)
        request.streams.push_back(t->streamedLog());
    ds::ImportProgress progress;
    ds::CancelToken cancel;
    const bool showProgress = isatty(STDERR_FILENO) && !p.isSet(jsonOpt);
    const ds::ImportSummary summary = ds::Importer::run(request, progress, cancel, [&](const ds::ImportProgress& pr) {
        if (!showProgress)
            return;
        const double pct = pr.totalBytes ? 100.0 * static_cast<double>(pr.bytesDone) / static_cast<double>(pr.totalBytes) : 0.0;
        const QString stage = pr.checking    ? QStringLiteral(", checking if in case")
                              : pr.finishing ? QStringLiteral(", sorting indexes")
                                             : QString();
        cliErr() << "\r" << QString::number(pct, 'f', 1) << "%  " << pr.records.load() << " records, "
                 << pr.quarantined.load() << " quarantined" << stage.leftJustified(21) << Qt::flush;
    });
    if (showProgress)
        cliErr() << "\r" << QString(60, QLatin1Char(' ')) << "\r" << Qt::flush;
    printPullSummary(tables);

    if (p.isSet(jsonOpt))
        cliOut() << QJsonDocument(summaryJson(summary)).toJson(QJsonDocument::Compact) << "\n";
    else
        printSummary(summary, cliOut());
    if (!summary.error.isEmpty() && p.isSet(jsonOpt))
        cliErr() << "error: " << summary.error << "\n";
    if (summary.everyRecordQuarantined()) {
        // Nothing usable came in: a script must not go on to detect on an empty case as if the import had worked.
        cliErr() << "import: every record read was quarantined: is it the right --format or --mapping? (`import "
                    "--print-format NAME` shows what a format reads)\n";
        return 1;
    }
    return summary.anyImported() ? 0 : 1;
}
