#pragma once

#include <QString>

#include <concepts>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace ds {

// An SQLite failure, with the database's own message. Thrown by the wrappers
// below and caught at job boundaries (import, detection, report).
class DatabaseError : public std::runtime_error
{
public:
    explicit DatabaseError(const std::string& what, int code = 0)
        : std::runtime_error(what)
        , m_code(code)
    {
    }
    int code() const noexcept { return m_code; }
    bool isInterrupt() const noexcept { return (m_code & 0xff) == 9; } // SQLITE_INTERRUPT

private:
    int m_code;
};

// Thin owner of one sqlite3 connection (the C API, for speed). A connection
// belongs to one thread at a time; every thread opens its own.
class SqliteDb
{
public:
    enum class Mode { ReadOnly, ReadWrite, ReadWriteCreate };

    SqliteDb() = default;
    SqliteDb(const QString& path, Mode mode);
    ~SqliteDb();
    SqliteDb(SqliteDb&& other) noexcept;
    SqliteDb& operator=(SqliteDb&& other) noexcept;
    SqliteDb(const SqliteDb&) = delete;
    SqliteDb& operator=(const SqliteDb&) = delete;

    bool isOpen() const noexcept { return m_db != nullptr; }
    sqlite3* handle() const noexcept { return m_db; }
    QString path() const { return m_path; }

    void exec(const char* sql);
    void exec(const std::string& sql) { exec(sql.c_str()); }
    // Runs a query expected to return one integer (or NULL -> fallback).
    std::int64_t queryInt(const char* sql, std::int64_t fallback = 0);
    std::int64_t lastInsertRowId() const;
    // While set, long statements poll `token` and stop with SQLITE_INTERRUPT
    // (thrown as DatabaseError, see isInterrupt()) once it is cancelled.
    void watchCancel(const class CancelToken* token);

    [[noreturn]] void fail(const char* context) const;

private:
    sqlite3* m_db = nullptr;
    QString m_path;
};

// A prepared statement. Bind indexes are 1-based, column indexes 0-based, as in SQLite.
class SqliteStatement
{
public:
    SqliteStatement() = default;
    SqliteStatement(const SqliteDb& db, const char* sql);
    ~SqliteStatement();
    SqliteStatement(SqliteStatement&& other) noexcept;
    SqliteStatement& operator=(SqliteStatement&& other) noexcept;
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    void bindNull(int i);
    void bindInt64(int i, std::int64_t v);
    template<std::integral T>
    void bind(int i, T v)
    {
        bindInt64(i, static_cast<std::int64_t>(v));
    }
    void bind(int i, double v);
    // Text is copied by SQLite (SQLITE_TRANSIENT) unless `isStatic` says it outlives the step.
    void bindText(int i, std::string_view text, bool isStatic = false);
    void bindText(int i, const QString& text);
    void bindText(int i, const char* text) { bindText(i, std::string_view(text)); }
    // Copied by SQLite too, unless `isStatic` says the bytes outlive the step.
    void bindBlob(int i, std::string_view bytes, bool isStatic = false);
    void bindOptional(int i, std::optional<std::int64_t> v) { v ? bind(i, *v) : bindNull(i); }
    // Binds SQL NULL for an id of 0 (the "absent" id of the interning tables).
    void bindId(int i, std::int64_t id) { id ? bind(i, id) : bindNull(i); }

    // Steps once; returns true while a row is available.
    bool step();
    // Steps a statement that returns no rows, then resets it for the next use.
    void run();
    void reset();

    bool isNull(int col) const;
    std::int64_t columnInt(int col) const;
    double columnDouble(int col) const;
    // A nullable column: nothing for SQL NULL (the readers of what bindOptional wrote).
    std::optional<std::int64_t> optionalInt(int col) const;
    std::optional<double> optionalDouble(int col) const;
    std::string_view columnView(int col) const;
    QString columnText(int col) const;
    QByteArray columnBlob(int col) const;
    int columnCount() const;

    sqlite3_stmt* handle() const noexcept { return m_stmt; }

private:
    sqlite3_stmt* m_stmt = nullptr;
    sqlite3* m_db = nullptr;
};

// RAII transaction: rolls back unless commit() was called.
class SqliteTransaction
{
public:
    explicit SqliteTransaction(SqliteDb& db, const char* begin = "BEGIN IMMEDIATE");
    ~SqliteTransaction();
    SqliteTransaction(const SqliteTransaction&) = delete;
    SqliteTransaction& operator=(const SqliteTransaction&) = delete;
    void commit();

private:
    SqliteDb& m_db;
    bool m_open = true;
};

} // namespace ds
