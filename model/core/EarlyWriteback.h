#pragma once

#include <cstdint>

namespace ds {

class SqliteDb;

// Starts the kernel writing a case file's new pages to disk while a bulk load
// is still running, so the commit's fsync finds most of them written instead
// of flushing the whole load (600 MB for a million requests) at the end.
// Linux only (sync_file_range); elsewhere, and whenever SQLite's descriptor
// cannot be confirmed to be the case file, it does nothing. Not a durability
// mechanism: the commit still syncs. Used by the thread that owns the connection.
class EarlyWriteback
{
public:
    explicit EarlyWriteback(SqliteDb& db);

    // Call now and then (after each batch): once the file has grown by a few
    // tens of MB since the last call that acted, asks for those pages to be written.
    void nudge();
    // Whether it found the case file's descriptor (always on Linux with SQLite's unix VFS).
    bool isActive() const { return m_fd >= 0; }

private:
    int m_fd = -1;
    std::int64_t m_startedUpTo = 0; // bytes already handed to the kernel for writing
};

} // namespace ds
