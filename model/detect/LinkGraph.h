#pragma once

#include "detect/AccountProfile.h"
#include "detect/PopulationCounts.h"
#include "detect/PopulationIndicators.h"

#include <cstdint>
#include <vector>

namespace ds {

struct CaseSnapshot;
struct DetectSettings;

// Why two accounts are linked (bits of LinkEdge::kinds).
enum LinkKind : std::uint16_t {
    LinkPayment = 1u << 0,
    LinkEmailDomain = 1u << 1,
    LinkUserAgent = 1u << 2,
    LinkIp = 1u << 3,
    LinkNetwork = 1u << 4,
    LinkTemplate = 1u << 5,
    LinkCoCreated = 1u << 6,
    LinkHandoff = 1u << 7, // one account went quiet and another started the same work soon after
    LinkTask = 1u << 8,    // the accounts asked the same rare tasks, beyond chance (detect/LinkTasks.h)
    LinkWindow = 1u << 9,  // harvest-profile accounts that began (or took up a new model) together, beyond chance
    LinkPool = 1u << 10,   // harvest-profile accounts drawing on one pool of rare tasks, group-level (detect/LinkCohorts.h)
};
constexpr int kLinkKindCount = 11;
const char* linkKindName(int bit); // bit index 0..10
// Links of harvest-profile cohorts: evidence only between accounts whose own profile is harvesting, never alone.
constexpr std::uint16_t kCohortLinks = LinkWindow | LinkPool;
// Shared values along which a hand-off is looked for: the same template, or the
// same rare infrastructure, passed from an account that stops to one that starts.
constexpr std::uint16_t kHandoffSources = LinkPayment | LinkEmailDomain | LinkIp | LinkTemplate;
// Infrastructure kinds: links that alone never make a network (a NAT, a reseller).
constexpr std::uint16_t kInfrastructureLinks = LinkPayment | LinkEmailDomain | LinkUserAgent | LinkIp | LinkNetwork | LinkCoCreated;
// Rare infrastructure: what a hydra network shares and unrelated customers rarely do.
constexpr std::uint16_t kRareInfrastructureLinks = LinkPayment | LinkEmailDomain | LinkIp | LinkCoCreated;

// One undirected weighted edge of the account graph (a < b).
struct LinkEdge
{
    std::uint32_t a = 0, b = 0;
    float weight = 0;
    std::uint16_t kinds = 0;
};

// A hand-off: `from` went quiet (its last request) and `to` started (its first
// request) `gapMs` later, both using the shared value of kind `via`.
struct Handoff
{
    std::uint32_t from = 0, to = 0;
    std::int64_t gapMs = 0;
    std::uint16_t via = 0; // LinkKind bits of the values that carried it
};

// How one account shares tasks with the accounts it is task-linked to (detect/LinkTasks.h), for the reasons.
struct TaskSharing
{
    std::uint32_t account = 0;
    std::uint32_t tasks = 0;            // its tasks that a task-linked account also asked
    std::uint32_t partners = 0;         // task-linked accounts
    std::int64_t spanMs = 0;            // longest time between its ask and a partner's ask of one shared task
    std::vector<std::int64_t> requests; // its first requests of a few shared tasks (request ids)
};

// Why one harvest-profile account is window- or pool-linked (detect/LinkCohorts.h), for the reasons.
struct CohortEvidence
{
    std::uint32_t account = 0;
    // Window: its first request at `openedTs`, with `windowPeers` other harvest-profile accounts starting within
    // cohortWindowHours of it where chance gives `windowExpected`; `release` the newly released model whose first
    // use in the case came at most cohortReleaseHours before (0: none) at `releaseTs`.
    std::uint32_t windowPeers = 0;
    double windowExpected = 0;
    std::int64_t openedTs = 0, openedRequest = 0;
    std::uint32_t release = 0;
    std::int64_t releaseTs = 0;
    // Release start: its first request to the newly released model `startModel` (`startRequest`, at `startTs`) came
    // within cohortReleaseStartHours of the model's first appearance (`startReleaseTs`), as did `startPeers` other
    // harvest-profile accounts' where chance gives `startExpected`. An operation moving to a new model within hours.
    std::uint32_t startPeers = 0, startModel = 0;
    double startExpected = 0;
    std::int64_t startTs = 0, startRequest = 0, startReleaseTs = 0;
    // Pool: `poolShared` of its `poolCounted` counted tasks were also asked by `poolAccounts` other harvest-profile
    // accounts (rare tasks only), `poolCohort` of whom began within poolCohortHours of it; `requests` its first
    // requests of a few of them.
    std::uint32_t poolShared = 0, poolCounted = 0, poolAccounts = 0, poolCohort = 0;
    std::vector<std::int64_t> requests;
    bool window() const { return windowPeers > 0; }
    bool releaseStart() const { return startPeers > 0; }
    bool pool() const { return poolAccounts > 0; }
};

// The account graph: accounts linked by shared values, each value weighted by
// its kind and down by how many accounts share it (log-IDF, as Fraudar's column
// weights), popular infrastructure values ignored, large value groups linked
// sparsely (a circulant of a few neighbours each, deterministic) instead of as
// cliques so a campaign of 20,000 accounts stays linear in size.
struct LinkGraph
{
    std::uint32_t nodes = 0;
    std::vector<LinkEdge> edges; // sorted by (a, b), one per pair
    std::vector<Handoff> handoffs; // sorted by (from, to), one per pair
    std::vector<TaskSharing> taskSharing; // by account: the task-linked accounts
    std::vector<CohortEvidence> cohorts;  // by account: the window- or pool-linked accounts
    std::int64_t valuesUsed = 0, valuesPopular = 0;
    std::int64_t tasksRare = 0, tasksPopular = 0;
    // Only for a case holding part of a population (PopulationCounts present, a triage pull): the link weight each
    // account has to accounts of the population the case does not hold (by account; empty otherwise), and the
    // weight of the population's links the case does not hold. The communities add them to the strengths and the
    // total they normalise by, so they optimise the whole population's modularity over the accounts pulled.
    std::vector<double> outsideStrength;
    double outsideTotal = 0;

    // Orchestrating thread. `population`: where the case holds part of a population, weigh and cut shared IPs,
    // networks, user agents, payment fingerprints, e-mail domains and co-created accounts by the whole population
    // (null or not present(): by the case, as for any import).
    static LinkGraph build(const std::vector<AccountProfile>& profiles, const CaseSnapshot& snapshot,
                           const TemplateUsers& templates, const DetectSettings& settings,
                           const PopulationCounts* population = nullptr);
};

// Weight of one shared value of `kind` shared by `accounts` accounts. Any thread.
double linkValueWeight(double kindWeight, std::size_t accounts);

} // namespace ds
