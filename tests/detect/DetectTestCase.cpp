#include "DetectTestCase.h"

#include "core/CaseDatabase.h"
#include "detect/DetectionResults.h"
#include "ingest/Importer.h"

namespace ds::test {

DetectedCase importAndDetect(const ScratchDir& dir, const DetectFixture& fixture, const DetectSettings& settings,
                             const QString& name)
{
    DetectedCase c;
    c.database = dir.file(name);
    const QString logs = dir.write(name + QStringLiteral(".requests.jsonl"), fixture.requestsJsonl());
    const QString accounts = dir.write(name + QStringLiteral(".accounts.csv"), fixture.accountsCsv());
    ImportProgress progress;
    CancelToken cancel;
    const ImportSummary imported = Importer::run({c.database, {logs, accounts}, {}}, progress, cancel);
    if (!imported.error.isEmpty() || imported.requestsInCase != fixture.requestCount())
        qFatal("fixture import failed: %s (%lld of %d requests)", qPrintable(imported.error),
               static_cast<long long>(imported.requestsInCase), fixture.requestCount());
    DetectProgress dp;
    c.summary = Detector::run(c.database, settings, dp, cancel);
    return c;
}

QStringList flaggedAccounts(const QString& database)
{
    SqliteDb db = CaseDatabase::openForReading(database);
    const auto run = DetectionResults::latestRun(db);
    QStringList out;
    if (!run)
        return out;
    for (const DetectionResults::Account& a : DetectionResults(db, *run).accounts(true))
        out << a.accountId;
    out.sort();
    return out;
}

} // namespace ds::test
