#include "sim/SimOutputFile.h"

#include <QFile>

#include <zlib.h>

namespace ds {

namespace {
constexpr std::size_t kMaxQueued = 6;
}

SimOutputFile::~SimOutputFile()
{
    if (m_thread.joinable() || m_file)
        close(nullptr);
}

bool SimOutputFile::open(const QString& path, bool gzip, int level, QString* error)
{
    m_file = std::fopen(QFile::encodeName(path).constData(), "wb");
    if (!m_file) {
        if (error)
            *error = QStringLiteral("cannot write %1").arg(path);
        return false;
    }
    std::setvbuf(m_file, nullptr, _IOFBF, 1 << 20);
    m_gzip = gzip;
    if (gzip) {
        auto* zs = new z_stream{};
        // 15 + 16: a gzip wrapper; zlib writes time stamp 0 and no file name.
        if (deflateInit2(zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
            delete zs;
            if (error)
                *error = QStringLiteral("zlib initialisation failed");
            return false;
        }
        m_zs = zs;
        m_zbuf.resize(1 << 20);
    }
    m_thread = std::thread([this] { run(); });
    return true;
}

void SimOutputFile::write(std::string&& chunk)
{
    std::unique_lock lock(m_mutex);
    m_cv.wait(lock, [this] { return m_queue.size() < kMaxQueued || m_failed; });
    if (m_failed)
        return;
    m_queue.push_back(std::move(chunk));
    m_cv.notify_all();
}

bool SimOutputFile::writeRaw(const char* data, std::size_t size)
{
    if (std::fwrite(data, 1, size, m_file) != size)
        return false;
    m_bytesOut += static_cast<std::int64_t>(size);
    return true;
}

bool SimOutputFile::compress(const std::string& chunk, bool finish)
{
    if (!m_gzip)
        return writeRaw(chunk.data(), chunk.size());
    auto* zs = static_cast<z_stream*>(m_zs);
    zs->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(chunk.data()));
    zs->avail_in = static_cast<uInt>(chunk.size());
    for (;;) {
        zs->next_out = reinterpret_cast<Bytef*>(m_zbuf.data());
        zs->avail_out = static_cast<uInt>(m_zbuf.size());
        const int rc = deflate(zs, finish ? Z_FINISH : Z_NO_FLUSH);
        if (rc == Z_STREAM_ERROR)
            return false;
        if (!writeRaw(m_zbuf.data(), m_zbuf.size() - zs->avail_out))
            return false;
        if (finish ? rc == Z_STREAM_END : (zs->avail_in == 0 && zs->avail_out != 0))
            return true;
    }
}

void SimOutputFile::run()
{
    for (;;) {
        std::string chunk;
        {
            std::unique_lock lock(m_mutex);
            m_cv.wait(lock, [this] { return !m_queue.empty() || m_closing; });
            if (m_queue.empty())
                break;
            chunk = std::move(m_queue.front());
            m_queue.pop_front();
            m_cv.notify_all();
        }
        if (!m_failed && !compress(chunk, false)) {
            std::lock_guard lock(m_mutex);
            m_failed = true;
            m_cv.notify_all();
        }
    }
}

bool SimOutputFile::close(QString* error)
{
    {
        std::lock_guard lock(m_mutex);
        m_closing = true;
        m_cv.notify_all();
    }
    if (m_thread.joinable())
        m_thread.join();
    bool ok = !m_failed;
    if (m_zs) {
        if (ok)
            ok = compress(std::string(), true);
        deflateEnd(static_cast<z_stream*>(m_zs));
        delete static_cast<z_stream*>(m_zs);
        m_zs = nullptr;
    }
    if (m_file) {
        ok = std::fclose(m_file) == 0 && ok;
        m_file = nullptr;
    }
    if (!ok && error)
        *error = QStringLiteral("writing the requests file failed (disk full?)");
    return ok;
}

} // namespace ds
