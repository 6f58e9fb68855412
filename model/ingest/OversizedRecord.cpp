#include "ingest/OversizedRecord.h"

#include <algorithm>
#include <cstdio>

namespace ds {

void OversizedRecord::begin(std::string_view first)
{
    head.assign(first.substr(0, kKeptBytes));
    tail.clear();
    bytes = 0;
    append(first.substr(head.size()));
    bytes += head.size();
}

void OversizedRecord::append(std::string_view more)
{
    bytes += more.size();
    if (more.size() >= kKeptBytes) {
        tail.assign(more.substr(more.size() - kKeptBytes));
        return;
    }
    tail.append(more);
    if (tail.size() > kKeptBytes)
        tail.erase(0, tail.size() - kKeptBytes);
}

std::string OversizedRecord::reason(std::size_t limit) const
{
    return "record of " + byteCountText(bytes) + " is larger than the import's record limit of " + byteCountText(limit)
           + " (--max-record-size); only its first and last " + std::to_string(kKeptBytes) + " bytes are kept here";
}

std::string OversizedRecord::raw() const
{
    const std::uint64_t omitted = bytes - head.size() - tail.size();
    return head + "\n[... " + std::to_string(omitted) + " bytes left out ...]\n" + tail;
}

std::string byteCountText(std::uint64_t bytes)
{
    // Powers of two read as MiB/GiB when exact (limits people type), else decimal units.
    char buf[48];
    if (bytes >= (std::uint64_t{1} << 30) && bytes % (std::uint64_t{1} << 30) == 0)
        std::snprintf(buf, sizeof buf, "%llu GiB", static_cast<unsigned long long>(bytes >> 30));
    else if (bytes >= (std::uint64_t{1} << 20) && bytes % (std::uint64_t{1} << 20) == 0)
        std::snprintf(buf, sizeof buf, "%llu MiB", static_cast<unsigned long long>(bytes >> 20));
    else if (bytes >= 1'000'000'000)
        std::snprintf(buf, sizeof buf, "%.1f GB", static_cast<double>(bytes) / 1e9);
    else if (bytes >= 1'000'000)
        std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
    else
        std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(bytes));
    return buf;
}

} // namespace ds
