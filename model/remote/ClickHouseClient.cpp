#include "remote/ClickHouseClient.h"

#include "remote/ClickHouseErrors.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QThread>
#include <QTimer>
#include <QUrlQuery>

#include <cstring>
#include <future>

namespace ds {

namespace {

constexpr std::int64_t kChunkBytes = 256 << 10;
constexpr qsizetype kErrorBodyBytes = 64 << 10;
constexpr qint64 kReadBufferBytes = 1 << 20;
// ClickHouse appends an exception to a body already under way as a line of its own.
constexpr char kExceptionMark[] = "\nCode: ";
constexpr std::size_t kMarkLength = sizeof(kExceptionMark) - 1;

// One request in flight, living on the client's thread until it finishes.
class Request : public QObject
{
public:
    Request(QNetworkReply* reply, const ClickHouseSink& sink, const ClickHouseRoom& room, const CancelToken* cancel,
            const ClickHouseUrl& url, int idleTimeoutMs, std::promise<ClickHouseResponse>& done)
        : m_reply(reply)
        , m_sink(sink)
        , m_room(room)
        , m_cancel(cancel)
        , m_url(url)
        , m_idleTimeoutMs(idleTimeoutMs)
        , m_done(done)
    {
        m_idle.setSingleShot(true);
        m_idle.setInterval(idleTimeoutMs);
        connect(&m_idle, &QTimer::timeout, this, [this] {
            m_timedOut = true;
            m_reply->abort();
        });
        m_cancelPoll.setInterval(50);
        connect(&m_cancelPoll, &QTimer::timeout, this, [this] {
            if (m_cancel && m_cancel->isCancelled()) {
                m_cancelled = true;
                m_reply->abort();
            }
        });
        m_waitRoom.setInterval(2);
        connect(&m_waitRoom, &QTimer::timeout, this, [this] {
            if (m_room())
                onReadyRead();
        });
        // Qt's HTTP thread drops a read buffer size set before its request started: set it again once
        // the answer's headers are in, so the HTTP thread stops reading the socket while the sink is full.
        connect(m_reply, &QNetworkReply::metaDataChanged, this, [this] { m_reply->setReadBufferSize(kReadBufferBytes); });
        connect(m_reply, &QNetworkReply::readyRead, this, &Request::onReadyRead);
        connect(m_reply, &QNetworkReply::finished, this, &Request::onFinished);
        m_idle.start();
        m_cancelPoll.start();
    }

private:
    void onReadyRead()
    {
        if (m_finished)
            return;
        m_idle.stop(); // waiting for the sink's room is the consumer's time, not the server's
        m_waitRoom.stop();
        if (m_status == 0)
            m_status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        while (!m_finished && !m_stopped && m_reply->bytesAvailable() > 0) {
            if (m_room && m_status == 200 && !m_inException && !m_room()) {
                m_waitRoom.start(); // the rest stays in the reply, whose bounded buffer holds the socket back
                return;
            }
            const QByteArray chunk = m_reply->read(kChunkBytes);
            if (chunk.isEmpty())
                break;
            if (m_status != 200 || m_inException) {
                appendErrorText(chunk);
                continue;
            }
            deliver(chunk);
            if (m_cancel && m_cancel->isCancelled()) {
                m_cancelled = true;
                m_reply->abort();
                return;
            }
        }
        if (m_finished)
            return;
        if (m_finishPending)
            finish();
        else
            m_idle.start();
    }

    void appendErrorText(const QByteArray& bytes)
    {
        if (m_errorText.size() < kErrorBodyBytes)
            m_errorText += bytes.left(kErrorBodyBytes - m_errorText.size());
    }

    // Hands the chunk on, up to an exception the server appended to the body.
    void deliver(const QByteArray& chunk)
    {
        qsizetype markAt = -1;
        if (m_delivered == 0 && m_tail.isEmpty() && chunk.startsWith(kExceptionMark + 1)) {
            markAt = 0;
        } else {
            // The mark may straddle two chunks: look in the last bytes of the previous one too.
            const QByteArray window = m_tail + chunk;
            const qsizetype at = window.indexOf(QByteArrayView(kExceptionMark, kMarkLength));
            if (at >= 0)
                markAt = std::max<qsizetype>(0, at + 1 - m_tail.size()); // the '\n' ends the row before it
        }
        const qsizetype rows = markAt < 0 ? chunk.size() : markAt;
        if (rows > 0) {
            if (!m_sink(chunk.constData(), rows)) {
                m_stopped = true;
                m_reply->abort();
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

    void onFinished()
    {
        if (m_finished)
            return;
        // Whatever is still buffered (the last bytes arrive with finished()); a sink without room takes it later.
        if (!m_cancelled && !m_timedOut && !m_stopped && m_reply->bytesAvailable() > 0) {
            m_finishPending = true;
            onReadyRead();
            return; // onReadyRead() finishes once the buffer is drained
        }
        finish();
    }

    void finish()
    {
        if (m_finished)
            return;
        m_finished = true;
        m_waitRoom.stop();
        m_idle.stop();
        m_cancelPoll.stop();
        if (m_status == 0)
            m_status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        ClickHouseResponse r;
        r.httpStatus = m_status;
        r.bytes = m_delivered;
        if (m_cancelled)
            r = clickhouseerrors::cancelled(r);
        else if (m_timedOut)
            r = clickhouseerrors::timedOut(r, m_url, m_idleTimeoutMs);
        else if (m_stopped)
            r.error = ClickHouseError::Stopped, r.message = QStringLiteral("the transfer was stopped by its reader");
        else if (m_status == 0) // no HTTP answer at all
            r = clickhouseerrors::fromNetwork(r, m_url, m_reply->error(), m_reply->errorString());
        else if (m_status != 200 || m_inException)
            r = clickhouseerrors::fromServer(r, m_url, m_errorText);
        else if (m_reply->error() != QNetworkReply::NoError)
            r = clickhouseerrors::fromNetwork(r, m_url, m_reply->error(), m_reply->errorString());
        m_reply->deleteLater();
        m_done.set_value(r);
        deleteLater();
    }

    QNetworkReply* m_reply;
    const ClickHouseSink& m_sink;
    const ClickHouseRoom& m_room;
    const CancelToken* m_cancel;
    const ClickHouseUrl& m_url;
    int m_idleTimeoutMs;
    std::promise<ClickHouseResponse>& m_done;
    QTimer m_idle, m_cancelPoll, m_waitRoom;
    int m_status = 0;
    std::int64_t m_delivered = 0;
    QByteArray m_tail;
    QByteArray m_errorText;
    bool m_inException = false;
    bool m_cancelled = false, m_timedOut = false, m_stopped = false, m_finished = false;
    bool m_finishPending = false; // the reply finished while its last bytes waited for the sink's room
};

} // namespace

// The client's thread: its event loop runs the network access manager, created there.
struct ClickHouseClient::Worker : QThread
{
    QNetworkAccessManager* manager = nullptr; // owned by the thread's run(), used only on it
    QObject* context = nullptr;
    std::promise<void> ready;

    void run() override
    {
        QObject ctx;
        QNetworkAccessManager nam;
        // Each query is one request; a pooled connection the server closed meanwhile would fail the next one.
        nam.setAutoDeleteReplies(false);
        context = &ctx;
        manager = &nam;
        ready.set_value();
        exec();
        manager = nullptr;
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
    QUrl url = m_url.endpoint();
    QUrlQuery params;
    params.addQueryItem(QStringLiteral("database"), m_url.database);
    params.addQueryItem(QStringLiteral("output_format_json_quote_64bit_integers"), QStringLiteral("0"));
    for (const auto& s : m_options.settings)
        params.addQueryItem(s.first, s.second);
    url.setQuery(params);
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("text/plain; charset=UTF-8"));
    request.setRawHeader("Authorization", "Basic " + (m_url.user + QLatin1Char(':') + m_url.password).toUtf8().toBase64());
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    const QByteArray body = sql.toUtf8();

    std::promise<ClickHouseResponse> done;
    auto answer = done.get_future();
    const int idle = m_options.idleTimeoutMs;
    QMetaObject::invokeMethod(
        m_worker->context,
        [&, idle] {
            QNetworkReply* reply = m_worker->manager->post(request, body);
            reply->setReadBufferSize(kReadBufferBytes); // the server waits while the sink has no room
            new Request(reply, sink, room, cancel, m_url, idle, done);
        },
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
