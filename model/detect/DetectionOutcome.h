#pragma once

#include "detect/AccountProfile.h"
#include "detect/LinkGraph.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace ds {

// A network (community of the account graph) after scoring.
struct ClusterOutcome
{
    std::uint32_t id = 0;                // 1-based, ordered by score (stored as cluster.id)
    std::vector<std::uint32_t> members;  // active accounts of the community (merged communities: all)
    std::vector<std::uint32_t> core;     // accounts that carry the coordination: flagged when the cluster is
    std::vector<std::uint32_t> attached; // accounts too small to judge that mostly used the core's templates, or that took
                                         // over from the network (hand-off, young account): flagged too
    std::vector<Handoff> handoffs;       // hand-offs between the network's flagged accounts
    double score = 0;
    bool flagged = false;
    double templateCohesion = 0; // share of core accounts heavy on a template shared inside the network
    double lockstep = 0;         // mean lockstep share of core accounts
    double infraCohesion = 0;    // share of core accounts linked to another by rare infrastructure
    double meanBehaviour = 0;    // mean behaviour score of core accounts
    double infraSpread = 0;      // mean infrastructure facet of core accounts (many networks, user agents, fresh accounts)
    double handoffCohesion = 0;  // share of core accounts that took over from, or handed over to, another core account
    double taskCohesion = 0;     // share of core accounts task-linked to another core account (detect/LinkTasks.h)
    double cohortCohesion = 0;   // share of core accounts in through a harvest-profile cohort (detect/LinkCohorts.h)
    double extraction = 0;       // mean over the core of the largest of harvest facet, elicitation facet and harvest profile
    double hydra = 0;            // network-size factor
    HeavyTemplate dominant;      // template most core accounts share (count = accounts), key 0 if none
    std::uint32_t dominantAccounts = 0;
    std::int64_t requests = 0, outputTokens = 0, firstTs = 0, lastTs = 0;
    double peakPerMinuteMax = 0, rateLimitMin = 0; // highest account peak and lowest account limit (hydra shape)
};

// Per account.
struct AccountOutcome
{
    double score = 0;        // 0..1; 0.5 and above = flagged
    bool flagged = false;
    bool solo = false;       // flagged on its own, outside any flagged network
    bool harvestProfile = false; // solo on its harvest profile (ScoreHarvestProfile), not on behaviour + infrastructure
    bool attached = false;   // flagged as a low-volume member of a network (see ClusterOutcome::attached)
    bool handoff = false;    // attached because it took over from the network (a hand-off)
    bool pooled = false;     // attached because its harvest-class tasks are the network's (detect/PoolAttachment.h)
    bool mixed = false;      // attached because it began with the network and harvests like it (detect/MixAttachment.h)
    std::int32_t cluster = -1; // index into DetectionOutcome::clusters (flagged clusters only), -1 none
    std::uint32_t community = 0; // raw community number (any cluster, flagged or not)
};

// Why an account too small to judge alone joined a network through its tasks (detect/PoolAttachment.h): `shared`
// of its `counted` rare harvest-class tasks were asked by `partners` of the network's accounts within
// harvestTaskWindowDays of it, `cohort` of whom began within poolCohortHours of it; `requests` its first requests
// of a few of those tasks.
struct PoolMember
{
    std::uint32_t account = 0;
    std::uint32_t shared = 0, counted = 0, partners = 0, cohort = 0;
    std::vector<std::int64_t> requests;
};

// Why a harvest-profile account joined a network it began with (detect/MixAttachment.h): `partners` of the network's
// accounts began within cohortWindowHours of it with a harvest mix within mixAttachMaxDistance of its own, the closest
// `distance` away; `requests` their first requests.
struct MixMember
{
    std::uint32_t account = 0, cluster = 0, partners = 0;
    double distance = 0;
    std::vector<std::int64_t> requests;
};

// A reason: one sentence with numbers, and evidence as JSON (request ids, shared values, windows).
struct ReasonOutcome
{
    bool forCluster = false;
    std::uint32_t subject = 0; // cluster index or account id
    int rank = 0;
    QString key;      // what kind of reason ("template", "lockstep", "harvest", ...)
    double weight = 0;
    QString text;
    QString evidenceJson;
};

// The whole result of a run, before it is stored.
struct DetectionOutcome
{
    std::vector<AccountOutcome> accounts;   // index = account id
    std::vector<ClusterOutcome> clusters;   // flagged clusters, best first
    std::vector<ReasonOutcome> reasons;
    std::int64_t communities = 0;           // communities with at least minClusterAccounts active accounts
    std::vector<CohortEvidence> cohorts;    // window- and pool-linked accounts, by account (for the reasons)
    std::vector<PoolMember> poolMembers;    // accounts attached through their tasks, by account (for the reasons)
    std::vector<MixMember> mixMembers;      // accounts attached through their start and harvest mix, by account
};

} // namespace ds
