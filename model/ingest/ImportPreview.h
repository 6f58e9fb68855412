#pragma once

#include "core/CancelToken.h"
#include "ingest/LogFields.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <optional>

namespace ds {

// How one file is to be read: a preset forced (ImportRequest::format), a mapping file of the
// user's (ImportRequest::mappingPath), or neither: recognised by its content, as the import does.
struct FormatChoice
{
    QString format;
    QString mappingPath;
    bool isAuto() const { return format.isEmpty() && mappingPath.isEmpty(); }
    bool operator==(const FormatChoice&) const = default;
};

// One record of a log's head as the import would read it. Text is as the log has it
// (attacker-controlled, not escaped): whoever shows it escapes it (displaytext).
struct PreviewRecord
{
    std::int64_t line = 0;
    bool quarantined = false;
    QString reason; // why it would be quarantined
    QString raw; // a quarantined record's text, cut to kPreviewRawChars
    // Requests.
    QString requestId, accountId, apiKeyId, ip, userAgent, model, prompt, systemPrompt;
    std::optional<std::int64_t> timestampMs, promptTokens, completionTokens;
    // Accounts files.
    QString emailDomain, paymentFingerprint, billingCountry, tier;
    std::optional<std::int64_t> createdAtMs;
};

constexpr int kPreviewRawChars = 2000; // of a quarantined record's text
constexpr int kPreviewPromptChars = 4000; // of a prompt or system prompt

// What the import would make of the start of one log file: its format, as the import
// recognises it or as chosen, the first records mapped (or quarantined, with the reason),
// and what the format or the sample lacks, in sentences.
struct FilePreview
{
    QString path;
    FormatChoice choice;
    // The sniff: refused files are not logs and will be refused by the import too.
    bool accepted = false;
    QString refusal; // why the import would refuse the file (no file name in it)
    QString error; // the chosen mapping file cannot be used, or the file cannot be read
    bool mappingUnusable = false; // `error` is about the mapping file: the import would stop before any file
    QString note; // why nothing was read (a FIFO or pipe is never previewed: it can be read only once)
    QString logFormat; // "canonical", a preset name, or "mapping": how the import reads its fields
    QString extends; // the preset a mapping file extends, else empty
    RecordKind kind = RecordKind::Requests;
    bool csv = false;
    bool jsonArray = false; // one JSON array of records, not JSON Lines (SniffResult::jsonArray)
    QString recordsMember; // with jsonArray: the records are this member's array in pages wrapping them
    bool gzip = false;
    // The head that was read: whole lines, decompressed.
    std::int64_t headBytes = 0;
    std::int64_t headLines = 0;
    bool wholeFile = false; // the head is the whole file
    // Counts over the whole head, of which `records` shows the first.
    std::int64_t requests = 0, accounts = 0, quarantined = 0, skipped = 0;
    // Requests of the head that carry each field (what the format or this log lacks).
    struct Presence
    {
        std::int64_t ip = 0, userAgent = 0, apiKey = 0, prompt = 0, model = 0, tokens = 0;
        std::int64_t accountIsKey = 0; // the account is the API key id (no user named)
    } presence;
    QList<PreviewRecord> records;
    QStringList warnings; // plain text; any log text inside is already escaped (displaytext::embedded)

    bool previewed() const { return accepted && error.isEmpty() && note.isEmpty(); }
};

// Reads the head of `path` (whole lines, at most about kPreviewHeadBytes decompressed and
// kPreviewHeadLines lines; a gzip file is inflated only that far) with the importer's own
// sniffer, mapping and parser, so the preview shows what the import would write. A FIFO or
// pipe is not opened. Shows the first `maxRecords` records. Any thread; blocking, a few
// milliseconds for an ordinary log; throws Cancelled when `cancel` is set.
FilePreview previewLogFile(const QString& path, const FormatChoice& choice, int maxRecords, const CancelToken& cancel);

constexpr std::int64_t kPreviewHeadBytes = 1 << 20;
constexpr std::int64_t kPreviewHeadLines = 200;
constexpr std::int64_t kPreviewMaxLineBytes = 16 << 20; // a first line longer than this is not previewed

} // namespace ds
