#include "ingest/JsonArrayReader.h"

#include <algorithm>
#include <cstring>

namespace ds {

namespace {

constexpr std::size_t kChunk = 4 << 20;
constexpr std::size_t kPadding = LineReader::kPadding;
// A member name longer than this is not the records member (a hostile page could hold a name of gigabytes).
constexpr std::size_t kMaxNameBytes = 4096;
// Members of a wrapping object looked at when sniffing (a page has a handful).
constexpr std::size_t kMaxSniffedMembers = 64;

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::size_t trimmedLength(const char* data, std::size_t begin, std::size_t end)
{
    while (end > begin && isSpace(data[end - 1]))
        --end;
    return end - begin;
}

} // namespace

JsonArrayReader::JsonArrayReader(ByteSource& source, std::size_t maxElementBytes, std::string recordsMember)
    : m_source(source)
    , m_max(std::max<std::size_t>(maxElementBytes, 1))
    , m_recordsMember(std::move(recordsMember))
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

std::vector<JsonArrayReader::Member> JsonArrayReader::arrayMembers(std::string_view text, std::size_t max)
{
    std::vector<Member> out;
    const std::size_t n = text.size();
    std::size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    auto skipSpace = [&] {
        while (i < n && isSpace(text[i]))
            ++i;
    };
    skipSpace();
    if (i >= n || text[i] != '{')
        return out;
    ++i;
    for (std::size_t members = 0; members < kMaxSniffedMembers; ++members) {
        while (i < n && (isSpace(text[i]) || text[i] == ','))
            ++i;
        if (i >= n || text[i] != '"')
            break; // the object's end, or no object
        std::size_t q = i + 1;
        for (bool escape = false; q < n; ++q) {
            if (escape)
                escape = false;
            else if (text[q] == '\\')
                escape = true;
            else if (text[q] == '"')
                break;
        }
        if (q >= n)
            break;
        const std::string_view name = text.substr(i + 1, q - i - 1);
        i = q + 1;
        skipSpace();
        if (i >= n || text[i] != ':')
            break;
        ++i;
        skipSpace();
        if (i >= n)
            break;
        if (text[i] == '[') {
            std::vector<std::string_view> elements = leadingElements(text.substr(i), max);
            if (!elements.empty() && elements.front().front() == '{')
                out.push_back(Member{name, std::move(elements)});
        }
        Scan scan;
        bool closes = false;
        const std::size_t end = scanElement(text.data(), i, n, scan, closes);
        if (end >= n || text[end] != ',')
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

std::size_t JsonArrayReader::scanName()
{
    for (std::size_t i = m_scan; i < m_end; ++i) {
        if (m_nameEscape)
            m_nameEscape = false;
        else if (m_buf[i] == '\\')
            m_nameEscape = true;
        else if (m_buf[i] == '"')
            return i;
    }
    return m_end;
}

bool JsonArrayReader::stepInWrapper()
{
    auto skipSpace = [this] {
        while (m_scan < m_end && isSpace(m_buf[m_scan]))
            ++m_scan;
        if (m_scan < m_end)
            return true;
        m_begin = m_scan; // nothing to keep
        return false;
    };
    switch (m_where) {
    case Where::BeforeMember: {
        while (m_scan < m_end && (isSpace(m_buf[m_scan]) || m_buf[m_scan] == ','))
            ++m_scan;
        if (!skipSpace())
            return false;
        const char c = m_buf[m_scan];
        if (c == '}') {
            ++m_scan;
            m_where = Where::BeforeArray; // the page is read; another may follow
        } else if (c == '"') {
            m_begin = m_scan++;
            m_nameEscape = false;
            m_nameMatches = true; // until the name says otherwise
            m_where = Where::InName;
        } else {
            // Text that is no member: read like an element, so it is quarantined.
            m_begin = m_scan;
            m_state = Scan{};
            m_elementInWrapper = true;
            m_where = Where::InElement;
        }
        return true;
    }
    case Where::InName: {
        const std::size_t quote = scanName();
        if (quote == m_end) {
            m_scan = m_end;
            if (m_end - m_begin > kMaxNameBytes) {
                m_nameMatches = false;
                m_begin = m_end; // the rest of the name is passed over
            }
            return false;
        }
        if (m_nameMatches)
            m_nameMatches = std::string_view(m_buf.data() + m_begin + 1, quote - m_begin - 1) == m_recordsMember;
        m_scan = m_begin = quote + 1;
        m_where = Where::BeforeColon;
        return true;
    }
    case Where::BeforeColon:
        if (!skipSpace())
            return false;
        if (m_buf[m_scan] == ':')
            ++m_scan; // without one, what follows is taken as the value
        m_where = Where::BeforeValue;
        return true;
    case Where::BeforeValue:
        if (!skipSpace())
            return false;
        m_begin = m_scan;
        if (m_nameMatches && m_buf[m_scan] == '[') {
            m_begin = ++m_scan;
            m_inWrapper = true;
            m_where = Where::BeforeElement;
        } else {
            m_state = Scan{};
            m_where = Where::InValue;
        }
        return true;
    case Where::InValue: {
        bool closes = false;
        const std::size_t pos = scanElement(m_buf.data(), m_scan, m_end, m_state, closes);
        if (pos == m_end) {
            m_scan = m_begin = m_end; // passed over, not kept
            return false;
        }
        m_where = m_buf[pos] == '}' ? Where::BeforeArray : Where::BeforeMember;
        m_scan = m_begin = pos + 1;
        return true;
    }
    case Where::AfterRecords:
        if (!skipSpace())
            return false;
        if (m_buf[m_scan] == ',' || m_buf[m_scan] == '}')
            m_where = m_buf[m_scan++] == '}' ? Where::BeforeArray : Where::BeforeMember;
        else
            m_where = Where::BeforeMember; // stray text: quarantined from there
        return true;
    default:
        return true;
    }
}

JsonArrayReader::Where JsonArrayReader::afterArray()
{
    const bool wrapped = m_inWrapper;
    m_inWrapper = false;
    if (wrapped)
        return Where::AfterRecords;
    return m_recordsMember.empty() ? Where::AfterArray : Where::BeforeArray;
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
        if (m_where >= Where::BeforeMember) {
            if (stepInWrapper())
                continue;
            if (m_eof)
                return Status::End; // the document ends inside the wrapping object: nothing more to read
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
            if (m_where == Where::BeforeArray && c == '{' && !m_recordsMember.empty()) {
                ++m_scan;
                m_where = Where::BeforeMember; // a page wrapping the records
                continue;
            }
            if (m_where == Where::BeforeElement && (c == ',' || c == ']')) {
                ++m_scan; // an empty array, or a stray comma
                m_where = c == ']' ? afterArray() : Where::BeforeElement;
                continue;
            }
            // An element; or, before the array or after it, text that is none: read like one, so it is quarantined.
            m_begin = m_scan;
            m_state = Scan{};
            m_elementInWrapper = false;
            m_where = Where::InElement;
        }
        bool closes = false;
        const std::size_t pos = scanElement(m_buf.data(), m_scan, m_end, m_state, closes);
        if (pos < m_end) {
            if (m_elementInWrapper) // stray text among a wrapper's members, up to the next member or the end
                m_where = m_buf[pos] == '}' ? Where::BeforeArray : Where::BeforeMember;
            else
                m_where = closes ? afterArray() : Where::BeforeElement;
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
