#include "detect/LinkGraph.h"

#include "detect/CaseSnapshot.h"
#include "detect/DetectSettings.h"
#include "detect/LinkCohorts.h"
#include "detect/LinkTasks.h"

#include "core/GrowingArray.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

namespace ds {

const char* linkKindName(int bit)
{
    static const char* const names[kLinkKindCount] = {"payment", "email_domain", "user_agent", "ip",
                                                      "network", "template",     "co_created", "handoff",
                                                      "task",    "window",       "pool"};
    return bit >= 0 && bit < kLinkKindCount ? names[bit] : "";
}

double linkValueWeight(double kindWeight, std::size_t accounts)
{
    // 1 for a value two accounts share, falling like 1/log(n): a value shared by
    // 20,000 accounts still links them, five times more weakly.
    return kindWeight * std::log(7.0) / std::log(static_cast<double>(accounts) + 5.0);
}

namespace {

// A link before merging, 12 bytes where a LinkEdge takes 16: the second end and the kind's bit share a word (ends <
// kMaxNodes), so ordering by (a, bKind) is ordering by (a, b, kinds) for links of one kind each, as every raw link
// is. The raw links are about three times as many as the merged ones (a pair sharing an IP, its network and a
// template is three), and they were the stage's peak: at a fifth of the campaign scale 9.0M of them for 3.2M links.
struct RawLink
{
    std::uint32_t a, bKind;
    float weight;
};
static_assert(sizeof(RawLink) == 12);
constexpr int kKindBits = 4;
static_assert(kLinkKindCount <= (1 << kKindBits));
constexpr std::uint32_t kMaxNodes = std::uint32_t{1} << (32 - kKindBits);

RawLink rawLink(std::uint32_t a, std::uint32_t b, float weight, std::uint16_t kind)
{
    return {a, (b << kKindBits) | static_cast<std::uint32_t>(std::countr_zero(kind)), weight};
}

class EdgeSink
{
public:
    EdgeSink(const DetectSettings& s, const std::vector<AccountProfile>& profiles, std::size_t activeAccounts,
             const PopulationCounts* population)
        : m_s(s)
        , m_p(profiles)
        , m_partial(population != nullptr)
        , m_popularCut(std::max<double>(s.popularValueMinAccounts,
                                        s.popularValueShare * static_cast<double>(population ? population->accounts
                                                                                             : static_cast<std::int64_t>(activeAccounts))))
    {
        for (const AccountProfile& p : profiles)
            if (p.requests)
                m_dataEnd = std::max(m_dataEnd, p.lastTs);
        if (m_partial)
            m_outside.assign(profiles.size(), 0.0);
    }

    // `members` the accounts of the case sharing the value; `population` (a partial case only, 0 otherwise) how many
    // accounts of the whole population share it: the weight, the popular cut and the linkage are then the whole
    // population's, and what members lose to accounts the case does not hold is kept as their outside strength.
    void addValue(std::uint64_t value, std::vector<std::uint32_t> members, std::uint16_t kind, double kindWeight,
                  std::size_t population = 0)
    {
        std::sort(members.begin(), members.end());
        members.erase(std::unique(members.begin(), members.end()), members.end());
        const std::size_t k = members.size();
        const std::size_t n = std::max(k, population);
        const bool counted = m_partial && (kind & kInfrastructureLinks);
        if (counted && population >= 2 && !popular(kind, n))
            for (std::uint32_t a : members)
                m_outside[a] += perMember(kindWeight, n);
        if (k < 2)
            return;
        if (popular(kind, n)) {
            ++m_popular;
            return;
        }
        ++m_used;
        if ((kind & kHandoffSources) && kind != LinkTemplate)
            addHandoffs(members, kind);
        auto w = static_cast<float>(linkValueWeight(kindWeight, n));
        const auto clique = static_cast<std::size_t>(m_s.cliqueMaxAccounts);
        if (n > k && n > clique) {
            // The whole population's circulant links a pair of its members with odds of about 2 x sparseNeighbours
            // in n - 1 (k - 1 in n - 1 of a member's links stay among the case's k): the same strength expected.
            const double keep = k <= clique ? 2.0 * m_s.sparseNeighbours / static_cast<double>(n - 1)
                                            : static_cast<double>(k - 1) / static_cast<double>(n - 1);
            w = static_cast<float>(static_cast<double>(w) * std::min(1.0, keep));
        }
        if (counted) {
            const double each = k <= clique ? static_cast<double>(k - 1) * w : 2.0 * m_s.sparseNeighbours * w;
            m_localTotal += each * static_cast<double>(k) / 2.0;
            if (population >= 2)
                for (std::uint32_t a : members)
                    m_outside[a] -= each;
        }
        if (k <= clique) {
            for (std::size_t i = 0; i < k; ++i)
                for (std::size_t j = i + 1; j < k; ++j)
                    m_edges.push_back(rawLink(members[i], members[j], w, kind));
            return;
        }
        // Circulant linkage with value-dependent offsets: every member gets a few
        // neighbours, the group stays connected, and the result is deterministic.
        std::uint64_t x = value ^ (static_cast<std::uint64_t>(kind) << 48);
        for (int j = 0; j < m_s.sparseNeighbours; ++j) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            const std::size_t offset = j == 0 ? 1 : 1 + static_cast<std::size_t>((x >> 33) % (k - 1));
            for (std::size_t i = 0; i < k; ++i) {
                std::uint32_t a = members[i], b = members[(i + offset) % k];
                if (a > b)
                    std::swap(a, b);
                m_edges.push_back(rawLink(a, b, w, kind));
            }
        }
    }

    // A partial case: the whole population's `values` values of `kind` shared by `accounts` accounts each, for
    // the total weight of its links.
    void countPopulation(std::uint16_t kind, double kindWeight, std::int64_t accounts, std::int64_t values)
    {
        if (accounts >= 2 && !popular(kind, static_cast<std::size_t>(accounts)))
            m_populationTotal += perMember(kindWeight, static_cast<std::size_t>(accounts)) * static_cast<double>(accounts)
                                 / 2.0 * static_cast<double>(values);
    }

    std::vector<double> takeOutside()
    {
        for (double& o : m_outside)
            o = std::max(0.0, o);
        return std::move(m_outside);
    }
    double outsideTotal() const { return std::max(0.0, m_populationTotal - m_localTotal); }

    // Among accounts sharing a value: which new account (handoffMaxAgeDays) started
    // within handoffMaxGapMinutes after another went quiet for good? Each account that stopped gets at most
    // handoffMaxSuccessors, the closest in time; the link weighs less the more
    // such starts chance alone would put in the window (many sharers, short span).
    void addHandoffs(const std::vector<std::uint32_t>& members, std::uint16_t kind)
    {
        const auto maxGap = static_cast<std::int64_t>(m_s.handoffMaxGapMinutes * 60'000.0);
        const auto overlap = static_cast<std::int64_t>(m_s.handoffOverlapMinutes * 60'000.0);
        if (maxGap <= 0 || m_s.handoffMaxSuccessors <= 0)
            return;
        std::vector<std::pair<std::int64_t, std::uint32_t>> starts; // (first request, account)
        std::int64_t from = std::numeric_limits<std::int64_t>::max(), to = std::numeric_limits<std::int64_t>::min();
        for (std::uint32_t a : members) {
            starts.emplace_back(m_p[a].firstTs, a);
            from = std::min(from, m_p[a].firstTs);
            to = std::max(to, m_p[a].lastTs);
        }
        std::sort(starts.begin(), starts.end());
        const double span = static_cast<double>(std::max<std::int64_t>(to - from, maxGap));
        const double expected = static_cast<double>(members.size() - 1) * static_cast<double>(maxGap + overlap) / span;
        const auto w = static_cast<float>(m_s.edgeWeightHandoff / (1.0 + expected));
        std::vector<std::pair<std::int64_t, std::uint32_t>> near;
        for (std::uint32_t a : members) {
            const AccountProfile& pa = m_p[a];
            if (pa.lastTs + maxGap > m_dataEnd)
                continue; // still working when the data ends: it did not stop
            near.clear();
            auto it = std::lower_bound(starts.begin(), starts.end(), std::make_pair(pa.lastTs - overlap, 0u));
            for (; it != starts.end() && it->first <= pa.lastTs + maxGap; ++it) {
                const AccountProfile& pb = m_p[it->second];
                // A replacement is a new account: an old customer starting on the shared value is no successor.
                const double age = pb.ind[static_cast<size_t>(Indicator::AgeDaysAtFirstUse)];
                if (!std::isnan(age) && age > m_s.handoffMaxAgeDays)
                    continue;
                if (it->second != a && pb.firstTs > pa.firstTs && pb.lastTs > pa.lastTs)
                    near.emplace_back(std::abs(pb.firstTs - pa.lastTs), it->second);
            }
            const size_t keep = std::min(near.size(), static_cast<size_t>(m_s.handoffMaxSuccessors));
            std::partial_sort(near.begin(), near.begin() + static_cast<std::ptrdiff_t>(keep), near.end());
            for (size_t k = 0; k < keep; ++k) {
                const std::uint32_t b = near[k].second;
                m_handoffs.push_back({a, b, m_p[b].firstTs - pa.lastTs, kind});
                m_edges.push_back(rawLink(std::min(a, b), std::max(a, b), w, LinkHandoff));
            }
        }
    }

    // Links of one kind each (task, window, pool).
    void addEdges(const std::vector<LinkEdge>& edges)
    {
        for (const LinkEdge& e : edges) {
            if (!std::has_single_bit(e.kinds))
                throw std::logic_error("LinkGraph: a link of several kinds before merging");
            m_edges.push_back(rawLink(e.a, e.b, e.weight, e.kinds));
        }
    }

    LinkGraph finish(std::uint32_t nodes)
    {
        std::sort(m_handoffs.begin(), m_handoffs.end(), [](const Handoff& x, const Handoff& y) {
            return x.from != y.from ? x.from < y.from : x.to != y.to ? x.to < y.to : x.via < y.via;
        });
        // The same order as sorting full links by (a, b, kinds), ties (one pair, one kind, several values) left as
        // std::sort leaves them: the weights of a pair are summed in the order they always were, to the same float.
        std::sort(m_edges.begin(), m_edges.end(),
                  [](const RawLink& x, const RawLink& y) { return x.a != y.a ? x.a < y.a : x.bKind < y.bKind; });
        LinkGraph g;
        g.nodes = nodes;
        g.valuesUsed = m_used;
        g.valuesPopular = m_popular;
        // Counted first, so the merged list is allocated once at its size beside the raw one, never regrown.
        std::size_t pairs = 0;
        for (std::size_t i = 0; i < m_edges.size(); ++i) {
            const RawLink& e = m_edges[i];
            const std::uint32_t b = e.bKind >> kKindBits;
            if (e.a != b && (i == 0 || m_edges[i - 1].a != e.a || (m_edges[i - 1].bKind >> kKindBits) != b))
                ++pairs;
        }
        g.edges.reserve(pairs);
        for (const RawLink& raw : m_edges) {
            const LinkEdge e{raw.a, raw.bKind >> kKindBits, raw.weight, static_cast<std::uint16_t>(1u << (raw.bKind & ((1u << kKindBits) - 1)))};
            if (!g.edges.empty() && g.edges.back().a == e.a && g.edges.back().b == e.b) {
                g.edges.back().weight += e.weight;
                g.edges.back().kinds |= e.kinds;
            } else if (e.a != e.b) {
                g.edges.push_back(e);
            }
        }
        m_edges.release();
        for (const Handoff& h : m_handoffs) {
            if (!g.handoffs.empty() && g.handoffs.back().from == h.from && g.handoffs.back().to == h.to)
                g.handoffs.back().via |= h.via;
            else
                g.handoffs.push_back(h);
        }
        return g;
    }

private:
    bool popular(std::uint16_t kind, std::size_t n) const { return kind != LinkTemplate && static_cast<double>(n) > m_popularCut; }

    // The link weight one member of a value shared by n accounts gets from it: a clique's n - 1 links, or a
    // circulant's 2 per neighbour offset.
    double perMember(double kindWeight, std::size_t n) const
    {
        const auto w = static_cast<double>(static_cast<float>(linkValueWeight(kindWeight, n)));
        return n <= static_cast<std::size_t>(m_s.cliqueMaxAccounts) ? static_cast<double>(n - 1) * w
                                                                     : 2.0 * m_s.sparseNeighbours * w;
    }

    const DetectSettings& m_s;
    const std::vector<AccountProfile>& m_p;
    bool m_partial = false;
    std::vector<double> m_outside;
    double m_populationTotal = 0, m_localTotal = 0;
    std::int64_t m_dataEnd = std::numeric_limits<std::int64_t>::min();
    std::vector<Handoff> m_handoffs;
    double m_popularCut;
    GrowingArray<RawLink> m_edges; // every link as added, before merging
    std::int64_t m_used = 0, m_popular = 0;
};

// Groups (value, account) pairs by value and feeds each group to the sink, in value order.
void addGrouped(EdgeSink& sink, std::vector<std::pair<std::uint64_t, std::uint32_t>>& pairs, std::uint16_t kind, double weight)
{
    std::sort(pairs.begin(), pairs.end());
    std::vector<std::uint32_t> members;
    for (size_t i = 0; i < pairs.size();) {
        size_t j = i;
        members.clear();
        while (j < pairs.size() && pairs[j].first == pairs[i].first)
            members.push_back(pairs[j++].second);
        sink.addValue(pairs[i].first, members, kind, weight);
        i = j;
    }
    pairs.clear();
}

// A partial case: groups (value, account) pairs by value; each group's accounts with requests are linked, weighed
// by `population(value, group size)` accounts (0: unknown, the case's count). `countTotal`: the groups are the whole
// population's (the accounts file, imported whole), so they also make its total.
template <typename Population>
void addGroupedPartial(EdgeSink& sink, std::vector<std::pair<std::uint64_t, std::uint32_t>>& pairs, std::uint16_t kind,
                       double weight, const std::vector<AccountProfile>& profiles, bool countTotal, Population population)
{
    std::sort(pairs.begin(), pairs.end());
    std::vector<std::uint32_t> members;
    for (size_t i = 0; i < pairs.size();) {
        size_t j = i;
        members.clear();
        for (; j < pairs.size() && pairs[j].first == pairs[i].first; ++j)
            if (profiles[pairs[j].second].requests)
                members.push_back(pairs[j].second);
        const std::size_t n = population(pairs[i].first, j - i);
        if (countTotal)
            sink.countPopulation(kind, weight, static_cast<std::int64_t>(n), 1);
        sink.addValue(pairs[i].first, members, kind, weight, n);
        i = j;
    }
    pairs.clear();
}

} // namespace

LinkGraph LinkGraph::build(const std::vector<AccountProfile>& profiles, const CaseSnapshot& snap,
                           const TemplateUsers& templates, const DetectSettings& s, const PopulationCounts* population)
{
    if (population && !population->present())
        population = nullptr;
    if (profiles.size() > kMaxNodes)
        throw std::length_error("the account graph holds at most 268,435,456 accounts");
    std::size_t active = 0;
    for (const AccountProfile& p : profiles)
        active += p.requests > 0;
    EdgeSink sink(s, profiles, active, population);
    std::vector<std::pair<std::uint64_t, std::uint32_t>> pairs;
    const auto slotCount = static_cast<std::uint32_t>(profiles.size());
    auto isActive = [&](std::uint32_t a) { return profiles[a].requests > 0; };
    // A partial case holds the whole accounts file: its values are grouped over every account in it (those the
    // pull left out have no requests here), and its groups are the population's.
    auto holder = [&](std::uint32_t a) { return population ? snap.accountPresent[a] : isActive(a); };
    auto addAccountValues = [&](std::uint16_t kind, double weight) {
        if (population)
            addGroupedPartial(sink, pairs, kind, weight, profiles, true, [](std::uint64_t, std::size_t n) { return n; });
        else
            addGrouped(sink, pairs, kind, weight);
    };
    auto addRequestValues = [&](std::uint16_t kind, double weight, const std::vector<std::uint32_t>* by) {
        if (population)
            addGroupedPartial(sink, pairs, kind, weight, profiles, false, [by](std::uint64_t id, std::size_t) -> std::size_t {
                return id < by->size() ? (*by)[id] : 0;
            });
        else
            addGrouped(sink, pairs, kind, weight);
    };

    for (std::uint32_t a = 1; a < slotCount; ++a)
        if (holder(a) && snap.accounts[a].payment)
            pairs.emplace_back(snap.accounts[a].payment, a);
    addAccountValues(LinkPayment, s.edgeWeightPayment);

    for (std::uint32_t a = 1; a < slotCount; ++a) {
        const std::uint32_t d = snap.accounts[a].emailDomain;
        if (holder(a) && d && d < snap.publicEmailDomain.size() && !snap.publicEmailDomain[d])
            pairs.emplace_back(d, a);
    }
    addAccountValues(LinkEmailDomain, s.edgeWeightEmailDomain);

    const auto coWindow = static_cast<std::int64_t>(std::max(1.0, s.coCreatedWindowMinutes) * 60'000.0);
    for (std::uint32_t a = 1; a < slotCount; ++a) {
        const AccountInfo& info = snap.accounts[a];
        if (holder(a) && info.createdAt != AccountInfo::kUnknown) {
            const std::int64_t bucket = info.createdAt >= 0 ? info.createdAt / coWindow : -1 - (-info.createdAt / coWindow);
            pairs.emplace_back((static_cast<std::uint64_t>(bucket) << 20) ^ info.emailDomain, a);
        }
    }
    addAccountValues(LinkCoCreated, s.edgeWeightCoCreated);

    for (std::uint32_t a = 1; a < slotCount; ++a)
        for (std::uint32_t ua : profiles[a].userAgents)
            pairs.emplace_back(ua, a);
    addRequestValues(LinkUserAgent, s.edgeWeightUserAgent, population ? &population->userAgent : nullptr);

    for (std::uint32_t a = 1; a < slotCount; ++a)
        for (std::uint32_t ip : profiles[a].ips)
            pairs.emplace_back(ip, a);
    addRequestValues(LinkIp, s.edgeWeightIp, population ? &population->ip : nullptr);

    for (std::uint32_t a = 1; a < slotCount; ++a)
        for (std::uint32_t net : profiles[a].networks)
            pairs.emplace_back(net, a);
    addRequestValues(LinkNetwork, s.edgeWeightNetwork, population ? &population->network : nullptr);
    if (population) {
        for (const PopulationCounts::Size& z : population->sizes) {
            const double w = z.kind == LinkIp ? s.edgeWeightIp : z.kind == LinkNetwork ? s.edgeWeightNetwork : s.edgeWeightUserAgent;
            sink.countPopulation(z.kind, w, z.accounts, z.values);
        }
    }
    std::vector<std::pair<std::uint64_t, std::uint32_t>>().swap(pairs);

    // Templates in key order so the edge list never depends on hash-map order.
    std::vector<std::uint64_t> keys;
    keys.reserve(templates.size());
    for (const auto& [key, users] : templates)
        keys.push_back(key);
    std::sort(keys.begin(), keys.end());
    for (std::uint64_t key : keys)
        sink.addValue(key, templates.at(key), LinkTemplate, s.edgeWeightTemplate);

    // Hand-offs on a shared template also reach accounts too small to judge (the
    // replacements that lived a few hours) through the template keys they used.
    std::vector<std::pair<std::uint64_t, std::uint32_t>> light;
    for (std::uint32_t a = 1; a < slotCount; ++a)
        for (const auto& [key, count] : profiles[a].lightKeys)
            if (templates.count(key))
                light.emplace_back(key, a);
    std::sort(light.begin(), light.end());
    std::vector<std::uint32_t> members;
    auto lit = light.begin();
    for (std::uint64_t key : keys) {
        members = templates.at(key);
        while (lit != light.end() && lit->first < key)
            ++lit;
        for (; lit != light.end() && lit->first == key; ++lit)
            members.push_back(lit->second);
        std::sort(members.begin(), members.end());
        members.erase(std::unique(members.begin(), members.end()), members.end());
        sink.addHandoffs(members, LinkTemplate);
    }
    std::vector<std::pair<std::uint64_t, std::uint32_t>>().swap(light);

    TaskLinks tasks = linkTasks(profiles, s);
    sink.addEdges(tasks.edges);
    std::vector<LinkEdge>().swap(tasks.edges);
    CohortLinks cohorts = linkCohorts(profiles, tasks, s, population);
    sink.addEdges(cohorts.edges);
    std::vector<LinkEdge>().swap(cohorts.edges);
    // The pool's account-task lists served the cohorts only: gone before the links are merged, the stage's peak.
    std::vector<std::pair<std::uint32_t, std::uint32_t>>().swap(tasks.sharedAskers);
    std::vector<std::uint32_t>().swap(tasks.sharedOffsets);
    std::vector<std::uint32_t>().swap(tasks.counted);
    LinkGraph g = sink.finish(slotCount);
    g.cohorts = std::move(cohorts.evidence);
    g.taskSharing = std::move(tasks.sharing);
    g.tasksRare = tasks.tasksRare;
    g.tasksPopular = tasks.tasksPopular;
    if (population) {
        g.outsideStrength = sink.takeOutside();
        g.outsideTotal = sink.outsideTotal();
    }
    return g;
}

} // namespace ds
