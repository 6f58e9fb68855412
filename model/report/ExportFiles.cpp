#include "report/ExportFiles.h"

#include "text/CsvText.h"
#include "core/FileDigest.h"

#include <QSaveFile>

namespace ds::exportfiles {

QString writeAll(const QString& path, const QByteArray& bytes)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
    if (f.write(bytes) != bytes.size() || !f.commit())
        return QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
    return {};
}

QString sha256OfFile(const QString& path) { return ds::sha256OfFile(path).sha256Hex; }

QByteArray csvLine(const QStringList& fields) { return ds::csvLine(fields); }

} // namespace ds::exportfiles
