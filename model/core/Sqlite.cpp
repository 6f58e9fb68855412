#include "core/Sqlite.h"

#include "core/CancelToken.h"
#include "core/Logging.h"
#include "core/TextCodec.h"

#include <sqlite3.h>

#include <mutex>
#include <utility>

namespace ds {

namespace {

// Process-wide settings, before SQLite initialises itself on the first open.
// Memory statistics take a global mutex on every allocation of every
// connection; nothing here reads them.
void configureSqliteOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

// The SQL a failure names, as one short line: messages reach terminals and status bars, where a statement's own
// line breaks and indentation would spread one error over many lines.
std::string oneLine(std::string_view sql, std::size_t limit = 100)
{
    std::string out;
    for (const char c : sql) {
        const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
        if (space && (out.empty() || out.back() == ' '))
            continue;
        if (out.size() >= limit) {
            out += "...";
            return out;
        }
        out += space ? ' ' : c;
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

} // namespace

SqliteDb::SqliteDb(const QString& path, Mode mode)
    : m_path(path)
{
    configureSqliteOnce();
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (mode) {
    case Mode::ReadOnly:
        flags |= SQLITE_OPEN_READONLY;
        break;
    case Mode::ReadWrite:
        flags |= SQLITE_OPEN_READWRITE;
        break;
    case Mode::ReadWriteCreate:
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        break;
    }
    const QByteArray utf8 = path.toUtf8();
    const int rc = sqlite3_open_v2(utf8.constData(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close(m_db);
        m_db = nullptr;
        throw DatabaseError("cannot open " + std::string(utf8.constData()) + ": " + msg, rc);
    }
    sqlite3_extended_result_codes(m_db, 1);
    // Case files come from elsewhere (mail, tickets): no schema object may call a function with side effects
    // (trusted_schema off; our own functions are registered SQLITE_INNOCUOUS where a schema needs them), and no
    // statement may corrupt the file on purpose (defensive: no writable_schema, no direct page writes).
    sqlite3_db_config(m_db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_db_config(m_db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
    // Readers and the one writer meet on the same file; wait instead of failing at once.
    sqlite3_busy_timeout(m_db, 10000);
    // Packed request text reads back through ds_text() on every connection (core/TextCodec.h).
    textcodec::registerSqlFunctions(m_db);
}

SqliteDb::~SqliteDb()
{
    if (m_db) {
        textcodec::unregisterSqlFunctions(m_db);
        sqlite3_close_v2(m_db);
    }
}

SqliteDb::SqliteDb(SqliteDb&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
    , m_path(std::move(other.m_path))
{
}

SqliteDb& SqliteDb::operator=(SqliteDb&& other) noexcept
{
    if (this != &other) {
        if (m_db) {
            textcodec::unregisterSqlFunctions(m_db);
            sqlite3_close_v2(m_db);
        }
        m_db = std::exchange(other.m_db, nullptr);
        m_path = std::move(other.m_path);
    }
    return *this;
}

void SqliteDb::fail(const char* context) const
{
    const int code = m_db ? sqlite3_extended_errcode(m_db) : 0;
    std::string msg = oneLine(context);
    msg += ": ";
    msg += m_db ? sqlite3_errmsg(m_db) : "no database";
    throw DatabaseError(msg, code);
}

void SqliteDb::exec(const char* sql)
{
    char* err = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        throw DatabaseError(msg + " [" + oneLine(sql) + "]", sqlite3_extended_errcode(m_db));
    }
}

std::int64_t SqliteDb::queryInt(const char* sql, std::int64_t fallback)
{
    SqliteStatement st(*this, sql);
    if (st.step() && !st.isNull(0))
        return st.columnInt(0);
    return fallback;
}

std::int64_t SqliteDb::lastInsertRowId() const { return sqlite3_last_insert_rowid(m_db); }


void SqliteDb::watchCancel(const CancelToken* token)
{
    if (!token) {
        sqlite3_progress_handler(m_db, 0, nullptr, nullptr);
        return;
    }
    sqlite3_progress_handler(
        m_db, 20000,
        [](void* t) -> int { return static_cast<const CancelToken*>(t)->isCancelled() ? 1 : 0; },
        const_cast<CancelToken*>(token));
}

SqliteStatement::SqliteStatement(const SqliteDb& db, const char* sql)
    : m_db(db.handle())
{
    if (sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr) != SQLITE_OK)
        db.fail(sql);
}

SqliteStatement::~SqliteStatement()
{
    if (m_stmt)
        sqlite3_finalize(m_stmt);
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : m_stmt(std::exchange(other.m_stmt, nullptr))
    , m_db(other.m_db)
{
}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept
{
    if (this != &other) {
        if (m_stmt)
            sqlite3_finalize(m_stmt);
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_db = other.m_db;
    }
    return *this;
}

namespace {
[[noreturn]] void throwFrom(sqlite3* db, const char* what)
{
    throw DatabaseError(std::string(what) + ": " + sqlite3_errmsg(db), sqlite3_extended_errcode(db));
}
} // namespace

void SqliteStatement::bindNull(int i)
{
    if (sqlite3_bind_null(m_stmt, i) != SQLITE_OK)
        throwFrom(m_db, "bind");
}

void SqliteStatement::bindInt64(int i, std::int64_t v)
{
    if (sqlite3_bind_int64(m_stmt, i, v) != SQLITE_OK)
        throwFrom(m_db, "bind");
}

void SqliteStatement::bind(int i, double v)
{
    if (sqlite3_bind_double(m_stmt, i, v) != SQLITE_OK)
        throwFrom(m_db, "bind");
}

void SqliteStatement::bindText(int i, std::string_view text, bool isStatic)
{
    if (sqlite3_bind_text64(m_stmt, i, text.data(), text.size(), isStatic ? SQLITE_STATIC : SQLITE_TRANSIENT,
                            SQLITE_UTF8)
        != SQLITE_OK)
        throwFrom(m_db, "bind");
}

void SqliteStatement::bindText(int i, const QString& text)
{
    const QByteArray utf8 = text.toUtf8();
    bindText(i, std::string_view(utf8.constData(), static_cast<size_t>(utf8.size())));
}

void SqliteStatement::bindBlob(int i, std::string_view bytes, bool isStatic)
{
    // A null pointer would bind NULL: an empty blob is still a value.
    if (sqlite3_bind_blob64(m_stmt, i, bytes.data() ? bytes.data() : "", bytes.size(),
                            isStatic ? SQLITE_STATIC : SQLITE_TRANSIENT) != SQLITE_OK)
        throwFrom(m_db, "bind");
}

bool SqliteStatement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    throwFrom(m_db, "step");
}

void SqliteStatement::run()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        sqlite3_reset(m_stmt);
        throwFrom(m_db, "step");
    }
    sqlite3_reset(m_stmt);
}

void SqliteStatement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool SqliteStatement::isNull(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }

std::int64_t SqliteStatement::columnInt(int col) const { return sqlite3_column_int64(m_stmt, col); }

double SqliteStatement::columnDouble(int col) const { return sqlite3_column_double(m_stmt, col); }

std::optional<std::int64_t> SqliteStatement::optionalInt(int col) const
{
    return isNull(col) ? std::nullopt : std::optional<std::int64_t>(columnInt(col));
}

std::optional<double> SqliteStatement::optionalDouble(int col) const
{
    return isNull(col) ? std::nullopt : std::optional<double>(columnDouble(col));
}

std::string_view SqliteStatement::columnView(int col) const
{
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, col));
    const int n = sqlite3_column_bytes(m_stmt, col);
    return p ? std::string_view(p, static_cast<size_t>(n)) : std::string_view();
}

QString SqliteStatement::columnText(int col) const
{
    const std::string_view v = columnView(col);
    return QString::fromUtf8(v.data(), static_cast<qsizetype>(v.size()));
}

QByteArray SqliteStatement::columnBlob(int col) const
{
    const auto* p = static_cast<const char*>(sqlite3_column_blob(m_stmt, col));
    const int n = sqlite3_column_bytes(m_stmt, col);
    return p ? QByteArray(p, n) : QByteArray();
}

int SqliteStatement::columnCount() const { return sqlite3_column_count(m_stmt); }

SqliteTransaction::SqliteTransaction(SqliteDb& db, const char* begin)
    : m_db(db)
{
    m_db.exec(begin);
}

SqliteTransaction::~SqliteTransaction()
{
    if (!m_open)
        return;
    try {
        m_db.exec("ROLLBACK");
    } catch (const DatabaseError& e) {
        qCWarning(lcStorage) << "rollback failed:" << e.what();
    }
}

void SqliteTransaction::commit()
{
    m_db.exec("COMMIT");
    m_open = false;
}

} // namespace ds
