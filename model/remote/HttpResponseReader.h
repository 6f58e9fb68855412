#pragma once

#include <QByteArray>

#include <cstdint>

namespace ds {

// Reads an HTTP/1.1 response as it arrives: the status line and headers, then the body,
// plain (Content-Length or until the connection closes) or chunked, handing out body bytes
// as they come. What the ClickHouse client needs, no more: no redirects, no compression.
// Pure: one thread at a time.
class HttpResponseReader
{
public:
    enum class State { Headers, Body, Done, Error };

    // Feeds received bytes; body bytes decoded from them are appended to *body.
    void feed(const char* data, std::int64_t size, QByteArray* body);
    // The connection closed: a body without length ends here; a chunked or sized one is cut.
    void closed();

    State state() const { return m_state; }
    int status() const { return m_status; }
    const QByteArray& error() const { return m_error; } // why State::Error

private:
    bool parseHeaders();
    void fail(const char* why);

    State m_state = State::Headers;
    QByteArray m_pending; // bytes not yet consumed: headers, or a chunk header cut in two
    int m_status = 0;
    bool m_chunked = false;
    std::int64_t m_contentLength = -1;
    std::int64_t m_bodyRead = 0;
    std::int64_t m_chunkLeft = -1; // bytes of the current chunk still to come; -1: a size line is next
    bool m_chunkCrlf = false;      // the CRLF after a chunk's data is next
    QByteArray m_error;
};

} // namespace ds
