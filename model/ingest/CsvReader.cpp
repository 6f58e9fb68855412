#include "ingest/CsvReader.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace ds {

namespace {
constexpr std::size_t kChunk = 4 << 20;
}

CsvReader::CsvReader(ByteSource& source, std::size_t maxRecordBytes)
    : m_source(source)
    , m_maxRecord(std::max<std::size_t>(maxRecordBytes, 1))
{
    m_buf.resize(kChunk);
}

bool CsvReader::fill()
{
    if (m_begin > 0) {
        std::memmove(m_buf.data(), m_buf.data() + m_begin, m_end - m_begin);
        m_end -= m_begin;
        m_begin = 0;
    }
    // A record is never held past the limit (one byte more shows it passed), so
    // the buffer stops growing there; its last step lands on that size rather
    // than doubling past it, old and new buffers being alive together while it copies.
    const std::size_t cap = m_maxRecord > std::numeric_limits<std::size_t>::max() - kChunk ? m_maxRecord : m_maxRecord + kChunk;
    if (m_buf.size() - m_end < kChunk / 2 && m_buf.size() < cap)
        m_buf.resize(m_buf.size() > cap / 4 ? cap : m_buf.size() * 2);
    const std::int64_t n = m_source.read(m_buf.data() + m_end, static_cast<std::int64_t>(m_buf.size() - m_end));
    if (n < 0)
        return false;
    if (n == 0)
        m_eof = true;
    m_end += static_cast<std::size_t>(n);
    if (m_atStart && m_end >= 3) {
        if (std::memcmp(m_buf.data(), "\xEF\xBB\xBF", 3) == 0)
            m_begin = 3;
        m_atStart = false;
    }
    return true;
}

CsvReader::Status CsvReader::next(Record& rec)
{
    // Fields are unescaped into m_scratch while scanning, unless the record did
    // not fit in the buffer: then it is scanned for its end alone, refill after
    // refill, and unescaped once whole. A record past the limit is never copied.
    bool unescape = true;
    while (true) {
        // Scan one record from m_begin; if the buffer ends first, refill and rescan.
        m_scratch.clear();
        m_bounds.clear();
        rec.problem.clear();
        rec.strayQuote = false;
        std::size_t i = m_begin;
        std::int64_t newlines = 0;
        bool inQuotes = false;
        bool fieldQuoted = false;
        bool fieldEmpty = true; // nothing of the current field read yet (a quote there opens a quoted field)
        bool complete = false;
        std::size_t recordEnd = 0; // end of raw bytes (before the line break)
        // Scanning stops a little past the limit, wherever the buffer ends: a
        // record's fate never depends on how the file fell into reads.
        const std::size_t scanEnd = std::min(m_end, m_begin + m_maxRecord + 1);
        while (i < scanEnd) {
            const char c = m_buf[i];
            if (inQuotes) {
                if (c == '"') {
                    if (i + 1 < m_end && m_buf[i + 1] == '"') {
                        if (unescape)
                            m_scratch += '"';
                        i += 2;
                        continue;
                    }
                    if (i + 1 >= m_end && !m_eof)
                        break; // need to see the next byte
                    inQuotes = false;
                    ++i;
                    continue;
                }
                if (c == '\n')
                    ++newlines;
                if (unescape)
                    m_scratch += c;
                ++i;
                continue;
            }
            if (c == ',') {
                if (unescape)
                    m_bounds.push_back(m_scratch.size());
                fieldQuoted = false;
                fieldEmpty = true;
                ++i;
                continue;
            }
            if (c == '\n' || c == '\r') {
                recordEnd = i;
                if (c == '\r') {
                    if (i + 1 >= m_end && !m_eof)
                        break;
                    if (i + 1 < m_end && m_buf[i + 1] == '\n')
                        ++i;
                }
                ++i;
                complete = true;
                break;
            }
            if (c == '"' && !fieldQuoted && fieldEmpty) {
                inQuotes = true;
                fieldQuoted = true;
                ++i;
                continue;
            }
            if (unescape)
                m_scratch += c;
            fieldEmpty = false;
            ++i;
        }
        if (!complete) {
            if (i - m_begin > m_maxRecord)
                return inQuotes ? strayQuote(rec, false) : skipLongLine(rec, i);
            if (!m_eof) {
                if (!fill())
                    return Status::Error;
                unescape = false;
                continue;
            }
            if (m_begin >= m_end)
                return Status::End;
            // A quote open since an earlier line and never closed: the lines after it are records.
            if (inQuotes && newlines > 0)
                return strayQuote(rec, true);
            if (!unescape) {
                unescape = true; // the whole record is in the buffer now: scan it again, unescaping
                continue;
            }
            // The last record has no line break.
            recordEnd = m_end;
            i = m_end;
            if (inQuotes)
                rec.problem = "unterminated quoted field (the file may be truncated)";
        } else if (!unescape) {
            unescape = true; // the whole record is in the buffer now: scan it again, unescaping
            continue;
        }
        m_bounds.push_back(m_scratch.size());
        rec.fields.clear();
        std::size_t start = 0;
        for (std::size_t b : m_bounds) {
            rec.fields.emplace_back(m_scratch.data() + start, b - start);
            start = b;
        }
        rec.raw = std::string_view(m_buf.data() + m_begin, recordEnd - m_begin);
        rec.line = m_line;
        m_line += newlines + 1;
        m_begin = i;
        return Status::Record;
    }
}

// A quote that is never closed would swallow the rest of the file into one
// record, held in memory, and lose every record after it. Past the limit, or at
// the end of the file, the line where the record started is quarantined and
// reading resumes after it.
CsvReader::Status CsvReader::strayQuote(Record& rec, bool atEnd)
{
    const char* start = m_buf.data() + m_begin;
    const void* nl = std::memchr(start, '\n', m_end - m_begin);
    const std::size_t lineEnd = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - m_buf.data()) : m_end;
    std::size_t rawEnd = lineEnd;
    if (rawEnd > m_begin && m_buf[rawEnd - 1] == '\r')
        --rawEnd;
    rec.fields.clear();
    rec.raw = std::string_view(start, rawEnd - m_begin);
    rec.line = m_line;
    rec.strayQuote = true;
    rec.problem = atEnd ? "unterminated quoted field: the quote opened on this line is never closed; reading resumed on "
                          "the next line"
                        : "unterminated quoted field: the quote opened on this line is not closed within "
                              + byteCountText(m_maxRecord) + " (--max-record-size); reading resumed on the next line";
    m_line += 1;
    m_begin = nl ? lineEnd + 1 : m_end;
    return Status::Record;
}

// An unquoted line longer than the limit: read on to its end keeping only its
// first and last bytes (a quote opening inside it changes nothing: the line is
// quarantined whole either way).
CsvReader::Status CsvReader::skipLongLine(Record& rec, std::size_t scanned)
{
    // What was scanned holds no line break outside quotes: keep it, search on from its end.
    m_oversized.begin(std::string_view(m_buf.data() + m_begin, scanned - m_begin));
    m_begin = scanned;
    bool crPending = false;
    while (true) {
        if (crPending) {
            if (m_begin < m_end && m_buf[m_begin] == '\n')
                ++m_begin;
            if (m_begin < m_end || m_eof)
                break;
        } else {
            const char* base = m_buf.data() + m_begin;
            std::size_t n = m_end - m_begin;
            const void* nl = std::memchr(base, '\n', n);
            const void* cr = std::memchr(base, '\r', nl ? static_cast<const char*>(nl) - base : n);
            const char* stop = cr ? static_cast<const char*>(cr) : nl ? static_cast<const char*>(nl) : nullptr;
            if (stop)
                n = static_cast<std::size_t>(stop - base);
            m_oversized.append(std::string_view(base, n));
            m_begin += n;
            if (stop) {
                ++m_begin;
                if (*stop != '\r')
                    break;
                crPending = true;
                continue;
            }
            if (m_eof)
                break;
        }
        if (!fill())
            return Status::Error;
    }
    m_oversizedRaw = m_oversized.raw();
    rec.fields.clear();
    rec.raw = m_oversizedRaw;
    rec.line = m_line;
    rec.problem = m_oversized.reason(m_maxRecord);
    m_line += 1;
    return Status::Record;
}

} // namespace ds
