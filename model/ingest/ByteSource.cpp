#include "ingest/ByteSource.h"

#include <QFile>
#include <QStringDecoder>

#include <isa-l/igzip_lib.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ds {

// gzip is inflated with ISA-L (Debian libisal-dev): 4 to 5 times zlib's speed,
// and inflating was a serial eighth of a gzip import's CPU, on the parser thread.
struct ByteSource::Inflater
{
    inflate_state state{};
    void start()
    {
        isal_inflate_reset(&state);
        state.crc_flag = ISAL_GZIP; // header and trailer read, CRC-32 checked
    }
};

namespace {

QString inflateError(int rc)
{
    switch (rc) {
    case ISAL_INVALID_BLOCK: return QStringLiteral("invalid block");
    case ISAL_INVALID_SYMBOL: return QStringLiteral("invalid code");
    case ISAL_INVALID_LOOKBACK: return QStringLiteral("invalid distance too far back");
    case ISAL_INVALID_WRAPPER: return QStringLiteral("incorrect header");
    case ISAL_UNSUPPORTED_METHOD: return QStringLiteral("unknown compression method");
    case ISAL_INCORRECT_CHECKSUM: return QStringLiteral("incorrect data check");
    case ISAL_NEED_DICT: return QStringLiteral("needs a preset dictionary");
    default: return QStringLiteral("inflate error %1").arg(rc);
    }
}

} // namespace

struct ByteSource::Utf16Decoder
{
    QStringDecoder decoder;
};

namespace {
constexpr std::size_t kRawChunk = 1 << 20;
constexpr std::int64_t kConvertChunk = 256 << 10;
}

ByteSource::ByteSource(const QString& path)
    : m_path(path)
{
    const QByteArray native = QFile::encodeName(path);
    m_fd = ::open(native.constData(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0) {
        m_error = QString::fromLocal8Bit(std::strerror(errno));
        return;
    }
    struct stat st{};
    if (::fstat(m_fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            m_error = QStringLiteral("it is a folder");
            ::close(m_fd);
            m_fd = -1;
            return;
        }
        m_regular = S_ISREG(st.st_mode);
        if (!m_regular)
            m_streamDigest = std::make_unique<Sha256Stream>();
        m_fileSize = st.st_size;
        m_modifiedAtOpen = st.st_mtim;
        m_changedAtOpen = st.st_ctim;
        m_inode = st.st_ino;
    }
#ifdef POSIX_FADV_SEQUENTIAL
    ::posix_fadvise(m_fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    m_raw.resize(kRawChunk);
    if (!fillRaw())
        return;
    m_gzip = m_rawLen >= 2 && static_cast<unsigned char>(m_raw[0]) == 0x1f
             && static_cast<unsigned char>(m_raw[1]) == 0x8b;
    if (m_gzip) {
        m_inflater = std::make_unique<Inflater>();
        isal_inflate_init(&m_inflater->state);
        m_inflater->start();
    }
}

ByteSource::ByteSource(std::shared_ptr<ByteStream> stream)
    : m_stream(std::move(stream))
{
    m_streamDigest = std::make_unique<Sha256Stream>(); // read once: hashed as it streams past
    m_raw.resize(kRawChunk);
    // Never gzip: a stream's body is what its server sent, already decoded.
}

ByteSource::~ByteSource()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool ByteSource::fillRaw()
{
    if (m_rawEof)
        return true;
    m_rawPos = 0;
    m_rawLen = 0;
    const std::int64_t n = rawRead(m_raw.data(), static_cast<std::int64_t>(m_raw.size()));
    if (n < 0)
        return false;
    if (n == 0)
        m_rawEof = true;
    m_rawLen = static_cast<std::size_t>(n);
    return true;
}

std::int64_t ByteSource::rawRead(char* out, std::int64_t capacity)
{
    std::int64_t n = 0;
    if (m_stream) {
        n = m_stream->read(out, capacity);
        if (n < 0) {
            m_error = m_stream->errorString();
            return -1;
        }
    } else {
        ssize_t got;
        do
            got = ::read(m_fd, out, static_cast<std::size_t>(capacity));
        while (got < 0 && errno == EINTR);
        if (got < 0) {
            m_error = QString::fromLocal8Bit(std::strerror(errno));
            return -1;
        }
        n = got;
    }
    if (m_streamDigest)
        m_streamDigest->add(out, static_cast<std::size_t>(n));
    m_rawRead += n;
    return n;
}

std::int64_t ByteSource::read(char* out, std::int64_t capacity)
{
    if (!isOpen() || !m_error.isEmpty())
        return -1;
    if (m_unreadPos < m_unread.size()) {
        const auto n = std::min<std::size_t>(static_cast<std::size_t>(capacity), m_unread.size() - m_unreadPos);
        std::memcpy(out, m_unread.data() + m_unreadPos, n);
        m_unreadPos += n;
        if (m_unreadPos == m_unread.size())
            m_unread = {};
        return static_cast<std::int64_t>(n);
    }
    if (!m_encodingChecked && !checkEncoding())
        return -1;
    if (m_utf16)
        return readConverted(out, capacity);
    if (m_pendingPos < m_pending.size()) {
        const auto n = std::min<std::size_t>(static_cast<std::size_t>(capacity), m_pending.size() - m_pendingPos);
        std::memcpy(out, m_pending.data() + m_pendingPos, n);
        m_pendingPos += n;
        return static_cast<std::int64_t>(n);
    }
    return readStream(out, capacity);
}

bool ByteSource::checkEncoding()
{
    m_encodingChecked = true;
    char head[2];
    std::int64_t got = 0;
    while (got < 2) {
        const std::int64_t n = readStream(head + got, 2 - got);
        if (n < 0)
            return false;
        if (n == 0)
            break;
        got += n;
    }
    const auto b0 = static_cast<unsigned char>(head[0]), b1 = static_cast<unsigned char>(head[1]);
    if (got == 2 && ((b0 == 0xFF && b1 == 0xFE) || (b0 == 0xFE && b1 == 0xFF))) {
        const bool little = b0 == 0xFF;
        m_utf16 = true;
        m_utf16Name = little ? QStringLiteral("UTF-16LE") : QStringLiteral("UTF-16BE");
        m_decoder = std::make_unique<Utf16Decoder>(
            Utf16Decoder{QStringDecoder(little ? QStringDecoder::Utf16LE : QStringDecoder::Utf16BE)});
        return true; // the mark itself is not text
    }
    m_pending.assign(head, static_cast<std::size_t>(got));
    m_pendingPos = 0;
    return true;
}

std::int64_t ByteSource::readConverted(char* out, std::int64_t capacity)
{
    // Converted text goes through m_pending: one UTF-16 unit can become three UTF-8 bytes.
    while (m_pendingPos == m_pending.size()) {
        std::string raw(static_cast<std::size_t>(kConvertChunk), '\0');
        const std::int64_t n = readStream(raw.data(), kConvertChunk);
        if (n < 0)
            return -1;
        if (n == 0)
            return 0; // a trailing odd byte or lone surrogate is dropped by the decoder's end of input
        const QString text = m_decoder->decoder.decode(QByteArrayView(raw.data(), n));
        m_pending = text.toUtf8().toStdString();
        m_pendingPos = 0;
    }
    const auto n = std::min<std::size_t>(static_cast<std::size_t>(capacity), m_pending.size() - m_pendingPos);
    std::memcpy(out, m_pending.data() + m_pendingPos, n);
    m_pendingPos += n;
    return static_cast<std::int64_t>(n);
}

std::int64_t ByteSource::readStream(char* out, std::int64_t capacity)
{
    if (!m_gzip) {
        if (m_rawPos == m_rawLen) {
            // Straight into the caller's buffer: the staging copy cost a memcpy per byte.
            if (m_rawEof)
                return 0;
            const std::int64_t n = rawRead(out, capacity);
            if (n < 0)
                return -1;
            m_rawEof = n == 0;
            return n;
        }
        const auto n = std::min<std::size_t>(static_cast<std::size_t>(capacity), m_rawLen - m_rawPos);
        std::memcpy(out, m_raw.data() + m_rawPos, n);
        m_rawPos += n;
        return static_cast<std::int64_t>(n);
    }

    if (m_damaged)
        return 0;
    inflate_state& zs = m_inflater->state;
    zs.next_out = reinterpret_cast<std::uint8_t*>(out);
    zs.avail_out = static_cast<std::uint32_t>(std::min<std::int64_t>(capacity, 1 << 30));
    while (zs.avail_out > 0) {
        if (m_rawPos == m_rawLen) {
            if (!fillRaw())
                return -1;
            if (m_rawLen == 0) {
                if (!m_streamEnded && !stopAtDamage(QStringLiteral("is truncated"), m_rawRead))
                    return -1;
                break;
            }
        }
        const bool memberStart = m_streamEnded;
        const std::int64_t memberAt = m_rawRead - static_cast<std::int64_t>(m_rawLen - m_rawPos);
        if (m_streamEnded) {
            // Another gzip member follows (concatenated .gz files are legal).
            m_inflater->start();
            m_streamEnded = false;
        }
        zs.next_in = reinterpret_cast<std::uint8_t*>(m_raw.data() + m_rawPos);
        zs.avail_in = static_cast<std::uint32_t>(m_rawLen - m_rawPos);
        const std::uint32_t inBefore = zs.avail_in, outBefore = zs.avail_out;
        int rc = isal_inflate(&zs);
        // At a member's end ISA-L gives back the input bytes it had read ahead.
        m_rawPos = m_rawLen - zs.avail_in;
        if ((rc == ISAL_DECOMP_OK || rc == ISAL_END_INPUT) && zs.block_state != ISAL_BLOCK_FINISH
            && zs.avail_in == inBefore && zs.avail_out == outBefore)
            rc = ISAL_INVALID_BLOCK; // no progress with input and room to spare: never loop on it
        if (rc == ISAL_DECOMP_OK && zs.block_state == ISAL_BLOCK_FINISH) {
            m_streamEnded = true;
            // Trailing zero padding after the last member is tolerated.
            while (m_rawPos < m_rawLen && m_raw[m_rawPos] == 0)
                ++m_rawPos;
            if (m_rawPos == m_rawLen && m_rawEof)
                break;
            continue;
        }
        if (rc != ISAL_DECOMP_OK && rc != ISAL_END_INPUT) {
            // Bytes after a member that are not gzip: from where they start (ISA-L reads a whole header first).
            const std::int64_t at = memberStart ? memberAt : m_rawRead - static_cast<std::int64_t>(m_rawLen - m_rawPos);
            const QString what = memberStart ? QStringLiteral("ends with bytes that are not gzip data")
                                             : QStringLiteral("is damaged (%1)").arg(inflateError(rc));
            if (!stopAtDamage(what, at))
                return -1;
            break;
        }
    }
    return capacity - zs.avail_out;
}

bool ByteSource::stopAtDamage(const QString& what, std::int64_t at)
{
    m_damaged = true;
    m_damage = QStringLiteral("the gzip data %1 at byte %2 of the file").arg(what).arg(at);
    if (m_regular && m_fileSize > at)
        m_damage += QStringLiteral("; its last %1 bytes could not be decompressed").arg(std::max<std::int64_t>(m_fileSize - at, 0));
    while (!m_rawEof) {
        if (!fillRaw())
            return false;
    }
    m_rawPos = m_rawLen;
    return true;
}

bool ByteSource::isUnchangedSinceOpen() const
{
    // Size, modification and status-change times: a rewrite that restores the
    // modification time (touch -r, rsync --inplace) still moves the change time.
    if (isOpen() && !m_regular)
        return true; // a FIFO's times move with every write to it; what was read is what is hashed
    struct stat st{};
    auto same = [](const timespec& a, const timespec& b) { return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec; };
    return m_fd >= 0 && ::fstat(m_fd, &st) == 0 && st.st_size == m_fileSize && st.st_ino == m_inode
           && same(st.st_mtim, m_modifiedAtOpen) && same(st.st_ctim, m_changedAtOpen);
}

FileDigest ByteSource::digestOfFile(const std::function<bool()>& stopped) const
{
    if (m_fd < 0 || !m_regular)
        return {{}, !isOpen() ? m_error : QStringLiteral("not a regular file")};
    FileDigest digest = sha256OfFile(m_fd, m_fileSize, stopped);
    if (digest.error.isEmpty() && !isUnchangedSinceOpen())
        digest = {{}, QStringLiteral("the file changed while it was being checked")};
    return digest;
}

FileDigest ByteSource::digestOfBytesRead(const std::function<bool()>& stopped) const
{
    if (!isOpen())
        return {{}, m_error};
    if (m_streamDigest)
        return m_streamDigest->finish();
    FileDigest digest = sha256OfFile(m_fd, m_rawRead, stopped);
    if (digest.error.isEmpty() && !isUnchangedSinceOpen())
        digest = {{}, QStringLiteral("the file changed while it was being imported")};
    return digest;
}

} // namespace ds
