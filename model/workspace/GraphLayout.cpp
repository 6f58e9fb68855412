#include "workspace/GraphLayout.h"

#include <QMutex>

#include <graphviz/gvc.h>

#include <string>

namespace ds {

namespace {
QMutex& graphvizMutex()
{
    static QMutex m;
    return m;
}

void setAttr(void* obj, const char* name, const std::string& value)
{
    // cgraph takes char* for historical reasons; it copies the strings.
    agsafeset(obj, const_cast<char*>(name), const_cast<char*>(value.c_str()), const_cast<char*>(""));
}
} // namespace

GraphLayoutResult layoutGraph(const GraphLayoutInput& input)
{
    GraphLayoutResult result;
    if (input.nodeCount == 0)
        return result;
    QMutexLocker lock(&graphvizMutex());
    GVC_t* gvc = gvContext();
    char graphName[] = "links";
    Agraph_t* g = agopen(graphName, Agundirected, nullptr);
    setAttr(g, "overlap", "prism");
    setAttr(g, "splines", "false");
    setAttr(g, "sep", "+8");
    setAttr(g, "pack", "true"); // lay out unlinked accounts and small groups apart, packed around the core
    setAttr(g, "start", "7"); // fixed seed: the same graph is laid out the same way every time
    std::vector<Agnode_t*> nodes(static_cast<std::size_t>(input.nodeCount));
    for (int i = 0; i < input.nodeCount; ++i) {
        std::string name = "n";
        name += std::to_string(i); // not "n" + to_string(i): GCC 12 warns falsely (-Wrestrict) on that insert
        nodes[static_cast<std::size_t>(i)] = agnode(g, name.data(), 1);
        // Each node reserves room for its label drawn under it, so labels do not overlap.
        setAttr(nodes[static_cast<std::size_t>(i)], "width", "1.3");
        setAttr(nodes[static_cast<std::size_t>(i)], "height", "0.45");
        setAttr(nodes[static_cast<std::size_t>(i)], "fixedsize", "true");
        setAttr(nodes[static_cast<std::size_t>(i)], "label", ""); // the GUI draws its own labels
    }
    for (qsizetype e = 0; e < input.edges.size(); ++e) {
        const auto [a, b] = input.edges[e];
        if (a < 0 || b < 0 || a >= input.nodeCount || b >= input.nodeCount || a == b)
            continue;
        Agedge_t* edge = agedge(g, nodes[static_cast<std::size_t>(a)], nodes[static_cast<std::size_t>(b)], nullptr, 1);
        const double w = e < input.edgeWeights.size() ? std::max(0.01, input.edgeWeights[e]) : 1.0;
        setAttr(edge, "weight", std::to_string(w));
        setAttr(edge, "len", std::to_string(std::clamp(1.6 / std::sqrt(w), 0.5, 3.0)));
    }
    const char* engine = input.nodeCount > 300 ? "sfdp" : "neato";
    if (gvLayout(gvc, g, engine) != 0) {
        result.error = QStringLiteral("Graphviz could not lay out the graph (%1).").arg(QLatin1String(engine));
    } else {
        result.positions.reserve(input.nodeCount);
        for (Agnode_t* n : nodes)
            result.positions.append(QPointF(ND_coord(n).x, -ND_coord(n).y)); // Graphviz y grows upwards
        gvFreeLayout(gvc, g);
    }
    agclose(g);
    gvFreeContext(gvc);
    return result;
}

} // namespace ds
