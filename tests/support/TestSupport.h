#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <cstdint>

namespace ds {
struct ImportSummary;
}

// Helpers shared by the test suites: temporary folders, fixture files, running
// the command-line tool. Test threads only.
namespace ds::test {

// A scratch folder removed at the end of the test.
class ScratchDir
{
public:
    ScratchDir();
    QString path() const { return m_dir.path(); }
    QString file(const QString& name) const { return m_dir.filePath(name); }
    // Writes `bytes` to a file in the folder and returns its path.
    QString write(const QString& name, const QByteArray& bytes) const;
    QString writeGzip(const QString& name, const QByteArray& bytes) const;

private:
    QTemporaryDir m_dir;
};

// A canonical request record as one JSON line (no newline).
QByteArray requestJson(const QString& requestId, const QString& accountId, std::int64_t epochMs,
                       const QString& prompt = QStringLiteral("What is the capital of France?"),
                       const QString& extraFields = {});

// The prompt corpora folder shipped with the project (../shared/data/prompts when present).
QString sharedPromptsDir();

// Runs distillscope-cli with `args`; returns the exit code, stdout and stderr.
struct CliResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};
CliResult runCli(const QStringList& args, int timeoutMs = 120000);

// Imports `files` into the case at `dbPath` synchronously (the real Importer).
ds::ImportSummary importInto(const QString& dbPath, const QStringList& files, const QString& mappingPath = {});

// One integer / one text from a query on a case file (read-only connection).
std::int64_t queryInt(const QString& dbPath, const char* sql);
QString queryText(const QString& dbPath, const char* sql);

// Folder for artefacts a person should look at (screenshots, reports).
QString outputDir();

} // namespace ds::test
