#include "report/ExportFiles.h"

#include "text/CsvText.h"
#include "core/FileDigest.h"

#include "core/OutputFile.h"

namespace ds::exportfiles {

QString writeAll(const QString& path, const QByteArray& bytes)
{
    OutputFile f(path);
    if (!f.open())
        return QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
    if (!f.write(bytes) || !f.commit())
        return QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
    return {};
}

QString sha256OfFile(const QString& path) { return ds::sha256OfFile(path).sha256Hex; }

QByteArray csvLine(const QStringList& fields) { return ds::csvLine(fields); }

} // namespace ds::exportfiles
