#include "CliCommand.h"

#include "detect/Evaluation.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonDocument>

int runEvalCommand(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Score scan results against simulator ground truth: precision, recall, F1, per-campaign recall,\n"
        "campaign-to-cluster purity and adjusted Rand index, hard-negative roles flagged."));
    p.addHelpOption();
    const QCommandLineOption truthOpt(QStringLiteral("truth"), QStringLiteral("truth.csv of the simulator."), QStringLiteral("FILE"));
    const QCommandLineOption resultsOpt(QStringLiteral("results"), QStringLiteral("JSON written by scan."), QStringLiteral("FILE"));
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print the figures as one JSON object."));
    const QCommandLineOption rolesOpt(QStringLiteral("ordinary-roles"),
                                      QStringLiteral("Comma-separated benign roles that are not hard negatives (default casual,developer)."),
                                      QStringLiteral("ROLES"), QStringLiteral("casual,developer"));
    p.addOptions({truthOpt, resultsOpt, jsonOpt, rolesOpt});
    if (const std::optional<int> rc = parseCommandLine(p, args))
        return *rc;
    if (!p.isSet(truthOpt) || !p.isSet(resultsOpt)) {
        cliErr() << "eval: needs --truth and --results\n\n" << commandHelp(p);
        return 2;
    }
    std::map<QString, ds::TruthRow> truth;
    QString error;
    if (!ds::readTruth(p.value(truthOpt), truth, &error)) {
        cliErr() << "eval: " << error << "\n";
        return 1;
    }
    QFile f(p.value(resultsOpt));
    if (!f.open(QIODevice::ReadOnly)) {
        cliErr() << "eval: cannot read " << f.fileName() << ": " << f.errorString() << "\n";
        return 1;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
    if (!doc.isObject()) {
        cliErr() << "eval: " << f.fileName() << " is not a results JSON object\n";
        return 1;
    }
    const ds::EvaluationReport r = ds::evaluate(truth, doc.object(), p.value(rolesOpt).split(QLatin1Char(','), Qt::SkipEmptyParts));
    if (p.isSet(jsonOpt))
        cliOut() << QJsonDocument(r.toJson()).toJson(QJsonDocument::Compact) << "\n";
    else
        cliOut() << r.toText();
    return 0;
}
