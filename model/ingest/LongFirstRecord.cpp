#include "ingest/LongFirstRecord.h"

#include <algorithm>

namespace ds {

std::string readOnFirstRecord(ByteSource& src, std::string_view sample, bool giveBack, std::size_t cap)
{
    // Given back, the source returns the sample first (its byte-order mark too): it is read again, not searched.
    std::string read = giveBack ? std::string() : std::string(sample);
    std::size_t from = sample.size(); // where the bytes after the sample start (about, with a mark)
    std::size_t lineEnd = std::string::npos;
    std::string chunk(std::size_t(1) << 20, '\0');
    while (read.size() < cap) {
        const std::int64_t n = src.read(chunk.data(), static_cast<std::int64_t>(std::min(chunk.size(), cap - read.size())));
        if (n <= 0)
            break;
        read.append(chunk.data(), static_cast<std::size_t>(n));
        if (read.size() <= from)
            continue;
        const std::size_t end = read.find_first_of("\r\n", from);
        if (end != std::string::npos) {
            lineEnd = end; // the first record ends here
            break;
        }
        from = read.size();
    }
    if (giveBack)
        src.unread(read); // everything, for the import
    read.resize(std::min(lineEnd, read.size())); // the first record alone, for its names
    if (giveBack && read.compare(0, 3, "\xEF\xBB\xBF") == 0)
        read.erase(0, 3);
    return read;
}

} // namespace ds
