#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ds {

// The longest record an import holds in memory by default (--max-record-size).
// Real log records are kilobytes; a few megabytes of prompt is already rare.
inline constexpr std::size_t kDefaultMaxRecordBytes = std::size_t{64} << 20;

// Records longer than the import's record limit are never held whole: the
// readers keep only their first and last bytes, so one hostile line of
// gigabytes costs kilobytes. This is what they keep, and how the quarantine
// entry reads. Any thread.
struct OversizedRecord
{
    static constexpr std::size_t kKeptBytes = 256; // kept at each end

    std::string head;          // the first kKeptBytes bytes
    std::string tail;          // the last kKeptBytes bytes (empty when the record fits in the head)
    std::uint64_t bytes = 0;   // the record's whole length, line break excluded

    // Starts a record with its first bytes.
    void begin(std::string_view first);
    // Adds the bytes that follow, keeping only the last kKeptBytes.
    void append(std::string_view more);

    // "record of 1.1 GB is larger than the import's record limit of 64 MiB (--max-record-size): ..."
    std::string reason(std::size_t limit) const;
    // What the quarantine keeps of it: head, a marker saying how much was left out, tail.
    std::string raw() const;
};

// "64 MiB", "1.1 GB": a byte count as a person reads it.
std::string byteCountText(std::uint64_t bytes);

} // namespace ds
