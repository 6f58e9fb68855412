#include "workspace/AccountFilter.h"

#include "core/Sqlite.h"

#include <QRegularExpression>
#include <QStringList>

#include <stdexcept>

namespace ds {

SqlFragment accountFilterCondition(SqliteDb& db, std::int64_t run, const QString& filter)
{
    SqlFragment out;
    const QString r = QString::number(run);
    static const QRegularExpression term(QStringLiteral("^([a-z_]+)(>=|<=|!=|>|<|=)(-?[0-9]*\\.?[0-9]+)$"));
    for (const QString& raw : filter.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QString t = raw.toLower();
        if (t == QLatin1String("flagged") || t == QLatin1String("unflagged")) {
            out.andWith({QStringLiteral("COALESCE((SELECT flagged FROM account_result WHERE run = %1 AND account = a.id), 0) = %2")
                             .arg(r, t == QLatin1String("flagged") ? QStringLiteral("1") : QStringLiteral("0")),
                         {}});
            continue;
        }
        const QRegularExpressionMatch m = term.match(t);
        if (!m.hasMatch())
            throw std::runtime_error(("cannot read the filter term \"" + raw + "\"; write e.g. score>=0.5 or flagged").toStdString());
        const QString key = m.captured(1), op = m.captured(2);
        const double value = m.captured(3).toDouble();
        QString expr;
        if (key == QLatin1String("score") || key == QLatin1String("behaviour")) {
            expr = QStringLiteral("(SELECT %1 FROM account_result WHERE run = %2 AND account = a.id)").arg(key, r);
        } else {
            SqliteStatement st(db, "SELECT indicator FROM indicator_baseline WHERE run = ? AND key = ?");
            st.bind(1, run);
            st.bindText(2, key);
            if (!st.step())
                throw std::runtime_error(("no indicator named \"" + key + "\" (the accounts table's column tooltips list them)").toStdString());
            expr = QStringLiteral("(SELECT value FROM account_indicator WHERE run = %1 AND account = a.id AND indicator = %2)")
                       .arg(r)
                       .arg(st.columnInt(0));
        }
        // The comparison operator comes from the fixed list above, the number is bound.
        out.andWith({QStringLiteral("%1 %2 ?").arg(expr, op == QLatin1String("=") ? QStringLiteral("=") : op), {value}});
    }
    return out;
}

} // namespace ds
