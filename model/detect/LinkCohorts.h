#pragma once

#include "detect/AccountProfile.h"
#include "detect/LinkGraph.h"
#include "detect/LinkTasks.h"

#include <cstdint>
#include <vector>

namespace ds {

struct DetectSettings;

// Window and pool links and what they rest on. Plain data: any thread once built.
struct CohortLinks
{
    std::vector<LinkEdge> edges;            // kinds LinkWindow or LinkPool, a < b (one edge per kind and pair)
    std::vector<CohortEvidence> evidence;   // one per window- or pool-linked account, by account
    std::uint32_t harvestAccounts = 0;      // accounts with a harvest profile of cohortMinHarvestProfile or more
    std::uint32_t judged = 0;               // accounts with enough requests to have a harvest profile
    double baselineShare = 0;               // chance share of harvest-profile accounts among starts (window links)
};

// Links between *harvest-profile accounts* (score_harvest_profile >= cohortMinHarvestProfile) for an operation
// that shares no template, no infrastructure and too few tasks per pair for a task link. Orchestrating thread.
//
// - Window (LinkWindow): an account's first request falls within cohortWindowHours of at least cohortMinPeers other
//   harvest-profile accounts' first requests, and at least cohortChanceRatio times what chance gives: the accounts
//   of the whole judged population starting in that window times the harvest-profile share among the accounts
//   already active when the data begins (first request within cohortBaselineHours; the whole population when fewer
//   than cohortBaselineMinAccounts).
//   People already active when the data starts, or joining through the days, start together with everyone else;
//   bought accounts brought online in a batch start together with one another. Each such account is linked to its
//   cohortWindowLinks nearest such peers on each side in time.
// - Release start (also LinkWindow): an account's first request to a newly released model (first seen
//   newModelMinDelayHours after the data starts) came within cohortReleaseStartHours of the model's first appearance,
//   as did at least cohortMinPeers other harvest-profile accounts', and cohortChanceRatio times what chance gives
//   (the judged accounts taking the model up in that time times the windows' baseline share). An operation already
//   running moves to a new model within hours; nearest cohortWindowLinks peers in time, as the window.
// - Pool (LinkPool): the bipartite account-task graph restricted to counted (harvest-class) rare tasks and to
//   harvest-profile accounts, projected onto the accounts. An account whose counted tasks were also asked by other
//   harvest-profile accounts (at least poolMinShared tasks, poolMinShare of its counted tasks, poolMinAccounts
//   distinct askers) is a pool account; two pool accounts asking one rare task are linked. This is the group-level
//   form of a task link: in a large pool each pair shares one or two tasks, below taskMinShared.
//
// Accounts whose own profile is not harvesting (a class behind a NAT, homework askers, agentic power users) take part
// in neither link; they count only in the populations the chance model reads. Neither link makes a network member
// alone (detect/ClusterScoring.cpp).
//
// `population` (a case holding part of it, a triage pull; null otherwise): the windows' chance counts the whole
// population's first requests (PopulationCounts::starts) where the case would count only the accounts it holds.
CohortLinks linkCohorts(const std::vector<AccountProfile>& profiles, const TaskLinks& tasks, const DetectSettings& settings,
                        const PopulationCounts* population = nullptr);

} // namespace ds
