#include "indicators/BundleReader.h"
#include "indicators/PatternPlan.h"
#include "indicators/StixPattern.h"

#include <QByteArray>
#include <QString>

// libFuzzer entry: partners' STIX 2.1 bundles (issue 18). The bytes are read as a bundle, each indicator of one
// that is accepted is planned and its tests run on a few values; the same bytes are also parsed as a pattern on
// their own, so the pattern grammar is reached without a JSON wrapper.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const auto read = ds::indicators::readBundle(bytes);
    if (!read.bundle && read.refusal.isEmpty())
        __builtin_trap(); // a refused bundle always says why
    const auto probe = [](const ds::indicators::IndicatorPlan& plan) {
        if (!plan.evaluable() && plan.why.isEmpty())
            __builtin_trap();
        for (const auto& t : plan.tests) {
            t.matchesAddress(QStringLiteral("185.196.110.7"));
            t.matchesAddress(QStringLiteral("2001:db8::1"));
            t.matchesText(QStringLiteral("hydra-client/1.0 (x86_64)"));
        }
        (void)plan.summary();
    };
    if (read.bundle)
        for (const auto& ind : read.bundle->indicators)
            probe(ds::indicators::planFor(ind.patternType, ind.pattern));
    const QString pattern = QString::fromUtf8(bytes);
    const auto parsed = ds::stixpattern::parse(pattern);
    if (!parsed.pattern && parsed.error.isEmpty())
        __builtin_trap();
    probe(ds::indicators::planFor(QStringLiteral("stix"), pattern));
    return 0;
}
