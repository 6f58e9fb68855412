#pragma once

#include <QString>

#include <cstdint>
#include <functional>

namespace ds {

// SHA-256 of the first `length` bytes of an open file, read with pread()
// (the provenance hash of an imported file). Any thread; the descriptor must
// stay open meanwhile.
struct FileDigest
{
    QString sha256Hex; // empty on failure
    QString error;     // why it failed (an I/O error, or stopped)
};

// Stops early, with an error, once `stopped()` returns true (checked per MB).
FileDigest sha256OfFile(int fd, std::int64_t length, const std::function<bool()>& stopped);

} // namespace ds
