#include "report/NumberText.h"

#include <QLocale>

#include <cmath>

namespace ds::numbertext {

namespace {

// The C locale groups thousands with a comma once group separators are not suppressed (its default omits them).
const QLocale& grouping()
{
    static const QLocale c = [] {
        QLocale l = QLocale::c();
        l.setNumberOptions(QLocale::DefaultNumberOptions);
        return l;
    }();
    return c;
}

} // namespace

QString count(std::int64_t v) { return grouping().toString(static_cast<qlonglong>(v)); }

QString decimal(double v, int decimals) { return grouping().toString(v, 'f', decimals); }

QString readable(std::optional<double> v)
{
    if (!v)
        return QStringLiteral("unknown");
    const double a = std::abs(*v);
    return decimal(*v, a >= 100 ? 0 : a >= 1 ? 2 : 3);
}

QString counted(std::int64_t v, const QString& singular, const QString& plural)
{
    return count(v) + QLatin1Char(' ') + (v == 1 ? singular : plural);
}

} // namespace ds::numbertext
