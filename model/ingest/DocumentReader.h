#pragma once

#include "ingest/LineReader.h"
#include "ingest/OversizedRecord.h"

#include <string>
#include <string_view>

namespace ds {

class ByteSource;

// Reads a file that is one JSON document, not one a line (a pretty-printed OTLP ExportTraceServiceRequest as a
// tracing tool saves it): the whole document is the one "line" the JSON parsers read, with LineReader's interface.
// A document longer than the record limit is never held whole: it is returned as Oversized, its first and last bytes
// kept, as LineReader does for a long line. Parser thread.
class DocumentReader
{
public:
    using Status = LineReader::Status;

    explicit DocumentReader(ByteSource& source, std::size_t maxBytes = kDefaultMaxRecordBytes);

    // The document (line number 1), then End.
    Status next(std::string_view& document, std::int64_t& number);
    bool lastLineTerminated() const { return m_complete; }
    const OversizedRecord& oversized() const { return m_oversized; }
    std::size_t maxLineBytes() const { return m_max; }

private:
    ByteSource& m_source;
    std::size_t m_max;
    std::string m_text; // the document, padded for simdjson
    OversizedRecord m_oversized;
    bool m_done = false;
    bool m_complete = true;
};

} // namespace ds
