#include "FormatFixtures.h"

#include "core/CancelToken.h"
#include "ingest/ImportTypes.h"
#include "ingest/Importer.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace ds::test {

QString formatFixture(const QString& name) { return QStringLiteral(DS_SOURCE_DIR "/tests/ingest/formats/%1").arg(name); }

QJsonArray formatFixtureRecords(const QString& name)
{
    QFile in(formatFixture(name));
    QJsonArray rows;
    if (!in.open(QIODevice::ReadOnly))
        return rows;
    for (const QByteArray& line : in.readAll().split('\n'))
        if (!line.trimmed().isEmpty())
            rows.append(QJsonDocument::fromJson(line).object());
    return rows;
}

ImportSummary importAs(const QString& db, const QStringList& files, const QString& format)
{
    ImportProgress progress;
    CancelToken cancel;
    return Importer::run(ImportRequest{db, files, {}, format}, progress, cancel);
}

} // namespace ds::test
