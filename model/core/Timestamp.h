#pragma once

#include <QString>

#include <cstdint>
#include <optional>
#include <string_view>

namespace ds {

// Time in Distillscope is an integer count of milliseconds since the Unix epoch,
// UTC. These helpers parse what the log format allows and print what the
// reports and JSON outputs use. Pure functions: any thread.
namespace timestamp {

// RFC 3339 with a mandatory offset ("2026-02-03T14:22:05.123Z", "...+05:30");
// a space instead of 'T' is accepted, fractions beyond milliseconds are truncated.
std::optional<std::int64_t> parseRfc3339(std::string_view text);

// A date and time without an offset ("2026-02-01T00:00:43.143", "2026-02-01 00:00:43.143143", "...:43"),
// read in the zone `offsetMinutes` east of UTC. Text that carries its own offset is read as RFC 3339 instead.
// Logs written from `timestamp without time zone` columns look like this (UTC by convention).
std::optional<std::int64_t> parseWithZone(std::string_view text, int offsetMinutes);

// Integer epoch milliseconds written as decimal text (what CSV gives us).
std::optional<std::int64_t> parseEpochMillisText(std::string_view text);

// Either of the above, as the canonical `timestamp` field accepts both.
std::optional<std::int64_t> parseAny(std::string_view text);

// Epoch milliseconds -> "2026-02-03T14:22:05.123Z".
QString toIso(std::int64_t epochMs);
std::string toIsoStd(std::int64_t epochMs);

// Days since 1970-01-01 for a proleptic Gregorian civil date, and back.
std::int64_t daysFromCivil(int y, unsigned m, unsigned d) noexcept;
void civilFromDays(std::int64_t days, int& y, unsigned& m, unsigned& d) noexcept;

// Plausible range for request times: 1990 .. 2200. Outside it a value is a unit mistake.
constexpr std::int64_t kMinPlausibleMs = 631152000000LL;
constexpr std::int64_t kMaxPlausibleMs = 7258118400000LL;

} // namespace timestamp
} // namespace ds
