#include "indicators/BundleReader.h"

#include "core/FileDigest.h"
#include "core/Timestamp.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <map>

namespace ds::indicators {

namespace {

// A refusal: one sentence, carried out of the checks.
struct Refused
{
    QString sentence;
};

QString str(const QJsonObject& o, const char* key) { return o.value(QLatin1String(key)).toString(); }

// "indicator--<uuid>": STIX identifiers are the object's type, two dashes and a UUID.
bool isStixId(const QString& id, const QString& type)
{
    static const QRegularExpression re(QStringLiteral("^([a-z0-9-]+)--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"));
    const auto m = re.match(id);
    return m.hasMatch() && (type.isEmpty() || m.captured(1) == type);
}

// Object ids are partner text: short and on one line in a refusal sentence.
QString shown(const QString& id)
{
    QString s = id.left(80);
    for (QChar& c : s)
        if (c.category() == QChar::Other_Control)
            c = QLatin1Char(' ');
    return id.size() > 80 ? s + QStringLiteral("…") : s;
}

std::int64_t requiredTime(const QJsonObject& o, const char* key, const QString& id)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (!v.isString())
        throw Refused{QStringLiteral("The bundle is refused: indicator %1 has no %2 timestamp.").arg(shown(id), QLatin1String(key))};
    const QByteArray t = v.toString().toUtf8();
    const auto ms = timestamp::parseRfc3339(std::string_view(t.constData(), static_cast<std::size_t>(t.size())));
    if (!ms)
        throw Refused{QStringLiteral("The bundle is refused: the %1 of indicator %2 is not a STIX timestamp.").arg(QLatin1String(key), shown(id))};
    return *ms;
}

PartnerIndicator readIndicator(const QJsonObject& o, const QString& id, const QHash<QString, QString>& identities)
{
    if (str(o, "spec_version") != QLatin1String("2.1"))
        throw Refused{QStringLiteral("The bundle is refused: indicator %1 is not STIX 2.1 (its spec_version is not \"2.1\").").arg(shown(id))};
    PartnerIndicator ind;
    ind.stixId = id;
    ind.name = str(o, "name");
    if (!o.value(QLatin1String("pattern")).isString() || str(o, "pattern").trimmed().isEmpty())
        throw Refused{QStringLiteral("The bundle is refused: indicator %1 has no pattern.").arg(shown(id))};
    ind.pattern = str(o, "pattern");
    if (!o.value(QLatin1String("pattern_type")).isString() || str(o, "pattern_type").isEmpty())
        throw Refused{QStringLiteral("The bundle is refused: indicator %1 has no pattern_type.").arg(shown(id))};
    ind.patternType = str(o, "pattern_type");
    ind.validFrom = requiredTime(o, "valid_from", id);
    if (o.contains(QLatin1String("valid_until"))) {
        ind.validUntil = requiredTime(o, "valid_until", id);
        if (*ind.validUntil <= ind.validFrom)
            throw Refused{QStringLiteral("The bundle is refused: indicator %1 is valid until a time before it is valid from.").arg(shown(id))};
    }
    if (o.contains(QLatin1String("confidence"))) {
        const QJsonValue c = o.value(QLatin1String("confidence"));
        const double d = c.toDouble(-1);
        if (!c.isDouble() || d < 0 || d > 100 || d != static_cast<int>(d))
            throw Refused{QStringLiteral("The bundle is refused: the confidence of indicator %1 is not a whole number from 0 to 100.").arg(shown(id))};
        ind.confidence = static_cast<int>(d);
    }
    const QString by = str(o, "created_by_ref");
    ind.producer = identities.value(by, by);
    return ind;
}

Bundle read(const QByteArray& bytes)
{
    if (bytes.size() > kMaxBundleBytes)
        throw Refused{QStringLiteral("The bundle is refused: it is larger than %1 MB.").arg(kMaxBundleBytes / (1024 * 1024))};
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &err);
    if (err.error != QJsonParseError::NoError)
        throw Refused{QStringLiteral("The bundle is refused: it is not JSON (%1 at byte %2).").arg(err.errorString()).arg(err.offset)};
    if (!doc.isObject() || str(doc.object(), "type") != QLatin1String("bundle"))
        throw Refused{QStringLiteral("The bundle is refused: it is not a STIX bundle (no \"type\": \"bundle\" at its top).")};
    const QJsonObject top = doc.object();
    Bundle b;
    b.stixId = str(top, "id");
    if (!isStixId(b.stixId, QStringLiteral("bundle")))
        throw Refused{QStringLiteral("The bundle is refused: its id is not a STIX bundle id (bundle--<UUID>).")};
    if (!top.value(QLatin1String("objects")).isArray())
        throw Refused{QStringLiteral("The bundle is refused: it has no \"objects\" array.")};
    const QJsonArray objects = top.value(QLatin1String("objects")).toArray();
    if (objects.size() > kMaxObjects)
        throw Refused{QStringLiteral("The bundle is refused: it has more than %1 objects.").arg(kMaxObjects)};
    b.objects = static_cast<int>(objects.size());

    // Identities first: an indicator may name its producer before the identity appears.
    QHash<QString, QString> identities;
    for (qsizetype i = 0; i < objects.size(); ++i) {
        if (!objects[i].isObject())
            throw Refused{QStringLiteral("The bundle is refused: its object %1 is not a JSON object.").arg(i + 1)};
        const QJsonObject o = objects[i].toObject();
        const QString type = str(o, "type"), id = str(o, "id");
        if (type.isEmpty() || !isStixId(id, type))
            throw Refused{QStringLiteral("The bundle is refused: its object %1 has no type or no id of the form type--<UUID>.").arg(i + 1)};
        if (type == QLatin1String("identity") && !str(o, "name").isEmpty())
            identities.insert(id, str(o, "name"));
    }
    std::map<QString, int> producers;
    for (const auto& v : objects) {
        const QJsonObject o = v.toObject();
        if (str(o, "type") != QLatin1String("indicator"))
            continue;
        b.indicators.push_back(readIndicator(o, str(o, "id"), identities));
        if (!b.indicators.back().producer.isEmpty())
            ++producers[b.indicators.back().producer];
    }
    int most = 0;
    for (const auto& [name, n] : producers)
        if (n > most) {
            most = n;
            b.producer = name;
        }
    Sha256Stream sha;
    sha.add(bytes.constData(), static_cast<std::size_t>(bytes.size()));
    b.sha256 = sha.finish().sha256Hex;
    return b;
}

} // namespace

ReadResult readBundle(const QByteArray& bytes)
{
    ReadResult r;
    try {
        r.bundle = read(bytes);
    } catch (const Refused& e) {
        r.refusal = e.sentence;
    }
    return r;
}

ReadResult readBundleFile(const QString& path)
{
    ReadResult r;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        r.refusal = QStringLiteral("The bundle cannot be read: %1.").arg(f.errorString());
        return r;
    }
    if (f.size() > kMaxBundleBytes) {
        r.refusal = QStringLiteral("The bundle is refused: it is larger than %1 MB.").arg(kMaxBundleBytes / (1024 * 1024));
        return r;
    }
    return readBundle(f.read(kMaxBundleBytes + 1));
}

} // namespace ds::indicators
