#pragma once

#include <QString>

#include <cstdint>
#include <functional>
#include <memory>

namespace ds {

// SHA-256 of a file, the project's one implementation: the provenance hash of
// an imported file and the hashes of exported files and reports. OpenSSL's,
// which uses the CPU's SHA extensions (about 2 GB/s here). Any thread.
struct FileDigest
{
    QString sha256Hex; // empty on failure
    QString error;     // why it failed (an I/O error, or stopped)
};

// The first `length` bytes of an open file, read with pread() (the descriptor
// must stay open meanwhile). Stops early, with an error, once `stopped()`
// returns true (checked per MB).
FileDigest sha256OfFile(int fd, std::int64_t length, const std::function<bool()>& stopped);
// The whole file at `path`, opened read-only (exports, reports).
FileDigest sha256OfFile(const QString& path);

// SHA-256 of bytes as they stream past, for what cannot be read twice (a pipe
// being imported). One thread at a time.
class Sha256Stream
{
public:
    Sha256Stream();
    ~Sha256Stream();
    Sha256Stream(const Sha256Stream&) = delete;
    Sha256Stream& operator=(const Sha256Stream&) = delete;
    void add(const void* data, std::size_t length);
    // The digest of everything added; call once.
    FileDigest finish();

private:
    struct Context;
    std::unique_ptr<Context> m_ctx;
};

} // namespace ds
