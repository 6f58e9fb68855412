#pragma once

#include "remote/ClickHouseClient.h"

#include <QString>

#include <functional>

#include <vector>

namespace ds {

// A ClickHouse table as the server describes it (system.columns, system.tables): what the
// pull and the triage need to write queries that read it right. A value: any thread.
struct ClickHouseTableInfo
{
    struct Column
    {
        QString name;
        QString type; // as the server prints it: "Nullable(String)", "DateTime64(3)", "LowCardinality(String)"
    };
    QString database;
    QString table;
    QString engine;      // "ReplacingMergeTree", "Distributed", "MergeTree" ...
    // The engine that holds the rows: for a Distributed table, the engine of the local table it
    // reads, as found on this server (empty when this server has no such table); else `engine`.
    QString dataEngine;
    // The rows keep versions (Replacing, Collapsing, VersionedCollapsing MergeTree, replicated
    // or not): read with FINAL so each row counts once.
    bool needsFinal = false;
    std::vector<Column> columns;

    // The column called `name`, or null.
    const Column* column(const QString& name) const;
    // "`db`.`table`", with " FINAL" when needsFinal: what follows FROM.
    QString fromClause() const;
};

// Reads the description of the table `client.url()` names. UnknownTable when the server has no such
// table. Call from a worker thread (it blocks on the client).
// `sent`, when given, is told of each query with the time it was sent and its answer (provenance).
using SentQueryLog = std::function<void(std::int64_t sentAtMs, const QString& sql, const QByteArray& answer)>;
ClickHouseResponse describeTable(ClickHouseClient& client, ClickHouseTableInfo* out, const CancelToken* cancel = nullptr,
                                 const SentQueryLog& sent = {});

// Whether an engine name keeps row versions that FINAL collapses.
bool engineNeedsFinal(const QString& engine);

// A ClickHouse type without its Nullable(...) and LowCardinality(...) wrappers: "Nullable(DateTime64(3))" -> "DateTime64(3)".
QString baseType(const QString& type);

} // namespace ds
