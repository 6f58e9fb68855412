#include "remote/ClickHousePull.h"

#include <QDateTime>

#include <cstring>

namespace ds {

namespace {
constexpr std::int64_t kQueueBytes = 8 << 20;
}

ClickHousePull::ClickHousePull(ClickHouseUrl url, ClickHouseOptions options, QString sql, const CancelToken* cancel)
    : m_url(std::move(url))
    , m_options(std::move(options))
    , m_sql(std::move(sql))
    , m_cancel(cancel)
{
}

ClickHousePull::~ClickHousePull()
{
    close();
}

void ClickHousePull::close()
{
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
    }
    m_changed.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void ClickHousePull::start()
{
    m_started = true;
    m_startedAtMs = QDateTime::currentMSecsSinceEpoch();
    m_thread = std::thread([this] {
        ClickHouseResponse r;
        {
            ClickHouseClient client(m_url, m_options);
            r = client.stream(
                m_sql, [this](const char* data, std::int64_t size) { return push(data, size); }, m_cancel,
                [this] {
                    std::lock_guard lock(m_mutex);
                    return m_closed || m_queuedBytes < kQueueBytes;
                });
        }
        std::lock_guard lock(m_mutex);
        m_response = r;
        m_done = true;
        m_finishedAtMs = QDateTime::currentMSecsSinceEpoch();
        m_changed.notify_all();
    });
}

bool ClickHousePull::push(const char* data, std::int64_t size)
{
    std::int64_t rows = 0;
    for (const char* p = data; (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(data + size - p))));) {
        ++rows;
        ++p;
    }
    // The client asks for room before each chunk, so the queue passes its bound by one chunk at most.
    std::lock_guard lock(m_mutex);
    if (m_closed || (m_cancel && m_cancel->isCancelled()))
        return false;
    m_chunks.emplace_back(data, size);
    m_queuedBytes += size;
    m_rows += rows;
    m_changed.notify_all();
    return true;
}

std::int64_t ClickHousePull::read(char* out, std::int64_t capacity)
{
    if (!m_started)
        start();
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return !m_chunks.empty() || m_done; });
    if (m_chunks.empty())
        return m_response.ok() ? 0 : -1;
    // The rows before a failure are handed on; the failure is reported when the queue is drained,
    // and the importer then rolls the whole source back.
    QByteArray& front = m_chunks.front();
    const auto n = std::min<std::int64_t>(capacity, front.size() - static_cast<std::int64_t>(m_frontPos));
    std::memcpy(out, front.constData() + m_frontPos, static_cast<std::size_t>(n));
    m_frontPos += static_cast<std::size_t>(n);
    if (m_frontPos == static_cast<std::size_t>(front.size())) {
        m_queuedBytes -= front.size();
        m_chunks.pop_front();
        m_frontPos = 0;
        m_changed.notify_all();
    }
    return n;
}

QString ClickHousePull::errorString() const
{
    std::lock_guard lock(m_mutex);
    return m_response.message;
}

ClickHouseResponse ClickHousePull::response() const
{
    std::lock_guard lock(m_mutex);
    return m_response;
}

std::int64_t ClickHousePull::rowsReceived() const
{
    std::lock_guard lock(m_mutex);
    return m_rows;
}

std::int64_t ClickHousePull::finishedAtMs() const
{
    std::lock_guard lock(m_mutex);
    return m_finishedAtMs;
}

} // namespace ds
