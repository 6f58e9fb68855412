#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace ds {

// Union-find over indices 0..n-1 kept in a parent vector (parent[x] == x for a root).

// The root of x's set, halving the path on the way.
inline std::uint32_t findRoot(std::vector<std::uint32_t>& parent, std::uint32_t x)
{
    while (parent[x] != x)
        x = parent[x] = parent[parent[x]];
    return x;
}

// Joins the sets of a and b. The smaller root stays root, so roots do not
// depend on the order of unions (results stay deterministic).
inline void uniteToSmaller(std::vector<std::uint32_t>& parent, std::uint32_t a, std::uint32_t b)
{
    a = findRoot(parent, a);
    b = findRoot(parent, b);
    if (a != b)
        parent[std::max(a, b)] = std::min(a, b);
}

} // namespace ds
