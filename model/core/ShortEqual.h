#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace ds {

// Byte equality for the short strings compared millions of times by the
// import (field names, ids): inline word loads for up to 16 bytes, memcmp
// above. The library call cost more than the comparison itself. Any thread.
inline bool shortEqual(std::string_view a, std::string_view b) noexcept
{
    const std::size_t n = a.size();
    if (n != b.size())
        return false;
    const char* x = a.data();
    const char* y = b.data();
    auto load64 = [](const char* p) {
        std::uint64_t v;
        std::memcpy(&v, p, 8);
        return v;
    };
    auto load32 = [](const char* p) {
        std::uint32_t v;
        std::memcpy(&v, p, 4);
        return v;
    };
    if (n >= 8 && n <= 16) // two loads that overlap when n < 16
        return load64(x) == load64(y) && load64(x + n - 8) == load64(y + n - 8);
    if (n >= 4 && n < 8)
        return load32(x) == load32(y) && load32(x + n - 4) == load32(y + n - 4);
    if (n < 4) {
        for (std::size_t i = 0; i < n; ++i)
            if (x[i] != y[i])
                return false;
        return true;
    }
    return std::memcmp(x, y, n) == 0;
}

} // namespace ds
