#include "core/EarlyWriteback.h"

#include "core/Sqlite.h"

#include <sqlite3.h>

#include <fcntl.h>
#include <sys/stat.h>

namespace ds {

namespace {

// SQLite's unix VFS opens its files as a struct that begins with these
// members (os_unix.c, unchanged since 3.7). SQLite offers no call that returns
// the descriptor, so the layout is used only after checking that the VFS is
// the unix one and that the descriptor is the case file's (same device and inode).
struct UnixFileHead
{
    const sqlite3_io_methods* methods;
    sqlite3_vfs* vfs;
    void* inode;
    int fd;
};

int caseFileDescriptor(sqlite3* db)
{
#ifdef __linux__
    // Only a file of the unix VFS is read as a UnixFileHead.
    sqlite3_vfs* vfs = nullptr;
    sqlite3_vfs* unixVfs = sqlite3_vfs_find("unix");
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_VFS_POINTER, &vfs) != SQLITE_OK || !unixVfs || vfs != unixVfs)
        return -1;
    sqlite3_file* file = nullptr;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK || !file || !file->pMethods)
        return -1;
    const auto* head = reinterpret_cast<const UnixFileHead*>(file);
    const char* path = sqlite3_db_filename(db, "main");
    if (head->vfs != unixVfs || !path || !*path || head->fd < 0)
        return -1;
    struct stat byPath{}, byFd{};
    if (::stat(path, &byPath) != 0 || ::fstat(head->fd, &byFd) != 0 || byPath.st_dev != byFd.st_dev
        || byPath.st_ino != byFd.st_ino)
        return -1;
    return head->fd;
#else
    (void)db;
    return -1;
#endif
}

} // namespace

EarlyWriteback::EarlyWriteback(SqliteDb& db)
    : m_fd(caseFileDescriptor(db.handle()))
{
    struct stat st{};
    if (m_fd >= 0 && ::fstat(m_fd, &st) == 0)
        m_startedUpTo = st.st_size;
}

void EarlyWriteback::nudge()
{
#ifdef __linux__
    constexpr std::int64_t kStep = 32 << 20;
    struct stat st{};
    if (m_fd < 0 || ::fstat(m_fd, &st) != 0 || st.st_size < m_startedUpTo + kStep)
        return;
    // Only the start of the write-out: SYNC_FILE_RANGE_WRITE does not wait for it.
    ::sync_file_range(m_fd, m_startedUpTo, st.st_size - m_startedUpTo, SYNC_FILE_RANGE_WRITE);
    m_startedUpTo = st.st_size;
#endif
}

} // namespace ds
