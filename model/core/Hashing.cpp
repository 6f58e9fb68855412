#include "core/Hashing.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace ds {

std::uint64_t hash64(std::string_view bytes) noexcept { return XXH3_64bits(bytes.data(), bytes.size()); }

std::uint64_t hash64(std::string_view bytes, std::uint64_t seed) noexcept
{
    return XXH3_64bits_withSeed(bytes.data(), bytes.size(), seed);
}

} // namespace ds
