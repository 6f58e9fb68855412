#include "detect/TemplateFamilies.h"

#include "core/BitVotes.h"
#include "core/DisjointSets.h"
#include "detect/DetectSettings.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

namespace ds {

namespace {

// Local candidates: 8 bands of 8 bits. A wrapper that decides ~90% of the bits
// repeats a given band value in about 40% of its requests; unrelated requests
// share one in 1/256 of pairs.
constexpr int kLocalBands = 8;
constexpr int kMaxCandidates = 16;
// Across accounts, centroids (averaged over many requests, so far less noisy)
// are bucketed by 4 bands of 16 bits; a bucket compares each entry with at most
// kBucketRepresentatives earlier ones, so a popular bucket stays linear.
constexpr int kJoinBands = 4;
constexpr int kBucketRepresentatives = 8;
// Profiles: 16 MinHash bands of two minima each.
constexpr int kProfileBands = 16;

std::uint64_t mix64(std::uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

// Union-find over entries that share a bucket (one bucket per band and band value,
// `keyOf(e, band, key)` false when entry e has no usable value in that band) and are
// `close`; a bucket compares each entry with at most kBucketRepresentatives earlier
// ones (entries not close to any of them become representatives while there is
// room), so a crowded bucket stays linear. Returns each entry's root (its
// component's smallest index).
template<typename KeyOf, typename Close>
std::vector<std::uint32_t> bucketJoin(std::uint32_t n, int bands, KeyOf keyOf, Close close)
{
    std::vector<std::uint32_t> parent(n);
    std::iota(parent.begin(), parent.end(), 0u);
    std::vector<std::pair<std::uint64_t, std::uint32_t>> buckets;
    std::vector<std::uint32_t> reps;
    for (int b = 0; b < bands; ++b) {
        buckets.clear();
        for (std::uint32_t e = 0; e < n; ++e)
            if (std::uint64_t key = 0; keyOf(e, b, key))
                buckets.emplace_back(key, e);
        std::sort(buckets.begin(), buckets.end());
        for (size_t i = 0; i < buckets.size();) {
            size_t j = i;
            while (j < buckets.size() && buckets[j].first == buckets[i].first)
                ++j;
            reps.clear();
            for (size_t k = i; k < j; ++k) {
                const std::uint32_t e = buckets[k].second;
                bool joined = false;
                for (std::uint32_t r : reps)
                    if (close(r, e)) {
                        uniteToSmaller(parent, r, e);
                        joined = true;
                    }
                if (!joined && reps.size() < kBucketRepresentatives)
                    reps.push_back(e);
            }
            i = j;
        }
    }
    for (std::uint32_t e = 0; e < n; ++e)
        findRoot(parent, e);
    for (std::uint32_t e = 0; e < n; ++e)
        parent[e] = findRoot(parent, e);
    return parent;
}

// A request that can belong to a template family: it has a SimHash and at least
// one end long enough to be a template key (a "thanks!" repeated is no template).
bool templateLike(const RequestRow& r) { return r.simhash && (r.headHash || r.tailHash); }

} // namespace

std::vector<LocalFamily> findLocalFamilies(std::span<const RequestRow> rows, const DetectSettings& st,
                                           std::vector<std::int8_t>& familyOf)
{
    familyOf.assign(rows.size(), -1);
    const auto n = static_cast<std::int64_t>(rows.size());
    if (n < std::max(1, st.minRequestsForRates) || st.familyRadius < 0)
        return {};

    // 1. Band values that recur in the account.
    std::array<std::array<std::uint32_t, 256>, kLocalBands> counts{};
    for (const RequestRow& r : rows)
        if (templateLike(r))
            for (int b = 0; b < kLocalBands; ++b)
                ++counts[static_cast<size_t>(b)][(r.simhash >> (8 * b)) & 0xffu];
    const auto minBand = static_cast<std::uint32_t>(
        std::max<double>(st.templateMinUses, std::ceil(st.familyBandMinShare * static_cast<double>(n))));
    struct Candidate
    {
        std::uint32_t count;
        int band, value;
    };
    std::vector<Candidate> cands;
    for (int b = 0; b < kLocalBands; ++b)
        for (int v = 0; v < 256; ++v)
            if (counts[static_cast<size_t>(b)][static_cast<size_t>(v)] >= minBand)
                cands.push_back({counts[static_cast<size_t>(b)][static_cast<size_t>(v)], b, v});
    if (cands.empty())
        return {};
    std::sort(cands.begin(), cands.end(), [](const Candidate& x, const Candidate& y) {
        return x.count != y.count ? x.count > y.count : x.band != y.band ? x.band < y.band : x.value < y.value;
    });
    if (cands.size() > kMaxCandidates)
        cands.resize(kMaxCandidates);

    // 2. Each candidate's centroid: the majority of the requests carrying its band value.
    std::array<std::array<std::int8_t, 256>, kLocalBands> slot;
    for (auto& band : slot)
        band.fill(-1);
    for (size_t c = 0; c < cands.size(); ++c)
        slot[static_cast<size_t>(cands[c].band)][static_cast<size_t>(cands[c].value)] = static_cast<std::int8_t>(c);
    std::vector<BitVotes> votes(cands.size());
    for (const RequestRow& r : rows)
        if (templateLike(r))
            for (int b = 0; b < kLocalBands; ++b)
                if (const std::int8_t c = slot[static_cast<size_t>(b)][(r.simhash >> (8 * b)) & 0xffu]; c >= 0)
                    votes[static_cast<size_t>(c)].add(r.simhash);

    // 3. Candidates of one wrapper (its bands) have close centroids: merge them.
    std::vector<std::uint32_t> parent(cands.size());
    std::iota(parent.begin(), parent.end(), 0u);
    std::vector<std::uint64_t> centroid(cands.size());
    for (size_t c = 0; c < cands.size(); ++c)
        centroid[c] = votes[c].majority();
    for (std::uint32_t i = 0; i < cands.size(); ++i)
        for (std::uint32_t j = i + 1; j < cands.size(); ++j)
            if (hamming64(centroid[i], centroid[j]) <= st.familyMergeDistance)
                uniteToSmaller(parent, i, j);
    std::vector<std::uint64_t> groups; // merged centroids, in order of their root
    std::vector<int> groupOf(cands.size(), -1);
    for (std::uint32_t c = 0; c < cands.size(); ++c) {
        const std::uint32_t root = findRoot(parent, c);
        if (groupOf[root] < 0) {
            groupOf[root] = static_cast<int>(groups.size());
            BitVotes merged;
            for (std::uint32_t k = 0; k < cands.size(); ++k)
                if (findRoot(parent, k) == root)
                    merged.merge(votes[k]);
            groups.push_back(merged.majority());
        }
        groupOf[c] = groupOf[root];
    }

    // 4. Members: requests within familyRadius of a centroid (the nearest; ties to the first).
    std::vector<int> member(rows.size(), -1);
    std::vector<BitVotes> final(groups.size());
    std::vector<std::uint32_t> size(groups.size(), 0);
    for (size_t i = 0; i < rows.size(); ++i) {
        const std::uint64_t h = rows[i].simhash;
        if (!templateLike(rows[i]))
            continue;
        int best = -1, bestD = st.familyRadius + 1;
        for (size_t g = 0; g < groups.size(); ++g)
            if (const int d = hamming64(h, groups[g]); d < bestD) {
                bestD = d;
                best = static_cast<int>(g);
            }
        if (best >= 0) {
            member[i] = best;
            ++size[static_cast<size_t>(best)];
            final[static_cast<size_t>(best)].add(h);
        }
    }

    // 5. Heavy families only, most used first.
    std::vector<int> order;
    for (size_t g = 0; g < groups.size(); ++g)
        if (size[g] >= static_cast<std::uint32_t>(st.templateMinUses)
            && static_cast<double>(size[g]) >= st.templateMinShare * static_cast<double>(n))
            order.push_back(static_cast<int>(g));
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return size[static_cast<size_t>(x)] > size[static_cast<size_t>(y)]; });
    if (order.size() > static_cast<size_t>(std::max(0, st.templateMaxPerAccount)))
        order.resize(static_cast<size_t>(std::max(0, st.templateMaxPerAccount)));
    std::vector<int> keptIndex(groups.size(), -1);
    std::vector<LocalFamily> out;
    for (int g : order) {
        keptIndex[static_cast<size_t>(g)] = static_cast<int>(out.size());
        LocalFamily f;
        f.centroid = final[static_cast<size_t>(g)].majority();
        out.push_back(f);
    }
    for (size_t i = 0; i < rows.size(); ++i) {
        if (member[i] < 0 || keptIndex[static_cast<size_t>(member[i])] < 0)
            continue;
        const int k = keptIndex[static_cast<size_t>(member[i])];
        familyOf[i] = static_cast<std::int8_t>(k);
        LocalFamily& f = out[static_cast<size_t>(k)];
        if (f.count++ == 0) {
            f.sampleRequest = rows[i].id;
            f.firstTs = rows[i].ts;
        }
        f.lastTs = rows[i].ts;
    }
    return out;
}

void joinFamilies(std::vector<AccountProfile>& profiles, const DetectSettings& st)
{
    struct Entry
    {
        std::uint32_t account, index; // profiles[account].templates[index]
        std::uint64_t centroid;
    };
    std::vector<Entry> entries;
    for (std::uint32_t a = 0; a < profiles.size(); ++a)
        for (std::uint32_t t = 0; t < profiles[a].templates.size(); ++t)
            if (profiles[a].templates[t].kind == TemplateKind::Family)
                entries.push_back({a, t, profiles[a].templates[t].value});
    if (entries.empty())
        return;
    constexpr int bandBits = 64 / kJoinBands;
    const std::vector<std::uint32_t> parent = bucketJoin(
        static_cast<std::uint32_t>(entries.size()), kJoinBands,
        [&](std::uint32_t e, int b, std::uint64_t& key) {
            key = static_cast<std::uint64_t>(b) << 32 | ((entries[e].centroid >> (bandBits * b)) & ((1ull << bandBits) - 1));
            return true;
        },
        [&](std::uint32_t x, std::uint32_t y) { return hamming64(entries[x].centroid, entries[y].centroid) <= st.familyMergeDistance; });
    // The family key: the kind-tagged centroid of the component's first entry
    // (lowest account, then template index), the same whatever the scan order. A
    // chain of close pairs can drift: a member far from that first entry keeps a
    // family of its own.
    for (std::uint32_t e = 0; e < entries.size(); ++e) {
        const Entry& root = hamming64(entries[parent[e]].centroid, entries[e].centroid) <= st.familyMergeDistance
                                ? entries[parent[e]]
                                : entries[e];
        profiles[entries[e].account].templates[entries[e].index].key = templateKey(TemplateKind::Family, root.centroid);
    }
    // Two families of one account may now be one: keep the first, fold the other into it.
    for (std::uint32_t a = 0; a < profiles.size(); ++a) {
        AccountProfile& p = profiles[a];
        std::vector<std::uint32_t> remap(p.templates.size());
        std::vector<HeavyTemplate> kept;
        bool folded = false;
        for (std::uint32_t t = 0; t < p.templates.size(); ++t) {
            const HeavyTemplate& h = p.templates[t];
            std::uint32_t into = static_cast<std::uint32_t>(kept.size());
            for (std::uint32_t k = 0; k < kept.size(); ++k)
                if (h.kind == TemplateKind::Family && kept[k].kind == TemplateKind::Family && kept[k].key == h.key)
                    into = k;
            remap[t] = into;
            if (into == kept.size()) {
                kept.push_back(h);
                continue;
            }
            folded = true;
            HeavyTemplate& target = kept[into];
            target.count += h.count;
            target.firstTs = std::min(target.firstTs, h.firstTs);
            target.lastTs = std::max(target.lastTs, h.lastTs);
        }
        if (!folded)
            continue;
        p.templates = std::move(kept);
        for (auto& [t, w] : p.templateWindows)
            t = remap[t];
        std::sort(p.templateWindows.begin(), p.templateWindows.end());
        p.templateWindows.erase(std::unique(p.templateWindows.begin(), p.templateWindows.end()), p.templateWindows.end());
    }
}

} // namespace ds

namespace ds {

void promptProfile(std::span<const RequestRow> rows, const DetectSettings& st, std::uint64_t& mask, std::uint64_t& value)
{
    mask = value = 0;
    if (st.profileMinBits <= 0)
        return;
    BitVotes votes;
    for (const RequestRow& r : rows)
        if (r.simhash)
            votes.add(r.simhash);
    if (votes.n < static_cast<std::uint32_t>(std::max(1, st.minRequestsForRates)))
        return;
    votes.flush();
    const double n = votes.n;
    // Two standard errors of a fair coin's share, so a few requests make no profile by chance.
    const double margin = std::max(st.profileMinBias, 1.0 / std::sqrt(n));
    for (unsigned b = 0; b < 64; ++b) {
        const double share = votes.ones[b] / n;
        if (std::abs(share - 0.5) >= margin) {
            mask |= 1ull << b;
            if (share > 0.5)
                value |= 1ull << b;
        }
    }
    if (__builtin_popcountll(mask) < st.profileMinBits)
        mask = value = 0;
}

void joinProfiles(std::vector<AccountProfile>& profiles, const DetectSettings& st)
{
    std::vector<std::uint32_t> accounts;
    for (std::uint32_t a = 0; a < profiles.size(); ++a) {
        const double behaviour = profiles[a].ind[static_cast<size_t>(Indicator::Behaviour)];
        if (profiles[a].profileMask && !std::isnan(behaviour) && behaviour >= st.profileMinBehaviour)
            accounts.push_back(a);
        else
            std::vector<std::int32_t>().swap(profiles[a].activeWindows);
    }
    auto close = [&](std::uint32_t x, std::uint32_t y) {
        const AccountProfile& p = profiles[accounts[x]];
        const AccountProfile& q = profiles[accounts[y]];
        const std::uint64_t common = p.profileMask & q.profileMask;
        const int bits = __builtin_popcountll(common);
        return bits >= st.profileMinBits
               && __builtin_popcountll((p.profileValue ^ q.profileValue) & common) <= st.profileMaxMismatch * bits;
    };
    // MinHash over the profile as a set of (bit, value) pairs: accounts of one pool
    // have the same clear bits with the same values, so their sets are alike; a band
    // of two minima makes the bucket key.
    std::vector<std::array<std::uint8_t, 2 * kProfileBands>> minima(accounts.size());
    for (std::uint32_t e = 0; e < accounts.size(); ++e) {
        const AccountProfile& p = profiles[accounts[e]];
        for (int j = 0; j < 2 * kProfileBands; ++j) {
            std::uint64_t best = ~0ull;
            std::uint8_t arg = 0;
            for (std::uint64_t m = p.profileMask; m; m &= m - 1) {
                const auto bit = static_cast<std::uint8_t>(__builtin_ctzll(m));
                const auto element = static_cast<std::uint8_t>(2 * bit + ((p.profileValue >> bit) & 1u));
                const std::uint64_t h = mix64(element + 0x100ull * static_cast<std::uint64_t>(j + 1));
                if (h < best) {
                    best = h;
                    arg = element;
                }
            }
            minima[e][static_cast<size_t>(j)] = arg;
        }
    }
    const std::vector<std::uint32_t> root = bucketJoin(
        static_cast<std::uint32_t>(accounts.size()), kProfileBands,
        [&](std::uint32_t e, int b, std::uint64_t& key) {
            key = static_cast<std::uint64_t>(b) << 16 | static_cast<std::uint64_t>(minima[e][2 * static_cast<size_t>(b)]) << 8
                  | minima[e][2 * static_cast<size_t>(b) + 1];
            return true;
        },
        close);
    // A chain of close pairs can drift: a member must also agree with the group's
    // first account, or it keeps no profile template (a pipeline with a strong
    // profile reached through one chance agreement stays out).
    std::vector<std::uint32_t> size(accounts.size(), 0);
    std::vector<bool> keep(accounts.size(), false);
    for (std::uint32_t e = 0; e < accounts.size(); ++e) {
        keep[e] = root[e] == e || close(root[e], e);
        size[root[e]] += keep[e];
    }
    for (std::uint32_t e = 0; e < accounts.size(); ++e) {
        AccountProfile& p = profiles[accounts[e]];
        if (keep[e] && size[root[e]] >= 2) {
            const AccountProfile& first = profiles[accounts[root[e]]];
            HeavyTemplate t;
            t.kind = TemplateKind::Profile;
            t.value = p.profileValue;
            t.key = templateKey(TemplateKind::Profile, first.profileValue ^ (first.profileMask * 0x9e3779b97f4a7c15ULL));
            t.count = static_cast<std::uint32_t>(p.requests);
            t.sampleRequest = p.sampleRequests.empty() ? 0 : p.sampleRequests.front();
            t.firstTs = p.firstTs;
            t.lastTs = p.lastTs;
            const auto index = static_cast<std::uint32_t>(p.templates.size());
            p.templates.push_back(t);
            for (std::int32_t w : p.activeWindows)
                p.templateWindows.emplace_back(index, w);
        }
        std::vector<std::int32_t>().swap(p.activeWindows);
    }
}

} // namespace ds
