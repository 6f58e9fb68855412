#pragma once

#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

namespace ds {

// SplitMix64 step: turns any 64-bit value into a well-mixed one. Used to derive
// independent seeds for each account so that one account's draws never depend
// on how many draws another made (output stays identical when code elsewhere changes).
inline std::uint64_t simMix64(std::uint64_t x) noexcept
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

inline std::uint64_t simMixSeed(std::uint64_t a, std::uint64_t b) noexcept { return simMix64(a ^ simMix64(b)); }

// Stable seed from a label ("casual", "hydra-coding"), independent of the standard library.
inline std::uint64_t simLabelSeed(std::string_view s) noexcept
{
    std::uint64_t h = 1469598103934665603ULL;
    for (char c : s)
        h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    return simMix64(h);
}

// Deterministic pseudo-random generator (xoshiro256**) with the few
// distributions the simulator needs. Platform-independent on purpose: the
// standard library's distributions differ between implementations, so the same
// seed would not give the same bytes everywhere. One instance per owner; not thread-safe.
class SimRng
{
public:
    explicit SimRng(std::uint64_t seed = 1) noexcept { reseed(seed); }

    void reseed(std::uint64_t seed) noexcept
    {
        for (auto& s : m_s) {
            seed = simMix64(seed);
            s = seed;
        }
    }

    std::uint64_t next() noexcept
    {
        const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const std::uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }

    // Uniform in [0, 1).
    double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) noexcept { return lo + (hi - lo) * uniform(); }
    // Uniform integer in [0, n); n > 0.
    std::uint64_t below(std::uint64_t n) noexcept { return n ? next() % n : 0; }
    std::int64_t range(std::int64_t lo, std::int64_t hi) noexcept // inclusive
    {
        return hi <= lo ? lo : lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1)));
    }
    bool chance(double p) noexcept { return uniform() < p; }

    double normal() noexcept
    {
        double u1 = uniform();
        if (u1 < 1e-300)
            u1 = 1e-300;
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
    // Log-normal with the given median and shape (sigma of the log).
    double lognormal(double median, double sigma) noexcept { return median * std::exp(sigma * normal()); }
    double exponential(double mean) noexcept
    {
        double u = uniform();
        if (u < 1e-300)
            u = 1e-300;
        return -mean * std::log(u);
    }
    // Gamma-like positive value with a given mean and coefficient of variation
    // (log-normal matched on the first two moments): machine pacing has a small CV, people a large one.
    double withCv(double mean, double cv) noexcept
    {
        if (cv <= 0)
            return mean;
        const double s2 = std::log(1.0 + cv * cv);
        return mean * std::exp(std::sqrt(s2) * normal() - s2 / 2.0);
    }

    template<typename T>
    const T& pick(const std::vector<T>& v) noexcept
    {
        return v[below(v.size())];
    }

    // Index drawn with the given non-negative weights (at least one positive).
    std::size_t weighted(const std::vector<double>& w) noexcept
    {
        double total = 0;
        for (double x : w)
            total += x;
        double r = uniform() * total;
        for (std::size_t i = 0; i < w.size(); ++i) {
            if (r < w[i])
                return i;
            r -= w[i];
        }
        return w.empty() ? 0 : w.size() - 1;
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
    std::uint64_t m_s[4] = {};
};

} // namespace ds
