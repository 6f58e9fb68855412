#include "workspace/LinkGraphData.h"

#include "core/Sqlite.h"
#include "detect/DetectionResults.h"
#include "workspace/GraphLayout.h"

#include <QHash>
#include <QSet>

#include <algorithm>

namespace ds {

LinkGraphData LinkGraphData::load(SqliteDb& db, std::int64_t run, std::int64_t cluster)
{
    LinkGraphData g;
    DetectionResults results(db, run);
    for (const auto& c : results.clusters())
        if (c.id == cluster)
            g.label = c.label;
    QHash<std::int64_t, int> index;
    std::vector<DetectionResults::Account> members = results.clusterMembers(cluster);
    const std::vector<DetectionResults::Link> links = results.links(cluster);
    g.members = static_cast<int>(members.size());
    if (members.size() > static_cast<std::size_t>(kMaxNodes)) {
        // The accounts the stored links join first, then the highest scores, up to kMaxNodes; member order kept.
        QSet<std::int64_t> linked;
        for (const auto& l : links)
            linked << l.a << l.b;
        std::vector<std::size_t> order(members.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
            const bool lx = linked.contains(members[x].account), ly = linked.contains(members[y].account);
            return lx != ly ? lx : members[x].score > members[y].score;
        });
        order.resize(kMaxNodes);
        std::sort(order.begin(), order.end());
        std::vector<DetectionResults::Account> kept;
        kept.reserve(order.size());
        for (std::size_t i : order)
            kept.push_back(std::move(members[i]));
        members = std::move(kept);
    }
    for (const auto& m : members) {
        index.insert(m.account, static_cast<int>(g.nodes.size()));
        g.nodes.append({m.account, m.accountId, m.score, m.flagged, {}});
    }
    GraphLayoutInput input;
    input.nodeCount = static_cast<int>(g.nodes.size());
    for (const auto& l : links) {
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
