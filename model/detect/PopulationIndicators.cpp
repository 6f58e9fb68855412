#include "detect/PopulationIndicators.h"

#include "detect/BehaviourScore.h"
#include "detect/CaseSnapshot.h"
#include "detect/DetectSettings.h"
#include "detect/TemplateFamilies.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace ds {

namespace {

constexpr double kHourMs = 3'600'000.0;

void releaseChasing(std::vector<AccountProfile>& profiles, const DetectSettings& s)
{
    std::map<std::uint32_t, std::int64_t> release;
    std::int64_t dataStart = std::numeric_limits<std::int64_t>::max();
    for (const AccountProfile& p : profiles) {
        if (!p.requests)
            continue;
        dataStart = std::min(dataStart, p.firstTs);
        for (const ModelUse& m : p.models) {
            auto [it, added] = release.try_emplace(m.model, m.firstTs);
            if (!added)
                it->second = std::min(it->second, m.firstTs);
        }
    }
    for (AccountProfile& p : profiles) {
        if (!p.requests)
            continue;
        double chase = 0;
        for (const ModelUse& m : p.models) {
            const std::int64_t rel = release[m.model];
            const bool isNew = static_cast<double>(rel - dataStart) >= s.newModelMinDelayHours * kHourMs;
            if (isNew && static_cast<double>(m.firstTs - rel) <= s.releaseGraceHours * kHourMs && m.requestsFromFirst > 0)
                chase = std::max(chase, static_cast<double>(m.count) / m.requestsFromFirst);
        }
        p.ind[static_cast<size_t>(Indicator::ReleaseChasing)] = chase;
    }
}

void emailDomainAccounts(std::vector<AccountProfile>& profiles, const CaseSnapshot& snap)
{
    std::vector<std::int64_t> perDomain(snap.publicEmailDomain.size(), 0);
    for (std::uint32_t a = 1; a < snap.accountSlots(); ++a)
        if (snap.accountPresent[a] && snap.accounts[a].emailDomain < perDomain.size())
            ++perDomain[snap.accounts[a].emailDomain];
    for (std::uint32_t a = 1; a < snap.accountSlots(); ++a) {
        const std::uint32_t d = snap.accounts[a].emailDomain;
        const bool usable = d && d < perDomain.size() && !snap.publicEmailDomain[d];
        if (profiles[a].requests)
            profiles[a].ind[static_cast<size_t>(Indicator::EmailDomainAccounts)] = usable ? static_cast<double>(perDomain[d]) : 0.0;
    }
}

struct WindowUse
{
    std::uint64_t key;
    std::int32_t window;
    std::uint32_t account;
};

void lockstep(std::vector<AccountProfile>& profiles, const DetectSettings& s)
{
    std::vector<WindowUse> uses;
    size_t total = 0;
    for (const AccountProfile& p : profiles)
        total += p.templateWindows.size();
    uses.reserve(total);
    for (std::uint32_t a = 0; a < profiles.size(); ++a)
        for (const auto& [t, w] : profiles[a].templateWindows)
            uses.push_back({profiles[a].templates[t].key, w, a});
    std::sort(uses.begin(), uses.end(), [](const WindowUse& x, const WindowUse& y) {
        return x.key != y.key ? x.key < y.key : x.window != y.window ? x.window < y.window : x.account < y.account;
    });
    std::vector<std::uint32_t> hits(profiles.size(), 0), seen(profiles.size(), 0);
    for (size_t i = 0; i < uses.size();) {
        size_t j = i;
        while (j < uses.size() && uses[j].key == uses[i].key && uses[j].window == uses[i].window)
            ++j;
        const bool together = static_cast<int>(j - i) >= 1 + s.syncMinOtherAccounts;
        for (size_t k = i; k < j; ++k) {
            ++seen[uses[k].account];
            hits[uses[k].account] += together;
        }
        i = j;
    }
    for (std::uint32_t a = 0; a < profiles.size(); ++a) {
        if (!profiles[a].requests)
            continue;
        profiles[a].ind[static_cast<size_t>(Indicator::LockstepShare)] =
            seen[a] ? static_cast<double>(hits[a]) / seen[a] : 0.0;
        // The windows are no longer needed; free them before the graph is built.
        std::vector<std::pair<std::uint32_t, std::int32_t>>().swap(profiles[a].templateWindows);
    }
}

// Harvest-class tasks other accounts also asked within harvestTaskWindowDays: read from each account's task
// sketch (detect/LinkTasks.h), so the counts are of sampled tasks and memory stays bounded. A task asked by more
// than harvestSharedGroupMax accounts is popular: it counts as shared, but its askers are not enumerated.
void sharedTasks(std::vector<AccountProfile>& profiles, const DetectSettings& s)
{
    struct Ask
    {
        std::uint64_t hash;
        std::int64_t ts, request;
        std::uint32_t account;
    };
    std::vector<Ask> asks;
    for (std::uint32_t a = 0; a < profiles.size(); ++a)
        for (const TaskUse& t : profiles[a].tasks)
            if (t.harvest >= s.harvestRequestMin)
                asks.push_back({t.hash, t.firstTs, t.request, a});
    std::sort(asks.begin(), asks.end(), [](const Ask& x, const Ask& y) {
        return x.hash != y.hash ? x.hash < y.hash : x.ts != y.ts ? x.ts < y.ts : x.account < y.account;
    });
    const auto window = static_cast<std::int64_t>(s.harvestTaskWindowDays * 86'400'000.0);
    std::vector<std::uint32_t> shared(profiles.size(), 0);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs; // (account, other account)
    for (size_t i = 0; i < asks.size();) {
        size_t j = i;
        while (j < asks.size() && asks[j].hash == asks[i].hash)
            ++j;
        const bool popular = j - i > static_cast<size_t>(std::max(2, s.harvestSharedGroupMax));
        for (size_t k = i; k < j && j - i >= 2; ++k) {
            bool any = false;
            for (size_t m = i; m < j; ++m) {
                if (asks[m].account == asks[k].account || std::llabs(asks[m].ts - asks[k].ts) > window)
                    continue;
                any = true;
                if (popular)
                    break;
                pairs.emplace_back(asks[k].account, asks[m].account);
            }
            if (any) {
                ++shared[asks[k].account];
                std::vector<std::int64_t>& ev = profiles[asks[k].account].sharedTaskSamples;
                if (ev.size() < 8)
                    ev.push_back(asks[k].request);
            }
        }
        i = j;
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    std::vector<std::uint32_t> others(profiles.size(), 0);
    for (const auto& [a, b] : pairs)
        ++others[a];
    for (std::uint32_t a = 0; a < profiles.size(); ++a) {
        if (!profiles[a].requests)
            continue;
        profiles[a].ind[static_cast<size_t>(Indicator::SharedTasks)] = shared[a];
        profiles[a].ind[static_cast<size_t>(Indicator::SharedTaskAccounts)] = others[a];
        std::sort(profiles[a].sharedTaskSamples.begin(), profiles[a].sharedTaskSamples.end());
    }
}

} // namespace

TemplateUsers completeIndicators(std::vector<AccountProfile>& profiles, const CaseSnapshot& snap, const DetectSettings& s)
{
    joinFamilies(profiles, s);
    releaseChasing(profiles, s);
    emailDomainAccounts(profiles, snap);
    sharedTasks(profiles, s);
    // Behaviour needs none of the population indicators below; prompt profiles are
    // only joined among accounts that already behave like harvesters (people's
    // everyday prompts share a generic profile).
    for (AccountProfile& p : profiles)
        if (p.requests)
            scoreBehaviour(p.ind, s);
    joinProfiles(profiles, s);
    lockstep(profiles, s);

    TemplateUsers users;
    for (std::uint32_t a = 0; a < profiles.size(); ++a)
        for (const HeavyTemplate& t : profiles[a].templates)
            users[t.key].push_back(a); // accounts ascend, so each list is sorted
    for (auto it = users.begin(); it != users.end();)
        it = it->second.size() < 2 ? users.erase(it) : std::next(it);
    for (std::uint32_t a = 0; a < profiles.size(); ++a) {
        AccountProfile& p = profiles[a];
        if (!p.requests)
            continue;
        std::size_t peers = 0;
        for (const HeavyTemplate& t : p.templates)
            if (auto it = users.find(t.key); it != users.end())
                peers = std::max(peers, it->second.size() - 1);
        p.ind[static_cast<size_t>(Indicator::TemplatePeers)] = static_cast<double>(peers);
        scoreBehaviour(p.ind, s);
    }
    return users;
}

std::vector<IndicatorBaseline> computeBaselines(const std::vector<AccountProfile>& profiles,
                                                std::vector<IndicatorValues>& percentiles)
{
    std::vector<IndicatorBaseline> out(kIndicatorCount);
    percentiles.assign(profiles.size(), IndicatorValues{});
    std::vector<double> values;
    for (int i = 0; i < kIndicatorCount; ++i) {
        values.clear();
        for (const AccountProfile& p : profiles)
            if (p.requests && !std::isnan(p.ind[static_cast<size_t>(i)]))
                values.push_back(p.ind[static_cast<size_t>(i)]);
        std::sort(values.begin(), values.end());
        IndicatorBaseline& b = out[static_cast<size_t>(i)];
        b.accounts = static_cast<std::int64_t>(values.size());
        if (!values.empty()) {
            double sum = 0;
            for (double v : values)
                sum += v;
            b.mean = sum / static_cast<double>(values.size());
            auto q = [&values](double f) { return values[static_cast<size_t>(f * static_cast<double>(values.size() - 1))]; };
            b.p50 = q(0.5);
            b.p90 = q(0.9);
            b.p99 = q(0.99);
        }
        for (size_t a = 0; a < profiles.size(); ++a) {
            const double v = profiles[a].ind[static_cast<size_t>(i)];
            double& pct = percentiles[a][static_cast<size_t>(i)];
            if (!profiles[a].requests || std::isnan(v) || values.empty())
                pct = std::nan("");
            else
                pct = static_cast<double>(std::lower_bound(values.begin(), values.end(), v) - values.begin())
                      / static_cast<double>(values.size());
        }
    }
    return out;
}

} // namespace ds
