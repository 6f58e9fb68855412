#include "core/ZeroedTable.h"

#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace ds {

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;
}

ZeroedBlock::ZeroedBlock(std::size_t bytes)
{
    if (bytes == 0)
        return;
#ifdef __linux__
    if (bytes >= kHugePage) {
        // One huge page more than asked, so the block can start on a huge-page boundary.
        const std::size_t mapped = bytes + kHugePage;
        void* p = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            throw std::bad_alloc();
        const auto at = reinterpret_cast<std::uintptr_t>(p);
        const std::uintptr_t aligned = (at + kHugePage - 1) & ~(kHugePage - 1);
        m_mapping = p;
        m_mappedBytes = mapped;
        m_data = reinterpret_cast<void*>(aligned);
        m_size = bytes;
        // Advice only: without transparent huge pages the table works as before.
        madvise(m_data, bytes, MADV_HUGEPAGE);
        return;
    }
#endif
    m_mapping = std::calloc(1, bytes);
    if (!m_mapping)
        throw std::bad_alloc();
    m_data = m_mapping;
    m_size = bytes;
}

ZeroedBlock::~ZeroedBlock() { release(); }

ZeroedBlock::ZeroedBlock(ZeroedBlock&& other) noexcept
    : m_mapping(std::exchange(other.m_mapping, nullptr))
    , m_mappedBytes(std::exchange(other.m_mappedBytes, 0))
    , m_data(std::exchange(other.m_data, nullptr))
    , m_size(std::exchange(other.m_size, 0))
{
}

ZeroedBlock& ZeroedBlock::operator=(ZeroedBlock&& other) noexcept
{
    if (this != &other) {
        release();
        m_mapping = std::exchange(other.m_mapping, nullptr);
        m_mappedBytes = std::exchange(other.m_mappedBytes, 0);
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

void ZeroedBlock::release() noexcept
{
#ifdef __linux__
    if (m_mappedBytes) {
        munmap(m_mapping, m_mappedBytes);
        m_mapping = nullptr;
        m_mappedBytes = 0;
    }
#endif
    std::free(m_mapping);
    m_mapping = nullptr;
    m_data = nullptr;
    m_size = 0;
}

} // namespace ds
