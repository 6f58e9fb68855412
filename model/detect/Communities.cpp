#include "detect/Communities.h"

#include "core/CancelToken.h"
#include "detect/DetectSettings.h"
#include "detect/LinkGraph.h"

#include <igraph/igraph.h>

#include <algorithm>

#include <mutex>
#include <stdexcept>

namespace ds {

namespace {

void check(igraph_error_t rc, const char* what)
{
    if (rc != IGRAPH_SUCCESS)
        throw std::runtime_error(std::string("igraph: ") + what + ": " + igraph_strerror(rc));
}

std::mutex& igraphMutex()
{
    static std::mutex m;
    return m;
}

} // namespace

namespace {

// Runs Leiden on `g`'s edges. With `lender` (== &g), its edge list is freed once
// igraph has the endpoints and weights, and rebuilt from them (kinds kept aside)
// before returning or throwing.
std::vector<std::uint32_t> communitiesOf(const LinkGraph& g, LinkGraph* lender, const DetectSettings& s,
                                         const CancelToken& cancel)
{
    std::vector<std::uint32_t> out(g.nodes);
    if (g.edges.empty()) {
        for (std::uint32_t i = 0; i < g.nodes; ++i)
            out[i] = i;
        return out;
    }
    std::lock_guard lock(igraphMutex());
    igraph_vector_t weights, strength;
    igraph_vector_int_t membership;
    igraph_t graph;
    check(igraph_vector_init(&weights, static_cast<igraph_integer_t>(g.edges.size())), "weights");
    check(igraph_vector_init(&strength, g.nodes), "strength");
    check(igraph_vector_int_init(&membership, g.nodes), "membership");
    // What a lent edge list needs to come back: the kinds (igraph keeps endpoints and weights).
    std::vector<std::uint16_t> kinds;
    struct Cleanup
    {
        LinkGraph* lender;
        const std::vector<std::uint16_t>& kinds;
        igraph_vector_t* w;
        igraph_vector_t* s;
        igraph_vector_int_t* m;
        igraph_t* g = nullptr;
        igraph_vector_int_t* pairs = nullptr; // the endpoints handed to igraph_create, until the graph holds them
        bool lent = false; // the lender's list is freed: restore() owes it back
        ~Cleanup()
        {
            if (lent) {
                try {
                    restore(); // unwinding (cancel, igraph error): the caller gets its list back all the same
                } catch (...) {
                }
            }
            if (pairs)
                igraph_vector_int_destroy(pairs);
            if (g)
                igraph_destroy(g);
            igraph_vector_destroy(w);
            igraph_vector_destroy(s);
            igraph_vector_int_destroy(m);
        }
        // Edge i of igraph is edge i of the list; an undirected igraph edge
        // keeps its larger endpoint as "from". Weights went float -> double -> float: exact.
        // Before the graph exists (igraph_create failed) the endpoints are still in `pairs`.
        // The graph (32 bytes a link) goes before the list (16) is built: its endpoints are copied out first
        // (8), so its end holds 50 bytes a link at most instead of 58: at a fifth of the campaign scale (3.2M links)
        // the stage's peak was this restore, 414 MB; it is now igraph_create's, 369 MB.
        void restore()
        {
            lent = false;
            const std::size_t n = kinds.size();
            std::vector<std::uint32_t> ends(2 * n);
            for (std::size_t i = 0; i < n; ++i) {
                const auto k = static_cast<igraph_integer_t>(i);
                ends[2 * i] = static_cast<std::uint32_t>(g ? IGRAPH_FROM(g, k) : VECTOR(*pairs)[2 * k]);
                ends[2 * i + 1] = static_cast<std::uint32_t>(g ? IGRAPH_TO(g, k) : VECTOR(*pairs)[2 * k + 1]);
            }
            if (g) {
                igraph_destroy(g);
                g = nullptr;
            }
            lender->edges.resize(n);
            for (std::size_t i = 0; i < n; ++i) {
                const std::uint32_t from = ends[2 * i], to = ends[2 * i + 1];
                lender->edges[i] = LinkEdge{std::min(from, to), std::max(from, to), static_cast<float>(VECTOR(*w)[i]), kinds[i]};
            }
        }
    } cleanup{lender, kinds, &weights, &strength, &membership};
    double total = 0;
    const std::size_t edgeCount = g.edges.size();
    igraph_vector_int_t edges;
    check(igraph_vector_int_init(&edges, static_cast<igraph_integer_t>(edgeCount * 2)), "edges");
    cleanup.pairs = &edges;
    for (size_t i = 0; i < edgeCount; ++i) {
        const LinkEdge& e = g.edges[i];
        VECTOR(edges)[2 * i] = e.a;
        VECTOR(edges)[2 * i + 1] = e.b;
        VECTOR(weights)[i] = e.weight;
        VECTOR(strength)[e.a] += e.weight;
        VECTOR(strength)[e.b] += e.weight;
        total += e.weight;
    }
    // A case holding part of a population (a triage pull): its accounts' links to the accounts left on the server,
    // and the links among those, count as modularity's null model counts them in the whole population
    // (LinkGraph::outsideStrength). Empty for a case imported whole.
    for (std::size_t a = 0; a < g.outsideStrength.size() && a < g.nodes; ++a)
        VECTOR(strength)[static_cast<igraph_integer_t>(a)] += g.outsideStrength[a];
    total += g.outsideTotal;
    if (lender) {
        kinds.reserve(edgeCount);
        for (const LinkEdge& e : g.edges)
            kinds.push_back(e.kinds);
        // Freed before igraph builds its graph, not after: the list (16 bytes a link, up to twice that with the
        // slack of its growth) and igraph's graph (32) never sit side by side. The endpoints, weights and
        // kinds stand for it until restore().
        std::vector<LinkEdge>().swap(lender->edges);
        cleanup.lent = true;
    }
    check(igraph_create(&graph, &edges, g.nodes, IGRAPH_UNDIRECTED), "create");
    cleanup.g = &graph;
    // The graph holds the endpoints now: their separate copy goes at once (16 bytes a link).
    igraph_vector_int_destroy(&edges);
    cleanup.pairs = nullptr;
    if (cancel.isCancelled())
        throw Cancelled{};
    igraph_rng_seed(igraph_rng_default(), static_cast<igraph_uint_t>(s.seed));
    igraph_integer_t clusters = 0;
    igraph_real_t quality = 0;
    // Modularity through Leiden's CPM form: node weights = strengths, resolution / 2m.
    check(igraph_community_leiden(&graph, &weights, &strength, s.leidenResolution / (2.0 * total), 0.01, false,
                                  s.leidenIterations, &membership, &clusters, &quality),
          "leiden");
    for (std::uint32_t i = 0; i < g.nodes; ++i)
        out[i] = static_cast<std::uint32_t>(VECTOR(membership)[i]);
    if (cleanup.lent)
        cleanup.restore();
    return out;
}

} // namespace

std::vector<std::uint32_t> findCommunities(const LinkGraph& g, const DetectSettings& s, const CancelToken& cancel)
{
    return communitiesOf(g, nullptr, s, cancel);
}

std::vector<std::uint32_t> findCommunitiesLendingEdges(LinkGraph& g, const DetectSettings& s, const CancelToken& cancel)
{
    return communitiesOf(g, &g, s, cancel);
}

} // namespace ds
