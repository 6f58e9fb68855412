#pragma once

#include "core/FileDigest.h"
#include "ingest/ByteStream.h"

#include <QString>

#include <functional>
#include <cstdint>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

namespace ds {

// Streams the decompressed bytes of a log file: plain or gzip (several members
// allowed), detected from the magic bytes, not the name. Text in UTF-16 with a
// byte-order mark (as some Windows tools export) is converted to UTF-8, so
// every reader sees UTF-8. The file is opened
// read-only and never written. Once read, it hashes the bytes it consumed
// (SHA-256) for provenance and checks that the file did not change meanwhile;
// what cannot be read twice (a pipe, a FIFO) is hashed as it streams past.
// One thread at a time.
class ByteSource
{
public:
    explicit ByteSource(const QString& path);
    // Reads a stream that is not a file (a ClickHouse pull): read once, hashed as it
    // streams past, never gzip; its read errors end the import of that source.
    explicit ByteSource(std::shared_ptr<ByteStream> stream);
    ~ByteSource();
    ByteSource(const ByteSource&) = delete;
    ByteSource& operator=(const ByteSource&) = delete;

    // False, with errorString(), when the file cannot be opened.
    bool isOpen() const { return m_fd >= 0 || m_stream; }
    QString errorString() const { return m_error; }
    bool isGzip() const { return m_gzip; }
    std::int64_t fileSize() const { return m_fileSize; }
    // Bytes of the file consumed so far (compressed bytes for gzip): progress.
    std::int64_t rawBytesRead() const { return m_rawRead; }

    // Reads up to `capacity` decompressed bytes; 0 at the end; -1 on an I/O
    // error, with errorString(). Damaged gzip data (truncated, corrupt, bytes
    // after the last member that are not gzip) ends the stream where the damage
    // starts, as `gzip -d` does: what came before is returned, then 0, and
    // damage() says what was lost.
    std::int64_t read(char* out, std::int64_t capacity);
    // "UTF-16LE" or "UTF-16BE" when the text is being converted from UTF-16, else empty.
    QString convertedFrom() const { return m_utf16 ? m_utf16Name : QString(); }
    // Empty, or one sentence on the damaged gzip data that ended the stream
    // ("the gzip data is truncated at byte 123,456 of 200,000; ...").
    QString damage() const { return m_damage; }
    // Makes the next read()s return `bytes` (the decompressed bytes just read)
    // again: the format of a pipe is sniffed from the source that is then imported.
    void unread(std::string bytes)
    {
        m_unread = std::move(bytes);
        m_unreadPos = 0;
    }

    // SHA-256 of the bytes of the file consumed so far (all of it once read()
    // returned 0), read again through the same descriptor (a pipe's: hashed as
    // they were read). Fails when the file was modified since it was opened:
    // the hash must describe what was parsed.
    FileDigest digestOfBytesRead(const std::function<bool()>& stopped) const;
    // SHA-256 of the whole file as it was when opened, before anything is
    // parsed (a regular file only: read again through the same descriptor).
    // Equal to digestOfBytesRead() once the file has been read to its end unchanged.
    FileDigest digestOfFile(const std::function<bool()>& stopped) const;
    // False when the file was modified (or replaced) since it was opened; a
    // pipe, read once, is always what was read.
    bool isUnchangedSinceOpen() const;
    // A regular file, which can be read twice (not a pipe, FIFO or terminal).
    bool isRegularFile() const { return m_regular; }

private:
    bool fillRaw();
    // The next bytes of the file or stream, hashed when they cannot be read again; -1 with m_error.
    std::int64_t rawRead(char* out, std::int64_t capacity);
    // The file's bytes after decompression, before any UTF-16 conversion.
    std::int64_t readStream(char* out, std::int64_t capacity);
    // Reads the start of the stream once, to see whether it is UTF-16 with a byte-order mark.
    bool checkEncoding();
    std::int64_t readConverted(char* out, std::int64_t capacity);
    // Ends a damaged gzip stream: records why, then reads the rest of the file
    // so its digest still covers every byte. False on an I/O error.
    bool stopAtDamage(const QString& what, std::int64_t at);

    int m_fd = -1;
    std::shared_ptr<ByteStream> m_stream; // instead of m_fd
    QString m_path;
    QString m_error;
    bool m_gzip = false;
    bool m_regular = false;
    bool m_rawEof = false;
    bool m_streamEnded = false;
    bool m_damaged = false;
    QString m_damage;
    std::int64_t m_fileSize = 0;
    timespec m_modifiedAtOpen{}, m_changedAtOpen{};
    std::uint64_t m_inode = 0;
    std::int64_t m_rawRead = 0;
    std::vector<char> m_raw;
    std::size_t m_rawPos = 0;
    std::size_t m_rawLen = 0;
    struct Inflater;
    std::unique_ptr<Inflater> m_inflater;
    std::unique_ptr<Sha256Stream> m_streamDigest; // not a regular file: hashed while read
    std::string m_unread;
    std::size_t m_unreadPos = 0;
    bool m_encodingChecked = false;
    bool m_utf16 = false;
    QString m_utf16Name;
    struct Utf16Decoder;
    std::unique_ptr<Utf16Decoder> m_decoder;
    std::string m_pending;        // bytes read ahead (encoding check) or converted, not yet returned
    std::size_t m_pendingPos = 0;
};

} // namespace ds
