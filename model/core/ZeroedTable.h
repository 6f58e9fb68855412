#pragma once

#include <cstddef>
#include <type_traits>

namespace ds {

// Zero-filled memory for a large table read at random: the import's
// direct-mapped tables of recent prompts and prompt features (tens of MB each,
// one access a row, each a miss). On Linux the block is asked to live on 2 MB
// pages: with 4 KB ones nearly every access also missed the TLB, and a page
// walk under a hypervisor costs more than the cache miss itself (the three
// tables were 6-8 % of the import's CPU). The kernel's zero pages are used
// until a page is written, so a small import commits little.
class ZeroedBlock
{
public:
    ZeroedBlock() = default;
    explicit ZeroedBlock(std::size_t bytes); // throws std::bad_alloc
    ~ZeroedBlock();
    ZeroedBlock(ZeroedBlock&& other) noexcept;
    ZeroedBlock& operator=(ZeroedBlock&& other) noexcept;
    ZeroedBlock(const ZeroedBlock&) = delete;
    ZeroedBlock& operator=(const ZeroedBlock&) = delete;

    void* data() const noexcept { return m_data; }
    std::size_t size() const noexcept { return m_size; }

private:
    void release() noexcept;
    void* m_mapping = nullptr; // what to unmap or free: may start before m_data (alignment)
    std::size_t m_mappedBytes = 0;
    void* m_data = nullptr;
    std::size_t m_size = 0;
};

// `count` T's of all-zero bytes in a ZeroedBlock, empty until assign(). T must
// be trivially copyable with all-zero bytes its empty value. Not thread-safe:
// one owner at a time.
template<typename T>
class ZeroedTable
{
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

public:
    bool empty() const noexcept { return m_count == 0; }
    std::size_t size() const noexcept { return m_count; }
    // Drops what the table held and makes `count` zeroed entries.
    void assign(std::size_t count)
    {
        m_block = ZeroedBlock(count * sizeof(T));
        m_count = count;
    }
    void clear() noexcept
    {
        m_block = ZeroedBlock();
        m_count = 0;
    }
    T& operator[](std::size_t i) noexcept { return static_cast<T*>(m_block.data())[i]; }
    const T& operator[](std::size_t i) const noexcept { return static_cast<const T*>(m_block.data())[i]; }

private:
    ZeroedBlock m_block;
    std::size_t m_count = 0;
};

} // namespace ds
