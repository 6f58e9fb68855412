#pragma once

#include "core/Sqlite.h"

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

namespace ds {

// The request-id hashes of the requests committed to a case, each with its row
// id. An import looks every incoming request up here: a hit is confirmed by
// reading that one row's request_id (request_text by row id), so a request
// already in the case is never written, needs no index on rid_hash, and a bulk
// load has nothing to delete after it. Sorted by hash under a directory of
// hash prefixes (about four entries a bucket): 17 bytes an entry, about what a
// hash set of the bare hashes took at its load factor. Owned by the writer
// thread's Interner; it only changes between files.
class CaseRequestIds
{
public:
    struct Entry
    {
        std::uint64_t hash = 0;
        std::int64_t row = 0;
    };

    // Adds the case's requests with a row id above lastRow(): all of them the
    // first time, then those of the files committed since. Call between files,
    // never with uncommitted rows in the case.
    void update(SqliteDb& db);
    std::int64_t lastRow() const { return m_lastRow; }
    std::size_t size() const { return m_entries.size(); }

    // The committed requests whose request id has `hash`: none for a new
    // request, one for a request already in the case (or a collision), more only
    // when the case itself holds requests whose ids collide.
    std::span<const Entry> find(std::uint64_t hash) const
    {
        if (m_entries.empty())
            return {};
        const std::size_t b = bucketOf(hash);
        const Entry* it = m_entries.data() + m_directory[b];
        const Entry* end = m_entries.data() + m_directory[b + 1];
        if (end - it > kLinearScan) // only where ids were chosen to share a hash prefix
            it = std::lower_bound(it, end, hash, [](const Entry& e, std::uint64_t h) { return e.hash < h; });
        while (it != end && it->hash < hash)
            ++it;
        const Entry* first = it;
        while (it != end && it->hash == hash)
            ++it;
        return {first, it};
    }
    // Two steps ahead of find(): the directory slot, then (once that arrived) the bucket.
    void prefetchDirectory(std::uint64_t hash) const
    {
        if (!m_entries.empty())
            __builtin_prefetch(&m_directory[bucketOf(hash)]);
    }
    void prefetchBucket(std::uint64_t hash) const
    {
        if (!m_entries.empty())
            __builtin_prefetch(m_entries.data() + m_directory[bucketOf(hash)]);
    }

private:
    static constexpr std::ptrdiff_t kLinearScan = 32;
    std::size_t bucketOf(std::uint64_t hash) const { return static_cast<std::size_t>(hash >> m_shift); }
    // Sorts `entries` by hash into m_entries and rebuilds the directory for their number.
    void rebuild(std::vector<Entry> entries);

    std::vector<Entry> m_entries;            // by hash, then row
    std::vector<std::uint32_t> m_directory; // first entry of each bucket, and the end
    int m_shift = 63;
    std::int64_t m_lastRow = 0;
};

} // namespace ds
