#include "ingest/CaseRequestIds.h"

#include "core/Hashing.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <stdexcept>

namespace ds {

void CaseRequestIds::update(SqliteDb& db)
{
    SqliteStatement st(db, "SELECT id, rid_hash FROM request WHERE id > ?1 ORDER BY id");
    st.bind(1, m_lastRow);
    std::vector<Entry> fresh;
    // Row ids are dense (imports only append): reserved at once, not grown by doubling.
    const std::int64_t bound = db.queryInt("SELECT max(id) FROM request", 0) - m_lastRow;
    if (bound > 0 && bound < std::numeric_limits<std::uint32_t>::max())
        fresh.reserve(static_cast<std::size_t>(bound) + m_entries.size());
    while (st.step()) {
        fresh.push_back({fromSqlInt(st.columnInt(1)), st.columnInt(0)});
        m_lastRow = fresh.back().row;
    }
    if (fresh.empty())
        return;
    // Old and new together, placed by bucket: two linear passes instead of a
    // comparison sort of tens of millions of entries.
    fresh.insert(fresh.end(), m_entries.begin(), m_entries.end());
    m_entries = {};
    m_directory = {};
    rebuild(std::move(fresh));
}

void CaseRequestIds::rebuild(std::vector<Entry> entries)
{
    if (entries.size() >= std::numeric_limits<std::uint32_t>::max())
        throw std::length_error("more requests than the import's request-id directory can hold");
    // About four entries a bucket: a lookup reads one or two cache lines.
    const std::size_t buckets = std::max<std::size_t>(2, std::bit_ceil(entries.size() / 4 + 1));
    m_shift = 64 - std::countr_zero(buckets);
    std::vector<std::uint32_t> directory(buckets + 1, 0);
    for (const Entry& e : entries)
        ++directory[bucketOf(e.hash) + 1];
    for (std::size_t b = 1; b <= buckets; ++b)
        directory[b] += directory[b - 1];
    std::vector<std::uint32_t> next(directory.begin(), directory.end() - 1);
    std::vector<Entry> sorted(entries.size());
    for (const Entry& e : entries)
        sorted[next[bucketOf(e.hash)]++] = e;
    entries = {};
    next = {};
    auto byHash = [](const Entry& a, const Entry& b) { return a.hash != b.hash ? a.hash < b.hash : a.row < b.row; };
    for (std::size_t b = 0; b < buckets; ++b) {
        // A handful of entries each: insertion sort (a sort where ids were chosen to share a prefix).
        Entry* first = sorted.data() + directory[b];
        Entry* last = sorted.data() + directory[b + 1];
        if (last - first > kLinearScan) {
            std::sort(first, last, byHash);
            continue;
        }
        for (Entry* i = first + (first != last); i < last; ++i)
            for (Entry* j = i; j > first && byHash(*j, *(j - 1)); --j)
                std::swap(*j, *(j - 1));
    }
    m_entries = std::move(sorted);
    m_directory = std::move(directory);
}

} // namespace ds
