#pragma once

#include "ingest/LogFields.h"
#include "ingest/OversizedRecord.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

namespace ds {

class ByteStream;
class CancelToken;
class FieldMapping;
class SqliteDb;
struct FileReport;

// A log read from a stream rather than a file (a ClickHouse table: model/remote), imported
// like a file: in one transaction of its own, with quarantine and provenance, after the files.
struct StreamedLog
{
    QString label;  // its name in the summary and the case (source_file.path): never a secret
    QString format; // the preset its records are read as (logformats::presetNames())
    std::int64_t sizeHint = 0; // bytes expected, 0 when unknown
    // Opens the stream when its turn comes, on the import thread; its read() may block.
    std::function<std::shared_ptr<ByteStream>(const CancelToken&)> open;
    // Called on the import thread inside the source's transaction once the stream was read
    // whole, before the commit: records what only the stream knows (the query, the server).
    // May throw DatabaseError, which fails the source.
    std::function<void(SqliteDb& db, std::int64_t sourceFileId, const FileReport& report)> recordProvenance;
};

// What to import: files into one case, with an optional field mapping.
struct ImportRequest
{
    QString databasePath;
    QStringList files;
    QString mappingPath; // empty: canonical field names
    // A log format for every file (logformats::presetNames(): "litellm", ...); empty: each file's
    // is recognised by its content. Never together with mappingPath.
    QString format = QString();
    // Records longer than this are quarantined with their first and last bytes (--max-record-size).
    std::size_t maxRecordBytes = kDefaultMaxRecordBytes;
    // Logs that are not files, each read with its own format (never `format` or `mapping`).
    QList<StreamedLog> streams = {};
    // Tests: runs on the writer before each batch is written, and may throw (e.g. std::bad_alloc) to
    // show that a failing writer fails its file, not the application. Empty in real use.
    std::function<void()> beforeEachBatch = {};
};

// Live counters of a running import. The worker writes them, any thread reads
// them (the GUI polls on a timer, the CLI prints from the progress callback).
struct ImportProgress
{
    std::atomic<std::int64_t> totalBytes{0};  // sizes of all files on disk
    std::atomic<std::int64_t> bytesDone{0};   // bytes of those read so far
    std::atomic<std::int64_t> records{0};     // records read without error
    std::atomic<std::int64_t> quarantined{0}; // records kept aside
    std::atomic<int> fileIndex{0};            // which file is being read (0-based, in ImportRequest::files)
    std::atomic<int> fileCount{0};
    std::atomic<int> filesAlreadyInCase{0};   // files recognised as already imported, nothing read of them
    // The current file has the size of a file in the case: its SHA-256 is being
    // taken (a few seconds for 10 GB) to see whether it is that file, before it is parsed.
    std::atomic<bool> checking{false};
    // The current file is read; its indexes are being sorted and its SHA-256
    // taken (about a quarter of a large file's import, with no bytes to count).
    std::atomic<bool> finishing{false};
};

// What happened to one file.
struct FileReport
{
    enum class Outcome {
        Imported,        // committed
        AlreadyImported, // same bytes and mapping already in the case: skipped (a regular file before it is read)
        Refused,         // not a log (binary, empty, wrong format): nothing written
        Cancelled,       // the user cancelled while reading it: rolled back
        Failed,          // an I/O or database error: rolled back
    };
    QString path;
    Outcome outcome = Outcome::Refused;
    QString message;       // why it was refused or failed, one sentence
    RecordKind kind = RecordKind::Requests;
    QString format;        // "jsonl", "json" (one array of records) or "csv"
    QString logFormat;     // "canonical", a preset ("litellm", ...) or "mapping": how its fields were read
    std::int64_t skipped = 0; // records the format leaves out (OTLP spans that are not model calls), counted
    QString compression;   // "gzip" or "none"
    QString sha256;
    std::int64_t size = 0;
    std::int64_t records = 0;     // records read without error
    std::int64_t inserted = 0;    // new to the case
    std::int64_t quarantined = 0;
    QString firstQuarantineReason; // the reason of its first quarantined record, for a summary line
    // Copies of a request_id already read whose content differs: kept in request_conflict, not imported as requests.
    std::int64_t conflicts = 0;
    std::optional<std::int64_t> firstTs, lastTs;
    std::int64_t sourceFileId = 0; // its source_file row, or the earlier one it duplicates
    bool recognisedBeforeReading = false; // AlreadyImported by size and SHA-256, no record read
};

// The outcome of a whole import, with the case's totals afterwards.
struct ImportSummary
{
    QList<FileReport> files;
    std::int64_t requestsInCase = 0;
    std::int64_t accountsInCase = 0;
    std::int64_t quarantinedInCase = 0;
    std::int64_t conflictsInCase = 0;
    bool cancelled = false;
    QString error; // set when the case itself could not be opened or written

    // Something was imported (or was already there): the CLI's exit status.
    bool anyImported() const;
    // Files were read, yet not one record of them could be: every record read was quarantined (a wrong
    // format or mapping, most often). The CLI says so and exits 1; some records read is a success.
    bool everyRecordQuarantined() const;
};

const char* outcomeName(FileReport::Outcome o);

using ProgressCallback = std::function<void(const ImportProgress&)>;

} // namespace ds
