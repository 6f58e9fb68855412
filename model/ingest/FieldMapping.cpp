#include "ingest/FieldMapping.h"

#include "ingest/LogFormats.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace ds {

namespace {

constexpr int kMaxExtendsDepth = 4;
constexpr qsizetype kMaxAlternatives = 16;
constexpr qsizetype kMaxKeep = 256;
constexpr std::size_t kMaxIndexedPrefix = 128;
constexpr std::size_t kMaxPrefix = 64;

bool parseZone(const QString& text, int& minutes)
{
    if (text == QLatin1String("UTC") || text == QLatin1String("Z") || text == QLatin1String("utc")) {
        minutes = 0;
        return true;
    }
    // +HH:MM or -HH:MM
    if (text.size() != 6 || (text[0] != QLatin1Char('+') && text[0] != QLatin1Char('-')) || text[3] != QLatin1Char(':'))
        return false;
    bool okH = false, okM = false;
    const int h = text.mid(1, 2).toInt(&okH);
    const int m = text.mid(4, 2).toInt(&okM);
    if (!okH || !okM || h > 23 || m > 59)
        return false;
    minutes = (h * 60 + m) * (text[0] == QLatin1Char('-') ? -1 : 1);
    return true;
}

bool parsePick(const QString& text, Pick& pick)
{
    if (text.isEmpty() || text == QLatin1String("value"))
        pick = Pick::Value;
    else if (text == QLatin1String("text"))
        pick = Pick::Text;
    else if (text == QLatin1String("last_user"))
        pick = Pick::LastUser;
    else if (text == QLatin1String("system"))
        pick = Pick::System;
    else
        return false;
    return true;
}

std::optional<FieldMapping::Source> parseSource(const QJsonValue& v, const QString& field, QString* error)
{
    FieldMapping::Source src;
    QString path;
    if (v.isString()) {
        path = v.toString();
    } else if (v.isObject()) {
        const QJsonObject o = v.toObject();
        if (o.contains(QStringLiteral("value"))) {
            const QJsonValue c = o.value(QStringLiteral("value"));
            src.constant = c.isString() ? c.toString().toStdString() : QString::number(c.toDouble(), 'g', 17).toStdString();
            return src;
        }
        path = o.value(QStringLiteral("from")).toString();
        if (!parsePick(o.value(QStringLiteral("pick")).toString(), src.pick)) {
            *error = QStringLiteral("unknown pick \"%1\" for %2 (use value, text, last_user or system)")
                         .arg(o.value(QStringLiteral("pick")).toString(), field);
            return std::nullopt;
        }
        src.parseJson = o.value(QStringLiteral("json")).toBool(false);
        if (o.contains(QStringLiteral("prefix"))) {
            src.prefix = o.value(QStringLiteral("prefix")).toString().toStdString();
            if (src.prefix.empty() || src.prefix.size() > kMaxPrefix || src.pick != Pick::Value) {
                *error = QStringLiteral("\"prefix\" for %1 must be 1 to %2 characters and comes with pick value only")
                             .arg(field)
                             .arg(kMaxPrefix);
                return std::nullopt;
            }
        }
        if (o.contains(QStringLiteral("indexed"))) {
            src.indexed = o.value(QStringLiteral("indexed")).toString().toStdString();
            // Numbered messages give a prompt; numbered objects (OpenLLMetry's llm.request.functions.N.name, ...)
            // give the tools offered, the one structured field.
            const bool messages = src.pick == Pick::LastUser || src.pick == Pick::System;
            const bool objects = src.pick == Pick::Value && field == QLatin1String("tools");
            if (src.indexed.empty() || src.indexed.size() > kMaxIndexedPrefix || (!messages && !objects)) {
                *error = QStringLiteral("\"indexed\" for %1 needs the attributes' name before the numbers (at most %2 "
                                        "characters, e.g. \"gen_ai.prompt\") and pick last_user or system (for tools: "
                                        "no pick)")
                             .arg(field)
                             .arg(kMaxIndexedPrefix);
                return std::nullopt;
            }
        }
    } else {
        *error = QStringLiteral("the rule for %1 must be a source name or an object with \"from\", \"value\" or \"first_of\"").arg(field);
        return std::nullopt;
    }
    if (path.isEmpty()) {
        *error = QStringLiteral("the rule for %1 names no source field").arg(field);
        return std::nullopt;
    }
    src.path = path.toStdString();
    QString pathError;
    auto compiled = MappingPath::parse(src.path, &pathError);
    if (compiled) {
        src.compiled = std::move(*compiled);
    } else if (src.path.size() > MappingPath::kMaxLength) {
        *error = QStringLiteral("%1: %2").arg(field, pathError);
        return std::nullopt;
    } else {
        // Not a path (a CSV column such as "Cost [USD]"): matched literally.
        src.compiled.steps = {PathStep{PathStep::Kind::Member, src.path, 0}};
    }
    return src;
}


} // namespace

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
        Rule r;
        r.target = f;
        r.source = name;
        r.implicit = true;
        Source s;
        s.path = name;
        s.compiled.steps = {PathStep{PathStep::Kind::Member, name, 0}};
        r.sources.push_back(std::move(s));
        m_rules.push_back(std::move(r));
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
    auto m = fromJson(f.read(1 << 20), error);
    if (!m)
        *error = QStringLiteral("Mapping file %1: %2").arg(path, *error);
    return m;
}

std::optional<FieldMapping> FieldMapping::fromJson(const QByteArray& json, QString* error)
{
    if (json.size() > 1 << 20) {
        *error = QStringLiteral("larger than 1 MB; a mapping is a few lines of JSON");
        return std::nullopt;
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (doc.isNull()) {
        *error = QStringLiteral("not valid JSON (%1 at byte %2)").arg(pe.errorString()).arg(pe.offset);
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = QStringLiteral("expected an object with a \"fields\" object, e.g. {\"fields\": {\"account_id\": \"user.id\"}}");
        return std::nullopt;
    }
    try {
        return fromObject(doc.object(), error, 0);
    } catch (const std::bad_alloc&) {
        *error = QStringLiteral("too large to hold in memory");
        return std::nullopt;
    }
}

std::optional<FieldMapping> FieldMapping::fromObject(const QJsonObject& given, QString* error, int depth)
{
    QJsonObject root = given;
    QString formatName = root.value(QStringLiteral("format")).toString();
    if (root.contains(QStringLiteral("extends"))) {
        const QString base = root.value(QStringLiteral("extends")).toString();
        if (depth >= kMaxExtendsDepth) {
            *error = QStringLiteral("\"extends\" goes deeper than %1 levels").arg(kMaxExtendsDepth);
            return std::nullopt;
        }
        const QByteArray baseText = logformats::presetJson(base);
        if (baseText.isEmpty()) {
            *error = QStringLiteral("\"extends\": \"%1\" is not a format (%2)").arg(base, logformats::presetNames().join(QStringLiteral(", ")));
            return std::nullopt;
        }
        QJsonObject merged = QJsonDocument::fromJson(baseText).object();
        // The user's fields replace the preset's one by one; other keys replace the preset's whole.
        QJsonObject fields = merged.value(QStringLiteral("fields")).toObject();
        const QJsonObject own = root.value(QStringLiteral("fields")).toObject();
        for (auto it = own.begin(); it != own.end(); ++it)
            fields.insert(it.key(), it.value());
        for (auto it = root.begin(); it != root.end(); ++it)
            if (it.key() != QLatin1String("extends") && it.key() != QLatin1String("fields"))
                merged.insert(it.key(), it.value());
        merged.insert(QStringLiteral("fields"), fields);
        merged.remove(QStringLiteral("format"));
        auto m = fromObject(merged, error, depth + 1);
        if (m && formatName.isEmpty())
            m->m_formatName = base;
        else if (m)
            m->m_formatName = formatName;
        return m;
    }
    if (!root.value(QStringLiteral("fields")).isObject()) {
        *error = QStringLiteral("expected an object with a \"fields\" object, e.g. {\"fields\": {\"account_id\": \"user.id\"}}");
        return std::nullopt;
    }
    FieldMapping m;
    m.m_rules.clear();
    m.m_identity = false;
    m.m_formatName = formatName;
    const QJsonObject fields = root.value(QStringLiteral("fields")).toObject();
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        const std::string targetName = it.key().toStdString();
        const Field target = fieldFromName(targetName);
        if (target == Field::Unknown) {
            *error = QStringLiteral("\"%1\" is not a field of the canonical format").arg(it.key().left(80));
            return std::nullopt;
        }
        Rule rule;
        rule.target = target;
        const QJsonObject spec = it.value().isObject() ? it.value().toObject() : QJsonObject();
        if (it.value().isObject() && spec.contains(QStringLiteral("first_of"))) {
            const QJsonArray alts = spec.value(QStringLiteral("first_of")).toArray();
            if (alts.isEmpty() || alts.size() > kMaxAlternatives) {
                *error = QStringLiteral("\"first_of\" for %1 needs 1 to %2 sources").arg(it.key()).arg(kMaxAlternatives);
                return std::nullopt;
            }
            for (const QJsonValue& alt : alts) {
                auto src = parseSource(alt, it.key(), error);
                if (!src)
                    return std::nullopt;
                rule.sources.push_back(std::move(*src));
            }
        } else {
            auto src = parseSource(it.value(), it.key(), error);
            if (!src)
                return std::nullopt;
            rule.sources.push_back(std::move(*src));
        }
        if (rule.sources.size() == 1 && rule.sources[0].constant)
            rule.constant = rule.sources[0].constant;
        rule.source = rule.sources[0].path;
        if (it.value().isObject()) {
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
                             .arg(conv.left(80), it.key());
                return std::nullopt;
            }
            const bool isTime = target == Field::Timestamp || target == Field::CreatedAt;
            if (rule.convert != Convert::None && !isTime) {
                *error = QStringLiteral("conversion \"%1\" applies to timestamp and created_at only, not %2").arg(conv, it.key());
                return std::nullopt;
            }
            if (spec.contains(QStringLiteral("zone"))) {
                int minutes = 0;
                if (!parseZone(spec.value(QStringLiteral("zone")).toString(), minutes)) {
                    *error = QStringLiteral("the zone for %1 must be \"UTC\" or an offset such as \"+02:00\"").arg(it.key());
                    return std::nullopt;
                }
                if (!isTime) {
                    *error = QStringLiteral("\"zone\" applies to timestamp and created_at only, not %1").arg(it.key());
                    return std::nullopt;
                }
                rule.zoneMinutes = minutes;
            }
        }
        for (const Source& s : rule.sources)
            if (!s.constant && (s.pick != Pick::Value || s.parseJson || !s.indexed.empty() || !s.prefix.empty()
                                || !s.compiled.isPlainMembers()))
                m.m_needsDocument = true;
        if (rule.sources.size() > 1)
            m.m_needsDocument = true;
        m.m_rules.push_back(std::move(rule));
    }
    if (root.contains(QStringLiteral("records"))) {
        const QString text = root.value(QStringLiteral("records")).toString();
        auto p = MappingPath::parse(text.toStdString(), error);
        if (!p) {
            *error = QStringLiteral("\"records\": %1").arg(*error);
            return std::nullopt;
        }
        m.m_records = std::move(*p);
        m.m_recordsText = text.toStdString();
        m.m_needsDocument = true;
    }
    if (root.contains(QStringLiteral("where"))) {
        const QJsonObject w = root.value(QStringLiteral("where")).toObject();
        Condition c;
        const QJsonArray alternatives = w.contains(QStringLiteral("first_of")) ? w.value(QStringLiteral("first_of")).toArray()
                                                                              : QJsonArray{w.value(QStringLiteral("from"))};
        if (alternatives.isEmpty() || alternatives.size() > kMaxAlternatives) {
            *error = QStringLiteral("\"where\" needs {\"from\": PATH} or {\"first_of\": [1 to %1 paths]}").arg(kMaxAlternatives);
            return std::nullopt;
        }
        for (const QJsonValue& alt : alternatives) {
            c.pathTexts.push_back(alt.toString().toStdString());
            auto p = MappingPath::parse(c.pathTexts.back(), error);
            if (!p) {
                *error = QStringLiteral("\"where\" needs {\"from\": PATH} or {\"first_of\": [PATH, ...]} (%1)").arg(*error);
                return std::nullopt;
            }
            c.paths.push_back(std::move(*p));
        }
        if (w.contains(QStringLiteral("equals")))
            c.equals = w.value(QStringLiteral("equals")).toString().toStdString();
        m.m_where = std::move(c);
        m.m_needsDocument = true;
    }
    if (root.contains(QStringLiteral("keep"))) {
        const QJsonArray keep = root.value(QStringLiteral("keep")).toArray();
        if (keep.size() > kMaxKeep) {
            *error = QStringLiteral("\"keep\" lists more than %1 fields").arg(kMaxKeep);
            return std::nullopt;
        }
        for (const QJsonValue& k : keep) {
            const std::string text = k.toString().toStdString();
            auto p = MappingPath::parse(text, error);
            if (!p) {
                *error = QStringLiteral("\"keep\": %1").arg(*error);
                return std::nullopt;
            }
            // Kept under the path as written, or, for a path through arrays and attributes, its last name.
            const std::string name = p->isPlainMembers() ? text : p->steps.back().name;
            if (name.empty()) {
                *error = QStringLiteral("\"keep\": the path \"%1\" ends without a name").arg(k.toString().left(80));
                return std::nullopt;
            }
            m.m_keep.emplace_back(name, std::move(*p));
        }
        m.m_keepAll = false;
        m.m_needsDocument = true;
    }
    const QJsonArray detect = root.value(QStringLiteral("detect")).toArray();
    const bool detectSets = !detect.isEmpty() && detect.first().isArray();
    for (const QJsonValue& set : detectSets ? detect : QJsonArray{detect}) {
        if (m.m_detect.size() >= 4)
            break;
        std::vector<std::string> names;
        for (const QJsonValue& d : set.toArray())
            if (names.size() < 16)
                names.push_back(d.toString().toStdString());
        if (!names.empty())
            m.m_detect.push_back(std::move(names));
    }
    for (const Rule& r : m.m_rules) {
        if (r.constant || !r.sources[0].compiled.isPlainMembers())
            continue;
        for (std::size_t dot = r.source.find('.'); dot != std::string::npos; dot = r.source.find('.', dot + 1))
            m.m_prefixes.push_back(r.source.substr(0, dot));
    }
    m.addIdentityRules();
    m.m_json = QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Compact));
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

std::optional<std::int64_t> FieldMapping::decimalToEpochMillis(std::string_view text, Convert c)
{
    const std::size_t dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    const std::string_view fraction = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
    const auto allDigits = [](std::string_view s) {
        return std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    };
    // Up to 19 digits fit an unsigned 64-bit integer; a time in nanoseconds has 19, so the limit is int64's.
    if (whole.empty() || whole.size() > 19 || !allDigits(whole) || !allDigits(fraction)
        || (dot != std::string_view::npos && fraction.empty()))
        return std::nullopt;
    std::uint64_t units = 0;
    for (char ch : whole)
        units = units * 10 + static_cast<std::uint64_t>(ch - '0');
    if (whole.size() == 19 && whole > std::string_view("9223372036854775807"))
        return std::nullopt;
    std::uint64_t ms = 0;
    switch (c) {
    case Convert::EpochSeconds: {
        if (units > 1000000000000ULL) // beyond year 30,000: not seconds
            return std::nullopt;
        std::uint64_t millis = 0;
        for (std::size_t i = 0; i < 3; ++i)
            millis = millis * 10 + (i < fraction.size() ? static_cast<std::uint64_t>(fraction[i] - '0') : 0);
        ms = units * 1000 + millis;
        break;
    }
    case Convert::None:
    case Convert::EpochMillis: ms = units; break;
    case Convert::EpochMicros: ms = units / 1000; break;
    case Convert::EpochNanos: ms = units / 1000000; break;
    }
    if (ms > 1000000000000000ULL)
        return std::nullopt;
    return static_cast<std::int64_t>(ms);
}

} // namespace ds
