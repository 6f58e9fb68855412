#pragma once

#include "ingest/ByteSource.h"
#include "ingest/OversizedRecord.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace ds {

// Splits a ByteSource into lines without copying them: each line is a view into
// an internal buffer, valid until the next call. A line ends at LF, CRLF or a
// lone CR (old Mac exports), so mixed endings never pair records up. Strips a
// UTF-8 byte-order mark at the start. Every line is followed in memory by at
// least kPadding readable bytes, as simdjson needs.
//
// Memory stays bounded whatever the input: a line longer than `maxLineBytes`
// is not held but skipped to its end, keeping only its first and last bytes
// (Status::Oversized, see oversized()). One thread at a time.
class LineReader
{
public:
    static constexpr std::size_t kPadding = 64;

    explicit LineReader(ByteSource& source, std::size_t maxLineBytes = kDefaultMaxRecordBytes);

    enum class Status { Line, Oversized, End, Error };
    // Next line and its 1-based number; a last line without a line end is still a line.
    // On Oversized, `line` is empty and oversized() describes what was skipped.
    Status next(std::string_view& line, std::int64_t& lineNumber);
    // Whether the line just returned ended with a line break (false for a truncated last line).
    bool lastLineTerminated() const { return m_terminated; }
    // The line skipped by the last Status::Oversized.
    const OversizedRecord& oversized() const { return m_oversized; }
    std::size_t maxLineBytes() const { return m_maxLine; }

private:
    bool fill();
    // Position of the first '\n' or '\r' in [from, m_end), or m_end.
    std::size_t findBreak(std::size_t from);
    Status take(std::size_t len, std::size_t next, bool terminated, std::string_view& line, std::int64_t& lineNumber);
    Status skipOversized(std::int64_t& lineNumber);

    ByteSource& m_source;
    std::size_t m_maxLine;
    std::vector<char> m_buf;
    std::size_t m_begin = 0; // start of unread data
    std::size_t m_end = 0;   // end of valid data
    std::size_t m_scan = 0;  // where the search for a line break resumes
    // The next LF at or after the last search start, or m_end when there is none:
    // in a CR-only file one LF search covers the whole buffer, not one per line.
    std::size_t m_nextLf = 0;
    bool m_nextLfKnown = false;
    std::int64_t m_line = 0;
    bool m_eof = false;
    bool m_atStart = true;
    bool m_terminated = true;
    OversizedRecord m_oversized;
};

} // namespace ds
