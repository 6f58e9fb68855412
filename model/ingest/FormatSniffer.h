#pragma once

#include "ingest/FieldMapping.h"
#include "ingest/LogFields.h"

#include <QString>

#include <string>

namespace ds {

class ByteSource;

// Decides from a file's content (never its name) whether it is a log we can
// read: JSON Lines or CSV, plain or gzip, holding requests or accounts. A file
// that is not (binary, empty, another format, no account_id) is refused with one
// sentence saying why, before anything is written. Reads at most the first
// 256 KiB; any thread.
struct SniffResult
{
    bool ok = false;
    QString refusal; // when !ok
    enum class Format { JsonLines, Csv } format = Format::JsonLines;
    RecordKind kind = RecordKind::Requests;
    bool gzip = false;
    // With Format::JsonLines: the file is one JSON array of records ("[{...}, {...}]", as list APIs return
    // them), read element by element (JsonArrayReader).
    bool jsonArray = false;
    // With jsonArray: when not empty, the document is an object wrapping the records array in this member, as
    // paginated list APIs return a page ({"data": [...], "total": 240, ...}: LiteLLM's /spend/logs/ui and /v2).
    std::string recordsMember;
    // With jsonArray: each element is an event wrapping the record as a JSON string in this member, as
    // `aws logs filter-log-events` prints CloudWatch Logs ({"events": [{"message": "{...}"}]}: Bedrock's invocation log).
    std::string messageMember;
    // With Format::JsonLines and not jsonArray: the file is one JSON object over many lines (pretty-printed), read as
    // one document (DocumentReader), bounded by the record limit.
    bool wholeDocument = false;
    // The log format: a preset's name ("canonical", "litellm", ...: logformats::presetNames()),
    // the preset a mapping extends, or "mapping" for a mapping of the user's own.
    QString logFormat;
};

// With `detectPresets` and the identity mapping, a log in a known format (LiteLLM, Helicone, ...:
// logformats) is recognised by its field names and named in logFormat; the importer then reads
// it with that preset.
SniffResult sniffLogFile(const QString& path, const FieldMapping& mapping, bool detectPresets = true);
// The same from an open source, for what cannot be opened twice (a pipe, a
// FIFO); `giveBack`: the bytes read are returned to the source (ByteSource::unread)
// so that it can be imported from its start.
SniffResult sniffLogSource(ByteSource& source, const FieldMapping& mapping, bool giveBack, bool detectPresets = true);

} // namespace ds
