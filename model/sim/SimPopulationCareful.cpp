#include "sim/SimInfra.h"
#include "sim/SimPopulation.h"

#include <algorithm>
#include <array>
#include <cmath>

// The population of issue 13: hard negatives that each look like harvesting on one axis, and the careful
// adversary that avoids shared templates and shared infrastructure.

namespace ds {

namespace {

constexpr std::int64_t kHour = 3600000;
constexpr std::int64_t kDay = 24 * kHour;

// Free-mail providers the adversary signs up with (all public webmail: they link nobody).
constexpr std::array<const char*, 9> kFreeMail = { "gmail.com", "gmail.com",  "outlook.com", "hotmail.com", "yahoo.com",
                                                   "proton.me", "icloud.com", "gmx.net",     "fastmail.com" };

template<typename T> void shuffle(SimRng& rng, std::vector<T>& v)
{
    for (std::size_t i = v.size(); i > 1; --i)
        std::swap(v[i - 1], v[rng.below(i)]);
}

} // namespace

void SimPopulation::addLookAlikes(const SimScenario& s, const SimContext& ctx)
{
    const SimBenignConfig& b = s.benign;
    // Own generators: scenarios without these populations produce the same bytes as before they existed.
    SimRng rng(simMixSeed(m_seed, simLabelSeed("look-alikes")));
    std::uint64_t n = 0;
    auto seedOf = [&] {
        return simMixSeed(m_seed, simLabelSeed("look-alike-actor") + n++);
    };
    auto person = [&](SimAccount& a, const SimSessionProfile& prof, SimSessionActor::Style style, std::string ua,
                      const std::vector<std::string>* ips, int tz, const SimClassroom* room) {
        SimSessionActor::Setup setup;
        setup.account = &a;
        setup.profile = &prof;
        setup.developer = style == SimSessionActor::Style::PowerUser;
        setup.utcOffsetHours = tz;
        setup.userAgent = std::move(ua);
        setup.sharedIps = ips;
        setup.style = style;
        setup.classroom = room;
        actors.push_back(std::make_unique<SimSessionActor>(std::move(setup), seedOf(), ctx));
    };
    auto browserOrApp = [&] {
        return rng.chance(0.7) ? rng.pick(ctx.corpus.browserAgents) : siminfra::appUserAgent(rng);
    };

    for (int c = 0; c < b.classroom.classes; ++c) {
        // One campus NAT, one time zone, one e-mail domain; the whole class signs up when the course starts.
        const std::uint32_t net = siminfra::publicSubnet24(rng);
        std::vector<std::string>& pool = m_pools.emplace_back();
        for (int k = 0; k < std::max(1, b.classroom.addressesPerClass); ++k)
            pool.push_back(siminfra::ipv4Text(net + 20 + static_cast<std::uint32_t>(k)));
        const std::string domain = "students.college" + std::to_string(c + 1) + ".edu";
        const int tz = siminfra::benignUtcOffsetHours(rng);
        const SimClassroom& room
            = m_classrooms.emplace_back(SimClassroom::make(rng, b.classroom.exercises, ctx.startMs, ctx.endMs));
        const std::int64_t courseStart = ctx.startMs - static_cast<std::int64_t>(rng.uniform(2, 10) * kDay);
        for (int i = 0; i < b.classroom.studentsPerClass; ++i) {
            SimAccount& a = newAccount(rng, "benign", {}, "student");
            if (rng.chance(0.8))
                a.emailDomain = domain;
            a.createdAt = courseStart + static_cast<std::int64_t>(rng.uniform(0, 72) * kHour);
            a.tier = "tier-1";
            const std::string ua = rng.chance(0.6) ? browserOrApp() : siminfra::popularSdkUserAgent(rng);
            person(a, b.classroom.sessions, SimSessionActor::Style::Student, ua, &pool, tz, &room);
        }
    }

    for (int i = 0; i < b.homework.accounts; ++i) {
        SimAccount& a = newAccount(rng, "benign", {}, "homework");
        a.createdAt = ctx.startMs - static_cast<std::int64_t>(rng.uniform(1, 900) * kDay);
        person(a, b.homework, SimSessionActor::Style::Homework, browserOrApp(), nullptr,
               siminfra::benignUtcOffsetHours(rng), nullptr);
    }

    for (int i = 0; i < b.powerUser.accounts; ++i) {
        SimAccount& a = newAccount(rng, "benign", {}, "power-user");
        a.createdAt = ctx.startMs - static_cast<std::int64_t>(rng.uniform(30, 900) * kDay);
        a.tier = rng.chance(0.5) ? "tier-3" : "tier-4";
        a.verified = true;
        if (rng.chance(0.5))
            a.keys.push_back("key_" + siminfra::base62(m_ids, 16));
        person(a, b.powerUser, SimSessionActor::Style::PowerUser, siminfra::sdkUserAgent(rng), nullptr,
               siminfra::benignUtcOffsetHours(rng), nullptr);
    }
}

void SimPopulation::addAdversary(const SimAdversaryConfig& c, std::size_t index, const SimContext& ctx)
{
    SimRng rng(simMixSeed(m_seed, simLabelSeed("adversary") + index));
    if (!m_adversaryTasks)
        m_adversaryTasks = std::make_unique<SimAdversaryTasks>(ctx.corpus);
    SimAdversaryRuntime& rt = m_adversaries.emplace_back();
    rt.config = &c;
    rt.tasks = m_adversaryTasks.get();
    if (c.models.isEmpty()) {
        rt.models = ctx.models;
        rt.modelWeights = ctx.modelWeights;
    } else {
        for (const QString& m : c.models)
            rt.models.push_back(m.toStdString());
        rt.modelWeights.assign(rt.models.size(), 1.0);
    }
    if (!ctx.releasedModel.empty() && ctx.releaseMs < ctx.endMs && c.chaseShare > 0)
        rt.chaseAt = ctx.releaseMs + static_cast<std::int64_t>(c.chaseDelayHours * kHour);

    const std::int64_t start = ctx.startMs + static_cast<std::int64_t>(c.startDay * kDay);
    const std::int64_t end = ctx.startMs + static_cast<std::int64_t>(c.endDay * kDay);
    // Cohorts come online at different times; an account starts within a day of its cohort.
    const double latestCohort = std::max(0.0, static_cast<double>(end - start) / kDay - c.activeDays.lo);
    std::vector<std::int64_t> cohortStart;
    for (int k = 0; k < std::max(1, c.cohorts); ++k)
        cohortStart.push_back(start + static_cast<std::int64_t>(rng.uniform(0, latestCohort) * kDay));

    struct Planned
    {
        SimAdversaryActor::Setup setup;
        int cohort = 0;
        bool agentic = false;
        int harvest = 0;
    };
    std::vector<Planned> plan;
    for (int i = 0; i < c.accounts; ++i) {
        Planned& p = plan.emplace_back();
        p.cohort = i % std::max(1, c.cohorts);
        p.agentic = rng.chance(c.agenticShare);
        const bool viaReseller = p.agentic && rng.chance(c.resellerShare);
        SimAccount& a = newAccount(rng, "attacker", c.name, viaReseller ? "adversary-reseller" : "adversary");
        SimAdversaryActor::Setup& s = p.setup;
        s.account = &a;
        s.rt = &rt;
        s.windowStart = std::min(end - kHour,
                                 cohortStart[static_cast<std::size_t>(p.cohort)]
                                     + static_cast<std::int64_t>(rng.uniform(0, 24) * kHour));
        s.windowEnd = std::min(
            end, s.windowStart + static_cast<std::int64_t>(rng.uniform(c.activeDays.lo, c.activeDays.hi) * kDay));
        s.utcOffsetHours = siminfra::benignUtcOffsetHours(rng);
        // Bought aged and verified, one card each, a free-mail address.
        a.createdAt
            = s.windowStart - static_cast<std::int64_t>(rng.uniform(c.accountAgeDays.lo, c.accountAgeDays.hi) * kDay);
        a.verified = true;
        a.emailDomain = kFreeMail[rng.below(kFreeMail.size())];
        if (viaReseller) {
            a.org = m_mid.resellerOrg;
            a.payment = m_resellerPayment;
            a.tier = "tier-2";
            s.ips = m_mid.resellerIps;
            s.viaReseller = true;
            s.userAgent = m_mid.resellerUserAgent;
        } else {
            const int ips
                = std::max(1, static_cast<int>(std::lround(rng.uniform(c.ipsPerAccount.lo, c.ipsPerAccount.hi))));
            for (int k = 0; k < ips; ++k)
                s.ips.push_back(siminfra::ipv4Text(siminfra::publicIpv4(rng)));
            s.userAgent
                = rng.chance(c.sdkShare) ? siminfra::popularSdkUserAgent(rng) : rng.pick(ctx.corpus.browserAgents);
        }
        s.style = SimAdversaryTasks::drawStyle(rng);
        const int total
            = std::max(1, static_cast<int>(std::lround(rng.uniform(c.requestsPerAccount.lo, c.requestsPerAccount.hi))));
        s.camouflage = static_cast<int>(std::lround(total * c.camouflageShare));
        p.harvest = std::max(0, total - s.camouflage);
    }

    // The operation's queue: within one cohort and one line of work (reasoning or agentic), each task goes to two
    // or three different accounts, so it is sampled several times; the accounts send their tasks in their own order.
    std::uint32_t cursor[6] = {};
    std::uint32_t offset[6];
    for (std::uint32_t& o : offset)
        o = static_cast<std::uint32_t>(rng.below(1u << 20));
    for (int cohort = 0; cohort < std::max(1, c.cohorts); ++cohort) {
        for (const bool agentic : { false, true }) {
            std::vector<std::size_t> queue;
            for (std::size_t i = 0; i < plan.size(); ++i)
                if (plan[i].cohort == cohort && plan[i].agentic == agentic)
                    queue.insert(queue.end(), static_cast<std::size_t>(plan[i].harvest), i);
            shuffle(rng, queue);
            std::size_t pos = 0;
            while (pos < queue.size()) {
                const auto want = static_cast<std::size_t>(
                    std::max(1L, std::lround(rng.uniform(c.samplesPerTask.lo, c.samplesPerTask.hi))));
                // Gather `want` queue of different accounts at the front of what is left.
                std::size_t got = 0;
                for (std::size_t j = pos; j < queue.size() && got < want; ++j) {
                    bool repeat = false;
                    for (std::size_t k = pos; k < pos + got; ++k)
                        repeat = repeat || queue[k] == queue[j];
                    if (!repeat)
                        std::swap(queue[pos + got++], queue[j]);
                }
                const double u = rng.uniform();
                const SimTaskFamily f = !agentic ? (u < 0.4        ? SimTaskFamily::Maths
                                                        : u < 0.55 ? SimTaskFamily::Grading
                                                                   : SimTaskFamily::Rewrite)
                                                 : (u < 0.4       ? SimTaskFamily::ToolUse
                                                        : u < 0.9 ? SimTaskFamily::CodeFeature
                                                                  : SimTaskFamily::CodeFunction);
                // Maths and grading tasks take turns through one list of problems, so a problem is one task.
                const auto fi = static_cast<std::size_t>(f == SimTaskFamily::Grading ? SimTaskFamily::Maths : f);
                const SimAdversaryTask task {
                    f, (offset[fi] + cursor[fi]++) % std::max<std::uint32_t>(1, m_adversaryTasks->poolSize(f))
                };
                for (std::size_t k = pos; k < pos + got; ++k)
                    plan[queue[k]].setup.tasks.push_back(task);
                pos += got;
            }
        }
    }
    std::uint64_t actorIndex = 0;
    for (Planned& p : plan) {
        shuffle(rng, p.setup.tasks);
        actors.push_back(std::make_unique<SimAdversaryActor>(
            std::move(p.setup), simMixSeed(m_seed, simLabelSeed(c.name.toUtf8().constData()) + actorIndex++), ctx));
    }
}

} // namespace ds
