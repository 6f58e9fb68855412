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

// The same communities, with less memory at the stage's peak: the graph's edge
// list is handed to igraph and rebuilt from igraph's copy after the run (the
// same edges, in the same order, the same bytes), so the two copies never sit
// side by side; the list is freed before igraph builds its graph, so not even
// while it does: 16 bytes a link less, 32 with the list's growth slack (about
// 0.46-0.93 GB for the full campaign's 29M links). `graph.edges` is empty while this runs, and restored even when it
// throws (cancelled, out of memory: then from igraph's copy if it was made).
std::vector<std::uint32_t> findCommunitiesLendingEdges(LinkGraph& graph, const DetectSettings& settings,
                                                       const CancelToken& cancel);

} // namespace ds
