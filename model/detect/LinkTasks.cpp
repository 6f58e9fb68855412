#include "detect/LinkTasks.h"

#include "detect/DetectSettings.h"

#include <algorithm>
#include <cmath>

namespace ds {

void sketchTasks(std::span<const RequestRow> rows, const DetectSettings& settings, AccountProfile& profile)
{
    std::vector<TaskUse>& tasks = profile.tasks;
    tasks.clear();
    for (const RequestRow& r : rows)
        if (r.taskHash)
            tasks.push_back({ r.taskHash, r.ts, r.id, static_cast<std::uint16_t>(std::clamp(r.harvest, 0, 1000)), 1 });
    if (tasks.empty())
        return;
    // Stable: the rows are in time order, so the first of a task's asks stays first.
    std::stable_sort(tasks.begin(), tasks.end(), [](const TaskUse& x, const TaskUse& y) { return x.hash < y.hash; });
    std::size_t out = 0;
    for (std::size_t i = 1; i < tasks.size(); ++i) {
        TaskUse& kept = tasks[out];
        if (tasks[i].hash == kept.hash) {
            kept.harvest = std::max(kept.harvest, tasks[i].harvest);
            kept.count = static_cast<std::uint16_t>(std::min(0xffff, kept.count + 1));
        } else {
            tasks[++out] = tasks[i];
        }
    }
    tasks.resize(std::min<std::size_t>(out + 1, static_cast<std::size_t>(std::max(0, settings.taskSketchSize))));
    tasks.shrink_to_fit();
}

namespace {

// Two accounts both asking one rare task; `ia`, `ib` index their TaskUse lists.
struct Hit
{
    std::uint32_t a, b, ia, ib;
};

} // namespace

TaskLinks linkTasks(const std::vector<AccountProfile>& profiles, const DetectSettings& s)
{
    TaskLinks out;
    for (const AccountProfile& p : profiles)
        for (const TaskUse& u : p.tasks)
            out.harvestGated = out.harvestGated || u.harvest > 0;
    // Cases imported before harvest scores existed (all 0) count every task.
    auto counts = [&](const TaskUse& u) {
        return !out.harvestGated || u.harvest >= s.taskMinHarvest;
    };

    struct Ask
    {
        std::uint64_t hash;
        std::uint32_t account, index;
    };
    std::vector<Ask> asks;
    for (std::uint32_t a = 1; a < profiles.size(); ++a)
        for (std::uint32_t i = 0; i < profiles[a].tasks.size(); ++i)
            asks.push_back({ profiles[a].tasks[i].hash, a, i });
    std::sort(asks.begin(), asks.end(),
              [](const Ask& x, const Ask& y) { return x.hash != y.hash ? x.hash < y.hash : x.account < y.account; });

    // One pass over the tasks in hash order: popularity, the pairs of counted askers of each rare task, each
    // account's counted tasks that are not popular (its pool hashes), and running totals for the chance model.
    const auto maxAccounts = static_cast<std::size_t>(std::max(2, s.taskMaxAccounts));
    std::vector<std::vector<std::uint64_t>> pool(profiles.size()); // counted, not popular; sorted by hash
    std::vector<std::uint32_t> counted(profiles.size(), 0), rareShared(profiles.size(), 0);
    struct Prefix
    {
        std::uint64_t hash;
        double incidences, coPairs; // totals over tasks with hashes up to `hash`
    };
    std::vector<Prefix> prefix;
    double incidences = 0, coPairs = 0;
    std::vector<Hit> hits;
    std::vector<const Ask*> members;
    for (std::size_t i = 0; i < asks.size();) {
        std::size_t j = i;
        while (j < asks.size() && asks[j].hash == asks[i].hash)
            ++j;
        const std::size_t n = j - i;
        members.clear();
        for (std::size_t k = i; k < j; ++k)
            if (counts(profiles[asks[k].account].tasks[asks[k].index]))
                members.push_back(&asks[k]);
        for (const Ask* m : members)
            ++counted[m->account];
        if (n > maxAccounts) {
            ++out.tasksPopular;
            i = j;
            continue;
        }
        out.tasksRare += n >= 2;
        for (const Ask* m : members) {
            pool[m->account].push_back(m->hash);
            rareShared[m->account] += n >= 2;
        }
        const auto g = static_cast<double>(members.size());
        incidences += g;
        coPairs += g * std::max(0.0, g - 1);
        if (members.size() >= 2) {
            prefix.push_back({ asks[i].hash, incidences, coPairs });
            for (const Ask* m : members)
                out.sharedAskers.emplace_back(m->account, m->index);
            out.sharedOffsets.push_back(static_cast<std::uint32_t>(out.sharedAskers.size()));
        }
        for (std::size_t x = 0; x < members.size(); ++x)
            for (std::size_t y = x + 1; y < members.size(); ++y)
                hits.push_back({ members[x]->account, members[y]->account, members[x]->index, members[y]->index });
        i = j;
    }
    std::vector<Ask>().swap(asks);
    std::sort(hits.begin(), hits.end(), [](const Hit& x, const Hit& y) {
        return x.a != y.a ? x.a < y.a : x.b != y.b ? x.b < y.b : x.ia < y.ia;
    });

    // What chance gives a pair: E = d_a d_b P2 / M^2 over the hashes both sketches cover (up to the lower of the two
    // sketches' largest hash): d = the account's counted tasks there, P2 = ordered pairs of counted askers of one
    // task, M = counted asks. Sketches of busy accounts cover only small hashes, where asks are denser.
    const auto sketch = static_cast<std::size_t>(std::max(0, s.taskSketchSize));
    auto bound = [&](std::uint32_t a) {
        const std::vector<TaskUse>& t = profiles[a].tasks;
        return t.size() >= sketch && !t.empty() ? t.back().hash : ~std::uint64_t { 0 };
    };
    auto upTo = [](const std::vector<std::uint64_t>& hashes, std::uint64_t tau) {
        return static_cast<double>(std::upper_bound(hashes.begin(), hashes.end(), tau) - hashes.begin());
    };
    struct Covered
    {
        double da = 0, db = 0, expected = 0; // counted tasks of each in the range both sketches cover; chance
    };
    auto covered = [&](std::uint32_t a, std::uint32_t b) {
        Covered r;
        const std::uint64_t tau = std::min(bound(a), bound(b));
        r.da = upTo(pool[a], tau);
        r.db = upTo(pool[b], tau);
        const auto it = std::upper_bound(prefix.begin(), prefix.end(), tau,
                                         [](std::uint64_t h, const Prefix& p) { return h < p.hash; });
        if (it == prefix.begin())
            return r;
        // Totals up to the last rare task below tau (they include the tasks asked once before it).
        const double p2 = (it - 1)->coPairs, mTau = (it - 1)->incidences;
        r.expected = mTau > 0 ? r.da * r.db * p2 / (mTau * mTau) : 0.0;
        return r;
    };
    // Drawing from one pool: the share of an account's counted tasks that a few other accounts also asked.
    auto poolShare = [&](std::uint32_t a) {
        return counted[a] ? static_cast<double>(rareShared[a]) / static_cast<double>(counted[a]) : 0.0;
    };
    struct Shared
    {
        std::uint32_t account, partner, index;
        std::int64_t gapMs;
    };
    std::vector<Shared> shared;
    for (std::size_t i = 0; i < hits.size();) {
        std::size_t j = i;
        while (j < hits.size() && hits[j].a == hits[i].a && hits[j].b == hits[i].b)
            ++j;
        const auto c = static_cast<double>(j - i);
        const std::uint32_t a = hits[i].a, b = hits[i].b;
        if (poolShare(a) < s.taskMinPoolShare || poolShare(b) < s.taskMinPoolShare) {
            i = j;
            continue;
        }
        const Covered cov = covered(a, b);
        const double expected = cov.expected;
        // The shared tasks are a real part of both accounts' work: a benchmark sweep of thousands of tasks shares a
        // few with anyone who draws on that benchmark, a sliver of what it asked.
        if (c >= s.taskMinShared && c >= s.taskChanceRatio * expected
            && c >= s.taskMinOverlap * std::max(cov.da, cov.db)) {
            const double beyond = std::min(1.0, (c - expected) / std::max(1.0, s.taskFullShared));
            out.edges.push_back({ a, b, static_cast<float>(s.edgeWeightTask * beyond), LinkTask });
            for (std::size_t k = i; k < j; ++k) {
                const TaskUse& ua = profiles[a].tasks[hits[k].ia];
                const TaskUse& ub = profiles[b].tasks[hits[k].ib];
                shared.push_back({ a, b, hits[k].ia, std::abs(ua.firstTs - ub.firstTs) });
                shared.push_back({ b, a, hits[k].ib, std::abs(ua.firstTs - ub.firstTs) });
            }
        }
        i = j;
    }
    std::vector<Hit>().swap(hits);
    out.counted = std::move(counted);

    // Per account: its distinct shared tasks, its partners, the widest gap, a few request ids.
    std::sort(shared.begin(), shared.end(), [](const Shared& x, const Shared& y) {
        return x.account != y.account ? x.account < y.account
            : x.index != y.index      ? x.index < y.index
                                      : x.partner < y.partner;
    });
    std::vector<std::uint32_t> partners;
    for (std::size_t i = 0; i < shared.size();) {
        std::size_t j = i;
        TaskSharing t;
        t.account = shared[i].account;
        partners.clear();
        std::uint32_t lastIndex = ~0u;
        while (j < shared.size() && shared[j].account == t.account) {
            const Shared& x = shared[j++];
            partners.push_back(x.partner);
            t.spanMs = std::max(t.spanMs, x.gapMs);
            if (x.index != lastIndex) {
                lastIndex = x.index;
                ++t.tasks;
                if (t.requests.size() < 8)
                    t.requests.push_back(profiles[t.account].tasks[x.index].request);
            }
        }
        std::sort(partners.begin(), partners.end());
        t.partners = static_cast<std::uint32_t>(std::unique(partners.begin(), partners.end()) - partners.begin());
        out.sharing.push_back(std::move(t));
        i = j;
    }
    return out;
}

} // namespace ds
