#pragma once

#include <QString>

#include <atomic>
#include <cstdint>

namespace ds {

// SHA-256 of the first `length` bytes of an open file, read with pread(), for
// the provenance of an imported file. The import hashes after parsing instead
// of while parsing: during the parse both cores are busy, while the index
// build that follows leaves one idle, so hashing there takes it off the
// import's critical path. Any thread; the descriptor must stay open meanwhile.
struct FileDigest
{
    QString sha256Hex; // empty on failure
    QString error;     // why it failed (an I/O error, or stopped)
};

// Stops early (with an error) once `stop` becomes true.
FileDigest sha256OfFile(int fd, std::int64_t length, const std::atomic<bool>& stop);

} // namespace ds
