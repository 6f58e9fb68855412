#pragma once

#include "core/Sqlite.h"

#include <QString>

namespace ds {

// Opens case databases safely. A file that is not SQLite, is another program's
// SQLite file, comes from a newer Distillscope, or is damaged is refused with
// one clear message and never modified. Every thread opens its own connection
// through these functions.
class CaseDatabase
{
public:
    // Opens a case for writing, creating it (and its core tables) when the file
    // does not exist or is empty. Throws CaseOpenError.
    static SqliteDb openForWriting(const QString& path);
    // Opens an existing case read-only. Throws CaseOpenError.
    static SqliteDb openForReading(const QString& path);
    // Opens a case read-only for `repair` to copy its data from: the same checks as openForReading except the one
    // for unknown objects (triggers, views), which repair leaves behind. Throws CaseOpenError.
    static SqliteDb openForRepair(const QString& path);

    // Builds the core indexes if missing (after bulk loads), and request_rid
    // too when asked (see schema::kRequestIdIndex).
    static void ensureIndexes(SqliteDb& db, bool withRequestIdIndex = false);
    // Drops the request table's indexes before a bulk load that is large next
    // to what the case holds (ensureIndexes builds them again, sorted). Call
    // inside the load's transaction, so a rollback restores them. Returns
    // whether request_rid was among them, to be built again too.
    static bool dropRequestIndexes(SqliteDb& db);

    // Reads and writes the meta table (key/value strings).
    static QString meta(SqliteDb& db, const char* key, const QString& fallback = {});
    static void setMeta(SqliteDb& db, const char* key, const QString& value);
};

class CaseOpenError : public std::runtime_error
{
public:
    explicit CaseOpenError(const QString& message)
        : std::runtime_error(message.toStdString())
        , m_message(message)
    {
    }
    QString message() const { return m_message; }

private:
    QString m_message;
};

} // namespace ds
