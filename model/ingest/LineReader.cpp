#include "ingest/LineReader.h"

#include <cstring>

namespace ds {

namespace {
constexpr std::size_t kChunk = 4 << 20;
}

LineReader::LineReader(ByteSource& source)
    : m_source(source)
{
    m_buf.resize(kChunk + kPadding);
}

bool LineReader::fill()
{
    // Move the unread tail to the front, grow if one line fills the buffer, then read.
    if (m_begin > 0) {
        const std::size_t tail = m_end - m_begin;
        std::memmove(m_buf.data(), m_buf.data() + m_begin, tail);
        m_scan -= m_begin;
        m_end = tail;
        m_begin = 0;
    }
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

LineReader::Status LineReader::next(std::string_view& line, std::int64_t& lineNumber)
{
    while (true) {
        const void* nl = m_scan < m_end ? std::memchr(m_buf.data() + m_scan, '\n', m_end - m_scan) : nullptr;
        if (nl) {
            const auto pos = static_cast<std::size_t>(static_cast<const char*>(nl) - m_buf.data());
            std::size_t len = pos - m_begin;
            if (len > 0 && m_buf[pos - 1] == '\r')
                --len;
            line = std::string_view(m_buf.data() + m_begin, len);
            lineNumber = ++m_line;
            m_begin = m_scan = pos + 1;
            m_terminated = true;
            return Status::Line;
        }
        m_scan = m_end;
        if (m_eof) {
            if (m_begin == m_end)
                return Status::End;
            std::size_t len = m_end - m_begin;
            if (m_buf[m_end - 1] == '\r')
                --len;
            // Zero the padding so parsers that look past the end see no stale bytes.
            std::memset(m_buf.data() + m_end, 0, kPadding);
            line = std::string_view(m_buf.data() + m_begin, len);
            lineNumber = ++m_line;
            m_begin = m_scan = m_end;
            m_terminated = false;
            return Status::Line;
        }
        if (!fill())
            return Status::Error;
    }
}

} // namespace ds
