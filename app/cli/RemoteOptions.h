#pragma once

#include "remote/ClickHouseSource.h"

#include <QCommandLineOption>

#include <memory>
#include <optional>
#include <vector>

class QCommandLineParser;

// The options `import` and `scan` share for logs that live in ClickHouse: --from URL (any number),
// --since and --until (RFC 3339). Main thread.
struct RemoteOptions
{
    QCommandLineOption from{QStringLiteral("from"),
                            QStringLiteral("Pull the requests of a ClickHouse table: clickhouse://[user[:password]@]host:port/"
                                           "database.table (https:// for TLS). The password may instead be in "
                                           "DISTILLSCOPE_CLICKHOUSE_PASSWORD. --format names the table's columns; files "
                                           "given beside it are recognised by their content."),
                            QStringLiteral("URL")};
    QCommandLineOption since{QStringLiteral("since"),
                             QStringLiteral("With --from: only requests at or after this time (RFC 3339, e.g. 2026-02-01T00:00:00Z)."),
                             QStringLiteral("TIME")};
    QCommandLineOption until{QStringLiteral("until"), QStringLiteral("With --from: only requests before this time (RFC 3339)."),
                             QStringLiteral("TIME")};

    void addTo(QCommandLineParser& parser) const;
    bool isSet(const QCommandLineParser& parser) const;

    // Checks the options and prepares each table (connection, description, row count), printing what it
    // found on stderr. nullopt when all is ready (or no --from was given); else the exit status, with
    // one sentence printed: 2 for a usage error, 1 when a server or table failed.
    std::optional<int> prepare(const QCommandLineParser& parser, const char* command, const QString& format,
                               std::vector<std::shared_ptr<ds::ClickHouseSource>>& sources) const;
};

// One line per pulled table after an import: rows, bytes, time, rate and what failed.
void printPullSummary(const std::vector<std::shared_ptr<ds::ClickHouseSource>>& sources);
