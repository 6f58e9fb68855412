#include "workspace/LinkGraphData.h"

#include "core/DisjointSets.h"
#include "core/Sqlite.h"
#include "detect/DetectionResults.h"
#include "workspace/GraphLayout.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <map>

namespace ds {

namespace {

// Connected groups of the drawn graph, the kinds drawn, and what detection says ties the network together.
void describePieces(SqliteDb& db, std::int64_t run, std::int64_t cluster, LinkGraphData& g)
{
    std::vector<std::uint32_t> parent(static_cast<std::size_t>(g.nodes.size()));
    for (std::size_t i = 0; i < parent.size(); ++i)
        parent[i] = static_cast<std::uint32_t>(i);
    std::vector<int> degree(static_cast<std::size_t>(g.nodes.size()), 0);
    std::map<QString, int> kindUse;
    for (const auto& e : g.edges) {
        uniteToSmaller(parent, static_cast<std::uint32_t>(e.a), static_cast<std::uint32_t>(e.b));
        ++degree[static_cast<std::size_t>(e.a)];
        ++degree[static_cast<std::size_t>(e.b)];
        if (!e.kinds.isEmpty())
            ++kindUse[e.kinds.front()];
    }
    std::map<std::uint32_t, int> sizes;
    for (qsizetype i = 0; i < g.nodes.size(); ++i)
        ++sizes[findRoot(parent, static_cast<std::uint32_t>(i))];
    g.components = static_cast<int>(sizes.size());
    for (const auto& [root, n] : sizes)
        g.largestComponent = std::max(g.largestComponent, n);
    g.unlinked = static_cast<int>(std::count(degree.begin(), degree.end(), 0));
    std::vector<std::pair<QString, int>> kinds(kindUse.begin(), kindUse.end());
    std::stable_sort(kinds.begin(), kinds.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
    for (const auto& [kind, n] : kinds)
        g.kindsDrawn << kind;

    SqliteStatement settings(db, "SELECT settings_json FROM detection_run WHERE id = ?");
    settings.bind(1, run);
    if (settings.step())
        g.linksKept = QJsonDocument::fromJson(settings.columnText(0).toUtf8()).object().value(QStringLiteral("topEdgesPerCluster")).toInt();
    SqliteStatement reasons(db, "SELECT text FROM reason WHERE run = ? AND subject_kind = 'cluster' AND subject = ? "
                                "ORDER BY rank LIMIT 2");
    reasons.bind(1, run);
    reasons.bind(2, cluster);
    while (reasons.step())
        g.reasons << reasons.columnText(0);
}

} // namespace

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
    describePieces(db, run, cluster, g);
    const GraphLayoutResult layout = layoutGraph(input);
    g.error = layout.error;
    for (qsizetype i = 0; i < layout.positions.size() && i < g.nodes.size(); ++i)
        g.nodes[i].pos = layout.positions[i];
    return g;
}

} // namespace ds
