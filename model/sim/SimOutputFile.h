#pragma once

#include <QString>

#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

namespace ds {

// A file written in large chunks from a background thread, gzip-compressed
// (zlib, no name and no time stamp in the header, so the bytes depend only on
// the content) or plain. Compression overlaps with generation, which is what a
// second core is for. One producer thread calls write(); the queue is bounded
// so memory stays flat.
class SimOutputFile
{
public:
    SimOutputFile() = default;
    ~SimOutputFile();
    SimOutputFile(const SimOutputFile&) = delete;
    SimOutputFile& operator=(const SimOutputFile&) = delete;

    bool open(const QString& path, bool gzip, int level, QString* error);
    // Queues a chunk (taking it); blocks while too many chunks are waiting.
    void write(std::string&& chunk);
    // Writes what is queued, finishes the gzip stream, closes. False on an I/O error.
    bool close(QString* error);
    std::int64_t bytesOut() const { return m_bytesOut; }

private:
    void run();
    bool writeRaw(const char* data, std::size_t size);
    bool compress(const std::string& chunk, bool finish);

    std::FILE* m_file = nullptr;
    bool m_gzip = true;
    void* m_zs = nullptr; // z_stream, kept out of the header
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<std::string> m_queue;
    bool m_closing = false;
    bool m_failed = false;
    std::int64_t m_bytesOut = 0;
    std::string m_zbuf;
};

} // namespace ds
