#include "ingest/PreviewWarnings.h"

#include "ingest/FieldMapping.h"
#include "text/DisplayText.h"

#include <QLocale>

namespace ds::previewwarnings {

namespace {

const FieldMapping::Rule* explicitRule(const FieldMapping& mapping, Field f)
{
    for (const auto& r : mapping.rules())
        if (r.target == f && !r.implicit)
            return &r;
    return nullptr;
}

// Where a rule reads its value from, for a sentence: "requester_ip_address", "end_user, user or api_key".
QString sourcesOf(const FieldMapping::Rule& rule)
{
    QStringList paths;
    for (const auto& s : rule.sources)
        if (!s.path.empty())
            paths << QString::fromStdString(s.path);
    if (paths.isEmpty() && !rule.source.empty())
        paths << QString::fromStdString(rule.source);
    if (paths.size() <= 1)
        return paths.value(0);
    const QString last = paths.takeLast();
    return QStringLiteral("%1 or %2").arg(paths.join(QStringLiteral(", ")), last);
}

// How the format names its records, for counts: "spans" (one: "span").
QString recordNoun(const QString& logFormat, std::int64_t n)
{
    if (logFormat == QLatin1String("otlp"))
        return n == 1 ? QStringLiteral("span") : QStringLiteral("spans");
    if (logFormat == QLatin1String("langfuse"))
        return n == 1 ? QStringLiteral("observation") : QStringLiteral("observations");
    return n == 1 ? QStringLiteral("record") : QStringLiteral("records");
}

struct Context
{
    const FilePreview& p;
    const FieldMapping& mapping;
    QLocale locale = QLocale::system();

    bool userMapping() const { return !p.choice.mappingPath.isEmpty(); }
    // The format leaves the field out entirely (no rule reads it), as opposed to this log's head lacking it.
    bool formatLacks(Field f) const { return !mapping.isIdentity() && !explicitRule(mapping, f); }
    QString n(std::int64_t v) const { return locale.toString(static_cast<qlonglong>(v)); }

    // "Helicone logs carry no client IP", "Your mapping reads no client IP", "None of the first 12 requests
    // has a client IP (read from requester_ip_address)"; empty when the field is there.
    QString missing(Field f, std::int64_t present, const QString& what) const
    {
        if (formatLacks(f)) {
            if (userMapping())
                return QStringLiteral("Your mapping reads no %1").arg(what);
            return QStringLiteral("%1 logs carry no %2").arg(formatTitle(p.logFormat), what);
        }
        if (present > 0 || p.requests == 0)
            return {};
        QString s = p.requests == 1 ? QStringLiteral("The first request has no %1").arg(what)
                                    : QStringLiteral("None of the first %1 requests has a %2").arg(n(p.requests), what);
        if (const FieldMapping::Rule* r = explicitRule(mapping, f))
            s += QStringLiteral(" (read from %1)").arg(displaytext::embedded(sourcesOf(*r)));
        return s;
    }
};

} // namespace

QString formatTitle(const QString& logFormat)
{
    static const QList<QPair<QString, QString>> kTitles {
        { QStringLiteral("canonical"), QStringLiteral("Canonical") },
        { QStringLiteral("litellm"), QStringLiteral("LiteLLM") },
        { QStringLiteral("helicone"), QStringLiteral("Helicone") },
        { QStringLiteral("langfuse"), QStringLiteral("Langfuse") },
        { QStringLiteral("bedrock"), QStringLiteral("AWS Bedrock") },
        { QStringLiteral("otlp"), QStringLiteral("OpenTelemetry") },
        { QStringLiteral("mapping"), QStringLiteral("Your mapping") },
    };
    for (const auto& [name, title] : kTitles)
        if (name == logFormat)
            return title;
    return displaytext::cell(logFormat, 40);
}

QStringList warningsFor(const FilePreview& p, const FieldMapping& mapping)
{
    QStringList out;
    const Context c { p, mapping };
    if (!p.accepted) {
        out << QStringLiteral("This file will be refused: it %1").arg(displaytext::cell(p.refusal, 400));
        return out;
    }
    const std::int64_t read = p.requests + p.accounts + p.quarantined;
    const QString inLines = p.headLines == 1 ? QStringLiteral("in the first line")
                                             : QStringLiteral("in the first %1 lines").arg(c.n(p.headLines));
    if (read == 0) {
        out << (p.skipped > 0
                    ? QStringLiteral("None of the %1 %2 %3 is a model call: nothing of them would be imported")
                          .arg(c.n(p.skipped), recordNoun(p.logFormat, p.skipped), inLines)
                    : QStringLiteral("There is no record to import %1").arg(inLines));
    }
    if (p.quarantined > 0) {
        const PreviewRecord* first = nullptr;
        for (const PreviewRecord& r : p.records)
            if (r.quarantined && !first)
                first = &r;
        QString s = read == 1       ? QStringLiteral("The only %1 would be quarantined").arg(recordNoun(p.logFormat, 1))
            : p.quarantined == read ? QStringLiteral("All of the first %1 %2 would be quarantined")
                                          .arg(c.n(read), recordNoun(p.logFormat, read))
                                    : QStringLiteral("%1 of the first %2 %3 would be quarantined")
                                          .arg(c.n(p.quarantined), c.n(read), recordNoun(p.logFormat, read));
        if (first)
            s += QStringLiteral("; line %1: %2").arg(c.n(first->line), displaytext::embedded(first->reason, 200));
        out << s;
        // A log of a known kind that its content did not give away (an older version, a trimmed export).
        if (p.choice.isAuto() && p.logFormat == QLatin1String("canonical") && p.quarantined * 2 > read)
            out << QStringLiteral("If this log comes from LiteLLM, Helicone, Langfuse, AWS Bedrock or OpenTelemetry, "
                                  "choose that format; else a mapping file names its fields");
    }
    if (p.skipped > 0 && read > 0)
        out << QStringLiteral("%1 %2 %3 %4: left out, counted, not quarantined")
                   .arg(c.n(p.skipped), recordNoun(p.logFormat, p.skipped), inLines,
                        p.skipped == 1 ? QStringLiteral("is not a model call") : QStringLiteral("are not model calls"));
    if (p.kind != RecordKind::Requests)
        return out;

    // What detection then cannot see. Infrastructure links (LinkGraph) use IPs and their networks, user
    // agents, payment fingerprints, e-mail domains and sign-up windows; the last three come from accounts files.
    const QString noIp = c.missing(Field::Ip, p.presence.ip, QStringLiteral("client IP"));
    const QString noAgent = c.missing(Field::UserAgent, p.presence.userAgent, QStringLiteral("user agent"));
    if (!noIp.isEmpty()) {
        // Worded as detection's evidence_gaps reason (model/detect/EvidenceCoverage.cpp), so the two agree.
        const QString restOn = noAgent.isEmpty()
            ? QStringLiteral("user agents, e-mail domains, payment fingerprints and sign-up times")
            : QStringLiteral("e-mail domains, payment fingerprints and sign-up times");
        out << QStringLiteral("%1: no IP or network links; infrastructure links will rest on %2 (from an accounts "
                              "file)")
                   .arg(noIp, restOn);
    }
    if (!noAgent.isEmpty())
        out << QStringLiteral("%1: no user-agent links").arg(noAgent);
    const QString noPrompt = c.missing(Field::Prompt, p.presence.prompt, QStringLiteral("prompt text"));
    if (!noPrompt.isEmpty()) {
        QString s = QStringLiteral("%1: templates, tasks and harvesting cannot be seen, only timing, volume and "
                                   "infrastructure")
                        .arg(noPrompt);
        if (p.logFormat == QLatin1String("litellm"))
            s += QStringLiteral(" (LiteLLM keeps prompts only with store_prompts_in_spend_logs on)");
        out << s;
    }
    const QString noModel = c.missing(Field::Model, p.presence.model, QStringLiteral("model name"));
    if (!noModel.isEmpty())
        out << QStringLiteral("%1: release chasing cannot be seen").arg(noModel);
    const QString noTokens = c.missing(Field::CompletionTokens, p.presence.tokens, QStringLiteral("token count"));
    if (!noTokens.isEmpty())
        out << QStringLiteral("%1: output volumes are not known").arg(noTokens);
    if (p.presence.accountIsKey > 0) {
        const FieldMapping::Rule* account = explicitRule(mapping, Field::AccountId);
        QString s = p.presence.accountIsKey == 1
            ? QStringLiteral("1 of the first %1 requests names no user: its account is its API key id")
                  .arg(c.n(p.requests))
            : QStringLiteral("%1 of the first %2 requests name no user: their account is their API key id")
                  .arg(c.n(p.presence.accountIsKey), c.n(p.requests));
        if (account && account->sources.size() > 1)
            s += QStringLiteral(" (the account is the first of %1)").arg(displaytext::embedded(sourcesOf(*account)));
        out << s;
    }
    if (const FieldMapping::Rule* ts = explicitRule(mapping, Field::Timestamp); ts && ts->zoneMinutes) {
        const int z = *ts->zoneMinutes;
        const QString zone = z == 0 ? QStringLiteral("UTC")
                                    : QStringLiteral("UTC%1%2:%3")
                                          .arg(z < 0 ? QLatin1Char('-') : QLatin1Char('+'))
                                          .arg(std::abs(z) / 60, 2, 10, QLatin1Char('0'))
                                          .arg(std::abs(z) % 60, 2, 10, QLatin1Char('0'));
        out << QStringLiteral("Times without a zone (%1) are read as %2")
                   .arg(displaytext::embedded(sourcesOf(*ts)), zone);
    }
    return out;
}

} // namespace ds::previewwarnings
