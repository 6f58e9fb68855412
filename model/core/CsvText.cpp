#include "core/CsvText.h"

namespace ds {

QByteArray csvField(const QString& value, CsvFormulas formulas)
{
    QByteArray b = value.toUtf8();
    const bool neutralise = formulas == CsvFormulas::Neutralise;
    if (neutralise && !b.isEmpty() && (b[0] == '=' || b[0] == '+' || b[0] == '-' || b[0] == '@'))
        b.prepend('\'');
    if (b.contains(',') || b.contains('"') || b.contains('\n') || b.contains('\r') || (neutralise && b.contains('\'')))
        b = '"' + b.replace("\"", "\"\"") + '"';
    return b;
}

QByteArray csvLine(const QStringList& fields, CsvFormulas formulas)
{
    QByteArray out;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i)
            out += ',';
        out += csvField(fields[i], formulas);
    }
    out += '\n';
    return out;
}

} // namespace ds
