#include "core/Timestamp.h"

#include <cstdio>

namespace ds::timestamp {

// Howard Hinnant's civil-calendar algorithms (public domain), exact for all dates.
std::int64_t daysFromCivil(int y, unsigned m, unsigned d) noexcept
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civilFromDays(std::int64_t z, int& y, unsigned& m, unsigned& d) noexcept
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
}

namespace {

bool digits(std::string_view s, size_t pos, size_t n, int& out)
{
    if (pos + n > s.size())
        return false;
    int v = 0;
    for (size_t i = 0; i < n; ++i) {
        const char c = s[pos + i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

bool isLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned daysInMonth(int y, unsigned m)
{
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : kDays[m - 1];
}

} // namespace

namespace {

// Date, time and fraction of "YYYY-MM-DD[T ]HH:MM:SS[.fff...]"; `pos` ends after them.
struct CivilTime
{
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
};

bool parseCivil(std::string_view s, CivilTime& t, size_t& pos)
{
    if (!digits(s, 0, 4, t.year) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, t.month) || s[7] != '-'
        || !digits(s, 8, 2, t.day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2, t.hour)
        || s[13] != ':' || !digits(s, 14, 2, t.minute) || s[16] != ':' || !digits(s, 17, 2, t.second))
        return false;
    if (t.month < 1 || t.month > 12 || t.day < 1
        || static_cast<unsigned>(t.day) > daysInMonth(t.year, static_cast<unsigned>(t.month)) || t.hour > 23
        || t.minute > 59 || t.second > 60)
        return false;
    pos = 19;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        int n = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (n < 3)
                t.millis = t.millis * 10 + (s[pos] - '0');
            ++n;
            ++pos;
        }
        if (n == 0)
            return false;
        for (int k = n; k < 3; ++k)
            t.millis *= 10;
    }
    return true;
}

// Epoch ms of a civil time `offsetMinutes` east of UTC. A second :60 exists
// only as a leap second, which UTC inserts at 23:59:60; elsewhere it is a typo
// or a forgery and the value is refused.
std::optional<std::int64_t> toEpochMs(const CivilTime& t, int offsetMinutes)
{
    int second = t.second;
    if (second == 60) {
        const int utcMinuteOfDay = ((t.hour * 60 + t.minute - offsetMinutes) % 1440 + 1440) % 1440;
        if (utcMinuteOfDay != 23 * 60 + 59)
            return std::nullopt;
        second = 59; // a leap second is kept inside its minute
    }
    const std::int64_t days = daysFromCivil(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day));
    const std::int64_t secs = days * 86400 + t.hour * 3600 + t.minute * 60 + second - offsetMinutes * 60;
    return secs * 1000 + t.millis;
}

} // namespace

std::optional<std::int64_t> parseRfc3339(std::string_view s)
{
    CivilTime t;
    size_t pos = 0;
    if (!parseCivil(s, t, pos))
        return std::nullopt;
    if (pos >= s.size())
        return std::nullopt; // RFC 3339 requires an offset
    int offsetMinutes = 0;
    const char z = s[pos];
    if (z == 'Z' || z == 'z') {
        ++pos;
    } else if (z == '+' || z == '-') {
        int oh, om;
        if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(s, pos + 4, 2, om)
            || oh > 23 || om > 59)
            return std::nullopt;
        offsetMinutes = (oh * 60 + om) * (z == '-' ? -1 : 1);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != s.size())
        return std::nullopt;
    return toEpochMs(t, offsetMinutes);
}

std::optional<std::int64_t> parseWithZone(std::string_view s, int offsetMinutes)
{
    CivilTime t;
    size_t pos = 0;
    if (!parseCivil(s, t, pos))
        return std::nullopt;
    if (pos != s.size())
        return parseRfc3339(s); // its own offset wins over the mapping's zone
    return toEpochMs(t, offsetMinutes);
}

std::optional<std::int64_t> parseEpochMillisText(std::string_view s)
{
    if (s.empty() || s.size() > 18)
        return std::nullopt;
    std::int64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

std::optional<std::int64_t> parseAny(std::string_view s)
{
    if (auto ms = parseEpochMillisText(s))
        return ms;
    return parseRfc3339(s);
}

std::string toIsoStd(std::int64_t ms)
{
    std::int64_t secs = ms / 1000;
    std::int64_t rem = ms % 1000;
    if (rem < 0) {
        rem += 1000;
        secs -= 1;
    }
    std::int64_t days = secs / 86400;
    std::int64_t sod = secs % 86400;
    if (sod < 0) {
        sod += 86400;
        days -= 1;
    }
    int y;
    unsigned m, d;
    civilFromDays(days, y, m, d);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", y, m, d, static_cast<int>(sod / 3600),
                  static_cast<int>(sod / 60 % 60), static_cast<int>(sod % 60), static_cast<int>(rem));
    return buf;
}

QString toIso(std::int64_t ms) { return QString::fromStdString(toIsoStd(ms)); }

} // namespace ds::timestamp
