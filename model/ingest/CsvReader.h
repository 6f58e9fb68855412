#pragma once

#include "ingest/ByteSource.h"
#include "ingest/OversizedRecord.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ds {

// Reads RFC 4180 CSV records from a ByteSource: comma separated, fields in
// double quotes may hold commas, quotes ("") and line breaks; CRLF or LF
// endings; a UTF-8 byte-order mark at the start is skipped. Lenient where the
// RFC is strict and no data is at stake (a stray quote inside an unquoted field
// is kept as text).
//
// Memory stays bounded whatever the input. A quote that is still open after
// `maxRecordBytes`, or at the end of the file, is taken for a stray quote: the
// line it opened on is returned as a malformed record and reading resumes on the
// next line, so one bad quote never swallows the records after it. An unquoted
// line longer than the limit is skipped to its end, keeping only its first and
// last bytes. One thread at a time.
class CsvReader
{
public:
    explicit CsvReader(ByteSource& source, std::size_t maxRecordBytes = kDefaultMaxRecordBytes);

    enum class Status { Record, End, Error };
    struct Record
    {
        std::vector<std::string_view> fields; // unescaped; valid until the next call
        std::string_view raw;                 // the record's bytes as in the file
        std::int64_t line = 0;                // line where the record starts (1-based)
        std::string problem;                  // non-empty: the record is malformed (e.g. unterminated quote)
        // The record is the line of a quote that never closed: the lines after it are read as records
        // again, and may be the rest of a long quoted cell.
        bool strayQuote = false;
    };
    Status next(Record& record);
    QString errorString() const { return m_source.errorString(); }

private:
    bool fill();
    Status strayQuote(Record& rec, bool atEnd);
    Status skipLongLine(Record& rec, std::size_t scanned);

    ByteSource& m_source;
    std::size_t m_maxRecord;
    std::vector<char> m_buf;
    std::size_t m_begin = 0;
    std::size_t m_end = 0;
    std::int64_t m_line = 1;
    bool m_eof = false;
    bool m_atStart = true;
    std::string m_scratch;
    std::vector<std::size_t> m_bounds;
    OversizedRecord m_oversized;
    std::string m_oversizedRaw;
};

} // namespace ds
