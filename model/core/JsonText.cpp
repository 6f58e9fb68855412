#include "core/JsonText.h"

#include <cstdint>
#include <cstring>

namespace ds {

namespace {

// Whether any of the 8 bytes of `x` needs an escape: below 0x20, '"' or '\\' (exact; the classic
// "has a zero byte" test applied to x, x ^ '"' and x ^ '\\', and "has a byte less than n" for n = 0x20).
bool anyToEscape(std::uint64_t x)
{
    constexpr std::uint64_t kOnes = 0x0101010101010101ull;
    constexpr std::uint64_t kHigh = 0x8080808080808080ull;
    auto hasZero = [](std::uint64_t v) { return (v - kOnes) & ~v & kHigh; };
    const std::uint64_t below = (x - kOnes * 0x20) & ~x & kHigh;
    return (below | hasZero(x ^ (kOnes * '"')) | hasZero(x ^ (kOnes * '\\'))) != 0;
}

} // namespace

void appendJsonString(std::string& out, std::string_view s)
{
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    // Copy runs of plain bytes at once; only the bytes that need escapes are handled one by one. Eight bytes are
    // checked at a time (most text has no escape in a run of eight): import writes every kept field through here.
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        while (i + 8 <= s.size()) {
            std::uint64_t x = 0;
            std::memcpy(&x, s.data() + i, 8);
            if (anyToEscape(x))
                break;
            i += 8;
        }
        if (i >= s.size())
            break;
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(s.data() + start, i - start);
        start = i + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    out.append(s.data() + start, s.size() - start);
    out += '"';
}

} // namespace ds
