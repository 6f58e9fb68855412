#pragma once

#include <QJsonArray>
#include <QString>
#include <QStringList>

namespace ds {
struct ImportSummary;
}

// The log-format suites' shared pieces: the fixture exports of tests/ingest/formats and an import with the format
// named. Test threads only.
namespace ds::test {

// A file of tests/ingest/formats: a small export of one log format the importer reads.
QString formatFixture(const QString& name);

// The records of a JSON-lines fixture (one object a line) as one JSON array, as list APIs return them; empty when
// the file cannot be read.
QJsonArray formatFixtureRecords(const QString& name);

// Imports `files` into the case at `db` synchronously (the real Importer), read as `format`: a shipped format's
// name, or empty to recognise each file by its content.
ImportSummary importAs(const QString& db, const QStringList& files, const QString& format);

} // namespace ds::test
