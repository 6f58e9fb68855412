// ClickHouseUrl parsing and redaction, the error sentences, and ClickHouseClient against
// sockets that behave as a real server's failures do: nothing listening, a server that
// accepts and never answers, and a body that ClickHouse 18.16 cut with an exception.
// (The client against real clickhouse-server processes: tst_clickhouse_cluster.)
#include "remote/ClickHouseClient.h"
#include "remote/ClickHouseErrors.h"
#include "remote/ClickHousePull.h"
#include "remote/ClickHouseSource.h"
#include "TestSupport.h"
#include "ingest/Importer.h"
#include "remote/ClickHouseUrl.h"

#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <sys/resource.h>
#include <thread>

using namespace ds;

namespace {
// Built with AddressSanitizer (the asan phase of the tests): peak-memory figures there measure ASan itself.
constexpr bool underAddressSanitizer()
{
#if defined(__SANITIZE_ADDRESS__)
    return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return true;
#else
    return false;
#endif
#else
    return false;
#endif
}
} // namespace

namespace {

// A loopback socket on a free port, answering one connection with `answer` (or holding it silent).
class OneShotServer
{
public:
    // `generate` writes the rest of the answer after `answer` (a body too large to hold).
    explicit OneShotServer(QByteArray answer, bool silent = false, std::function<void(int fd)> generate = {})
        : m_generate(std::move(generate))
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        socklen_t len = sizeof addr;
        ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &len);
        m_port = ntohs(addr.sin_port);
        ::listen(m_fd, 1);
        m_thread = std::thread([this, answer, silent] {
            const int c = ::accept(m_fd, nullptr, nullptr);
            if (c < 0)
                return;
            char buf[4096];
            QByteArray request;
            while (!request.contains("\r\n\r\n")) {
                const ssize_t n = ::read(c, buf, sizeof buf);
                if (n <= 0)
                    break;
                request.append(buf, n);
            }
            m_request = request;
            if (!silent && m_generate) {
                (void)!::write(c, answer.constData(), static_cast<size_t>(answer.size()));
                m_generate(c);
            } else if (!silent) {
                (void)!::write(c, answer.constData(), static_cast<size_t>(answer.size()));
            }
            while (silent && !m_stop.load())
                ::usleep(10'000);
            ::close(c);
        });
    }
    ~OneShotServer()
    {
        m_stop = true;
        ::shutdown(m_fd, SHUT_RDWR);
        m_thread.join();
        ::close(m_fd);
    }
    int port() const { return m_port; }
    QByteArray request() const { return m_request; }

private:
    int m_fd = -1;
    int m_port = 0;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    QByteArray m_request;
    std::function<void(int fd)> m_generate;
};

int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd); // nothing listens there now
    return ntohs(addr.sin_port);
}

ClickHouseUrl urlFor(int port)
{
    return *ClickHouseUrl::parse(QStringLiteral("clickhouse://analyst:s3cret@127.0.0.1:%1/logs.requests").arg(port),
                                 nullptr, QString());
}

QByteArray chunked(const QByteArray& body)
{
    return "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=UTF-8\r\nTransfer-Encoding: chunked\r\n"
           "Connection: close\r\n\r\n"
           + QByteArray::number(body.size(), 16) + "\r\n" + body + "\r\n0\r\n\r\n";
}

} // namespace

class TestClickHouseClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesUrls()
    {
        QString error;
        auto u = ClickHouseUrl::parse(QStringLiteral("clickhouse://analyst:p%40ss@db1.example:9123/logs.requests"), &error, {});
        QVERIFY2(u, qPrintable(error));
        QCOMPARE(u->host, QStringLiteral("db1.example"));
        QCOMPARE(u->port, 9123);
        QCOMPARE(u->user, QStringLiteral("analyst"));
        QCOMPARE(u->password, QStringLiteral("p@ss"));
        QCOMPARE(u->database, QStringLiteral("logs"));
        QCOMPARE(u->table, QStringLiteral("requests"));
        QVERIFY(!u->tls);
        QCOMPARE(u->endpoint().toString(), QStringLiteral("http://db1.example:9123/"));
        QCOMPARE(u->quotedTable(), QStringLiteral("`logs`.`requests`"));
        QCOMPARE(u->redacted(), QStringLiteral("clickhouse://analyst@db1.example:9123/logs.requests"));
        QVERIFY(!u->redacted().contains(QStringLiteral("p@ss")));

        u = ClickHouseUrl::parse(QStringLiteral("https://ch.example/default.request_response_rmt"), &error, QStringLiteral("fromenv"));
        QVERIFY2(u, qPrintable(error));
        QVERIFY(u->tls);
        QCOMPARE(u->port, 8443);
        QCOMPARE(u->user, QStringLiteral("default"));
        QCOMPARE(u->password, QStringLiteral("fromenv")); // the environment's, as the URL has none
        QCOMPARE(u->endpoint().scheme(), QStringLiteral("https"));
        QCOMPARE(ClickHouseUrl::parse(QStringLiteral("clickhouse://h:1/a.b"), &error, {})->port, 1);
        QCOMPARE(ClickHouseUrl::parse(QStringLiteral("clickhouse://u:inurl@h/a.b"), &error, QStringLiteral("env"))->password,
                 QStringLiteral("inurl"));

        QVERIFY(ClickHouseUrl::looksLikeUrl(QStringLiteral("clickhouse://h/a.b")));
        QVERIFY(ClickHouseUrl::looksLikeUrl(QStringLiteral("HTTPS://h/a.b")));
        QVERIFY(!ClickHouseUrl::looksLikeUrl(QStringLiteral("logs/clickhouse.jsonl")));
    }

    void refusesBadUrls_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("no table") << QStringLiteral("clickhouse://h:8123/logs");
        QTest::newRow("no path") << QStringLiteral("clickhouse://h:8123");
        QTest::newRow("scheme") << QStringLiteral("postgres://h/a.b");
        QTest::newRow("injection") << QStringLiteral("clickhouse://h/a.b;DROP TABLE x");
        QTest::newRow("quote") << QStringLiteral("clickhouse://h/a.b%60c");
        QTest::newRow("query") << QStringLiteral("clickhouse://h/a.b?x=1");
        QTest::newRow("no host") << QStringLiteral("clickhouse:///a.b");
    }
    void refusesBadUrls()
    {
        QFETCH(QString, text);
        QString error;
        QVERIFY(!ClickHouseUrl::parse(text + QStringLiteral(""), &error, {}));
        QVERIFY(!error.isEmpty());
        const QString withPassword = QStringLiteral("clickhouse://u:topsecret@h/bad");
        QVERIFY(!ClickHouseUrl::parse(withPassword, &error, {}));
        QVERIFY(!error.contains(QStringLiteral("topsecret")));
    }

    void quotesForSql()
    {
        QCOMPARE(quotedString(QStringLiteral("a'b\\c")), QStringLiteral("'a\\'b\\\\c'"));
        QCOMPARE(quotedIdentifier(QStringLiteral("x`y")), QStringLiteral("`x\\`y`"));
    }

    // The texts are what clickhouse-server 18.16.1 answers, and the shape of later versions'.
    void classifiesServerErrors()
    {
        const ClickHouseUrl url = urlFor(8123);
        ClickHouseResponse r;
        r.httpStatus = 404;
        auto e = clickhouseerrors::fromServer(
            r, url, "Code: 60, e.displayText() = DB::Exception: Table logs.nope doesn't exist., e.what() = DB::Exception\n");
        QCOMPARE(e.error, ClickHouseError::UnknownTable);
        QCOMPARE(e.serverCode, 60);
        QVERIFY(e.message.contains(QStringLiteral("Table logs.nope doesn't exist.")));
        e = clickhouseerrors::fromServer(r, url, "Code: 81, e.displayText() = DB::Exception: Database nodb doesn't exist, e.what() = DB::Exception\n");
        QCOMPARE(e.error, ClickHouseError::UnknownTable);
        e = clickhouseerrors::fromServer(r, url, "Code: 47, e.displayText() = DB::Exception: Unknown identifier: nocol, e.what() = DB::Exception\n");
        QCOMPARE(e.error, ClickHouseError::MissingColumns);
        QVERIFY2(e.message.contains(QStringLiteral("nocol")), qPrintable(e.message));
        e = clickhouseerrors::fromServer(
            r, url, "Code: 47. DB::Exception: Missing columns: 'nocol' while processing query: 'SELECT nocol FROM t', required columns: 'nocol'. (UNKNOWN_IDENTIFIER) (version 23.8.2.7 (official build))\n");
        QCOMPARE(e.error, ClickHouseError::MissingColumns);
        QVERIFY2(e.message.contains(QStringLiteral("nocol")), qPrintable(e.message));
        QVERIFY(!e.message.contains(QStringLiteral("version 23")));
        r.httpStatus = 401;
        e = clickhouseerrors::fromServer(r, url, "Code: 193, e.displayText() = DB::Exception: Wrong password for user analyst, e.what() = DB::Exception\n");
        QCOMPARE(e.error, ClickHouseError::BadCredentials);
        QVERIFY(!e.message.contains(QStringLiteral("s3cret")));
        r.httpStatus = 500;
        e = clickhouseerrors::fromServer(r, url, "Code: 241, e.displayText() = DB::Exception: Memory limit (for query) exceeded, e.what() = DB::Exception\n");
        QCOMPARE(e.error, ClickHouseError::ServerError);
        QVERIFY(e.message.contains(QStringLiteral("Memory limit")));
        // Server text quoting attacker data is printed as one safe line.
        e = clickhouseerrors::fromServer(r, url, "Code: 999, e.displayText() = DB::Exception: bad \x1b[31mvalue\nline, e.what() = DB::Exception");
        QVERIFY(!e.message.contains(QChar(0x1b)));
        QVERIFY(!e.message.contains(QLatin1Char('\n')));
    }

    void serverDownIsOneSentence()
    {
        ClickHouseClient client(urlFor(freePort()));
        QByteArray body;
        const auto r = client.fetch(QStringLiteral("SELECT 1"), &body);
        QCOMPARE(r.error, ClickHouseError::ServerDown);
        QVERIFY2(r.message.contains(QStringLiteral("connection refused")), qPrintable(r.message));
        QVERIFY(!r.message.contains(QStringLiteral("s3cret")));
    }

    void silentServerTimesOut()
    {
        OneShotServer server({}, true);
        ClickHouseOptions options;
        options.idleTimeoutMs = 300;
        ClickHouseClient client(urlFor(server.port()), options);
        QByteArray body;
        const auto r = client.fetch(QStringLiteral("SELECT 1"), &body);
        QCOMPARE(r.error, ClickHouseError::Timeout);
        QVERIFY(r.message.contains(QStringLiteral("sent nothing")));
        // The request carried the query, the database and the credentials (Basic), as ClickHouse expects.
        QVERIFY(server.request().startsWith("POST /?database=logs&output_format_json_quote_64bit_integers=0"));
        QVERIFY(server.request().contains("Authorization: Basic " + QByteArray("analyst:s3cret").toBase64()));
    }

    // A source whose server says nothing is refused at prepare(), before any case is touched, in one sentence.
    void silentServerRefusesTheSource()
    {
        OneShotServer server({}, true);
        ClickHouseSource::Options options;
        options.client.idleTimeoutMs = 300;
        ClickHouseResponse failure;
        const auto source = ClickHouseSource::prepare(urlFor(server.port()), options, nullptr, &failure);
        QVERIFY(!source);
        QCOMPARE(failure.error, ClickHouseError::Timeout);
        QVERIFY2(failure.message.contains(QStringLiteral("sent nothing for 0.3 s")), qPrintable(failure.message));
        QVERIFY(!failure.message.contains(QLatin1Char('\n')) && !failure.message.contains(QStringLiteral("s3cret")));
    }

    // A timeout mid-stream: the server sends headers and 200 rows, then nothing. Through the importer, as a pull
    // runs: the idle timeout fails the source in one sentence and the case keeps none of its rows.
    void stallMidStreamLeavesNothing()
    {
        QByteArray rows;
        for (int i = 0; i < 200; ++i)
            rows += test::requestJson(QStringLiteral("stall-%1").arg(i), QStringLiteral("acct-%1").arg(i % 7),
                                      1'767'225'600'000 + std::int64_t(i) * 1000)
                    + '\n';
        const QByteArray head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=UTF-8\r\nTransfer-Encoding: chunked\r\n"
                                "Connection: close\r\n\r\n"
                                + QByteArray::number(rows.size(), 16) + "\r\n" + rows + "\r\n";
        std::atomic<bool> release{false};
        OneShotServer server(head, false, [&release](int) {
            while (!release.load()) // the rest of the body never comes
                ::usleep(10'000);
        });
        ClickHouseOptions options;
        options.idleTimeoutMs = 300;
        std::shared_ptr<ClickHousePull> pull;
        StreamedLog log;
        log.label = QStringLiteral("clickhouse://analyst@127.0.0.1/logs.requests");
        log.format = QStringLiteral("canonical");
        log.open = [&](const CancelToken& cancel) -> std::shared_ptr<ByteStream> {
            pull = std::make_shared<ClickHousePull>(urlFor(server.port()), options, QStringLiteral("SELECT 1"), &cancel);
            return pull;
        };
        test::ScratchDir dir;
        ImportRequest request;
        request.databasePath = dir.file(QStringLiteral("stall.sqlite"));
        request.streams = {log};
        ImportProgress progress;
        CancelToken cancel;
        const ImportSummary s = Importer::run(request, progress, cancel);
        release = true;
        QCOMPARE(s.files.size(), 1);
        QCOMPARE(s.files[0].outcome, FileReport::Outcome::Failed);
        QCOMPARE(pull->response().error, ClickHouseError::Timeout);
        QCOMPARE(pull->rowsReceived(), 200); // rows had come before the stall
        QVERIFY2(s.files[0].message.contains(QStringLiteral("sent nothing for 0.3 s")), qPrintable(s.files[0].message));
        QVERIFY(!s.files[0].message.contains(QLatin1Char('\n')));
        QCOMPARE(test::queryInt(request.databasePath, "SELECT count(*) FROM request"), 0);
        QCOMPARE(test::queryInt(request.databasePath, "SELECT count(*) FROM quarantine"), 0);
    }

    void cancelStopsAWaitingQuery()
    {
        OneShotServer server({}, true);
        ClickHouseClient client(urlFor(server.port()));
        CancelToken cancel;
        std::thread canceller([&] {
            ::usleep(200'000);
            cancel.requestCancel();
        });
        QByteArray body;
        const auto r = client.fetch(QStringLiteral("SELECT 1"), &body, &cancel);
        canceller.join();
        QCOMPARE(r.error, ClickHouseError::Cancelled);
    }

    // 18.16 sends 200 and the rows, then the exception text when a query fails midway.
    void exceptionAfterRowsIsAnError()
    {
        const QByteArray rows = "{\"request_id\":\"r1\"}\n{\"request_id\":\"r2\"}\n";
        OneShotServer server(chunked(rows + "Code: 241, e.displayText() = DB::Exception: Memory limit (for query) exceeded: "
                                            "would use 9.31 GiB, e.what() = DB::Exception\n"));
        ClickHouseClient client(urlFor(server.port()));
        QByteArray received;
        const auto r = client.stream(QStringLiteral("SELECT 1"), [&](const char* d, std::int64_t n) {
            received.append(d, n);
            return true;
        });
        QCOMPARE(r.error, ClickHouseError::ServerError);
        QCOMPARE(r.serverCode, 241);
        QCOMPARE(received, rows); // the rows before it, never the error text
        QVERIFY(r.message.contains(QStringLiteral("Memory limit")));
    }

    // A reader slower than the network (the importer): the transfer waits for it instead of buffering the body.
    void slowReaderKeepsMemoryFlat()
    {
        constexpr int kChunks = 800;
        const QByteArray row = QByteArray("{\"request_id\":\"r\",\"prompt\":\"") + QByteArray(250 << 10, 'x') + "\"}\n";
        OneShotServer server("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                             false, [&](int fd) {
                                 const QByteArray chunk = QByteArray::number(row.size(), 16) + "\r\n" + row + "\r\n";
                                 for (int i = 0; i < kChunks; ++i)
                                     if (::write(fd, chunk.constData(), static_cast<size_t>(chunk.size())) < 0)
                                         return;
                                 (void)!::write(fd, "0\r\n\r\n", 5);
                             });
        rusage before{};
        ::getrusage(RUSAGE_SELF, &before);
        ClickHousePull pull(urlFor(server.port()), {}, QStringLiteral("SELECT 1"), nullptr);
        std::int64_t received = 0;
        std::vector<char> buffer(64 << 10);
        for (int reads = 1;; ++reads) {
            const std::int64_t n = pull.read(buffer.data(), static_cast<std::int64_t>(buffer.size()));
            QVERIFY2(n >= 0, qPrintable(pull.errorString()));
            if (n == 0)
                break;
            received += n;
            if (reads % 32 == 0)
                ::usleep(2000); // about 1 GB/s at most: slower than loopback
        }
        rusage after{};
        ::getrusage(RUSAGE_SELF, &after);
        QVERIFY(pull.response().ok());
        QCOMPARE(received, std::int64_t(kChunks) * row.size());
        const long grownMb = (after.ru_maxrss - before.ru_maxrss) / 1024;
        qInfo() << "peak memory grew by" << grownMb << "MB for a" << received / (1 << 20) << "MB body";
        if (underAddressSanitizer())
            QSKIP("AddressSanitizer keeps freed blocks in its quarantine (256 MB by default): the peak measures it, "
                  "not the client; the bound is checked in the release phase");
        QVERIFY2(grownMb < 64, qPrintable(QString::number(grownMb)));
    }

    void completeBodyStreamsWhole()
    {
        QByteArray rows;
        for (int i = 0; i < 20000; ++i)
            rows += "{\"request_id\":\"r" + QByteArray::number(i) + "\",\"prompt\":\"Code: not at a line start\"}\n";
        OneShotServer server(chunked(rows));
        ClickHouseClient client(urlFor(server.port()));
        QByteArray received;
        int chunks = 0;
        const auto r = client.stream(QStringLiteral("SELECT 1"), [&](const char* d, std::int64_t n) {
            received.append(d, n);
            ++chunks;
            return true;
        });
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(received, rows);
        QCOMPARE(r.bytes, rows.size());
    }
};

QTEST_GUILESS_MAIN(TestClickHouseClient)
#include "tst_clickhouse_client.moc"
