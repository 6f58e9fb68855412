#include "remote/ClickHouseErrors.h"

#include "text/DisplayText.h"

#include <QRegularExpression>

namespace ds::clickhouseerrors {

namespace {

// ClickHouse's error codes (src/Common/ErrorCodes.cpp), the ones that have a sentence of their own.
enum Code {
    NoSuchColumnInTable = 16,
    UnknownIdentifier = 47,
    UnknownTable = 60,
    UnknownDatabase = 81,
    TimeoutExceeded = 159,
    UnknownUser = 192,
    WrongPassword = 193,
    RequiredPassword = 194,
    IpAddressNotAllowed = 195,
    SocketTimeout = 209,
    AllConnectionTriesFailed = 279,
    ThereIsNoColumn = 8,
    AuthenticationFailed = 516,
};

// Server text is the server's, but it can quote table contents or names: printed as one plain line.
QString quoted(const QString& text)
{
    return displaytext::embedded(text, 240);
}

QString firstQuoted(const QString& message)
{
    static const QRegularExpression re(QStringLiteral("(?:identifier|column|columns):? '?`?([^'`,\\s]+)"),
                                       QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(message);
    return m.hasMatch() ? m.captured(1) : QString();
}

} // namespace

int serverCode(const QByteArray& serverText)
{
    static const QRegularExpression re(QStringLiteral("^\\s*Code:\\s*(\\d+)"));
    const auto m = re.match(QString::fromUtf8(serverText.left(64)));
    return m.hasMatch() ? m.captured(1).toInt() : 0;
}

QString serverMessage(const QByteArray& serverText)
{
    QString text = QString::fromUtf8(serverText).trimmed();
    const qsizetype at = text.indexOf(QLatin1String("DB::Exception: "));
    if (at >= 0)
        text = text.mid(at + 15);
    for (const char* end : {", e.what() = ", " (version ", ". Stack trace"}) {
        const qsizetype cut = text.indexOf(QLatin1String(end));
        if (cut >= 0)
            text = text.left(cut);
    }
    static const QRegularExpression name(QStringLiteral("\\s*\\([A-Z_]+\\)\\s*$")); // "(UNKNOWN_TABLE)"
    text.remove(name);
    return text.trimmed();
}

ClickHouseResponse fromServer(ClickHouseResponse r, const ClickHouseUrl& url, const QByteArray& serverText)
{
    r.serverCode = serverCode(serverText);
    const QString message = serverMessage(serverText);
    const QString server = url.server();
    switch (r.serverCode) {
    case UnknownUser:
    case WrongPassword:
    case RequiredPassword:
    case AuthenticationFailed:
    case IpAddressNotAllowed:
        r.error = ClickHouseError::BadCredentials;
        r.message = QStringLiteral("ClickHouse at %1 refused user %2: the user is unknown, the password is wrong or "
                                   "this machine may not log in (set the password in the URL or in %3)")
                        .arg(server, quoted(url.user), QString::fromLatin1(ClickHouseUrl::kPasswordVariable));
        return r;
    case UnknownTable:
    case UnknownDatabase:
        r.error = ClickHouseError::UnknownTable;
        r.message = QStringLiteral("ClickHouse at %1 has no table %2.%3 (%4)")
                        .arg(server, quoted(url.database), quoted(url.table), quoted(message));
        return r;
    case UnknownIdentifier:
    case NoSuchColumnInTable:
    case ThereIsNoColumn: {
        r.error = ClickHouseError::MissingColumns;
        const QString column = firstQuoted(message);
        r.message = column.isEmpty()
                        ? QStringLiteral("the table %1.%2 lacks a column the query needs (%3)")
                              .arg(quoted(url.database), quoted(url.table), quoted(message))
                        : QStringLiteral("the table %1.%2 has no column %3")
                              .arg(quoted(url.database), quoted(url.table), quoted(column));
        return r;
    }
    case TimeoutExceeded:
    case SocketTimeout:
        r.error = ClickHouseError::Timeout;
        r.message = QStringLiteral("ClickHouse at %1 stopped the query on a time limit (%2)").arg(server, quoted(message));
        return r;
    case AllConnectionTriesFailed:
        r.error = ClickHouseError::ServerError;
        r.message = QStringLiteral("ClickHouse at %1 could not reach a shard of the table (%2)").arg(server, quoted(message));
        return r;
    default:
        break;
    }
    if (r.httpStatus == 401 || r.httpStatus == 403) {
        r.error = ClickHouseError::BadCredentials;
        r.message = QStringLiteral("ClickHouse at %1 refused user %2 (HTTP %3)").arg(server, quoted(url.user)).arg(r.httpStatus);
        return r;
    }
    r.error = ClickHouseError::ServerError;
    if (message.isEmpty())
        r.message = QStringLiteral("ClickHouse at %1 answered HTTP %2 without saying why").arg(server).arg(r.httpStatus);
    else
        r.message = QStringLiteral("ClickHouse at %1 refused the query: %2").arg(server, quoted(message));
    return r;
}

ClickHouseResponse fromSocket(ClickHouseResponse r, const ClickHouseUrl& url, QAbstractSocket::SocketError error,
                              const QString& errorString)
{
    const QString server = url.server();
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        r.error = ClickHouseError::ServerDown;
        r.message = QStringLiteral("nothing answers at %1 (connection refused): is ClickHouse running, and is %2 its HTTP "
                                   "port (8123 by default, 8443 for https)?")
                        .arg(server)
                        .arg(url.port);
        return r;
    case QAbstractSocket::HostNotFoundError:
        r.error = ClickHouseError::ServerDown;
        r.message = QStringLiteral("the host %1 is not known (DNS)").arg(quoted(url.host));
        return r;
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        if (url.tls) {
            r.error = ClickHouseError::Tls;
            r.message = QStringLiteral("the TLS connection to %1 failed: %2").arg(server, quoted(errorString));
            return r;
        }
        break;
    case QAbstractSocket::SocketTimeoutError:
        return timedOut(r, url, 0);
    default:
        break;
    }
    r.error = ClickHouseError::ServerDown;
    r.message = r.bytes > 0 ? QStringLiteral("the connection to ClickHouse at %1 dropped after %2 bytes: %3")
                                  .arg(server)
                                  .arg(r.bytes)
                                  .arg(quoted(errorString))
                            : QStringLiteral("the connection to ClickHouse at %1 failed: %2").arg(server, quoted(errorString));
    return r;
}

ClickHouseResponse timedOut(ClickHouseResponse r, const ClickHouseUrl& url, int idleTimeoutMs)
{
    r.error = ClickHouseError::Timeout;
    r.message = idleTimeoutMs > 0
                    ? QStringLiteral("ClickHouse at %1 sent nothing for %2 s; the server is stuck or the query too heavy")
                          .arg(url.server())
                          .arg(idleTimeoutMs / 1000.0, 0, 'g', 3)
                    : QStringLiteral("the connection to ClickHouse at %1 timed out").arg(url.server());
    return r;
}

ClickHouseResponse cancelled(ClickHouseResponse r)
{
    r.error = ClickHouseError::Cancelled;
    r.message = QStringLiteral("the query was cancelled");
    return r;
}

} // namespace ds::clickhouseerrors
