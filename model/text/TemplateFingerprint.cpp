#include "text/TemplateFingerprint.h"

#include "text/PromptFeatures.h"

#include <QRegularExpression>

namespace ds::templatefingerprint {

namespace {

const QString kPrefix = QStringLiteral("ds-skeleton-v");

std::optional<std::uint64_t> hex16(const QString& digits)
{
    static const QRegularExpression re(QStringLiteral("^[0-9a-fA-F]{16}$"));
    if (!re.match(digits).hasMatch())
        return std::nullopt;
    bool ok = false;
    const std::uint64_t v = digits.toULongLong(&ok, 16);
    return ok ? std::optional<std::uint64_t>(v) : std::nullopt;
}

} // namespace

std::uint64_t compute(std::string_view systemPrompt, std::string_view prompt)
{
    return extractPromptFeatures(systemPrompt, prompt, 0).skeletonHash;
}

QString text(std::uint64_t skeletonHash)
{
    return QStringLiteral("%1%2:%3").arg(kPrefix).arg(kVersion).arg(static_cast<qulonglong>(skeletonHash), 16, 16, QLatin1Char('0'));
}

Parsed parse(const QString& value)
{
    Parsed p;
    if (!value.startsWith(kPrefix)) {
        // Exports before the fingerprint had a version wrote the bare hash; their rules are version 1's.
        if ((p.hash = hex16(value)))
            return p;
        p.why = QStringLiteral("a template fingerprint that is not Distillscope's (expected \"%1%2:\" and 16 hex digits)")
                    .arg(kPrefix)
                    .arg(kVersion);
        return p;
    }
    const qsizetype colon = value.indexOf(QLatin1Char(':'));
    bool ok = false;
    const int version = colon > kPrefix.size() ? value.mid(kPrefix.size(), colon - kPrefix.size()).toInt(&ok) : 0;
    if (!ok) {
        p.why = QStringLiteral("a template fingerprint without a readable version");
        return p;
    }
    if (version != kVersion) {
        p.why = QStringLiteral("a template fingerprint of version %1 (this Distillscope computes version %2)").arg(version).arg(kVersion);
        return p;
    }
    if (!(p.hash = hex16(value.mid(colon + 1))))
        p.why = QStringLiteral("a version %1 template fingerprint that is not 16 hex digits").arg(kVersion);
    return p;
}

} // namespace ds::templatefingerprint
