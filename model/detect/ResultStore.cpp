#include "detect/ResultStore.h"

#include "core/Sqlite.h"
#include "detect/DetectSettings.h"
#include "detect/LinkGraph.h"
#include "detect/NetworkName.h"
#include "workspace/EvidenceData.h"
#include "workspace/ViewTables.h"

#include <QStringList>

#include <algorithm>
#include <cmath>
#include <map>

namespace ds {

namespace {

void bindReal(SqliteStatement& st, int i, double v) { std::isnan(v) ? st.bindNull(i) : st.bind(i, v); }

QString kindsText(std::uint16_t kinds)
{
    QStringList names;
    for (int b = 0; b < kLinkKindCount; ++b)
        if (kinds & (1u << b))
            names << QLatin1String(linkKindName(b));
    return names.join(QLatin1Char(','));
}

// Adds each network's main template to its label: the Templates tab's first row (EvidenceData::templatesOf, read
// from the views just written), when enough of the network's accounts use it. One template identity, so the label,
// the tab, the report and the STIX bundle cannot name a network's template differently.
void nameMainTemplates(SqliteDb& db, std::int64_t run, const DetectionOutcome& out,
                       const std::map<std::int64_t, networkname::CategoryCounts>& categories)
{
    SqliteStatement update(db, "UPDATE cluster SET label = ?1 WHERE run = ?2 AND id = ?3");
    for (const ClusterOutcome& c : out.clusters) {
        std::vector<std::int64_t> members(c.core.begin(), c.core.end());
        members.insert(members.end(), c.attached.begin(), c.attached.end());
        std::sort(members.begin(), members.end());
        const auto accounts = static_cast<std::int64_t>(members.size());
        const QList<EvidenceData::Template> templates = EvidenceData::templatesOf(db, run, c.id, members);
        if (templates.isEmpty() || !networkname::templateNamesNetwork(templates.first().members, accounts))
            continue;
        update.bindText(1, networkname::label(c.id, categories.at(c.id), accounts, templates.first().name));
        update.bind(2, run);
        update.bind(3, c.id);
        update.run();
        update.reset();
    }
}

} // namespace

void storeOutcome(SqliteDb& db, std::int64_t run, const DetectionOutcome& out, const std::vector<AccountProfile>& profiles,
                  const std::vector<IndicatorValues>& percentiles, const std::vector<IndicatorBaseline>& baselines,
                  const LinkGraph& graph, const DetectSettings& settings)
{
    SqliteTransaction tx(db);
    {
        SqliteStatement st(db, "INSERT INTO indicator_baseline VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
        for (int i = 0; i < kIndicatorCount; ++i) {
            const IndicatorInfo& info = indicatorInfo(i);
            const IndicatorBaseline& b = baselines[static_cast<size_t>(i)];
            st.bind(1, run);
            st.bind(2, i);
            st.bindText(3, info.key);
            st.bindText(4, info.label);
            st.bindText(5, info.description);
            st.bind(6, b.accounts);
            st.bind(7, b.mean);
            st.bind(8, b.p50);
            st.bind(9, b.p90);
            st.bind(10, b.p99);
            st.run();
        }
    }
    {
        SqliteStatement acc(db, "INSERT INTO account_result VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
        SqliteStatement ind(db, "INSERT INTO account_indicator VALUES(?1, ?2, ?3, ?4, ?5)");
        for (std::uint32_t a = 1; a < profiles.size(); ++a) {
            const AccountProfile& p = profiles[a];
            if (!p.requests)
                continue;
            const AccountOutcome& o = out.accounts[a];
            acc.bind(1, run);
            acc.bind(2, a);
            acc.bind(3, o.score);
            acc.bind(4, p.ind[static_cast<size_t>(Indicator::Behaviour)]);
            acc.bind(5, o.flagged ? 1 : 0);
            acc.bind(6, o.solo ? 1 : 0);
            o.cluster >= 0 ? acc.bind(7, out.clusters[static_cast<size_t>(o.cluster)].id) : acc.bindNull(7);
            acc.bind(8, o.community);
            acc.bind(9, p.requests);
            acc.bind(10, p.outputTokens);
            acc.bind(11, p.firstTs);
            acc.bind(12, p.lastTs);
            acc.run();
            for (int i = 0; i < kIndicatorCount; ++i) {
                ind.bind(1, run);
                ind.bind(2, a);
                ind.bind(3, i);
                bindReal(ind, 4, p.ind[static_cast<size_t>(i)]);
                bindReal(ind, 5, percentiles[a][static_cast<size_t>(i)]);
                ind.run();
            }
        }
    }
    std::map<std::int64_t, networkname::CategoryCounts> categories; // per network id, for its label
    {
        SqliteStatement cl(db, "INSERT INTO cluster VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
        SqliteStatement mem(db, "INSERT INTO cluster_member VALUES(?1, ?2, ?3)");
        for (const ClusterOutcome& c : out.clusters) {
            cl.bind(1, run);
            cl.bind(2, c.id);
            std::vector<std::int64_t> accounts(c.core.begin(), c.core.end());
            accounts.insert(accounts.end(), c.attached.begin(), c.attached.end());
            // Named by what it does here; its main template joins the label once the views have ranked them (below).
            categories[c.id] = networkname::categoriesOf(db, accounts);
            cl.bindText(3, networkname::label(c.id, categories[c.id], static_cast<std::int64_t>(accounts.size()), {}));
            cl.bind(4, c.score);
            cl.bind(5, static_cast<std::int64_t>(c.core.size() + c.attached.size()));
            cl.bind(6, c.requests);
            cl.bind(7, c.outputTokens);
            cl.bind(8, c.firstTs);
            cl.bind(9, c.lastTs);
            cl.bind(10, c.templateCohesion);
            cl.bind(11, c.lockstep);
            cl.bind(12, c.infraCohesion);
            cl.bind(13, c.meanBehaviour);
            cl.run();
            std::vector<std::uint32_t> members = c.core;
            members.insert(members.end(), c.attached.begin(), c.attached.end());
            std::sort(members.begin(), members.end());
            for (std::uint32_t a : members) {
                mem.bind(1, run);
                mem.bind(2, c.id);
                mem.bind(3, a);
                mem.run();
            }
        }
    }
    {
        SqliteStatement st(db, "INSERT INTO reason VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        for (const ReasonOutcome& r : out.reasons) {
            st.bind(1, run);
            st.bindText(2, r.forCluster ? "cluster" : "account");
            st.bind(3, r.forCluster ? out.clusters[r.subject].id : r.subject);
            st.bind(4, r.rank);
            st.bindText(5, r.key);
            st.bind(6, r.weight);
            st.bindText(7, r.text);
            st.bindText(8, r.evidenceJson);
            st.run();
        }
    }
    {
        // Strongest links whose two ends are in the same flagged network.
        std::vector<std::vector<const LinkEdge*>> perCluster(out.clusters.size());
        for (const LinkEdge& e : graph.edges) {
            const std::int32_t ca = out.accounts[e.a].cluster;
            if (ca >= 0 && ca == out.accounts[e.b].cluster)
                perCluster[static_cast<size_t>(ca)].push_back(&e);
        }
        SqliteStatement st(db, "INSERT INTO link VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
        for (size_t c = 0; c < perCluster.size(); ++c) {
            auto& edges = perCluster[c];
            const size_t keep = std::min(edges.size(), static_cast<size_t>(std::max(0, settings.topEdgesPerCluster)));
            std::partial_sort(edges.begin(), edges.begin() + static_cast<std::ptrdiff_t>(keep), edges.end(),
                              [](const LinkEdge* x, const LinkEdge* y) {
                                  return x->weight != y->weight ? x->weight > y->weight
                                                                : (x->a != y->a ? x->a < y->a : x->b < y->b);
                              });
            for (size_t i = 0; i < keep; ++i) {
                st.bind(1, run);
                st.bind(2, out.clusters[c].id);
                st.bind(3, edges[i]->a);
                st.bind(4, edges[i]->b);
                st.bind(5, static_cast<double>(edges[i]->weight));
                st.bindText(6, kindsText(edges[i]->kinds));
                st.run();
            }
        }
    }
    // The GUI's precomputed views of this run (workspace/ViewTables.h), in the same transaction.
    viewtables::write(db, run, out, profiles, percentiles);
    nameMainTemplates(db, run, out, categories);
    tx.commit();
}

} // namespace ds
