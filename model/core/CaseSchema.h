#pragma once

namespace ds::schema {

// The case database's identity and layout. One file per case; the core tables
// below hold the imported logs. Later modules (detection, case building) add
// their own tables with their own DDL, each created on first use.

// PRAGMA application_id: "DSCP" in ASCII, so `file` and we can tell a case from any SQLite file.
constexpr int kApplicationId = 0x44534350;
// PRAGMA user_version of the layout this build writes. A newer file is refused.
// 2: request text may be packed (core/TextCodec.h), which version 1 cannot read.
constexpr int kSchemaVersion = 2;

// Tables, created once, before the first import.
extern const char* const kCoreTables;
// Indexes, built after a bulk load (CREATE INDEX IF NOT EXISTS, so cheap when present).
extern const char* const kCoreIndexes;
// request_rid, on request(rid_hash): built only once a case needs it, when an
// import meets a request-id hash it has seen before and must confirm the
// duplicate on the text. Nothing else looks a request up by its id (pins keep
// row ids), and sorting it cost the import as much as any other index.
extern const char* const kRequestIdIndex;

// The interning tables (id INTEGER PRIMARY KEY, value TEXT UNIQUE): repeated
// strings are stored once and referenced by integer id from `request` and `account`.
enum class Dict { Ip, UserAgent, Model, ApiKey, Org, Endpoint, SystemPrompt, StopReason, EmailDomain, PaymentFingerprint };
constexpr int kDictCount = 10;
const char* dictTable(Dict d);

} // namespace ds::schema
