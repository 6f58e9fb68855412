#include "CliCommand.h"

#include "case/ReviewCarry.h"

#include "core/CancelToken.h"
#include "detect/Detector.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <unistd.h>

// Shared with ScanCommand: runs detection with a progress line on a terminal.
ds::DetectSummary runDetectionForCli(const QString& db, const ds::DetectSettings& settings, bool quiet)
{
    ds::DetectProgress progress;
    ds::CancelToken cancel;
    const bool show = !quiet && isatty(STDERR_FILENO);
    const ds::DetectSummary s = ds::Detector::run(db, settings, progress, cancel, [&](const ds::DetectProgress& p) {
        if (show)
            cliErr() << "\r" << QString::fromLatin1(ds::detectStageName(static_cast<ds::DetectStage>(p.stage.load()))).leftJustified(30)
                     << Qt::flush;
    });
    if (show)
        cliErr() << "\r" << QString(40, QLatin1Char(' ')) << "\r" << Qt::flush;
    if (!s.error.isEmpty() || s.cancelled || s.run == 0)
        return s;
    ds::DetectSummary carried = s;
    try {
        carried.reviewsCarried = ds::carryClusterReviews(db, s.run).sentences();
    } catch (const std::exception& e) {
        carried.error = QStringLiteral("the analyst's verdicts could not be carried to the new run: %1")
                            .arg(QString::fromUtf8(e.what()));
    }
    return carried;
}

void printDetectSummary(const ds::DetectSummary& s, QTextStream& out)
{
    if (s.cancelled)
        out << "detection cancelled\n";
    if (!s.error.isEmpty())
        out << "error: " << s.error << "\n";
    out << "run " << s.run << ": " << s.accounts << " accounts, " << s.requests << " requests, " << s.graphEdges
        << " links, " << s.communities << " communities\n";
    out << "flagged " << s.flaggedAccounts << " accounts (" << s.soloAccounts << " alone) in " << s.flaggedClusters
        << " networks\n";
    for (const QString& sentence : s.reviewsCarried)
        out << "verdict: " << sentence << "\n";
    out << "time:";
    double total = 0;
    for (const auto& [stage, secs] : s.stageSeconds) {
        out << " " << QString::fromStdString(stage.substr(2)) << " " << QString::number(secs, 'f', 2) << "s";
        total += secs;
    }
    out << " (total " << QString::number(total, 'f', 2) << "s)\n";
}

bool loadSettingsOption(const QCommandLineParser& p, const QCommandLineOption& opt, ds::DetectSettings& settings)
{
    if (!p.isSet(opt))
        return true;
    QString error;
    settings = ds::DetectSettings::fromFile(p.value(opt), &error);
    if (!error.isEmpty()) {
        cliErr() << "settings: " << error << "\n";
        return false;
    }
    return true;
}

int runDetectCommand(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Find distillation networks in an imported case: per-account indicators, the account graph, communities,\n"
        "scores and reasons, stored in the case database."));
    p.addHelpOption();
    const QCommandLineOption dbOpt(QStringLiteral("db"), QStringLiteral("Case database made by import or scan (must exist)."),
                                   QStringLiteral("CASE.sqlite"));
    const QCommandLineOption settingsOpt(QStringLiteral("settings"), QStringLiteral("JSON file overriding default settings."),
                                         QStringLiteral("FILE"));
    const QCommandLineOption printOpt(QStringLiteral("print-settings"),
                                      QStringLiteral("Print the settings (defaults, or with --settings applied) as JSON and their meaning."));
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print the summary as one JSON object."));
    p.addOptions({dbOpt, settingsOpt, printOpt, jsonOpt});
    if (const std::optional<int> rc = parseCommandLine(p, args))
        return *rc;

    ds::DetectSettings settings;
    if (!loadSettingsOption(p, settingsOpt, settings))
        return 2;
    if (p.isSet(printOpt)) {
        cliOut() << QJsonDocument(settings.toJson()).toJson(QJsonDocument::Indented);
        if (!p.isSet(jsonOpt))
            cliOut() << "\n" << ds::DetectSettings::documentation();
        return 0;
    }
    if (!p.isSet(dbOpt)) {
        cliErr() << "detect: needs --db CASE.sqlite\n\n" << commandHelp(p);
        return 2;
    }
    // Detection needs an imported case: a mistyped path must not leave a new empty one behind.
    if (!QFileInfo::exists(p.value(dbOpt))) {
        cliErr() << "detect: " << p.value(dbOpt) << " does not exist.\n";
        return 1;
    }
    const ds::DetectSummary s = runDetectionForCli(p.value(dbOpt), settings, p.isSet(jsonOpt));
    if (!s.error.isEmpty()) {
        cliErr() << "detect: " << s.error << "\n";
        if (!p.isSet(jsonOpt))
            return 1;
    }
    if (p.isSet(jsonOpt)) {
        QJsonObject stages;
        for (const auto& [stage, secs] : s.stageSeconds)
            stages.insert(QString::fromStdString(stage.substr(2)), secs);
        cliOut() << QJsonDocument(QJsonObject{{QStringLiteral("run"), static_cast<qint64>(s.run)},
                                              {QStringLiteral("cancelled"), s.cancelled},
                                              {QStringLiteral("error"), s.error},
                                              {QStringLiteral("accounts"), static_cast<qint64>(s.accounts)},
                                              {QStringLiteral("requests"), static_cast<qint64>(s.requests)},
                                              {QStringLiteral("flagged_accounts"), static_cast<qint64>(s.flaggedAccounts)},
                                              {QStringLiteral("flagged_clusters"), static_cast<qint64>(s.flaggedClusters)},
                                              {QStringLiteral("stage_seconds"), stages},
                                              {QStringLiteral("verdicts_carried"),
                                               QJsonArray::fromStringList(s.reviewsCarried)}})
                        .toJson(QJsonDocument::Compact)
                 << "\n";
    } else {
        printDetectSummary(s, cliOut());
    }
    return s.error.isEmpty() && !s.cancelled ? 0 : 1;
}
