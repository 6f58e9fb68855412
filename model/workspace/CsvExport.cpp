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
    if (!out.open())
        throw std::runtime_error(("cannot write " + path + ": " + out.errorString()).toStdString());
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
    out.write(line + "\r\n");
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
        out.write(line + "\r\n");
        ++rows;
    }
    if (!out.commit())
        throw std::runtime_error(("cannot write " + path + ": " + out.errorString()).toStdString());
    return rows;
}

} // namespace ds
