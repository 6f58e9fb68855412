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

// The non-empty lines of a CSV file after its header (simulator outputs: no quoted line breaks); empty when unreadable.
QList<QByteArray> csvDataLines(const QString& path);

// Attacker-controlled text of every awkward kind: right-to-left overrides, bidi
// isolates, control and escape characters, markup (Qt rich text, HTML, script),
// format specifiers (%1, %n), CSV formulas, combining marks, astral emoji, very
// long unbroken words. None contains NUL, so each survives as an identifier.
QStringList hostileStrings();

// A request log and accounts file built from hostileStrings(), for every view,
// export and report to show. Each hostile string is the id of one account of a
// coordinated campaign (same templates, same user agent, lockstep timing) and
// also appears as user agent, model, organisation, API key and inside prompts
// (with NUL and C0 controls there); one request carries a huge prompt of
// `hugePromptBytes` UTF-8 bytes with markup and bidi text; two lines are not
// JSON (invalid UTF-8, raw markup) and end in quarantine.
struct HostileLog
{
    QByteArray requestsJsonl;
    QByteArray accountsCsv;
    QStringList accountIds;      // every account in the log, hostile ones first
    QString hugePromptRequestId; // the request whose prompt is `hugePrompt`
    QString hugePrompt;
    int requests = 0;            // readable request lines
    int quarantinedLines = 0;    // lines that must be quarantined
};
HostileLog hostileLog(qsizetype hugePromptBytes = 1 << 20);

} // namespace ds::test
