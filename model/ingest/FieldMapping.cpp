#include "ingest/FieldMapping.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace ds {

FieldMapping::FieldMapping() { addIdentityRules(); }

void FieldMapping::addIdentityRules()
{
    for (int i = 0; i < kFieldCount; ++i) {
        const auto f = static_cast<Field>(i);
        const bool targeted = std::any_of(m_rules.begin(), m_rules.end(), [f](const Rule& r) { return r.target == f; });
        if (targeted)
            continue;
        const std::string name(fieldName(f));
        // A source field consumed by an explicit rule is not also read as itself.
        if (ruleForSource(name) >= 0)
            continue;
        m_rules.push_back(Rule{f, name, Convert::None, std::nullopt});
    }
}

std::optional<FieldMapping> FieldMapping::fromFile(const QString& path, QString* error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("Cannot read the mapping file %1: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    if (f.size() > 1 << 20) {
        *error = QStringLiteral("The mapping file %1 is larger than 1 MB; a mapping is a few lines of JSON.").arg(path);
        return std::nullopt;
    }
    auto m = fromJson(f.readAll(), error);
    if (!m)
        *error = QStringLiteral("Mapping file %1: %2").arg(path, *error);
    return m;
}

std::optional<FieldMapping> FieldMapping::fromJson(const QByteArray& json, QString* error)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (doc.isNull()) {
        *error = QStringLiteral("not valid JSON (%1 at byte %2)").arg(pe.errorString()).arg(pe.offset);
        return std::nullopt;
    }
    if (!doc.isObject() || !doc.object().value(QStringLiteral("fields")).isObject()) {
        *error = QStringLiteral("expected an object with a \"fields\" object, e.g. {\"fields\": {\"account_id\": \"user.id\"}}");
        return std::nullopt;
    }
    FieldMapping m;
    m.m_rules.clear();
    m.m_identity = false;
    const QJsonObject fields = doc.object().value(QStringLiteral("fields")).toObject();
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        const std::string targetName = it.key().toStdString();
        const Field target = fieldFromName(targetName);
        if (target == Field::Unknown) {
            *error = QStringLiteral("\"%1\" is not a field of the canonical format").arg(it.key());
            return std::nullopt;
        }
        Rule rule;
        rule.target = target;
        if (it.value().isString()) {
            rule.source = it.value().toString().toStdString();
        } else if (it.value().isObject()) {
            const QJsonObject spec = it.value().toObject();
            if (spec.contains(QStringLiteral("value"))) {
                const QJsonValue v = spec.value(QStringLiteral("value"));
                rule.constant = v.isString() ? v.toString().toStdString()
                                             : QString::number(v.toDouble(), 'g', 17).toStdString();
            } else {
                rule.source = spec.value(QStringLiteral("from")).toString().toStdString();
            }
            const QString conv = spec.value(QStringLiteral("convert")).toString();
            if (conv.isEmpty() || conv == QLatin1String("none"))
                rule.convert = Convert::None;
            else if (conv == QLatin1String("epoch_s"))
                rule.convert = Convert::EpochSeconds;
            else if (conv == QLatin1String("epoch_ms"))
                rule.convert = Convert::EpochMillis;
            else if (conv == QLatin1String("epoch_us"))
                rule.convert = Convert::EpochMicros;
            else if (conv == QLatin1String("epoch_ns"))
                rule.convert = Convert::EpochNanos;
            else {
                *error = QStringLiteral("unknown conversion \"%1\" for %2 (use epoch_s, epoch_ms, epoch_us or epoch_ns)")
                             .arg(conv, it.key());
                return std::nullopt;
            }
            if (rule.convert != Convert::None && target != Field::Timestamp && target != Field::CreatedAt) {
                *error = QStringLiteral("conversion \"%1\" applies to timestamp and created_at only, not %2").arg(conv, it.key());
                return std::nullopt;
            }
        } else {
            *error = QStringLiteral("the rule for %1 must be a source name or an object with \"from\" or \"value\"").arg(it.key());
            return std::nullopt;
        }
        if (!rule.constant && rule.source.empty()) {
            *error = QStringLiteral("the rule for %1 names no source field").arg(it.key());
            return std::nullopt;
        }
        m.m_rules.push_back(std::move(rule));
    }
    for (const Rule& r : m.m_rules) {
        for (std::size_t dot = r.source.find('.'); dot != std::string::npos; dot = r.source.find('.', dot + 1))
            m.m_prefixes.push_back(r.source.substr(0, dot));
    }
    m.addIdentityRules();
    m.m_json = QString::fromUtf8(QJsonDocument(doc.object()).toJson(QJsonDocument::Compact));
    return m;
}

int FieldMapping::ruleForSource(std::string_view path) const
{
    for (std::size_t i = 0; i < m_rules.size(); ++i)
        if (!m_rules[i].constant && m_rules[i].source == path)
            return static_cast<int>(i);
    return -1;
}

bool FieldMapping::isPathPrefix(std::string_view prefix) const
{
    return std::find(m_prefixes.begin(), m_prefixes.end(), prefix) != m_prefixes.end();
}

std::optional<std::int64_t> FieldMapping::toEpochMillis(double v, Convert c)
{
    double ms = v;
    switch (c) {
    case Convert::EpochSeconds: ms = v * 1000.0; break;
    case Convert::EpochMicros: ms = v / 1000.0; break;
    case Convert::EpochNanos: ms = v / 1.0e6; break;
    case Convert::None:
    case Convert::EpochMillis: break;
    }
    if (!std::isfinite(ms) || ms < -1.0e15 || ms > 1.0e15)
        return std::nullopt;
    return static_cast<std::int64_t>(std::floor(ms));
}

} // namespace ds
