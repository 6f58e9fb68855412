#include "detect/ReasonText.h"

#include "core/Timestamp.h"

#include <QLocale>
#include <cmath>

namespace ds::reasontext {

namespace {

QLocale english()
{
    return QLocale(QLocale::English, QLocale::UnitedStates);
}

} // namespace

QString whole(std::int64_t n)
{
    return english().toString(static_cast<qlonglong>(n));
}

QString number(double v)
{
    if (!std::isfinite(v))
        return QStringLiteral("unknown");
    // Decide on the rounded value, so that 0.96 prints "1", not "1.0".
    const double tenths = std::round(v * 10.0) / 10.0;
    const bool fraction = std::abs(tenths) < 100 && tenths != std::round(tenths);
    return english().toString(fraction ? tenths : std::round(v), 'f', fraction ? 1 : 0);
}

QString count(std::int64_t n, const QString& singular, const QString& plural)
{
    return whole(n) + QLatin1Char(' ') + (n == 1 ? singular : plural);
}

QString partOf(std::int64_t part, std::int64_t of, const QString& plural)
{
    if (part == of && of == 2)
        return QStringLiteral("both ") + plural;
    if (part == of && of > 2)
        return QStringLiteral("all %1 %2").arg(whole(of), plural);
    return QStringLiteral("%1 of the %2 %3").arg(whole(part), whole(of), plural);
}

QString capitalised(QString text)
{
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

QString times(std::int64_t n)
{
    if (n == 1)
        return QStringLiteral("once");
    if (n == 2)
        return QStringLiteral("twice");
    return whole(n) + QStringLiteral(" times");
}

QString percent(double share)
{
    if (!std::isfinite(share))
        return QStringLiteral("an unknown share");
    const double p = 100.0 * share;
    const double tenths = std::round(p * 10.0) / 10.0;
    const bool fraction = tenths < 10 && tenths != std::round(tenths);
    return english().toString(fraction ? tenths : std::round(p), 'f', fraction ? 1 : 0) + QLatin1Char('%');
}

QString moment(std::int64_t epochMs)
{
    return timestamp::toIso(epochMs).left(16).replace(QLatin1Char('T'), QLatin1Char(' ')) + QStringLiteral(" UTC");
}

QString duration(std::int64_t ms)
{
    const double s = std::abs(static_cast<double>(ms)) / 1000.0;
    if (s < 90) {
        const auto n = std::max<std::int64_t>(1, std::llround(s));
        return count(n, QStringLiteral("second"), QStringLiteral("seconds"));
    }
    if (s < 90 * 60) {
        const auto n = std::llround(s / 60.0);
        return count(n, QStringLiteral("minute"), QStringLiteral("minutes"));
    }
    const bool hours = s < 48 * 3600;
    const QString n = number(hours ? s / 3600.0 : s / 86400.0);
    return n
        + (n == QLatin1String("1") ? (hours ? QStringLiteral(" hour") : QStringLiteral(" day"))
                                   : (hours ? QStringLiteral(" hours") : QStringLiteral(" days")));
}

QString quoted(const QString& value, int maxChars)
{
    QString s = value.simplified();
    if (maxChars > 1 && s.size() > maxChars)
        s = s.left(maxChars - 1) + QChar(0x2026);
    // A quote inside the value would end ours early: show it as the plain mark.
    s.replace(QChar(0x201d), QLatin1Char('"')).replace(QChar(0x201c), QLatin1Char('"'));
    return QChar(0x201c) + s + QChar(0x201d);
}

} // namespace ds::reasontext
