#include "workspace/CsvExport.h"

#include "text/CsvText.h"
#include "core/Sqlite.h"
#include "workspace/ReadConnection.h"

#include "core/OutputFile.h"
#include <QStringList>

#include <stdexcept>

namespace ds {

qint64 exportTableCsv(SqliteDb& db, const TableSpec& table, const QString& path, const CancelToken& cancel)
{
    OutputFile out(path);
    // Thrown at the first failure (a full disk, a closed pipe); the partial file is discarded.
    const auto fail = [&] { throw std::runtime_error(("cannot write " + path + ": " + out.errorString()).toStdString()); };
    const auto writeLine = [&](const QByteArray& line) {
        if (!out.write(line + "\r\n"))
            fail();
    };
    if (!out.open())
        fail();
    QStringList header, cols;
    for (const ColumnSpec& c : table.columns) {
        header << c.title;
        // Full values in the export, not the truncated previews the table shows.
        QString sql = c.sql;
        sql.replace(QStringLiteral("substr(q.raw, 1, 2000)"), QStringLiteral("q.raw"));
        cols << sql;
    }
    QByteArray line;
    for (const QString& h : header)
        line += (line.isEmpty() ? "" : ",") + csvField(h);
    writeLine(line);
    const QString sql = QStringLiteral("SELECT %1 FROM %2").arg(cols.join(QStringLiteral(", ")), table.from)
                        + (table.where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + table.where.sql)
                        + QStringLiteral(" ORDER BY %1").arg(table.idKey);
    SqliteStatement st(db, sql.toUtf8().constData());
    bindParams(st, table.where.params);
    qint64 rows = 0;
    while (st.step()) {
        if (cancel.isCancelled())
            throw Cancelled{};
        line.clear();
        for (int c = 0; c < st.columnCount(); ++c)
            line += (c ? "," : "") + csvField(st.isNull(c) ? QString() : st.columnText(c));
        writeLine(line);
        ++rows;
    }
    if (!out.commit())
        fail();
    return rows;
}

} // namespace ds
