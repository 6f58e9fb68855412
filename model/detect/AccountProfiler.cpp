#include "detect/AccountProfile.h"

#include "core/Hashing.h"
#include "detect/DetectSettings.h"
#include "detect/TemplateFamilies.h"
#include "text/PromptFeatures.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace ds {

namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kDay = 86'400'000;

std::int64_t floorDiv(std::int64_t a, std::int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

double entropyBits(const double* counts, int n, double total)
{
    double h = 0;
    for (int i = 0; i < n; ++i)
        if (counts[i] > 0) {
            const double p = counts[i] / total;
            h -= p * std::log2(p);
        }
    return h;
}

template<typename T>
void sortUnique(std::vector<T>& v)
{
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

// Sorted, distinct and no larger than that: lists filled one entry a request (IPs, user agents) otherwise keep
// room for every request of the account through the whole run, 4 bytes a request each, plus growth slack (at
// tenth campaign scale 34 MB held for 2 MB of distinct values).
template<typename T>
void sortUniqueTight(std::vector<T>& v)
{
    sortUnique(v);
    v.shrink_to_fit();
}

// Counts one template key kind and returns its heavy values, most used first.
struct KeyCounter
{
    struct Slot
    {
        std::uint32_t count = 0;
        std::int64_t sample = 0, firstTs = 0, lastTs = 0;
    };
    std::unordered_map<std::uint64_t, Slot> m_counts;

    void add(std::uint64_t value, const RequestRow& r)
    {
        if (value == 0)
            return;
        Slot& s = m_counts[value];
        if (s.count++ == 0) {
            s.sample = r.id;
            s.firstTs = r.ts;
        }
        s.lastTs = r.ts;
    }
    std::uint32_t top() const
    {
        std::uint32_t best = 0;
        for (const auto& [k, s] : m_counts)
            best = std::max(best, s.count);
        return best;
    }
    void heavy(TemplateKind kind, std::int64_t n, const DetectSettings& st, std::vector<HeavyTemplate>& out) const
    {
        std::vector<HeavyTemplate> found;
        for (const auto& [value, s] : m_counts)
            if (s.count >= static_cast<std::uint32_t>(st.templateMinUses)
                && static_cast<double>(s.count) >= st.templateMinShare * static_cast<double>(n))
                found.push_back({templateKey(kind, value), value, kind, s.count, s.sample, s.firstTs, s.lastTs});
        // Most used first, then by key, so the order never depends on hash-map iteration.
        std::sort(found.begin(), found.end(), [](const HeavyTemplate& a, const HeavyTemplate& b) {
            return a.count != b.count ? a.count > b.count : a.key < b.key;
        });
        if (found.size() > static_cast<size_t>(st.templateMaxPerAccount))
            found.resize(static_cast<size_t>(st.templateMaxPerAccount));
        out.insert(out.end(), found.begin(), found.end());
    }
};

} // namespace

const char* templateKindName(TemplateKind k)
{
    switch (k) {
    case TemplateKind::Head: return "head";
    case TemplateKind::Tail: return "tail";
    case TemplateKind::SystemPrompt: return "system prompt";
    case TemplateKind::Family: return "near-duplicate";
    case TemplateKind::Profile: return "prompt profile";
    }
    return "head";
}

std::uint64_t templateKey(TemplateKind kind, std::uint64_t value)
{
    if (value == 0)
        return 0;
    // Mixing with the kind keeps a head hash and a system-prompt id that happen to be equal apart.
    std::uint64_t x = value ^ (0x9e3779b97f4a7c15ULL * (static_cast<std::uint64_t>(kind) + 1));
    x ^= x >> 31;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 29;
    return x ? x : 1;
}

AccountProfile profileAccount(std::span<const RequestRow> rows, const AccountInfo& info,
                              const std::vector<std::uint32_t>& ipNetwork, std::uint32_t maxTokensStopId,
                              const DetectSettings& st)
{
    AccountProfile p;
    const auto n = static_cast<std::int64_t>(rows.size());
    p.requests = n;
    for (double& v : p.ind)
        v = std::nan("");
    if (n == 0)
        return p;
    const double dn = static_cast<double>(n);
    p.firstTs = rows.front().ts;
    p.lastTs = rows.back().ts;
    p.firstRequest = rows.front().id;
    p.lastRequest = rows.back().id;

    std::array<double, 24> hours{};
    std::array<double, kTaskCategoryCount> categories{};
    double sumIn = 0, sumOut = 0, outKnown = 0, hits = 0, hitKnown = 0;
    double longAsk = 0, cot = 0, grading = 0, sensitive = 0, agenticCoding = 0;
    // Harvest-class requests (request harvest score >= harvestRequestMin): count, output, input.
    double harvestCount = 0, harvestOut = 0, harvestOutKnown = 0, harvestIn = 0, harvestCut = 0;
    std::vector<std::int64_t> harvestIds;
    std::array<double, kTaskCategoryCount> harvestCategories{};
    double gapSum = 0, gapSq = 0;
    // Gaps inside sessions or bursts: their spread tells paced scripts from people
    // even when long pauses between bursts make the overall CV look human.
    double logGapSum = 0, logGapSq = 0, shortGaps = 0;
    const double shortGapMs = st.pacingMaxGapSeconds * 1000.0;
    std::int64_t activeDays = 0, lastDay = std::numeric_limits<std::int64_t>::min();
    KeyCounter heads, tails, systems;
    std::uint32_t peak = 0;
    size_t windowStart = 0;

    for (size_t i = 0; i < rows.size(); ++i) {
        const RequestRow& r = rows[i];
        const std::int64_t day = floorDiv(r.ts, kDay);
        if (day != lastDay) {
            ++activeDays;
            lastDay = day;
        }
        hours[static_cast<size_t>(floorDiv(r.ts, kHour) - day * 24)] += 1;
        if (i > 0) {
            const double gap = static_cast<double>(r.ts - rows[i - 1].ts);
            gapSum += gap;
            gapSq += gap * gap;
            if (gap >= 1.0 && gap < shortGapMs) {
                const double lg = std::log(gap);
                logGapSum += lg;
                logGapSq += lg * lg;
                shortGaps += 1;
            }
        }
        while (r.ts - rows[windowStart].ts >= kMinute)
            ++windowStart;
        peak = std::max(peak, static_cast<std::uint32_t>(i - windowStart + 1));

        sumIn += std::max(0, r.promptTokens);
        if (r.completionTokens > 0 || r.stopReason) {
            sumOut += std::max(0, r.completionTokens);
            outKnown += 1;
        }
        const bool cut = (maxTokensStopId && r.stopReason == maxTokensStopId)
                         || (r.maxTokens > 0 && r.completionTokens >= r.maxTokens);
        if (r.stopReason || r.maxTokens > 0) {
            hitKnown += 1;
            hits += cut;
        }
        if (r.harvest >= st.harvestRequestMin) {
            harvestCount += 1;
            // Output length and ratio are read on requests without tools: a tool-use request's prompt
            // carries the schemas and its answer is a call, so its lengths say little about harvesting
            // (and an agent's long contexts would hide a harvester's tool-use demonstrations).
            if (r.toolCount <= 0)
                harvestIn += std::max(0, r.promptTokens);
            if (r.toolCount <= 0 && (r.completionTokens > 0 || r.stopReason)) {
                harvestOut += std::max(0, r.completionTokens);
                harvestOutKnown += 1;
                harvestCut += cut;
            }
            harvestIds.push_back(r.id);
            harvestCategories[r.category < kTaskCategoryCount ? r.category : 0] += 1;
        }
        longAsk += (r.flags & FlagLongOutputAsked) != 0;
        cot += (r.flags & FlagCotElicitation) != 0;
        grading += (r.flags & FlagGrading) != 0;
        sensitive += (r.flags & FlagSensitiveRewrite) != 0;
        const auto cat = static_cast<TaskCategory>(r.category < kTaskCategoryCount ? r.category : 0);
        categories[static_cast<size_t>(cat)] += 1;
        agenticCoding += cat == TaskCategory::Agentic || cat == TaskCategory::Coding;

        heads.add(r.headHash, r);
        tails.add(r.tailHash, r);
        systems.add(r.systemPrompt, r);
        if (r.ip)
            p.ips.push_back(r.ip);
        if (r.userAgent)
            p.userAgents.push_back(r.userAgent);

        bool seen = false;
        for (ModelUse& m : p.models)
            if (m.model == r.model) {
                ++m.count;
                seen = true;
            }
        if (!seen && r.model)
            p.models.push_back({r.model, r.ts, 1, static_cast<std::uint32_t>(n - static_cast<std::int64_t>(i)), r.id});
        p.outputTokens += std::max(0, r.completionTokens);
    }
    sortUniqueTight(p.ips);
    sortUniqueTight(p.userAgents);
    for (std::uint32_t ip : p.ips)
        if (ip < ipNetwork.size() && ipNetwork[ip])
            p.networks.push_back(ipNetwork[ip]);
    sortUniqueTight(p.networks);

    const bool judged = n >= st.minRequestsForRates;
    using I = Indicator;
    auto set = [&p](I i, double v) { p.ind[static_cast<size_t>(i)] = v; };
    set(I::Requests, dn);
    set(I::ActiveDays, static_cast<double>(activeDays));
    set(I::RequestsPerActiveDay, dn / static_cast<double>(activeDays));
    set(I::OutputTokens, static_cast<double>(p.outputTokens));
    set(I::OutputTokensPerActiveDay, static_cast<double>(p.outputTokens) / static_cast<double>(activeDays));
    if (n >= 3) {
        const double g = static_cast<double>(n - 1);
        const double mean = gapSum / g;
        const double var = std::max(0.0, gapSq / g - mean * mean);
        set(I::InterArrivalCv, mean > 0 ? std::sqrt(var) / mean : 0.0);
    }
    if (judged) {
        set(I::HourEntropy, entropyBits(hours.data(), 24, dn));
        double quiet = dn;
        for (int h = 0; h < 24; ++h) {
            double s = 0;
            for (int k = 0; k < 6; ++k)
                s += hours[static_cast<size_t>((h + k) % 24)];
            quiet = std::min(quiet, s);
        }
        set(I::QuietHoursShare, quiet / dn);
        set(I::CategoryEntropy, entropyBits(categories.data(), kTaskCategoryCount, dn));
        if (shortGaps >= std::max(5, st.minRequestsForRates / 2)) {
            const double mean = logGapSum / shortGaps;
            set(I::ShortGapLogSd, std::sqrt(std::max(0.0, logGapSq / shortGaps - mean * mean)));
        }
        set(I::TemplatesPerRequest, static_cast<double>(heads.m_counts.size()) / dn);
        set(I::SystemPromptShare, static_cast<double>(systems.top()) / dn);
    }
    p.peakLimitMinute = peak;
    set(I::PeakPerMinute, peak);
    set(I::PeakVsLimit, info.rateLimitPerMinute > 0 ? peak / info.rateLimitPerMinute : 0.0);
    if (sumIn > 0 && outKnown > 0)
        set(I::OutputInputRatio, sumOut / sumIn);
    if (hitKnown > 0)
        set(I::MaxTokensHitShare, hits / hitKnown);
    if (outKnown > 0)
        set(I::MeanOutputTokens, sumOut / outKnown);
    set(I::LongAskShare, longAsk / dn);
    set(I::CotRate, cot / dn);
    set(I::GradingRate, grading / dn);
    set(I::SensitiveRewriteRate, sensitive / dn);
    set(I::AgenticCodingShare, agenticCoding / dn);
    set(I::HarvestClassShare, harvestCount / dn);
    set(I::HarvestClassRequests, harvestCount);
    {
        double families = 0;
        for (double c : harvestCategories)
            families += c > 0 && c >= std::max(3.0, st.harvestFamilyMinShare * harvestCount);
        set(I::HarvestFamilies, families);
    }
    if (harvestOutKnown > 0) {
        set(I::HarvestClassOutput, harvestOut / harvestOutKnown);
        set(I::HarvestClassCutShare, harvestCut / harvestOutKnown);
        if (harvestIn > 0)
            set(I::HarvestClassRatio, harvestOut / harvestIn);
    }
    for (int k = 0; k < 8 && !harvestIds.empty(); ++k)
        p.harvestSamples.push_back(harvestIds[(harvestIds.size() - 1) * static_cast<size_t>(k) / 7]);
    sortUnique(p.harvestSamples);
    set(I::DistinctIps, static_cast<double>(p.ips.size()));
    set(I::DistinctNetworks, static_cast<double>(p.networks.size()));
    set(I::DistinctUserAgents, static_cast<double>(p.userAgents.size()));
    if (info.createdAt != AccountInfo::kUnknown)
        set(I::AgeDaysAtFirstUse, static_cast<double>(p.firstTs - info.createdAt) / static_cast<double>(kDay));

    std::vector<std::int8_t> familyOf;
    size_t firstFamily = 0;
    if (judged) {
        heads.heavy(TemplateKind::Head, n, st, p.templates);
        tails.heavy(TemplateKind::Tail, n, st, p.templates);
        systems.heavy(TemplateKind::SystemPrompt, n, st, p.templates);
        // Near-duplicate families catch the wrappers varied word by word, which the exact keys miss.
        firstFamily = p.templates.size();
        std::uint32_t familyTop = 0;
        for (const LocalFamily& f : findLocalFamilies(rows, st, familyOf)) {
            p.templates.push_back({templateKey(TemplateKind::Family, f.centroid), f.centroid, TemplateKind::Family, f.count,
                                   f.sampleRequest, f.firstTs, f.lastTs});
            familyTop = std::max(familyTop, f.count);
        }
        set(I::TopTemplateShare, static_cast<double>(std::max({heads.top(), tails.top(), familyTop})) / dn);
        set(I::TemplatedShare, 0.0);
    }
    // Whether request i was made from heavy template t.
    auto made = [&](size_t i, size_t t) {
        const HeavyTemplate& h = p.templates[t];
        const RequestRow& r = rows[i];
        switch (h.kind) {
        case TemplateKind::Head: return r.headHash == h.value;
        case TemplateKind::Tail: return r.tailHash == h.value;
        case TemplateKind::SystemPrompt: return r.systemPrompt == h.value;
        case TemplateKind::Family: return familyOf[i] == static_cast<std::int8_t>(t - firstFamily);
        case TemplateKind::Profile: return false; // joined across accounts later
        }
        return false;
    };
    if (!p.templates.empty()) {
        // Requests made from any heavy template: an account rotating five templates
        // is as templated as one using a single template.
        std::int64_t templated = 0;
        for (size_t i = 0; i < rows.size(); ++i) {
            for (size_t t = 0; t < p.templates.size(); ++t) {
                if (made(i, t)) {
                    ++templated;
                    break;
                }
            }
        }
        set(I::TemplatedShare, static_cast<double>(templated) / dn);
        // Windows in which each heavy template was used, for lockstep detection.
        const auto windowMs = std::max<std::int64_t>(kMinute, static_cast<std::int64_t>(st.syncWindowMinutes * kMinute));
        for (std::uint32_t t = 0; t < p.templates.size(); ++t) {
            std::int32_t last = std::numeric_limits<std::int32_t>::min();
            for (size_t i = 0; i < rows.size(); ++i) {
                if (!made(i, t))
                    continue;
                const auto w = static_cast<std::int32_t>(floorDiv(rows[i].ts, windowMs));
                if (w != last)
                    p.templateWindows.emplace_back(t, w);
                last = w;
            }
        }
    }
    if (judged) {
        promptProfile(rows, st, p.profileMask, p.profileValue);
        if (p.profileMask) {
            const auto windowMs = std::max<std::int64_t>(kMinute, static_cast<std::int64_t>(st.syncWindowMinutes * kMinute));
            for (const RequestRow& r : rows) {
                const auto w = static_cast<std::int32_t>(floorDiv(r.ts, windowMs));
                if (p.activeWindows.empty() || p.activeWindows.back() != w)
                    p.activeWindows.push_back(w);
            }
        }
    }
    if (!judged) {
        auto keep = [&p](const KeyCounter& c, TemplateKind kind) {
            for (const auto& [value, slot] : c.m_counts)
                p.lightKeys.emplace_back(templateKey(kind, value), slot.count);
        };
        keep(heads, TemplateKind::Head);
        keep(tails, TemplateKind::Tail);
        keep(systems, TemplateKind::SystemPrompt);
        std::sort(p.lightKeys.begin(), p.lightKeys.end());
    }
    for (int k = 0; k < 5; ++k)
        p.sampleRequests.push_back(rows[static_cast<size_t>((n - 1) * k / 4)].id);
    sortUnique(p.sampleRequests);
    return p;
}

} // namespace ds
