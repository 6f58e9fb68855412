#pragma once

#include "ingest/ImportTypes.h"
#include "remote/ClickHousePull.h"
#include "remote/ClickHousePullQuery.h"
#include "remote/ClickHouseTable.h"

#include <QList>
#include <QString>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

namespace ds {

// A ClickHouse table made ready to import: the connection tested, the table described, its
// pull query built for a format and a time range, the rows counted. streamedLog() hands it
// to the Importer (ImportRequest::streams), which pulls the rows through its usual path
// (field mapping, quarantine, one transaction) and lets this record the provenance: the
// server, database, table, every query sent with when and a SHA-256 of its answer, the rows
// and the digest of the pulled bytes (model/remote/RemoteSchema.h). The password is never
// recorded. prepare() blocks: call it from a worker thread (or the CLI's main thread). The
// object is then read-only; the Importer may use it from its thread.
class ClickHouseSource : public std::enable_shared_from_this<ClickHouseSource>
{
public:
    struct Options
    {
        QString format = QStringLiteral("canonical"); // a preset of logformats: how the table's columns read
        std::optional<std::int64_t> sinceMs, untilMs;   // the time range, epoch ms, until exclusive
        ClickHouseOptions client;
    };
    // One query sent for this source, for provenance.
    struct SentQuery
    {
        std::int64_t sentAtMs = 0;
        QString purpose;
        QString sql;
        std::int64_t bytes = 0;
        QString sha256;
    };

    // Describes the table and builds its pull. On failure null, with *failure saying why in one sentence
    // (ServerDown, BadCredentials, UnknownTable, MissingColumns, Timeout, Cancelled ...).
    static std::shared_ptr<ClickHouseSource> prepare(const ClickHouseUrl& url, const Options& options,
                                                     const CancelToken* cancel, ClickHouseResponse* failure);

    const ClickHouseUrl& url() const { return m_url; }
    const Options& options() const { return m_options; }
    const ClickHouseTableInfo& table() const { return m_table; }
    const ClickHousePullQuery& query() const { return m_query; }
    const QString& serverVersion() const { return m_version; }
    // count() of the rows the pull will read, taken by prepare().
    std::int64_t expectedRows() const { return m_expectedRows; }

    // The importer's view of this source; its functions keep this object alive.
    StreamedLog streamedLog();
    // The outcome of the last pull (after the import): why it failed, how many rows came.
    ClickHouseResponse pullResponse() const;
    std::int64_t rowsPulled() const;
    std::int64_t pullMilliseconds() const;

    // The triage's hook (remote/TriageRun.h, defined in TriageSource.cpp): the pull reads only the rows matching
    // `accountCondition` (about `expectedRows`), and the triage's queries join this source's provenance. False,
    // and nothing changed, when the pull query is not one this can restrict. Before streamedLog(); same thread.
    bool restrictToAccounts(const QString& accountCondition, std::int64_t expectedRows,
                            const QList<SentQuery>& triageQueries);

private:
    ClickHouseSource() = default;
    void recordProvenance(SqliteDb& db, std::int64_t sourceFileId, const FileReport& report) const;
    ClickHouseResponse logged(ClickHouseClient& client, const QString& purpose, const QString& sql, QByteArray* body,
                              const CancelToken* cancel);

    ClickHouseUrl m_url;
    Options m_options;
    ClickHouseTableInfo m_table;
    ClickHousePullQuery m_query;
    QString m_version;
    std::int64_t m_expectedRows = 0;
    QList<SentQuery> m_sent;
    mutable std::mutex m_mutex;
    std::shared_ptr<ClickHousePull> m_pull; // the last one opened
};

} // namespace ds
