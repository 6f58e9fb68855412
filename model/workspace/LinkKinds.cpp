#include "workspace/LinkKinds.h"

#include <map>

namespace ds::linkkinds {

QColor color(const QString& kind)
{
    static const std::map<QString, QColor> colors = {
        {QStringLiteral("payment"), QColor(0xb0, 0x1c, 0x1c)},    {QStringLiteral("email_domain"), QColor(0x7b, 0x3f, 0xa0)},
        {QStringLiteral("user_agent"), QColor(0x2a, 0x8a, 0x5a)}, {QStringLiteral("ip"), QColor(0xd0, 0x6a, 0x1c)},
        {QStringLiteral("network"), QColor(0xc9, 0x9a, 0x1e)},    {QStringLiteral("template"), QColor(0x3b, 0x6e, 0xa8)},
        {QStringLiteral("co_created"), QColor(0x6b, 0x72, 0x7a)}, {QStringLiteral("handoff"), QColor(0xa0, 0x3c, 0x78)},
        {QStringLiteral("task"), QColor(0x1c, 0x8c, 0xa0)},       {QStringLiteral("window"), QColor(0x8a, 0x5a, 0x2a)},
        {QStringLiteral("pool"), QColor(0x14, 0x6b, 0x5a)}};
    const auto it = colors.find(kind);
    return it == colors.end() ? QColor(0x6b, 0x72, 0x7a) : it->second;
}

QString label(const QString& kind)
{
    static const std::map<QString, QString> labels = {
        {QStringLiteral("payment"), QStringLiteral("same payment details")},
        {QStringLiteral("email_domain"), QStringLiteral("same sign-up e-mail domain")},
        {QStringLiteral("user_agent"), QStringLiteral("same rare user agent")},
        {QStringLiteral("ip"), QStringLiteral("same IP address")},
        {QStringLiteral("network"), QStringLiteral("same IP network (/24)")},
        {QStringLiteral("template"), QStringLiteral("same prompt template")},
        {QStringLiteral("co_created"), QStringLiteral("created together")},
        {QStringLiteral("handoff"), QStringLiteral("one took over the other's work")},
        {QStringLiteral("task"), QStringLiteral("same rare tasks")},
        {QStringLiteral("window"), QStringLiteral("started together")},
        {QStringLiteral("pool"), QStringLiteral("same pool of rare tasks")}};
    const auto it = labels.find(kind);
    return it == labels.end() ? QString(kind).replace(QLatin1Char('_'), QLatin1Char(' ')) : it->second;
}

} // namespace ds::linkkinds
