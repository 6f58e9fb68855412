#pragma once

#include <QJsonObject>

#include <cstdint>

namespace ds {

class SqliteDb;

// The scan output document of a run: {"run", "accounts": [{account_id, score,
// flagged, cluster, reasons}], "clusters": [{id, score, accounts, requests,
// reasons}]}, one entry per active account. Thread owning `db`.
QJsonObject detectionResultsJson(SqliteDb& db, std::int64_t run);

} // namespace ds
