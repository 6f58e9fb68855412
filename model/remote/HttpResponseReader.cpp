#include "remote/HttpResponseReader.h"

#include <QList>

namespace ds {

namespace {
constexpr qsizetype kMaxHeaderBytes = 64 << 10;
}

void HttpResponseReader::fail(const char* why)
{
    m_state = State::Error;
    m_error = why;
}

bool HttpResponseReader::parseHeaders()
{
    const qsizetype end = m_pending.indexOf("\r\n\r\n");
    if (end < 0) {
        if (m_pending.size() > kMaxHeaderBytes)
            fail("the server's answer has no end of headers");
        return false;
    }
    const QList<QByteArray> lines = m_pending.left(end).split('\n');
    const QList<QByteArray> status = lines.value(0).trimmed().split(' ');
    if (status.size() < 2 || !status[0].startsWith("HTTP/1.")) {
        fail("the server did not answer in HTTP/1.1");
        return false;
    }
    m_status = status[1].toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower(), value = line.mid(colon + 1).trimmed();
        if (name == "transfer-encoding" && value.toLower().contains("chunked"))
            m_chunked = true;
        else if (name == "content-length")
            m_contentLength = value.toLongLong();
    }
    m_pending.remove(0, end + 4);
    m_state = State::Body;
    if (!m_chunked && m_contentLength == 0)
        m_state = State::Done;
    return true;
}

void HttpResponseReader::feed(const char* data, std::int64_t size, QByteArray* body)
{
    if (m_state == State::Done || m_state == State::Error)
        return;
    if (m_state == State::Headers) {
        m_pending.append(data, size);
        if (!parseHeaders())
            return;
        const QByteArray rest = m_pending;
        m_pending.clear();
        feed(rest.constData(), rest.size(), body);
        return;
    }
    if (!m_chunked) {
        std::int64_t take = size;
        if (m_contentLength >= 0)
            take = std::min<std::int64_t>(size, m_contentLength - m_bodyRead);
        body->append(data, take);
        m_bodyRead += take;
        if (m_contentLength >= 0 && m_bodyRead == m_contentLength)
            m_state = State::Done;
        return;
    }
    const char* p = data;
    const char* const end = data + size;
    while (p < end && m_state == State::Body) {
        if (m_chunkLeft > 0) {
            const std::int64_t take = std::min<std::int64_t>(m_chunkLeft, end - p);
            body->append(p, take);
            p += take;
            m_chunkLeft -= take;
            m_bodyRead += take;
            if (m_chunkLeft == 0) {
                m_chunkCrlf = true;
                m_chunkLeft = -1;
            }
            continue;
        }
        // A size line ("1a3f\r\n"), or the CRLF after a chunk's data: a few bytes, read one by one.
        m_pending.append(*p++);
        if (!m_pending.endsWith("\r\n")) {
            if (m_pending.size() > 1024)
                fail("the server's chunked answer is malformed");
            continue;
        }
        const QByteArray line = m_pending.chopped(2);
        m_pending.clear();
        if (m_chunkCrlf) {
            m_chunkCrlf = false;
            if (!line.isEmpty())
                fail("the server's chunked answer is malformed");
            continue;
        }
        bool ok = false;
        const std::int64_t n = line.split(';').value(0).trimmed().toLongLong(&ok, 16);
        if (!ok || n < 0) {
            fail("the server's chunked answer is malformed");
            return;
        }
        if (n == 0) {
            m_state = State::Done; // trailers, if any, are not needed
            return;
        }
        m_chunkLeft = n;
    }
}

void HttpResponseReader::closed()
{
    if (m_state != State::Body)
        return;
    if (!m_chunked && m_contentLength < 0)
        m_state = State::Done;
    else
        fail("the connection closed before the end of the answer");
}

} // namespace ds
