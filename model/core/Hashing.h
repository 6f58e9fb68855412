#pragma once

#include <cstdint>
#include <string_view>

namespace ds {

// Fast non-cryptographic 64-bit hash (xxh3) used for identities that must be
// stable across runs and machines: request-id dedupe, template fingerprints.
std::uint64_t hash64(std::string_view bytes) noexcept;
std::uint64_t hash64(std::string_view bytes, std::uint64_t seed) noexcept;

// SQLite stores signed 64-bit integers; these convert without changing bits.
inline std::int64_t toSqlInt(std::uint64_t v) noexcept { return static_cast<std::int64_t>(v); }
inline std::uint64_t fromSqlInt(std::int64_t v) noexcept { return static_cast<std::uint64_t>(v); }

} // namespace ds
