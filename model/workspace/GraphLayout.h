#pragma once

#include <QList>
#include <QPointF>
#include <QString>

#include <cstdint>

namespace ds {

// Positions for an undirected graph, computed by Graphviz (libgvc, `neato`
// spring model, `sfdp` past a few hundred nodes) so the GUI and the report draw
// the same layout. Coordinates are in points, y growing downwards.
// Any thread: calls into Graphviz are serialised (the library is not thread safe).
struct GraphLayoutInput
{
    int nodeCount = 0;
    QList<QPair<int, int>> edges; // node indexes
    QList<double> edgeWeights;    // same length as edges, > 0; stronger pulls closer
};

struct GraphLayoutResult
{
    QList<QPointF> positions; // one per node, empty when the layout failed
    QString error;
};

GraphLayoutResult layoutGraph(const GraphLayoutInput& input);

} // namespace ds
