#include "remote/ClickHouseUrl.h"

#include <QRegularExpression>

namespace ds {

namespace {

bool isIdentifier(const QString& s)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    return re.match(s).hasMatch();
}

QString escaped(QString text, QChar quote)
{
    text.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    text.replace(quote, QString(QLatin1Char('\\')) + quote);
    return quote + text + quote;
}

} // namespace

QString ClickHouseUrl::passwordFromEnvironment()
{
    return qEnvironmentVariable(kPasswordVariable);
}

bool ClickHouseUrl::looksLikeUrl(const QString& text)
{
    static const QRegularExpression re(QStringLiteral("^(clickhouses?|https?)://"), QRegularExpression::CaseInsensitiveOption);
    return re.match(text).hasMatch();
}

std::optional<ClickHouseUrl> ClickHouseUrl::parse(const QString& text, QString* error, const QString& environmentPassword)
{
    auto fail = [&](const QString& why) -> std::optional<ClickHouseUrl> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const QString form = QStringLiteral("clickhouse://[user[:password]@]host:port/database.table");
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return fail(QStringLiteral("The ClickHouse address is not a URL of the form %1.").arg(form));
    const QString scheme = url.scheme().toLower();
    ClickHouseUrl out;
    if (scheme == QLatin1String("clickhouse") || scheme == QLatin1String("http"))
        out.tls = false;
    else if (scheme == QLatin1String("clickhouses") || scheme == QLatin1String("https"))
        out.tls = true;
    else
        return fail(QStringLiteral("The ClickHouse address must start with clickhouse:// (or https:// for TLS)."));
    if (url.hasQuery() || url.hasFragment())
        return fail(QStringLiteral("The ClickHouse address takes no query or fragment; the form is %1.").arg(form));
    out.host = url.host();
    out.port = url.port(out.tls ? 8443 : 8123);
    if (!url.userName().isEmpty())
        out.user = url.userName(QUrl::FullyDecoded);
    out.password = url.password(QUrl::FullyDecoded);
    if (out.password.isEmpty())
        out.password = environmentPassword;
    QString path = url.path(QUrl::FullyDecoded);
    if (path.startsWith(QLatin1Char('/')))
        path.remove(0, 1);
    const qsizetype dot = path.indexOf(QLatin1Char('.'));
    if (path.isEmpty() || dot < 0)
        return fail(QStringLiteral("The ClickHouse address names no table; the form is %1.").arg(form));
    out.database = path.left(dot);
    out.table = path.mid(dot + 1);
    if (!isIdentifier(out.database) || !isIdentifier(out.table))
        return fail(QStringLiteral("The database and table in a ClickHouse address are plain names (letters, digits, "
                                   "underscore), as in /logs.requests."));
    return out;
}

QString ClickHouseUrl::redacted() const
{
    QUrl url;
    url.setScheme(tls ? QStringLiteral("https") : QStringLiteral("clickhouse"));
    url.setHost(host);
    url.setPort(port);
    url.setUserName(user);
    url.setPath(QStringLiteral("/%1.%2").arg(database, table));
    return url.toString(QUrl::RemovePassword);
}

QString ClickHouseUrl::server() const
{
    return QStringLiteral("%1:%2").arg(host.contains(QLatin1Char(':')) ? QStringLiteral("[%1]").arg(host) : host).arg(port);
}

QString ClickHouseUrl::quotedTable() const
{
    return quotedIdentifier(database) + QLatin1Char('.') + quotedIdentifier(table);
}

QUrl ClickHouseUrl::endpoint() const
{
    QUrl url;
    url.setScheme(tls ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(host);
    url.setPort(port);
    url.setPath(QStringLiteral("/"));
    return url;
}

QString quotedIdentifier(const QString& name)
{
    return escaped(name, QLatin1Char('`'));
}

QString quotedString(const QString& text)
{
    return escaped(text, QLatin1Char('\''));
}

} // namespace ds
