#include "ingest/LogFormats.h"

#include "ingest/FormatSniffer.h"

#include <QFile>

#include <algorithm>
#include <map>
#include <mutex>

namespace ds::logformats {

namespace {

// In the order they are tried when sniffing: the canonical format last, as what is left.
const QStringList& names()
{
    static const QStringList kNames{QStringLiteral("canonical"), QStringLiteral("litellm"), QStringLiteral("helicone"),
                                    QStringLiteral("langfuse"),  QStringLiteral("bedrock"), QStringLiteral("otlp")};
    return kNames;
}

struct Compiled
{
    std::map<QString, std::shared_ptr<const FieldMapping>> byName;
};

const Compiled& compiled()
{
    static const Compiled c = [] {
        Compiled out;
        for (const QString& name : names()) {
            if (name == QLatin1String("canonical")) {
                out.byName[name] = std::make_shared<const FieldMapping>();
                continue;
            }
            QString error;
            auto m = FieldMapping::fromJson(presetJson(name), &error);
            // A shipped preset that does not load is a build defect: tst_logformats loads each one.
            if (m)
                out.byName[name] = std::make_shared<const FieldMapping>(std::move(*m));
        }
        return out;
    }();
    return c;
}

} // namespace

QStringList presetNames() { return names(); }

QByteArray presetJson(const QString& name)
{
    if (!names().contains(name))
        return {};
    QFile f(QStringLiteral(":/formats/%1.json").arg(name));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

std::shared_ptr<const FieldMapping> presetMapping(const QString& name)
{
    const auto& c = compiled().byName;
    const auto it = c.find(name);
    return it == c.end() ? nullptr : it->second;
}

QString presetForKeys(const std::vector<std::string>& sortedKeys)
{
    for (const QString& name : names()) {
        const auto m = presetMapping(name);
        if (!m || m->detect().empty())
            continue;
        for (const std::vector<std::string>& set : m->detect()) {
            const bool all = std::all_of(set.begin(), set.end(), [&](const std::string& k) {
                return std::binary_search(sortedKeys.begin(), sortedKeys.end(), k);
            });
            if (all)
                return name;
        }
    }
    return {};
}

QString detectFormat(const QString& path, QString* why)
{
    const SniffResult r = sniffLogFile(path, FieldMapping());
    if (!r.ok) {
        if (why)
            *why = r.refusal;
        return {};
    }
    return r.logFormat;
}

} // namespace ds::logformats
