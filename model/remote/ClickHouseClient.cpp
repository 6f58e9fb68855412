#include "remote/ClickHouseClient.h"

#include "remote/ClickHouseErrors.h"

#include "remote/HttpResponseReader.h"

#include <QSslSocket>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <QUrlQuery>

#include <cstring>
#include <future>
#include <optional>

namespace ds {

namespace {

constexpr std::int64_t kChunkBytes = 256 << 10;
constexpr qsizetype kErrorBodyBytes = 64 << 10;
constexpr qint64 kReadBufferBytes = 1 << 20;
// ClickHouse appends an exception to a body already under way as a line of its own.
constexpr char kExceptionMark[] = "\nCode: ";
constexpr std::size_t kMarkLength = sizeof(kExceptionMark) - 1;

// One request in flight, living on the client's thread until it finishes. HTTP/1.1 over a
// QTcpSocket (QSslSocket for TLS) rather than QNetworkAccessManager, whose HTTP thread reads
// the socket ahead of its reader whatever the read buffer size (QTBUG-15065): a bounded socket
// buffer that is not read is what makes the server wait.
class Request : public QObject
{
public:
    Request(const ClickHouseUrl& url, QByteArray head, QByteArray body, const ClickHouseSink& sink,
            const ClickHouseRoom& room, const CancelToken* cancel, int idleTimeoutMs, std::promise<ClickHouseResponse>& done)
        : m_url(url)
        , m_head(std::move(head))
        , m_body(std::move(body))
        , m_sink(sink)
        , m_room(room)
        , m_cancel(cancel)
        , m_idleTimeoutMs(idleTimeoutMs)
        , m_done(done)
    {
        if (url.tls) {
            auto* ssl = new QSslSocket(this);
            m_socket = ssl;
            connect(ssl, &QSslSocket::encrypted, this, &Request::send);
        } else {
            m_socket = new QTcpSocket(this);
            connect(m_socket, &QTcpSocket::connected, this, &Request::send);
        }
        m_socket->setReadBufferSize(kReadBufferBytes);
        connect(m_socket, &QAbstractSocket::readyRead, this, &Request::receive);
        connect(m_socket, &QAbstractSocket::disconnected, this, &Request::onDisconnected);
        connect(m_socket, &QAbstractSocket::errorOccurred, this, &Request::onSocketError);
        m_idle.setSingleShot(true);
        m_idle.setInterval(idleTimeoutMs);
        connect(&m_idle, &QTimer::timeout, this, [this] {
            m_timedOut = true;
            finish();
        });
        m_cancelPoll.setInterval(50);
        connect(&m_cancelPoll, &QTimer::timeout, this, [this] {
            if (m_cancel && m_cancel->isCancelled()) {
                m_cancelled = true;
                finish();
            }
        });
        m_waitRoom.setInterval(2);
        connect(&m_waitRoom, &QTimer::timeout, this, [this] {
            if (m_room())
                receive();
        });
        m_idle.start();
        m_cancelPoll.start();
        if (auto* ssl = qobject_cast<QSslSocket*>(m_socket))
            ssl->connectToHostEncrypted(url.host, static_cast<quint16>(url.port));
        else
            m_socket->connectToHost(url.host, static_cast<quint16>(url.port));
    }

private:
    void send()
    {
        m_socket->write(m_head);
        m_socket->write(m_body);
        m_body.clear();
    }

    bool hasRoom() const { return !m_room || m_reader.status() != 200 || m_inException || m_room(); }

    void receive()
    {
        if (m_finished)
            return;
        m_idle.stop(); // waiting for the sink's room is the consumer's time, not the server's
        m_waitRoom.stop();
        while (!m_finished && m_socket->bytesAvailable() > 0) {
            if (m_reader.state() == HttpResponseReader::State::Body && !hasRoom()) {
                m_waitRoom.start(); // the socket's bounded buffer fills, then the server waits
                return;
            }
            // Into buffers kept from chunk to chunk: the whole body passes here, and a fresh 256 KB block per read
            // costs an allocation (often fresh pages) each time.
            m_raw.resize(kChunkBytes);
            const qint64 got = m_socket->read(m_raw.data(), kChunkBytes);
            if (got < 0)
                break;
            m_decoded.resize(0); // keeps its capacity
            m_reader.feed(m_raw.constData(), got, &m_decoded);
            if (!m_decoded.isEmpty()) {
                if (m_reader.status() != 200 || m_inException)
                    appendErrorText(m_decoded);
                else
                    deliver(m_decoded);
            }
            if (m_cancel && m_cancel->isCancelled())
                m_cancelled = true;
            if (m_cancelled || m_stopped || m_reader.state() == HttpResponseReader::State::Done
                || m_reader.state() == HttpResponseReader::State::Error) {
                finish();
                return;
            }
        }
        if (!m_finished)
            m_idle.start();
    }

    void onDisconnected()
    {
        if (m_finished)
            return;
        receive(); // what is still buffered
        if (m_finished)
            return;
        if (m_socket->bytesAvailable() > 0)
            return; // the sink has no room yet: receive() finishes once it is drained
        m_reader.closed();
        finish();
    }

    void onSocketError(QAbstractSocket::SocketError error)
    {
        if (m_finished || error == QAbstractSocket::RemoteHostClosedError)
            return; // a close is judged by onDisconnected(): the end of a body without length is one
        m_socketError = error;
        m_socketErrorText = m_socket->errorString();
        finish();
    }

    void appendErrorText(const QByteArray& bytes)
    {
        if (m_errorText.size() < kErrorBodyBytes)
            m_errorText += bytes.left(kErrorBodyBytes - m_errorText.size());
    }

    // Hands the body on, up to an exception the server appended to it.
    void deliver(const QByteArray& chunk)
    {
        qsizetype markAt = -1;
        if (m_delivered == 0 && m_tail.isEmpty() && chunk.startsWith(kExceptionMark + 1)) {
            markAt = 0;
        } else {
            // The mark may straddle two chunks: look across the seam (the previous chunk's last bytes and this one's
            // first), then in the chunk itself, without copying the chunk (the whole body passes here).
            const QByteArrayView mark(kExceptionMark, kMarkLength);
            const QByteArray seam = m_tail + chunk.left(static_cast<qsizetype>(kMarkLength - 1));
            if (const qsizetype at = seam.indexOf(mark); at >= 0)
                markAt = std::max<qsizetype>(0, at + 1 - m_tail.size()); // the '\n' ends the row before it
            else if (const void* in = ::memmem(chunk.constData(), static_cast<std::size_t>(chunk.size()), kExceptionMark, kMarkLength))
                markAt = static_cast<const char*>(in) - chunk.constData() + 1; // glibc's memmem: a fraction of indexOf's time
        }
        const qsizetype rows = markAt < 0 ? chunk.size() : markAt;
        if (rows > 0) {
            if (!m_sink(chunk.constData(), rows)) {
                m_stopped = true;
                return;
            }
            m_delivered += rows;
        }
        if (markAt >= 0) {
            m_inException = true;
            appendErrorText(chunk.mid(markAt));
            if (m_errorText.startsWith('\n'))
                m_errorText.remove(0, 1);
            return;
        }
        m_tail = chunk.right(static_cast<qsizetype>(kMarkLength - 1));
    }

    void finish()
    {
        if (m_finished)
            return;
        m_finished = true;
        m_idle.stop();
        m_cancelPoll.stop();
        m_waitRoom.stop();
        ClickHouseResponse r;
        r.httpStatus = m_reader.status();
        r.bytes = m_delivered;
        const bool complete = m_reader.state() == HttpResponseReader::State::Done;
        if (m_cancelled)
            r = clickhouseerrors::cancelled(r);
        else if (m_timedOut)
            r = clickhouseerrors::timedOut(r, m_url, m_idleTimeoutMs);
        else if (m_stopped)
            r.error = ClickHouseError::Stopped, r.message = QStringLiteral("the transfer was stopped by its reader");
        else if (m_socketError && r.httpStatus == 0)
            r = clickhouseerrors::fromSocket(r, m_url, *m_socketError, m_socketErrorText);
        else if (r.httpStatus != 0 && (r.httpStatus != 200 || m_inException))
            r = clickhouseerrors::fromServer(r, m_url, m_errorText);
        else if (!complete)
            r = clickhouseerrors::fromSocket(r, m_url, m_socketError.value_or(QAbstractSocket::RemoteHostClosedError),
                                             m_socketError ? m_socketErrorText : QString::fromLatin1(m_reader.error()));
        m_socket->abort();
        m_done.set_value(r);
        deleteLater();
    }

    const ClickHouseUrl& m_url;
    QByteArray m_head, m_body;
    const ClickHouseSink& m_sink;
    const ClickHouseRoom& m_room;
    const CancelToken* m_cancel;
    int m_idleTimeoutMs;
    std::promise<ClickHouseResponse>& m_done;
    QTcpSocket* m_socket = nullptr;
    HttpResponseReader m_reader;
    QTimer m_idle, m_cancelPoll, m_waitRoom;
    std::int64_t m_delivered = 0;
    QByteArray m_tail;
    QByteArray m_raw, m_decoded; // receive()'s buffers, reused
    QByteArray m_errorText;
    std::optional<QAbstractSocket::SocketError> m_socketError;
    QString m_socketErrorText;
    bool m_inException = false;
    bool m_cancelled = false, m_timedOut = false, m_stopped = false, m_finished = false;
};

} // namespace

// The client's thread: its event loop runs the requests' sockets.
struct ClickHouseClient::Worker : QThread
{
    QObject* context = nullptr; // lives on the thread, for queued calls
    std::promise<void> ready;

    void run() override
    {
        QObject ctx;
        context = &ctx;
        ready.set_value();
        exec();
        context = nullptr;
    }
};

ClickHouseClient::ClickHouseClient(ClickHouseUrl url, ClickHouseOptions options)
    : m_url(std::move(url))
    , m_options(std::move(options))
    , m_worker(std::make_unique<Worker>())
{
    m_worker->setObjectName(QStringLiteral("ClickHouseClient"));
    auto ready = m_worker->ready.get_future();
    m_worker->start();
    ready.wait();
}

ClickHouseClient::~ClickHouseClient()
{
    m_worker->quit();
    m_worker->wait();
}

ClickHouseResponse ClickHouseClient::stream(const QString& sql, const ClickHouseSink& sink, const CancelToken* cancel,
                                            const ClickHouseRoom& room)
{
    Q_ASSERT(QThread::currentThread() != m_worker.get());
    QUrlQuery params;
    params.addQueryItem(QStringLiteral("database"), m_url.database);
    params.addQueryItem(QStringLiteral("output_format_json_quote_64bit_integers"), QStringLiteral("0"));
    for (const auto& s : m_options.settings)
        params.addQueryItem(s.first, s.second);
    QByteArray body = sql.toUtf8();
    QByteArray head = "POST /?" + params.query(QUrl::FullyEncoded).toUtf8() + " HTTP/1.1\r\n";
    head += "Host: " + m_url.server().toUtf8() + "\r\n";
    head += "Authorization: Basic " + (m_url.user + QLatin1Char(':') + m_url.password).toUtf8().toBase64() + "\r\n";
    head += "Content-Type: text/plain; charset=UTF-8\r\n";
    head += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    head += "Connection: close\r\n\r\n";

    std::promise<ClickHouseResponse> done;
    auto answer = done.get_future();
    const int idle = m_options.idleTimeoutMs;
    QMetaObject::invokeMethod(
        m_worker->context,
        [&, idle] { new Request(m_url, std::move(head), std::move(body), sink, room, cancel, idle, done); },
        Qt::QueuedConnection);
    return answer.get();
}

ClickHouseResponse ClickHouseClient::fetch(const QString& sql, QByteArray* body, const CancelToken* cancel,
                                           std::int64_t maxBytes)
{
    body->clear();
    bool tooLarge = false;
    ClickHouseResponse r = stream(
        sql,
        [&](const char* data, std::int64_t size) {
            if (body->size() + size > maxBytes) {
                tooLarge = true;
                return false;
            }
            body->append(data, size);
            return true;
        },
        cancel);
    if (tooLarge) {
        r.error = ClickHouseError::ServerError;
        r.message = QStringLiteral("ClickHouse at %1 answered with more than %2 MB, more than this query should return")
                        .arg(m_url.server())
                        .arg(maxBytes >> 20);
    }
    return r;
}

ClickHouseResponse ClickHouseClient::testConnection(QString* version, const CancelToken* cancel)
{
    QByteArray body;
    ClickHouseResponse r = fetch(QStringLiteral("SELECT version()"), &body, cancel, 4096);
    if (version)
        *version = r.ok() ? QString::fromUtf8(body).trimmed() : QString();
    return r;
}

const char* clickHouseErrorName(ClickHouseError e)
{
    switch (e) {
    case ClickHouseError::None: return "None";
    case ClickHouseError::ServerDown: return "ServerDown";
    case ClickHouseError::BadCredentials: return "BadCredentials";
    case ClickHouseError::UnknownTable: return "UnknownTable";
    case ClickHouseError::MissingColumns: return "MissingColumns";
    case ClickHouseError::Timeout: return "Timeout";
    case ClickHouseError::Cancelled: return "Cancelled";
    case ClickHouseError::Stopped: return "Stopped";
    case ClickHouseError::Tls: return "Tls";
    case ClickHouseError::ServerError: return "ServerError";
    }
    return "?";
}

} // namespace ds
