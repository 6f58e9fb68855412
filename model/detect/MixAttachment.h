#pragma once

#include "detect/AccountProfile.h"
#include "detect/DetectionOutcome.h"

#include <vector>

namespace ds {

struct DetectSettings;

// The harvest mix an account shows (docs/HARVEST_SIGNAL.md section 11): its harvest-class share, task families, answer
// length and output per prompt token, each scaled to 0..1 over the range the simulated and real populations span
// (share 0.2-0.7, families 0-4, 300-1,500 tokens, 1-12 tokens per prompt token). Unknown figures (an agent offering
// tools on every request has no lengths) count as 0. Pure: any thread.
struct HarvestMix
{
    double share = 0, families = 0, output = 0, ratio = 0;
};
HarvestMix harvestMix(const IndicatorValues& ind);
double mixDistance(const HarvestMix& a, const HarvestMix& b);

// Attaches to a flagged network the harvest-profile accounts that began with it and harvest like it: an account whose
// first request came in a start window beyond chance (CohortEvidence::window, detect/LinkCohorts.h) joins the network
// with the most core or attached accounts that began within cohortWindowHours of it and whose harvest mix lies within
// mixAttachMaxDistance of its own, when they are at least mixAttachMinPartners. It must itself be a harvest-profile
// account (cohortMinHarvestProfile, or cohortMinHarvestRate). This is the cohort with the same harvest profile of issue
// 13: an operation's batch, brought online together, asks its pool with one mix of families and lengths; with 60 %
// camouflage some of its accounts share too few rare tasks for a pool link, and too many harvest-class requests to be
// a pool member, but they still began with the batch and harvest as it does. An account whose own profile is not
// harvesting, or that began outside a window beyond chance, or harvests otherwise (a developer's shorter answers and
// lower share), stays out.
//
// Runs after attachPoolMembers; only accounts still unflagged are candidates, and accounts attached here count for no
// other candidate. Sets flagged, attached and mixed, appends to ClusterOutcome::attached and fills
// DetectionOutcome::mixMembers (by account). The networks' scores and cores are unchanged: a mix member never makes a
// network. Deterministic. Orchestrating thread.
void attachMixMembers(DetectionOutcome& out, const std::vector<AccountProfile>& profiles, const DetectSettings& settings);

} // namespace ds
