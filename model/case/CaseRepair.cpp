#include "case/CaseRepair.h"

#include "core/CancelToken.h"
#include "core/CaseDatabase.h"
#include "core/KnownSchema.h"
#include "core/Sqlite.h"
#include "text/DisplayText.h"

#include <QFile>
#include <QFileInfo>

#include <sqlite3.h>

namespace ds {
namespace {

QStringList columnsOf(SqliteDb& db, const QString& table)
{
    QStringList out;
    SqliteStatement st(db, "SELECT name FROM pragma_table_info(?1)");
    st.bindText(1, table);
    while (st.step())
        out << st.columnText(0);
    return out;
}

QString quoted(const QString& name) { return QLatin1Char('"') + QString(name).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"'); }

// Copies the rows of one table: the columns both schemas have, values exactly as stored (type included).
std::int64_t copyTable(SqliteDb& src, SqliteDb& dst, const QString& table, QStringList* skipped, const CancelToken& cancel)
{
    const QStringList have = columnsOf(dst, table);
    QStringList cols;
    for (const QString& c : columnsOf(src, table)) {
        if (have.contains(c))
            cols << quoted(c);
        else
            *skipped << displaytext::cell(table + QLatin1Char('.') + c, 120);
    }
    if (cols.isEmpty())
        return 0;
    QStringList marks;
    for (qsizetype i = 1; i <= cols.size(); ++i)
        marks << QStringLiteral("?%1").arg(i);
    SqliteStatement read(src, QStringLiteral("SELECT %1 FROM main.%2").arg(cols.join(QLatin1Char(',')), quoted(table)).toStdString().c_str());
    SqliteStatement write(dst, QStringLiteral("INSERT INTO main.%1(%2) VALUES(%3)")
                                   .arg(quoted(table), cols.join(QLatin1Char(',')), marks.join(QLatin1Char(',')))
                                   .toStdString()
                                   .c_str());
    std::int64_t rows = 0;
    while (read.step()) {
        if ((rows & 0xFFF) == 0)
            if (cancel.isCancelled())
                throw Cancelled{};
        for (int i = 0; i < cols.size(); ++i)
            sqlite3_bind_value(write.handle(), i + 1, sqlite3_column_value(read.handle(), i));
        write.run();
        ++rows;
    }
    return rows;
}

} // namespace

RepairSummary repairCase(const QString& from, const QString& to, const CancelToken& cancel)
{
    if (QFileInfo::exists(to))
        throw CaseOpenError(QStringLiteral("%1 already exists: repair writes a new case and never overwrites a file.").arg(to));
    SqliteDb src = CaseDatabase::openForRepair(from);
    RepairSummary summary;
    summary.dropped = knownschema::unknownObjects(src);
    try {
        SqliteDb dst = CaseDatabase::openForWriting(to);
        SqliteTransaction tx(dst);
        knownschema::createAll(dst);
        // The meta rows of the fresh case (created_at, versions) give way to the source's: it is the same case.
        dst.exec("DELETE FROM meta");
        SqliteStatement tables(src, "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                                    "ORDER BY name");
        while (tables.step()) {
            const QString name = tables.columnText(0);
            if (!knownschema::isKnownTable(name) || columnsOf(dst, name).isEmpty())
                continue; // unknown tables were listed in `dropped`; retired ones are not created any more
            summary.rows += copyTable(src, dst, name, &summary.skippedColumns, cancel);
            ++summary.tables;
        }
        tx.commit();
    } catch (...) {
        QFile::remove(to);
        QFile::remove(to + QStringLiteral("-journal"));
        throw;
    }
    return summary;
}

} // namespace ds
