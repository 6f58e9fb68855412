#pragma once

#include "ingest/ByteSource.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace ds {

// Splits a ByteSource into lines without copying them: each line is a view into
// an internal buffer, valid until the next call. Strips a UTF-8 byte-order mark
// at the start and the '\r' of CRLF endings. Lines of any length are returned
// whole (the buffer grows), and every line is followed in memory by at least
// kPadding readable bytes, as simdjson needs. One thread at a time.
class LineReader
{
public:
    static constexpr std::size_t kPadding = 64;

    explicit LineReader(ByteSource& source);

    enum class Status { Line, End, Error };
    // Next line and its 1-based number; a last line without '\n' is still a line.
    Status next(std::string_view& line, std::int64_t& lineNumber);
    // Whether the line just returned ended with '\n' (false for a truncated last line).
    bool lastLineTerminated() const { return m_terminated; }

private:
    bool fill();

    ByteSource& m_source;
    std::vector<char> m_buf;
    std::size_t m_begin = 0; // start of unread data
    std::size_t m_end = 0;   // end of valid data
    std::size_t m_scan = 0;  // where the search for '\n' resumes
    std::int64_t m_line = 0;
    bool m_eof = false;
    bool m_atStart = true;
    bool m_terminated = true;
};

} // namespace ds
