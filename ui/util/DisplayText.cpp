#include "util/DisplayText.h"

#include <QList>

namespace ds::displaytext {

bool isBidiControl(char32_t c)
{
    return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F
           || c == 0x061C || c == 0x200B || c == 0x200C || c == 0x200D || c == 0xFEFF || c == 0x2028 || c == 0x2029;
}

namespace {
QString clean(const QString& text, bool keepLines, int maxChars)
{
    QString out;
    out.reserve(std::min<qsizetype>(text.size(), maxChars + 1));
    for (char32_t c : text.toUcs4()) {
        if (maxChars >= 0 && out.size() >= maxChars) {
            out += QChar(0x2026);
            break;
        }
        if (isBidiControl(c))
            continue;
        if (c == '\n' || c == '\t') {
            if (keepLines)
                out += QChar(c);
            else
                out += c == '\n' ? QChar(0x21B5) : QChar(0x2192); // ↵ →
            continue;
        }
        if (c < 0x20 || c == 0x7F)
            out += QChar(0x2400 + (c == 0x7F ? 0x21 : c)); // control pictures ␀..␟ ␡
        else if (c >= 0x80 && c < 0xA0)
            out += QChar(0xFFFD);
        else
            out += QString::fromUcs4(&c, 1);
    }
    return out;
}
} // namespace

QString cell(const QString& text, int maxChars) { return clean(text, false, maxChars); }

QString tooltip(const QString& text, int maxChars)
{
    QString escaped = clean(text, true, maxChars).toHtmlEscaped();
    escaped.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    return QStringLiteral("<p style=\"white-space:pre-wrap\">%1</p>").arg(escaped);
}
QString multiline(const QString& text) { return clean(text, true, -1); }

} // namespace ds::displaytext
