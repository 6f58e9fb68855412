#include "CliCommand.h"

#include "core/CancelToken.h"
#include "core/CaseDatabase.h"
#include "core/Timestamp.h"
#include "detect/ReasonText.h"
#include "indicators/IndicatorImport.h"
#include "text/DisplayText.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonDocument>
#include "core/OutputFile.h"

namespace {

// Partner text reaches a terminal: one line, control characters shown, never run.
QString safe(const QString& text, int maxChars = 120) { return ds::displaytext::cell(text, maxChars); }

} // namespace

int runIndicatorsCommand(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Import a partner's STIX 2.1 bundle into a case and match its indicators against every request and account:\n"
        "addresses and networks, user agents, e-mail domains, payment and prompt-template fingerprints, account ids.\n"
        "Indicators Distillscope cannot evaluate are listed with the reason. Exit 0 when the bundle was read (hits or\n"
        "not), 1 when it was refused, 2 for a usage error."));
    p.addHelpOption();
    const QCommandLineOption dbOpt(QStringLiteral("db"), QStringLiteral("Case database made by import or scan (must exist)."),
                                   QStringLiteral("CASE.sqlite"));
    const QCommandLineOption importOpt(QStringLiteral("import"), QStringLiteral("The STIX 2.1 bundle to import."), QStringLiteral("BUNDLE.json"));
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Write the counts, unevaluable indicators and hits as JSON."),
                                     QStringLiteral("HITS.json"));
    p.addOptions({dbOpt, importOpt, jsonOpt});
    if (const std::optional<int> rc = parseCommandLine(p, args))
        return *rc;
    if (!p.isSet(dbOpt) || !p.isSet(importOpt) || !p.positionalArguments().isEmpty()) {
        cliErr() << "indicators: needs --db CASE.sqlite and --import BUNDLE.json\n\n" << commandHelp(p);
        return 2;
    }
    if (!QFileInfo::exists(p.value(dbOpt))) {
        cliErr() << "indicators: " << p.value(dbOpt) << " does not exist.\n";
        return 1;
    }
    try {
        ds::SqliteDb db = ds::CaseDatabase::openForWriting(p.value(dbOpt));
        ds::CancelToken cancel;
        const ds::indicators::ImportOutcome out = ds::indicators::importBundle(db, p.value(importOpt), cancel);
        if (p.isSet(jsonOpt)) {
            ds::OutputFile f(p.value(jsonOpt));
            if (!f.open() || !f.write(QJsonDocument(out.toJson()).toJson()) || !f.commit()) {
                cliErr() << "indicators: cannot write " << safe(p.value(jsonOpt)) << ": " << f.errorString() << "\n";
                return 1;
            }
        }
        if (out.refused()) {
            cliErr() << "indicators: " << safe(out.refusal, 400) << "\n";
            return 1;
        }
        cliOut() << "bundle " << safe(out.fileName) << " (sha256 " << out.sha256 << ")"
                 << (out.producer.isEmpty() ? QString() : QStringLiteral(" from ") + safe(out.producer)) << ": "
                 << ds::reasontext::count(out.indicators, QStringLiteral("indicator"), QStringLiteral("indicators")) << ", "
                 << ds::reasontext::whole(out.evaluable) << " evaluable, "
                 << ds::reasontext::whole(static_cast<std::int64_t>(out.hits.size())) << " with hits\n";
        for (const auto& u : out.unevaluable)
            cliOut() << "  unevaluable " << safe(u.id) << ": " << safe(u.why, 300) << "\n";
        for (const auto& h : out.hits)
            cliOut() << "  hit " << safe(h.id) << " (" << safe(h.summary) << "): "
                     << ds::reasontext::count(h.accounts.size(), QStringLiteral("account"), QStringLiteral("accounts")) << ", "
                     << ds::reasontext::count(h.requests, QStringLiteral("request"), QStringLiteral("requests")) << "; valid from " << ds::timestamp::toIso(h.validFrom)
                     << (h.validUntil ? QStringLiteral(" until ") + ds::timestamp::toIso(*h.validUntil) : QString()) << "\n";
        return 0;
    } catch (const ds::Cancelled&) {
        cliErr() << "indicators: stopped\n";
    } catch (const ds::CaseOpenError& e) {
        cliErr() << "indicators: " << e.message() << "\n";
    } catch (const ds::DatabaseError& e) {
        cliErr() << "indicators: database error: " << e.what() << "\n";
    }
    return 1;
}
