#include "text/CsvText.h"

#include "text/DisplayText.h"

namespace ds {
namespace {

// "-2", "3.5", "+1e-3": a number a spreadsheet shows as a number, never runs as a formula.
bool isPlainNumber(const QString& s)
{
    qsizetype i = (s.startsWith(QLatin1Char('-')) || s.startsWith(QLatin1Char('+'))) ? 1 : 0;
    bool digits = false, dot = false;
    for (; i < s.size(); ++i) {
        const QChar c = s[i];
        if (c.isDigit() && c.unicode() < 128)
            digits = true;
        else if (c == QLatin1Char('.') && !dot)
            dot = true;
        else if ((c == QLatin1Char('e') || c == QLatin1Char('E')) && digits) {
            qsizetype j = i + 1;
            if (j < s.size() && (s[j] == QLatin1Char('-') || s[j] == QLatin1Char('+')))
                ++j;
            if (j == s.size())
                return false;
            for (; j < s.size(); ++j)
                if (!(s[j].isDigit() && s[j].unicode() < 128))
                    return false;
            return true;
        } else
            return false;
    }
    return digits;
}

bool startsAFormula(const QString& s)
{
    if (s.isEmpty())
        return false;
    const QChar c = s[0];
    const bool trigger = c == QLatin1Char('=') || c == QLatin1Char('+') || c == QLatin1Char('-') || c == QLatin1Char('@')
                         || c == QLatin1Char('\t') || c == QLatin1Char('\r');
    return trigger && !isPlainNumber(s);
}

} // namespace

QByteArray csvField(const QString& value)
{
    // The formula check runs on the raw value: a leading TAB or CR is a trigger before it becomes a mark.
    const bool formula = startsAFormula(value);
    QString text = displaytext::needsNeutralising(value) ? displaytext::multiline(value) : value;
    if (formula)
        text.prepend(QLatin1Char('\''));
    QByteArray b = text.toUtf8();
    if (b.contains(',') || b.contains('"') || b.contains('\n') || b.contains('\'') || b.contains('\t'))
        b = '"' + b.replace("\"", "\"\"") + '"';
    return b;
}

QByteArray csvLine(const QStringList& fields)
{
    QByteArray out;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i)
            out += ',';
        out += csvField(fields[i]);
    }
    out += '\n';
    return out;
}

} // namespace ds
