#include "sim/SimInfra.h"

#include <array>
#include <cstdio>

namespace ds::siminfra {

namespace {

bool reserved(std::uint32_t a)
{
    const unsigned o1 = a >> 24, o2 = (a >> 16) & 0xff, o3 = (a >> 8) & 0xff;
    if (o1 == 0 || o1 == 10 || o1 == 127 || o1 >= 224)
        return true;
    if (o1 == 100 && o2 >= 64 && o2 < 128)
        return true; // carrier-grade NAT
    if (o1 == 169 && o2 == 254)
        return true;
    if (o1 == 172 && o2 >= 16 && o2 < 32)
        return true;
    if (o1 == 192 && (o2 == 168 || (o2 == 0 && (o3 == 0 || o3 == 2)) || (o2 == 88 && o3 == 99)))
        return true;
    if (o1 == 198 && (o2 == 18 || o2 == 19 || (o2 == 51 && o3 == 100)))
        return true;
    if (o1 == 203 && o2 == 0 && o3 == 113)
        return true;
    return false;
}

template<std::size_t N>
const char* pickFrom(SimRng& rng, const std::array<const char*, N>& a)
{
    return a[rng.below(N)];
}

constexpr std::array<const char*, 24> kWords = {
    "north", "blue", "river", "atlas", "cedar", "pixel", "summit", "harbor", "nova", "quartz", "ember", "lumen",
    "vertex", "orbit", "maple", "stone", "delta", "signal", "forge", "bright", "cloud", "prime", "silver", "field"};
constexpr std::array<const char*, 12> kSuffix = {"labs", "works", "tech", "systems", "data", "soft", "ai", "analytics",
                                                 "group", "media", "health", "logistics"};

} // namespace

std::uint32_t publicIpv4(SimRng& rng)
{
    for (;;) {
        const auto a = static_cast<std::uint32_t>(rng.next() >> 32);
        if (!reserved(a) && (a & 0xff) != 0 && (a & 0xff) != 255)
            return a;
    }
}

std::uint32_t publicSubnet24(SimRng& rng) { return publicIpv4(rng) & 0xffffff00u; }

std::string ipv4Text(std::uint32_t a)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
    return buf;
}

std::string ipv6Text(SimRng& rng)
{
    static constexpr std::array<unsigned, 6> kPrefixes = {0x2a02, 0x2a01, 0x2600, 0x2601, 0x2406, 0x2804};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%x:%x:%x:%x:%x:%x:%x:%x", kPrefixes[rng.below(kPrefixes.size())],
                  static_cast<unsigned>(rng.below(0xffff)), static_cast<unsigned>(rng.below(0xffff)),
                  static_cast<unsigned>(rng.below(0xffff)), static_cast<unsigned>(rng.below(0xffff)),
                  static_cast<unsigned>(rng.below(0xffff)), static_cast<unsigned>(rng.below(0xffff)),
                  static_cast<unsigned>(1 + rng.below(0xfffe)));
    return buf;
}

std::string base62(SimRng& rng, int n)
{
    static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    std::string s(static_cast<std::size_t>(n), '0');
    for (char& c : s)
        c = kAlphabet[rng.below(62)];
    return s;
}

std::string hex(SimRng& rng, int n)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s(static_cast<std::size_t>(n), '0');
    for (char& c : s)
        c = kHex[rng.below(16)];
    return s;
}

std::string benignEmailDomain(SimRng& rng)
{
    static constexpr std::array<const char*, 10> kWebmail = {"gmail.com", "gmail.com", "gmail.com", "outlook.com",
                                                             "hotmail.com", "yahoo.com", "icloud.com", "proton.me",
                                                             "gmx.de", "qq.com"};
    const double r = rng.uniform();
    if (r < 0.62)
        return pickFrom(rng, kWebmail);
    if (r < 0.9)
        return companyDomain(rng);
    static constexpr std::array<const char*, 8> kUni = {"stanford.edu", "mit.edu", "ox.ac.uk", "ethz.ch", "tum.de",
                                                        "utoronto.ca", "nus.edu.sg", "unimelb.edu.au"};
    return pickFrom(rng, kUni);
}

std::string companyDomain(SimRng& rng)
{
    static constexpr std::array<const char*, 6> kTld = {".com", ".io", ".co", ".de", ".ai", ".net"};
    return std::string(pickFrom(rng, kWords)) + pickFrom(rng, kSuffix) + pickFrom(rng, kTld);
}

std::string throwawayDomain(SimRng& rng)
{
    static constexpr std::array<const char*, 10> kA = {"inbox", "mail", "tmp", "drop", "quick", "zen", "fast", "box",
                                                       "post", "relay"};
    static constexpr std::array<const char*, 8> kB = {"kit", "hub", "zone", "spot", "base", "lane", "nest", "line"};
    static constexpr std::array<const char*, 7> kTld = {".xyz", ".top", ".site", ".online", ".icu", ".club", ".shop"};
    return std::string(pickFrom(rng, kA)) + pickFrom(rng, kB) + std::to_string(rng.range(1, 99)) + pickFrom(rng, kTld);
}

std::string benignCountry(SimRng& rng)
{
    static const std::vector<double> w = {30, 8, 7, 6, 5, 5, 4, 4, 4, 3, 3, 3, 3, 2, 2, 2, 2, 2};
    static constexpr std::array<const char*, 18> c = {"US", "GB", "DE", "IN", "FR", "CA", "JP", "BR", "KR", "AU",
                                                      "NL", "SG", "ES", "IT", "SE", "PL", "CH", "IL"};
    return c[rng.weighted(w)];
}

std::string anyCountry(SimRng& rng)
{
    static constexpr std::array<const char*, 12> c = {"US", "SG", "HK", "MY", "GB", "DE", "CA", "AE", "VN", "TH",
                                                      "ID", "PH"};
    return pickFrom(rng, c);
}

std::string popularSdkUserAgent(SimRng& rng)
{
    static const std::vector<double> w = {5, 3, 2};
    static constexpr std::array<const char*, 3> u = {"anthropic-python/0.39.0", "anthropic-typescript/0.32.1",
                                                     "anthropic-python/0.40.0"};
    return u[rng.weighted(w)];
}

std::string sdkUserAgent(SimRng& rng)
{
    static const std::vector<double> w = {14, 10, 8, 6, 5, 4, 4, 3, 3, 3, 2, 2, 2, 2, 1, 1};
    static constexpr std::array<const char*, 16> u = {
        "anthropic-python/0.39.0",  "anthropic-python/0.40.0",  "anthropic-typescript/0.32.1",
        "anthropic-python/0.37.1",  "anthropic-typescript/0.30.1", "OpenAI/Python 1.54.3",
        "python-requests/2.32.3",   "curl/8.5.0",               "langchain-anthropic/0.3.0",
        "anthropic-go/0.2.0-alpha.4", "Go-http-client/2.0",     "anthropic-java/0.8.0",
        "axios/1.7.7",              "python-httpx/0.27.2",      "anthropic-ruby/0.3.2",
        "reqwest/0.12.9"};
    return u[rng.weighted(w)];
}

std::string appUserAgent(SimRng& rng)
{
    static constexpr std::array<const char*, 8> u = {"ChatBox/1.9.1 (Electron)", "TypingMind/2.4.0", "Raycast/1.84.0",
                                                     "Obsidian/1.7.4 copilot/2.7.0", "BoltAI/1.28 (macOS)",
                                                     "Msty/1.3.2", "Jan/0.5.9", "Chatbot-UI/2.0 (Vercel)"};
    return pickFrom(rng, u);
}

int benignUtcOffsetHours(SimRng& rng)
{
    static const std::vector<double> w = {10, 6, 4, 12, 8, 5, 4, 6, 3};
    static constexpr std::array<int, 9> o = {-5, -6, -8, 1, 0, 2, 5, 9, 8};
    return o[rng.weighted(w)];
}

} // namespace ds::siminfra
