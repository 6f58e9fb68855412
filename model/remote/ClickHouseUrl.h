#pragma once

#include <QString>
#include <QUrl>

#include <optional>

namespace ds {

// Where a ClickHouse table lives and who reads it, parsed from
//   clickhouse://[user[:password]@]host[:port]/database.table   (HTTP, port 8123 by default)
//   https://[user[:password]@]host[:port]/database.table        (TLS, port 8443 by default)
// ("http://" and "clickhouses://" are accepted as the same two). The password
// comes from the URL or, when the URL has none, from the environment variable
// DISTILLSCOPE_CLICKHOUSE_PASSWORD. It is never printed: logs, messages and
// provenance use redacted(). Database and table are plain identifiers (letters,
// digits, underscore), so they can be written into SQL quoted. A value: any thread.
struct ClickHouseUrl
{
    static constexpr const char* kPasswordVariable = "DISTILLSCOPE_CLICKHOUSE_PASSWORD";

    bool tls = false;
    QString host;
    int port = 8123;
    QString user = QStringLiteral("default");
    QString password; // never shown; see redacted()
    QString database;
    QString table;

    // Parses `text`; on failure nullopt with *error one sentence that does not repeat the password.
    // `environmentPassword` is read when the URL has no password (tests pass their own).
    static std::optional<ClickHouseUrl> parse(const QString& text, QString* error,
                                              const QString& environmentPassword = passwordFromEnvironment());
    static QString passwordFromEnvironment();
    // Whether `text` names a ClickHouse table rather than a local file (its scheme is one of the four above).
    static bool looksLikeUrl(const QString& text);

    // "clickhouse://analyst@db1:8123/logs.requests": the URL without its password, for logs and provenance.
    QString redacted() const;
    // "db1:8123"
    QString server() const;
    // "`logs`.`requests`", ready for SQL.
    QString quotedTable() const;
    // The HTTP endpoint queries are posted to: "http://db1:8123/" or "https://...".
    QUrl endpoint() const;
};

// A ClickHouse identifier quoted for SQL ("`name`"); backquotes and backslashes escaped.
QString quotedIdentifier(const QString& name);
// A ClickHouse string literal ('text'); quotes and backslashes escaped.
QString quotedString(const QString& text);

} // namespace ds
