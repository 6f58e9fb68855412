#include "report/ExportFiles.h"

#include "text/CsvText.h"
#include "core/FileDigest.h"

#include "core/OutputFile.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <algorithm>

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

QString defaultFolder(const QString& casePath)
{
    const QString folder = QFileInfo(casePath).absolutePath();
    const QStringList parts = QDir::fromNativeSeparators(folder).split(QLatin1Char('/'), Qt::SkipEmptyParts);
    const bool hidden = std::any_of(parts.begin(), parts.end(), [](const QString& p) { return p.startsWith(QLatin1Char('.')); });
    if (!casePath.isEmpty() && !hidden)
        return folder;
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString out = QDir(documents.isEmpty() ? QDir::homePath() : documents).filePath(QStringLiteral("Distillscope exports"));
    QDir().mkpath(out);
    return out;
}

QString baseName(const QString& casePath)
{
    QString name = QFileInfo(casePath).fileName();
    for (const QString& suffix : {QStringLiteral(".sqlite"), QStringLiteral(".case")})
        if (name.endsWith(suffix, Qt::CaseInsensitive))
            name.chop(suffix.size());
    return name.isEmpty() ? QStringLiteral("case") : name;
}

} // namespace ds::exportfiles
