#include "sim/SimPopulation.h"

#include "sim/SimInfra.h"

#include <algorithm>
#include <cmath>

namespace ds {

namespace {

constexpr std::int64_t kMinute = 60000;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;

std::string tierFor(int rpm)
{
    return rpm <= 50 ? "tier-1" : rpm <= 1000 ? "tier-2" : rpm <= 2000 ? "tier-3" : "tier-4";
}

std::vector<std::string> subnetHosts(SimRng& rng, int subnets, int hostsPerSubnet)
{
    std::vector<std::string> out;
    for (int s = 0; s < subnets; ++s) {
        const std::uint32_t net = siminfra::publicSubnet24(rng);
        const auto first = static_cast<std::uint32_t>(rng.range(2, 200));
        for (int h = 0; h < hostsPerSubnet; ++h)
            out.push_back(siminfra::ipv4Text(net + first + static_cast<std::uint32_t>(h)));
    }
    return out;
}

} // namespace

SimPopulation::SimPopulation(const SimScenario& s, std::uint64_t seed, const SimContext& ctx)
    : m_seed(seed), m_ids(simMixSeed(seed, simLabelSeed("ids")))
{
    SimRng rng(simMixSeed(seed, simLabelSeed("intermediaries")));
    m_mid.resellerOrg = "org_" + siminfra::base62(rng, 10);
    m_mid.resellerIps = subnetHosts(rng, std::max(1, s.benign.reseller.poolSubnets), 4);
    m_mid.resellerUserAgent = s.benign.reseller.userAgent.toStdString();
    m_resellerPayment = "pf_" + siminfra::hex(rng, 16);
    m_mid.cloudOrg = "org_" + siminfra::base62(rng, 10);
    m_mid.cloudIps = subnetHosts(rng, 6, 16);
    m_mid.cloudUserAgent = "partner-cloud-runtime/2.11.0 (managed-model-endpoint)";
    addBenign(s, ctx);
    addLookAlikes(s, ctx);
    for (std::size_t i = 0; i < s.campaigns.size(); ++i)
        addCampaign(s.campaigns[i], i, ctx);
    for (std::size_t i = 0; i < s.adversaries.size(); ++i)
        addAdversary(s.adversaries[i], i, ctx);
}

SimAccount& SimPopulation::newAccount(SimRng& rng, const char* label, const QString& campaign, const char* role)
{
    SimAccount& a = accounts.emplace_back();
    a.id = "acct_" + siminfra::base62(m_ids, 12);
    a.keys.push_back("key_" + siminfra::base62(m_ids, 16));
    a.label = label;
    a.campaign = campaign.toStdString();
    a.role = role;
    a.payment = "pf_" + siminfra::hex(rng, 16);
    a.country = siminfra::benignCountry(rng);
    a.emailDomain = siminfra::benignEmailDomain(rng);
    a.tier = rng.chance(0.7) ? "tier-1" : rng.chance(0.7) ? "tier-2" : "tier-3";
    a.verified = rng.chance(0.85);
    return a;
}

void SimPopulation::addBenign(const SimScenario& s, const SimContext& ctx)
{
    const SimBenignConfig& b = s.benign;
    SimRng rng(simMixSeed(m_seed, simLabelSeed("benign")));
    std::uint64_t n = 0;
    auto seedOf = [&] { return simMixSeed(m_seed, simLabelSeed("benign-actor") + n++); };
    auto longAgo = [&] { return ctx.startMs - static_cast<std::int64_t>(rng.uniform(1, 900) * kDay); };
    auto person = [&](SimAccount& a, const SimSessionProfile& prof, bool developer, std::string ua,
                      const std::vector<std::string>* ips, int tz, const char* endpoint) {
        a.createdAt = longAgo();
        if (developer && rng.chance(0.4))
            a.keys.push_back("key_" + siminfra::base62(m_ids, 16));
        SimSessionActor::Setup setup;
        setup.account = &a;
        setup.profile = &prof;
        setup.developer = developer;
        setup.utcOffsetHours = tz;
        setup.userAgent = std::move(ua);
        setup.sharedIps = ips;
        setup.endpoint = endpoint;
        actors.push_back(std::make_unique<SimSessionActor>(std::move(setup), seedOf(), ctx));
    };
    auto humanAgent = [&](double sdkShare) {
        if (rng.chance(sdkShare))
            return siminfra::sdkUserAgent(rng);
        return rng.chance(0.6) ? rng.pick(ctx.corpus.browserAgents) : siminfra::appUserAgent(rng);
    };

    for (int i = 0; i < b.casual.accounts; ++i) {
        SimAccount& a = newAccount(rng, "benign", {}, "casual");
        person(a, b.casual, false, humanAgent(b.casual.sdkShare), nullptr, siminfra::benignUtcOffsetHours(rng),
               "/v1/messages");
    }

    std::vector<std::string> teamOrgs;
    for (int i = 0; i < std::max(1, b.developer.accounts / 4); ++i)
        teamOrgs.push_back("org_" + siminfra::base62(m_ids, 10));
    for (int i = 0; i < b.developer.accounts; ++i) {
        SimAccount& a = newAccount(rng, "benign", {}, "developer");
        if (rng.chance(0.35))
            a.org = rng.pick(teamOrgs);
        if (rng.chance(0.08)) {
            // Developers who reach the model through the cloud platform share its addresses and agent.
            a.org = m_mid.cloudOrg;
            person(a, b.developer, true, m_mid.cloudUserAgent, &m_mid.cloudIps, siminfra::benignUtcOffsetHours(rng),
                   SimIntermediaries::kCloudEndpoint);
        } else {
            person(a, b.developer, true, humanAgent(b.developer.sdkShare), nullptr, siminfra::benignUtcOffsetHours(rng),
                   "/v1/messages");
        }
    }

    for (int g = 0; g < b.nat.groups; ++g) {
        // A university, company or carrier: few egress addresses, one local time zone, often one e-mail domain.
        const std::uint32_t net = siminfra::publicSubnet24(rng);
        std::vector<std::string>& pool = m_pools.emplace_back();
        for (int k = 0; k < std::max(1, b.nat.addressesPerGroup); ++k)
            pool.push_back(siminfra::ipv4Text(net + 10 + static_cast<std::uint32_t>(k)));
        const std::string domain = rng.chance(0.5) ? siminfra::companyDomain(rng) : "campus" + std::to_string(g + 1) + ".edu";
        const int tz = siminfra::benignUtcOffsetHours(rng);
        for (int i = 0; i < b.nat.accountsPerGroup; ++i) {
            SimAccount& a = newAccount(rng, "benign", {}, "nat-user");
            if (rng.chance(0.7))
                a.emailDomain = domain;
            const bool dev = rng.chance(b.nat.developerShare);
            const std::string ua = rng.chance(0.8) ? siminfra::popularSdkUserAgent(rng) : humanAgent(0.5);
            person(a, dev ? b.developer : b.casual, dev, ua, &pool, tz, "/v1/messages");
        }
    }

    for (int r = 0; r < b.reseller.resellers; ++r) {
        // The first reseller is the one the agentic campaign also buys from (SimIntermediaries).
        const std::vector<std::string>* ips = &m_mid.resellerIps;
        std::string org = m_mid.resellerOrg, payment = m_resellerPayment, ua = m_mid.resellerUserAgent;
        if (r > 0) {
            m_pools.push_back(subnetHosts(rng, std::max(1, b.reseller.poolSubnets), 4));
            ips = &m_pools.back();
            org = "org_" + siminfra::base62(m_ids, 10);
            payment = "pf_" + siminfra::hex(rng, 16);
            ua = "apirelay/" + std::to_string(1 + r) + ".4.0";
        }
        for (int i = 0; i < b.reseller.customersPerReseller; ++i) {
            SimAccount& a = newAccount(rng, "benign", {}, "reseller-customer");
            a.org = org;
            a.payment = payment; // the reseller pays for its customers' sub-accounts
            a.tier = "tier-2";
            const bool dev = rng.chance(b.reseller.developerShare);
            person(a, dev ? b.developer : b.casual, dev, ua, ips, siminfra::benignUtcOffsetHours(rng), "/v1/messages");
        }
    }

    for (int i = 0; i < b.batch.accounts; ++i) {
        SimAccount& a = newAccount(rng, "benign", {}, "enterprise-batch");
        a.org = "org_" + siminfra::base62(m_ids, 10);
        a.emailDomain = siminfra::companyDomain(rng);
        a.tier = "tier-4";
        a.verified = true;
        a.createdAt = longAgo();
        actors.push_back(std::make_unique<SimBatchActor>(&a, b.batch, i, seedOf(), ctx));
    }

    for (int i = 0; i < b.evaluator.accounts; ++i) {
        SimAccount& a = newAccount(rng, "benign", {}, "evaluator");
        a.org = "org_" + siminfra::base62(m_ids, 10);
        a.emailDomain = rng.chance(0.5) ? siminfra::companyDomain(rng) : "eval-lab" + std::to_string(i + 1) + ".org";
        a.tier = "tier-3";
        a.verified = true;
        a.createdAt = longAgo();
        actors.push_back(std::make_unique<SimEvaluatorActor>(&a, b.evaluator, seedOf(), ctx));
    }
}

void SimPopulation::addCampaign(const SimCampaignConfig& c, std::size_t index, const SimContext& ctx)
{
    SimRng rng(simMixSeed(m_seed, simLabelSeed("campaign") + index));
    SimCampaignRuntime& rt = m_runtimes.emplace_back();
    rt.config = &c;
    rt.text = SimCampaignText::from(c);
    for (int i = 0; i < c.residentialPool; ++i)
        rt.residential.push_back(siminfra::ipv4Text(siminfra::publicIpv4(rng)));
    rt.datacenter = subnetHosts(rng, c.datacenterSubnets, 24);
    for (const QString& ua : c.userAgents)
        rt.userAgents.push_back(ua.toStdString());
    for (const QString& m : c.models)
        rt.models.push_back(m.toStdString());
    rt.startMs = ctx.startMs + static_cast<std::int64_t>(c.startDay * kDay);
    rt.endMs = ctx.startMs + static_cast<std::int64_t>(c.endDay * kDay);
    rt.chase = c.chaseShare > 0 && !ctx.releasedModel.empty();

    std::vector<std::string> domains;
    for (int i = 0; i < std::max(1, c.throwawayDomains); ++i)
        domains.push_back(siminfra::throwawayDomain(rng));
    std::vector<std::string> payments;
    for (int i = 0; i < std::max(1, c.paymentGroups); ++i)
        payments.push_back("pf_" + siminfra::hex(rng, 16));
    std::vector<std::int64_t> waves;
    const std::int64_t span = rt.endMs - rt.startMs;
    for (int k = 0; k < std::max(1, c.signupWaves); ++k)
        waves.push_back(rt.startMs - 2 * kDay + span * k / std::max(1, c.signupWaves));

    const int workers = std::clamp(c.workers, 1, c.accounts);
    std::uint64_t actorIndex = 0;
    for (int w = 0; w < workers; ++w) {
        const int n = c.accounts / workers + (w < c.accounts % workers ? 1 : 0);
        std::vector<std::int64_t> cuts;
        for (int k = 0; k + 1 < n; ++k)
            cuts.push_back(rt.startMs + static_cast<std::int64_t>(rng.uniform() * static_cast<double>(span)));
        std::sort(cuts.begin(), cuts.end());
        std::vector<SimHydraWorker::Member> members;
        for (int k = 0; k < n; ++k) {
            const std::int64_t to = k + 1 < n ? cuts[static_cast<std::size_t>(k)] : rt.endMs;
            std::int64_t from = k == 0 ? rt.startMs + static_cast<std::int64_t>(rng.uniform(0, 6) * kHour)
                                       : cuts[static_cast<std::size_t>(k - 1)] +
                                             static_cast<std::int64_t>(rng.uniform(c.handoffGapMinutes.lo, c.handoffGapMinutes.hi) * kMinute);
            from = std::min(from, to - kMinute);
            const double p = rng.uniform();
            const SimAccessPath path = p < c.resellerShare                  ? SimAccessPath::Reseller
                                       : p < c.resellerShare + c.cloudShare ? SimAccessPath::Cloud
                                                                            : SimAccessPath::Direct;
            const char* role = path == SimAccessPath::Reseller ? "hydra-reseller"
                               : path == SimAccessPath::Cloud  ? "hydra-cloud"
                                                               : "hydra-worker";
            SimAccount& a = newAccount(rng, "attacker", c.name, role);
            a.country = siminfra::anyCountry(rng);
            a.tier = tierFor(c.rateLimitRpm);
            a.verified = rng.chance(0.1);
            a.emailDomain = rng.chance(c.throwawayEmailShare) ? rng.pick(domains) : (rng.chance(0.7) ? "gmail.com" : "outlook.com");
            if (rng.chance(c.paymentSharedShare))
                a.payment = rng.pick(payments);
            // Opened in a sign-up wave some hours before the account is needed.
            const std::int64_t latest = from - static_cast<std::int64_t>(rng.uniform(c.signupLeadHours.lo, c.signupLeadHours.hi) * kHour);
            std::int64_t created = latest;
            for (std::int64_t wave : waves)
                if (wave <= latest)
                    created = wave + static_cast<std::int64_t>(rng.uniform(0, 90) * kMinute);
            a.createdAt = std::min(created, latest);
            if (path == SimAccessPath::Reseller) {
                a.org = m_mid.resellerOrg;
                a.payment = m_resellerPayment;
                a.tier = "tier-2";
            } else if (path == SimAccessPath::Cloud) {
                a.org = m_mid.cloudOrg;
            }
            const auto& pool = rng.chance(c.residentialShare) ? rt.residential : rt.datacenter;
            members.push_back({&a, from, to, path, pool[rng.below(pool.size())], rng.pick(rt.userAgents)});
        }
        const std::int64_t quota = c.requests / workers + (w < c.requests % workers ? 1 : 0);
        const std::uint64_t cursor = static_cast<std::uint64_t>(w) * 7919u + rng.below(1000);
        actors.push_back(std::make_unique<SimHydraWorker>(rt, m_mid, std::move(members), quota, cursor,
                                                          simMixSeed(m_seed, simLabelSeed(c.name.toUtf8().constData()) + actorIndex++), ctx));
    }
}

} // namespace ds
