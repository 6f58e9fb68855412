#pragma once

#include <QString>

#include <cstdint>

namespace ds {

// Bytes of a log that does not come from a file (a ClickHouse pull, model/remote), read by
// a ByteSource like a pipe. Called from one thread at a time (the import's parser thread).
class ByteStream
{
public:
    virtual ~ByteStream() = default;
    // Up to `capacity` bytes into `out`; 0 at the end; -1 on an error, with errorString().
    // May block until bytes arrive. An error means the stream is incomplete: the import of
    // this source is rolled back.
    virtual std::int64_t read(char* out, std::int64_t capacity) = 0;
    virtual QString errorString() const = 0;
};

} // namespace ds
