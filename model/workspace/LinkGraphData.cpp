#include "workspace/LinkGraphData.h"

#include "core/Sqlite.h"
#include "detect/DetectionResults.h"
#include "workspace/GraphLayout.h"

#include <QHash>

namespace ds {

LinkGraphData LinkGraphData::load(SqliteDb& db, std::int64_t run, std::int64_t cluster)
{
    LinkGraphData g;
    DetectionResults results(db, run);
    for (const auto& c : results.clusters())
        if (c.id == cluster)
            g.label = c.label;
    QHash<std::int64_t, int> index;
    for (const auto& m : results.clusterMembers(cluster)) {
        index.insert(m.account, static_cast<int>(g.nodes.size()));
        g.nodes.append({m.account, m.accountId, m.score, m.flagged, {}});
    }
    GraphLayoutInput input;
    input.nodeCount = static_cast<int>(g.nodes.size());
    for (const auto& l : results.links(cluster)) {
        if (!index.contains(l.a) || !index.contains(l.b))
            continue;
        g.edges.append({index[l.a], index[l.b], l.weight, l.kinds});
        input.edges.append({index[l.a], index[l.b]});
        input.edgeWeights.append(l.weight);
    }
    const GraphLayoutResult layout = layoutGraph(input);
    g.error = layout.error;
    for (qsizetype i = 0; i < layout.positions.size() && i < g.nodes.size(); ++i)
        g.nodes[i].pos = layout.positions[i];
    return g;
}

} // namespace ds
