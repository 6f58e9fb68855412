#include "remote/TriageColumns.h"

namespace ds {

TriageColumns TriageColumns::canonical(const QString& table)
{
    TriageColumns c;
    c.table = table;
    c.account = QStringLiteral("account_id");
    c.timestampSeconds = timestampSecondsExpr(QStringLiteral("timestamp"), QStringLiteral("String"));
    c.ip = QStringLiteral("ip");
    c.userAgent = QStringLiteral("user_agent");
    c.systemPrompt = QStringLiteral("system_prompt");
    c.prompt = QStringLiteral("prompt");
    c.promptTokens = QStringLiteral("toInt64(prompt_tokens)");
    c.completionTokens = QStringLiteral("toInt64(completion_tokens)");
    c.stopReason = QStringLiteral("stop_reason");
    c.toolsOffered = QStringLiteral("notEmpty(tools)");
    return c;
}

QString timestampSecondsExpr(const QString& column, const QString& clickhouseType)
{
    QString type = clickhouseType.trimmed();
    if (type.startsWith(QLatin1String("Nullable(")) && type.endsWith(QLatin1Char(')'))) {
        type = type.mid(9, type.size() - 10);
        // Inner rule on the value, 0 when NULL (counted as unknown time, never as evidence).
        return QStringLiteral("ifNull(%1, 0)").arg(timestampSecondsExpr(column, type));
    }
    if (type == QLatin1String("DateTime") || type.startsWith(QLatin1String("DateTime(")))
        return QStringLiteral("toInt64(toUnixTimestamp(%1))").arg(column);
    if (type.startsWith(QLatin1String("DateTime64")))
        return QStringLiteral("toInt64(toUnixTimestamp(%1))").arg(column);
    if (type.startsWith(QLatin1String("Int")) || type.startsWith(QLatin1String("UInt")))
        return QStringLiteral("intDiv(toInt64(%1), 1000)").arg(column);
    // String and anything else read as text. parseDateTimeBestEffortOrZero reads RFC 3339 with its offset.
    return QStringLiteral("toInt64(toUnixTimestamp(parseDateTimeBestEffortOrZero(toString(%1), 'UTC')))").arg(column);
}

QString sqlString(const QString& text)
{
    QString out;
    out.reserve(text.size() + 2);
    out += QLatin1Char('\'');
    for (QChar ch : text) {
        if (ch == QLatin1Char('\\') || ch == QLatin1Char('\''))
            out += QLatin1Char('\\');
        out += ch;
    }
    out += QLatin1Char('\'');
    return out;
}

} // namespace ds
