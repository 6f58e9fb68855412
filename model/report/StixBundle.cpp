#include "report/StixBundle.h"

#include "core/Timestamp.h"
#include "text/TemplateFingerprint.h"

#include <QJsonArray>
#include <QUuid>

#include <algorithm>

namespace ds::stix {

namespace {

// Distillscope's namespace for STIX ids (a fixed random UUID: never change it, or ids change).
const QUuid kNamespace(QStringLiteral("6f1c4f0e-8a5b-4f51-9d3e-2b7c0c7d9a41"));

QString stixId(const QString& type, const QString& content)
{
    return type + QStringLiteral("--") + QUuid::createUuidV5(kNamespace, type + QLatin1Char('|') + content).toString(QUuid::WithoutBraces);
}

constexpr int kMaxTemplateIndicators = kNamedTemplatesPerNetwork; // per network, each named in words

QString stamp(std::int64_t ms) { return timestamp::toIso(ms); }

QString indicatorName(const SharedValue& v)
{
    return QStringLiteral("%1 shared by a distillation network: %2").arg(valueKindLabel(v.kind), v.displayValue());
}

QString indicatorDescription(const SharedValue& v)
{
    QString d = QStringLiteral("Used by %1 accounts of the network and by %2 accounts of the whole case.")
                    .arg(v.memberAccounts)
                    .arg(v.populationAccounts);
    if (v.kind == ValueKind::PromptTemplate)
        d += QStringLiteral(" The value is Distillscope's versioned prompt-template fingerprint (version %1): xxh3-64 of the "
                            "prompt with numbers, names, quoted text and code masked; Distillscope's docs/TEMPLATE_FINGERPRINT.md "
                            "tells how to compute it.")
                 .arg(templatefingerprint::kVersion);
    if (v.kind == ValueKind::PaymentFingerprint)
        d += QStringLiteral(" The value is the payment processor's stable fingerprint of the card or account.");
    return d;
}

} // namespace

QString quoted(const QString& text)
{
    QString s = text;
    s.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return QLatin1Char('\'') + s + QLatin1Char('\'');
}

QString patternFor(const SharedValue& v)
{
    switch (v.kind) {
    case ValueKind::Ip:
        return QStringLiteral("[%1:value = %2]").arg(v.value.contains(QLatin1Char(':')) ? QStringLiteral("ipv6-addr") : QStringLiteral("ipv4-addr"), quoted(v.value));
    case ValueKind::Network:
        return QStringLiteral("[%1:value ISSUBSET %2]").arg(v.value.contains(QLatin1Char(':')) ? QStringLiteral("ipv6-addr") : QStringLiteral("ipv4-addr"), quoted(v.value));
    case ValueKind::UserAgent:
        return QStringLiteral("[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = %1]").arg(quoted(v.value));
    case ValueKind::EmailDomain:
        // The sign-up address's domain: any address at it matches.
        return QStringLiteral("[email-addr:value LIKE %1]").arg(quoted(QStringLiteral("%@") + v.value));
    case ValueKind::PaymentFingerprint:
        return QStringLiteral("[user-account:x_payment_fingerprint = %1]").arg(quoted(v.value));
    case ValueKind::PromptTemplate:
        // SharedValue holds the bare 16 hex digits; the shared value carries its version (text/TemplateFingerprint.h).
        return QStringLiteral("[x-llm-api-request:x_prompt_template_fingerprint = %1]")
            .arg(quoted(templatefingerprint::text(v.value.toULongLong(nullptr, 16))));
    }
    return {};
}

QJsonObject buildBundle(const QString& caseId, const QString& producer, std::int64_t runFinishedAt,
                        const std::vector<ConfirmedNetwork>& networks, const std::vector<NetworkInfrastructure>& infrastructure)
{
    const QString created = stamp(runFinishedAt);
    const QString producerName = producer.isEmpty() ? QStringLiteral("Distillscope") : producer;
    const QString identity = stixId(QStringLiteral("identity"), producerName);
    QJsonArray objects;
    objects.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("identity")},
                               {QStringLiteral("spec_version"), QStringLiteral("2.1")},
                               {QStringLiteral("id"), identity},
                               {QStringLiteral("created"), created},
                               {QStringLiteral("modified"), created},
                               {QStringLiteral("name"), producerName},
                               {QStringLiteral("identity_class"), producer.isEmpty() ? QStringLiteral("system") : QStringLiteral("individual")}});
    QJsonArray indicators, relationships;
    QStringList seenIndicators;
    for (std::size_t n = 0; n < networks.size(); ++n) {
        const auto& net = networks[n];
        QStringList members;
        for (const auto& m : net.members)
            members << m.accountId;
        members.sort();
        const QString campaign = stixId(QStringLiteral("campaign"), caseId + QLatin1Char('|') + members.join(QLatin1Char(',')));
        objects.append(QJsonObject{
            {QStringLiteral("type"), QStringLiteral("campaign")},
            {QStringLiteral("spec_version"), QStringLiteral("2.1")},
            {QStringLiteral("id"), campaign},
            {QStringLiteral("created_by_ref"), identity},
            {QStringLiteral("created"), created},
            {QStringLiteral("modified"), created},
            {QStringLiteral("name"), caseId.isEmpty() ? net.cluster.label : caseId + QStringLiteral(" ") + net.cluster.label},
            {QStringLiteral("description"),
             QStringLiteral("Distillation attack: %1 accounts harvesting model outputs through the API (%2 requests, %3 output "
                            "tokens), confirmed by an analyst.")
                 .arg(net.members.size())
                 .arg(net.cluster.requests)
                 .arg(net.cluster.outputTokens)},
            {QStringLiteral("first_seen"), stamp(net.cluster.firstTs)},
            {QStringLiteral("last_seen"), stamp(net.cluster.lastTs)},
            {QStringLiteral("objective"), QStringLiteral("Harvest model outputs as training data (model distillation).")}});
        if (n >= infrastructure.size())
            continue;
        int templates = 0;
        for (const SharedValue& v : infrastructure[n].values) {
            if (!v.isIndicator() || v.value.isEmpty())
                continue;
            // Values come most-used first; thousands of template fingerprints drown the ones that matter.
            if (v.kind == ValueKind::PromptTemplate && ++templates > kMaxTemplateIndicators)
                continue;
            const QString pattern = patternFor(v);
            const QString id = stixId(QStringLiteral("indicator"), pattern);
            if (!seenIndicators.contains(id)) {
                seenIndicators << id;
                indicators.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("indicator")},
                                              {QStringLiteral("spec_version"), QStringLiteral("2.1")},
                                              {QStringLiteral("id"), id},
                                              {QStringLiteral("created_by_ref"), identity},
                                              {QStringLiteral("created"), created},
                                              {QStringLiteral("modified"), created},
                                              {QStringLiteral("name"), indicatorName(v)},
                                              {QStringLiteral("description"), indicatorDescription(v)},
                                              {QStringLiteral("indicator_types"), QJsonArray{QStringLiteral("malicious-activity")}},
                                              {QStringLiteral("pattern"), pattern},
                                              {QStringLiteral("pattern_type"), QStringLiteral("stix")},
                                              {QStringLiteral("pattern_version"), QStringLiteral("2.1")},
                                              {QStringLiteral("valid_from"), stamp(net.cluster.firstTs)},
                                              {QStringLiteral("labels"), QJsonArray{valueKindKey(v.kind)}}});
            }
            relationships.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("relationship")},
                                             {QStringLiteral("spec_version"), QStringLiteral("2.1")},
                                             {QStringLiteral("id"), stixId(QStringLiteral("relationship"), id + QStringLiteral("|indicates|") + campaign)},
                                             {QStringLiteral("created_by_ref"), identity},
                                             {QStringLiteral("created"), created},
                                             {QStringLiteral("modified"), created},
                                             {QStringLiteral("relationship_type"), QStringLiteral("indicates")},
                                             {QStringLiteral("source_ref"), id},
                                             {QStringLiteral("target_ref"), campaign}});
        }
    }
    for (const auto& o : indicators)
        objects.append(o);
    for (const auto& o : relationships)
        objects.append(o);
    QStringList ids;
    for (const auto& o : objects)
        ids << o.toObject().value(QStringLiteral("id")).toString();
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("bundle")},
                       {QStringLiteral("id"), stixId(QStringLiteral("bundle"), ids.join(QLatin1Char(',')))},
                       {QStringLiteral("objects"), objects}};
}

} // namespace ds::stix
