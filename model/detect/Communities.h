#pragma once

#include <cstdint>
#include <vector>

namespace ds {

struct LinkGraph;
struct DetectSettings;
class CancelToken;

// Community detection on the account graph: igraph's Leiden algorithm with the
// modularity objective on the weighted graph, seeded from the settings so the
// same graph always gives the same communities. Returns a community number per
// node (accounts without links are communities of their own). igraph's random
// generator is global: call from one thread at a time.
std::vector<std::uint32_t> findCommunities(const LinkGraph& graph, const DetectSettings& settings, const CancelToken& cancel);

} // namespace ds
