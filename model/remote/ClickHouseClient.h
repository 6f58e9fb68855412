#pragma once

#include "core/CancelToken.h"
#include "remote/ClickHouseUrl.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <functional>
#include <memory>

namespace ds {

// Why a ClickHouse request did not succeed; each comes with one sentence (ClickHouseResponse::message).
enum class ClickHouseError {
    None,
    ServerDown,     // nothing answers at host:port, the host is unknown, or the connection dropped
    BadCredentials, // unknown user or wrong password
    UnknownTable,   // the database or table does not exist
    MissingColumns, // the query names a column the table does not have
    Timeout,        // the server sent nothing for ClickHouseOptions::idleTimeoutMs
    Cancelled,      // the CancelToken was set
    Stopped,        // the sink returned false (the consumer gave up; its own reason is elsewhere)
    Tls,            // the TLS handshake failed (certificate, protocol)
    ServerError,    // any other refusal by the server (syntax, memory limit, a shard down ...)
};

// The outcome of one request.
struct ClickHouseResponse
{
    ClickHouseError error = ClickHouseError::None;
    QString message;         // one sentence on what went wrong, for the analyst; empty when ok; no password
    int httpStatus = 0;      // 0 when no HTTP answer came
    int serverCode = 0;      // ClickHouse's exception code ("Code: 60"), 0 when none
    std::int64_t bytes = 0;  // body bytes handed to the sink (a failure's error text is not)
    bool ok() const { return error == ClickHouseError::None; }
};

struct ClickHouseOptions
{
    // No byte from the server for this long (connecting included): ClickHouseError::Timeout.
    // Time spent waiting for the sink's room (a slow consumer) does not count.
    int idleTimeoutMs = 60'000;
    // Extra ClickHouse settings sent with every query as URL parameters ("max_threads=4"): name, value.
    QList<QPair<QString, QString>> settings;
};

// Receives the response body in chunks, in order, on the client's worker thread. Returning false
// stops the transfer (Stopped). It should not block for long: a reader slower than the network
// says so through a ClickHouseRoom instead, so the transfer waits without holding the body.
using ClickHouseSink = std::function<bool(const char* data, std::int64_t size)>;
// Whether the sink can take another chunk now (client thread, polled every few ms while it cannot).
// While it cannot, the client stops reading its socket, whose read buffer is bounded, so the
// server waits: memory stays flat whatever the body's size.
using ClickHouseRoom = std::function<bool()>;

// Talks to one ClickHouse server through its HTTP interface (HTTP/1.1 on a QTcpSocket), for the remote source
// (ClickHousePull) and the triage pushed down to the server (model/remote/Triage*). The
// requests run on a worker thread the client owns, with its own event loop; the calls below
// block the calling thread until the answer is complete, so call them from a worker thread
// (an import, a QtConcurrent task), never the GUI thread. One call at a time per client; use a
// client per concurrent query. The sink runs on the client's thread.
//
// Each query is POSTed as the body, with the database from the URL as the default database,
// 64-bit integers unquoted in JSON output (output_format_json_quote_64bit_integers=0) and
// HTTP Basic authentication. Works with ClickHouse 18.16 (Debian 12) and later. A failure
// reported by the server after the body started (ClickHouse then appends "Code: N ..." to the
// output) is recognised and reported like any other: its text is not handed to the sink. A
// row that begins with the text "Code: N, ... DB::Exception" at a line start is therefore
// taken as an error: JSON formats never produce one.
class ClickHouseClient
{
public:
    explicit ClickHouseClient(ClickHouseUrl url, ClickHouseOptions options = {});
    ~ClickHouseClient();
    ClickHouseClient(const ClickHouseClient&) = delete;
    ClickHouseClient& operator=(const ClickHouseClient&) = delete;

    const ClickHouseUrl& url() const { return m_url; }

    // Sends `sql` and streams the body to `sink`. `cancel` may be null.
    ClickHouseResponse stream(const QString& sql, const ClickHouseSink& sink, const CancelToken* cancel = nullptr,
                              const ClickHouseRoom& room = {});
    // Sends `sql` and collects the body in *body (small answers: aggregates, system tables). More than
    // `maxBytes` is a ServerError ("answer too large") rather than memory without bound.
    ClickHouseResponse fetch(const QString& sql, QByteArray* body, const CancelToken* cancel = nullptr,
                             std::int64_t maxBytes = 256 << 20);
    // "SELECT version()": the server's version in *version. The connection test of the GUI and the CLI.
    ClickHouseResponse testConnection(QString* version, const CancelToken* cancel = nullptr);

private:
    struct Worker;
    ClickHouseUrl m_url;
    ClickHouseOptions m_options;
    std::unique_ptr<Worker> m_worker;
};

// "ServerDown", ...: for logs and tests.
const char* clickHouseErrorName(ClickHouseError e);

} // namespace ds
