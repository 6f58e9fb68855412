#include "ingest/LineReader.h"

#include <algorithm>
#include <cstring>

namespace ds {

namespace {
constexpr std::size_t kChunk = 4 << 20;
}

LineReader::LineReader(ByteSource& source, std::size_t maxLineBytes)
    : m_source(source)
    , m_maxLine(std::max<std::size_t>(maxLineBytes, 1))
{
    m_buf.resize(std::min(kChunk, m_maxLine + kChunk / 2) + kPadding);
}

bool LineReader::fill()
{
    // Move the unread tail to the front, grow if one line fills the buffer, then read.
    // The buffer never grows far past the line limit: longer lines are skipped, not held.
    if (m_begin > 0) {
        const std::size_t tail = m_end - m_begin;
        std::memmove(m_buf.data(), m_buf.data() + m_begin, tail);
        m_scan -= m_begin;
        m_end = tail;
        m_begin = 0;
    }
    m_nextLfKnown = false; // positions move, and new data may hold an LF
    if (m_buf.size() - kPadding - m_end < kChunk / 2)
        m_buf.resize(m_buf.size() * 2);
    const std::int64_t n = m_source.read(m_buf.data() + m_end, static_cast<std::int64_t>(m_buf.size() - kPadding - m_end));
    if (n < 0)
        return false;
    if (n == 0)
        m_eof = true;
    m_end += static_cast<std::size_t>(n);
    if (m_atStart && m_end >= 3 && std::memcmp(m_buf.data(), "\xEF\xBB\xBF", 3) == 0) {
        m_begin = m_scan = 3;
    }
    if (m_end >= 3 || m_eof)
        m_atStart = false;
    return true;
}

std::size_t LineReader::findBreak(std::size_t from)
{
    // JSON Lines hold no raw CR or LF inside a record, so either one ends it.
    // LF is searched first (the common ending), then CR only before it.
    const char* base = m_buf.data();
    if (!m_nextLfKnown || m_nextLf < from) {
        const void* nl = from < m_end ? std::memchr(base + from, '\n', m_end - from) : nullptr;
        m_nextLf = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - base) : m_end;
        m_nextLfKnown = true;
    }
    const std::size_t lf = m_nextLf;
    const void* cr = lf > from ? std::memchr(base + from, '\r', lf - from) : nullptr;
    return cr ? static_cast<std::size_t>(static_cast<const char*>(cr) - base) : lf;
}

LineReader::Status LineReader::next(std::string_view& line, std::int64_t& lineNumber)
{
    while (true) {
        const std::size_t pos = findBreak(m_scan);
        if (pos < m_end) {
            std::size_t after = pos + 1;
            if (m_buf[pos] == '\r') {
                if (after == m_end && !m_eof) {
                    // A CR at the end of the data read so far: an LF may follow.
                    m_scan = pos;
                    if (!fill())
                        return Status::Error;
                    continue;
                }
                if (after < m_end && m_buf[after] == '\n')
                    ++after;
            }
            return take(pos - m_begin, after, true, line, lineNumber);
        }
        m_scan = m_end;
        if (m_eof) {
            if (m_begin == m_end)
                return Status::End;
            // Zero the padding so parsers that look past the end see no stale bytes.
            std::memset(m_buf.data() + m_end, 0, kPadding);
            return take(m_end - m_begin, m_end, false, line, lineNumber);
        }
        if (m_end - m_begin > m_maxLine)
            return skipOversized(lineNumber);
        if (!fill())
            return Status::Error;
    }
}

// Returns the `len` bytes at m_begin as the next line, or as an oversized one
// when they pass the limit, and moves on to `next`.
LineReader::Status LineReader::take(std::size_t len, std::size_t next, bool terminated, std::string_view& line,
                                    std::int64_t& lineNumber)
{
    const bool oversized = len > m_maxLine;
    if (oversized)
        m_oversized.begin(std::string_view(m_buf.data() + m_begin, len));
    line = oversized ? std::string_view() : std::string_view(m_buf.data() + m_begin, len);
    lineNumber = ++m_line;
    m_begin = m_scan = next;
    m_terminated = terminated;
    return oversized ? Status::Oversized : Status::Line;
}

// The line at m_begin is already longer than the limit and has no end in the
// buffer: read on, keeping only its first and last bytes, until it ends.
LineReader::Status LineReader::skipOversized(std::int64_t& lineNumber)
{
    m_oversized.begin(std::string_view(m_buf.data() + m_begin, m_end - m_begin));
    m_begin = m_scan = m_end;
    bool crPending = false; // the last byte read was a CR: an LF right after belongs to it
    while (true) {
        if (!fill())
            return Status::Error;
        if (crPending) {
            if (m_begin < m_end && m_buf[m_begin] == '\n')
                ++m_begin;
            if (m_begin < m_end || m_eof)
                break;
            continue;
        }
        const std::size_t pos = findBreak(m_begin);
        m_oversized.append(std::string_view(m_buf.data() + m_begin, pos - m_begin));
        if (pos < m_end) {
            m_begin = pos + 1;
            m_terminated = true;
            if (m_buf[pos] == '\r') {
                if (m_begin < m_end) {
                    if (m_buf[m_begin] == '\n')
                        ++m_begin;
                } else if (!m_eof) {
                    crPending = true;
                    continue;
                }
            }
            break;
        }
        m_begin = m_end;
        if (m_eof) {
            m_terminated = false;
            break;
        }
    }
    m_scan = m_begin;
    lineNumber = ++m_line;
    return Status::Oversized;
}

} // namespace ds
