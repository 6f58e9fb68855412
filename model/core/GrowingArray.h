#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>

namespace ds {

// An array of trivially copyable T that grows through realloc instead of
// allocate-copy-free: for lists of tens of millions of entries (detection's
// links before they are merged). A large block is moved by the C library
// (mremap on Linux) without copying, so the list is never resident twice while
// it grows, as a std::vector is at each doubling, and capacity not yet written
// costs no memory. Not thread-safe: one owner at a time.
template<typename T>
class GrowingArray
{
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

public:
    GrowingArray() = default;
    ~GrowingArray() { std::free(m_data); }
    GrowingArray(GrowingArray&& o) noexcept
        : m_data(std::exchange(o.m_data, nullptr))
        , m_size(std::exchange(o.m_size, 0))
        , m_capacity(std::exchange(o.m_capacity, 0))
    {
    }
    GrowingArray& operator=(GrowingArray&& o) noexcept
    {
        if (this != &o) {
            std::free(m_data);
            m_data = std::exchange(o.m_data, nullptr);
            m_size = std::exchange(o.m_size, 0);
            m_capacity = std::exchange(o.m_capacity, 0);
        }
        return *this;
    }
    GrowingArray(const GrowingArray&) = delete;
    GrowingArray& operator=(const GrowingArray&) = delete;

    void push_back(const T& v)
    {
        if (m_size == m_capacity)
            grow(m_capacity < 1024 ? 1024 : m_capacity * 2);
        m_data[m_size++] = v;
    }
    // Frees the memory: the array is empty afterwards.
    void release() noexcept { *this = GrowingArray(); }

    std::size_t size() const noexcept { return m_size; }
    bool empty() const noexcept { return m_size == 0; }
    T* begin() noexcept { return m_data; }
    T* end() noexcept { return m_data + m_size; }
    const T* begin() const noexcept { return m_data; }
    const T* end() const noexcept { return m_data + m_size; }
    T& operator[](std::size_t i) noexcept { return m_data[i]; }
    const T& operator[](std::size_t i) const noexcept { return m_data[i]; }

private:
    void grow(std::size_t capacity)
    {
        void* p = std::realloc(static_cast<void*>(m_data), capacity * sizeof(T));
        if (!p)
            throw std::bad_alloc();
        m_data = static_cast<T*>(p);
        m_capacity = capacity;
    }

    T* m_data = nullptr;
    std::size_t m_size = 0;
    std::size_t m_capacity = 0;
};

} // namespace ds
