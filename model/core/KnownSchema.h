#pragma once

#include <QString>
#include <QStringList>

namespace ds {

class SqliteDb;

// Case files are untrusted: analysts mail them to each other and attach them to tickets, and a trigger or view
// planted in one would run inside detect, report, export or import. Every connection runs with SQLite's defensive
// mode and trusted_schema off (core/Sqlite.cpp); on top of that, a case may hold only the objects Distillscope
// itself creates. The reference is built from the schema code of every module (an in-memory database that runs it
// once per process), so a table a module adds is known with no second list to keep. Any thread.
namespace knownschema {

// The objects of `db`'s main schema that Distillscope does not create, each described in one phrase
// ("trigger flip on account_result"); empty when the case holds only known objects. Tables and indexes are matched
// by name, type and table; triggers and views must also have exactly the SQL Distillscope writes.
QStringList unknownObjects(SqliteDb& db);

// Creates every module's tables and indexes in `db` (an empty case, or the in-memory reference).
void createAll(SqliteDb& db);

// True for a table `repair` may copy from an untrusted case: one Distillscope creates (or created in an earlier
// version), holding data only.
bool isKnownTable(const QString& name);

} // namespace knownschema
} // namespace ds
