#include "ingest/DocumentReader.h"

#include "ingest/ByteSource.h"

#include <algorithm>

namespace ds {

DocumentReader::DocumentReader(ByteSource& source, std::size_t maxBytes)
    : m_source(source)
    , m_max(std::max<std::size_t>(maxBytes, 1))
{
}

DocumentReader::Status DocumentReader::next(std::string_view& document, std::int64_t& number)
{
    document = {};
    number = 1;
    if (m_done)
        return Status::End;
    m_done = true;
    constexpr std::size_t kChunk = 1 << 20;
    std::string chunk(kChunk, '\0');
    bool over = false;
    while (true) {
        const std::int64_t n = m_source.read(chunk.data(), static_cast<std::int64_t>(chunk.size()));
        if (n < 0)
            return Status::Error;
        if (n == 0)
            break;
        const std::string_view got(chunk.data(), static_cast<std::size_t>(n));
        if (over) {
            m_oversized.append(got);
            continue;
        }
        if (m_text.size() + got.size() > m_max) {
            // Past the record limit: keep the ends only, as for a long line.
            over = true;
            m_oversized = {};
            m_oversized.begin(m_text);
            m_oversized.append(got);
            m_text.clear();
            m_text.shrink_to_fit();
            continue;
        }
        m_text.append(got);
    }
    if (over)
        return Status::Oversized;
    if (m_text.find_first_not_of(" \t\r\n") == std::string::npos)
        return Status::End;
    const std::size_t size = m_text.size();
    m_text.append(LineReader::kPadding, ' ');
    document = std::string_view(m_text.data(), size);
    return Status::Line;
}

} // namespace ds
