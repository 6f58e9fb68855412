#pragma once

#include "ingest/ByteStream.h"
#include "remote/ClickHouseClient.h"

#include <QByteArray>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace ds {

// The response body of one pull query, read by the importer as a ByteStream (a ByteSource
// reads it like a pipe). The query is sent on the first read(); a thread of its own waits
// on the ClickHouseClient while the body streams into a bounded queue (8 MiB): when the
// importer falls behind, the client stops reading (ClickHouseRoom) and the server waits, so
// memory stays flat whatever the table's size.
// A failure of the query, or of the connection, at any point makes read() return -1 with
// one sentence: the import of this source is then rolled back, nothing half-imported.
// Cancel through the CancelToken given (the import's). read() from one thread (the parser);
// the counters from any thread once read() returned 0 or -1.
class ClickHousePull : public ByteStream
{
public:
    ClickHousePull(ClickHouseUrl url, ClickHouseOptions options, QString sql, const CancelToken* cancel);
    ~ClickHousePull() override; // close()

    // Stops the transfer if it is still running (the reader is done with it) and waits for it to end.
    void close();

    std::int64_t read(char* out, std::int64_t capacity) override;
    QString errorString() const override;

    const QString& sql() const { return m_sql; }
    // The outcome once read() returned 0 or -1.
    ClickHouseResponse response() const;
    // Rows received (lines of JSONEachRow) and bytes, so far.
    std::int64_t rowsReceived() const;
    std::int64_t startedAtMs() const { return m_startedAtMs; }
    std::int64_t finishedAtMs() const;

private:
    void start();
    bool push(const char* data, std::int64_t size); // the client's thread

    ClickHouseUrl m_url;
    ClickHouseOptions m_options;
    QString m_sql;
    const CancelToken* m_cancel;
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<QByteArray> m_chunks;
    std::size_t m_frontPos = 0;
    std::int64_t m_queuedBytes = 0;
    std::int64_t m_rows = 0;
    bool m_started = false;
    bool m_done = false;   // the transfer ended (m_response says how)
    bool m_closed = false; // the reader went away
    ClickHouseResponse m_response;
    std::int64_t m_startedAtMs = 0;
    std::int64_t m_finishedAtMs = 0;
};

} // namespace ds
