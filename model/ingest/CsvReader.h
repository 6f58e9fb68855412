#pragma once

#include "ingest/ByteSource.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ds {

// Reads RFC 4180 CSV records from a ByteSource: comma separated, fields in
// double quotes may hold commas, quotes ("") and line breaks; CRLF or LF
// endings; a UTF-8 byte-order mark at the start is skipped. Lenient where the
// RFC is strict and no data is at stake (a stray quote inside an unquoted field
// is kept as text). One thread at a time.
class CsvReader
{
public:
    // A quoted field still open after `maxQuotedBytes` is taken for a stray quote (see strayQuote()).
    static constexpr std::size_t kMaxQuotedBytes = std::size_t{64} << 20;
    explicit CsvReader(ByteSource& source, std::size_t maxQuotedBytes = kMaxQuotedBytes);

    enum class Status { Record, End, Error };
    struct Record
    {
        std::vector<std::string_view> fields; // unescaped; valid until the next call
        std::string_view raw;                 // the record's bytes as in the file
        std::int64_t line = 0;                // line where the record starts (1-based)
        std::string problem;                  // non-empty: the record is malformed (e.g. unterminated quote)
    };
    Status next(Record& record);
    QString errorString() const { return m_source.errorString(); }

private:
    bool fill();
    Status strayQuote(Record& rec);

    ByteSource& m_source;
    std::size_t m_maxQuoted;
    std::vector<char> m_buf;
    std::size_t m_begin = 0;
    std::size_t m_end = 0;
    std::int64_t m_line = 1;
    bool m_eof = false;
    bool m_atStart = true;
    std::string m_scratch;
    std::vector<std::size_t> m_bounds;
};

} // namespace ds
