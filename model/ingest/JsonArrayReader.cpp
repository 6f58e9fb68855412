#include "ingest/JsonArrayReader.h"

#include <algorithm>
#include <cstring>

namespace ds {

namespace {

constexpr std::size_t kChunk = 4 << 20;
constexpr std::size_t kPadding = LineReader::kPadding;

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::size_t trimmedLength(const char* data, std::size_t begin, std::size_t end)
{
    while (end > begin && isSpace(data[end - 1]))
        --end;
    return end - begin;
}

} // namespace

JsonArrayReader::JsonArrayReader(ByteSource& source, std::size_t maxElementBytes)
    : m_source(source)
    , m_max(std::max<std::size_t>(maxElementBytes, 1))
{
    m_buf.resize(std::min(kChunk, m_max + kChunk / 2) + kPadding);
}

std::size_t JsonArrayReader::scanElement(const char* data, std::size_t from, std::size_t end, Scan& s, bool& closesArray)
{
    for (std::size_t i = from; i < end; ++i) {
        const char c = data[i];
        if (s.inString) {
            if (s.escape)
                s.escape = false;
            else if (c == '\\')
                s.escape = true;
            else if (c == '"')
                s.inString = false;
            continue;
        }
        switch (c) {
        case '"': s.inString = true; break;
        case '{':
        case '[': ++s.depth; break;
        case '}':
        case ']':
            if (s.depth == 0) { // a bracket the element did not open: the array's end (or damage, parsed as such)
                closesArray = c == ']';
                return i;
            }
            --s.depth;
            break;
        case ',':
            if (s.depth == 0) {
                closesArray = false;
                return i;
            }
            break;
        default: break;
        }
    }
    return end;
}

std::vector<std::string_view> JsonArrayReader::leadingElements(std::string_view text, std::size_t max)
{
    std::vector<std::string_view> out;
    std::size_t i = 0;
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        i = 3;
    while (i < text.size() && isSpace(text[i]))
        ++i;
    if (i >= text.size() || text[i] != '[')
        return out;
    ++i;
    while (out.size() < max) {
        while (i < text.size() && (isSpace(text[i]) || text[i] == ','))
            ++i;
        if (i >= text.size() || text[i] == ']')
            break;
        Scan scan;
        bool closes = false;
        const std::size_t end = scanElement(text.data(), i, text.size(), scan, closes);
        if (end == text.size())
            break; // cut by the end of the sample
        out.push_back(text.substr(i, trimmedLength(text.data(), i, end)));
        if (closes)
            break;
        i = end + 1;
    }
    return out;
}

bool JsonArrayReader::fill()
{
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
    if (m_atStart && m_end >= 3 && std::memcmp(m_buf.data(), "\xEF\xBB\xBF", 3) == 0)
        m_begin = m_scan = 3;
    if (m_end >= 3 || m_eof)
        m_atStart = false;
    return true;
}

JsonArrayReader::Status JsonArrayReader::take(std::size_t len, bool terminated, std::string_view& element,
                                              std::int64_t& number)
{
    number = ++m_count;
    m_terminated = terminated;
    if (len > m_max) {
        m_oversized.begin(std::string_view(m_buf.data() + m_begin, len));
        element = {};
        return Status::Oversized;
    }
    element = std::string_view(m_buf.data() + m_begin, len);
    return Status::Line;
}

JsonArrayReader::Status JsonArrayReader::next(std::string_view& element, std::int64_t& number)
{
    while (true) {
        if (m_atStart && !m_eof) {
            // Not three bytes yet (a source may hand over its first two alone): a byte-order mark cannot be told.
            if (!fill())
                return Status::Error;
            continue;
        }
        if (m_where != Where::InElement) {
            while (m_scan < m_end && isSpace(m_buf[m_scan]))
                ++m_scan;
            if (m_scan == m_end) {
                if (m_eof)
                    return Status::End;
                m_begin = m_scan;
                if (!fill())
                    return Status::Error;
                continue;
            }
            const char c = m_buf[m_scan];
            if (m_where == Where::BeforeArray && c == '[') {
                ++m_scan;
                m_where = Where::BeforeElement;
                continue;
            }
            if (m_where == Where::BeforeElement && (c == ',' || c == ']')) {
                ++m_scan; // an empty array, or a stray comma
                m_where = c == ']' ? Where::AfterArray : Where::BeforeElement;
                continue;
            }
            // An element; or, before the array or after it, text that is none: read like one, so it is quarantined.
            m_begin = m_scan;
            m_state = Scan{};
            m_where = Where::InElement;
        }
        bool closes = false;
        const std::size_t pos = scanElement(m_buf.data(), m_scan, m_end, m_state, closes);
        if (pos < m_end) {
            m_where = closes ? Where::AfterArray : Where::BeforeElement;
            m_scan = pos + 1;
            const std::size_t len = trimmedLength(m_buf.data(), m_begin, pos);
            if (m_skipping) {
                m_oversized.append(std::string_view(m_buf.data() + m_begin, len));
                m_skipping = false;
                m_begin = m_scan;
                number = ++m_count;
                m_terminated = true;
                return Status::Oversized;
            }
            if (len == 0) {
                m_begin = m_scan;
                continue; // nothing between two commas
            }
            const Status st = take(len, true, element, number);
            m_begin = m_scan;
            return st;
        }
        m_scan = m_end;
        if (m_skipping) {
            m_oversized.append(std::string_view(m_buf.data() + m_begin, m_end - m_begin));
            m_begin = m_scan;
        } else if (m_end - m_begin > m_max) {
            m_oversized.begin(std::string_view(m_buf.data() + m_begin, m_end - m_begin));
            m_skipping = true;
            m_begin = m_scan;
        }
        if (m_eof) {
            // The document ends inside this element: a truncated download.
            m_where = Where::AfterArray;
            if (m_skipping) {
                m_skipping = false;
                number = ++m_count;
                m_terminated = false;
                return Status::Oversized;
            }
            std::memset(m_buf.data() + m_end, 0, kPadding);
            const std::size_t len = trimmedLength(m_buf.data(), m_begin, m_end);
            if (len == 0)
                continue;
            const Status st = take(len, false, element, number);
            m_begin = m_scan;
            return st;
        }
        if (!fill())
            return Status::Error;
    }
}

} // namespace ds
