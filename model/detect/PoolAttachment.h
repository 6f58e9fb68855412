#pragma once

#include "detect/AccountProfile.h"
#include "detect/DetectionOutcome.h"

#include <vector>

namespace ds {

struct DetectSettings;

// Attaches to a flagged network the accounts too small to judge alone whose harvest-class tasks are the network's
// own: an operation's batch works through one task queue, sampling each task from two or three accounts, so an
// account of 20-40 requests shares most of its rare harvest-class tasks with the network's core within days, even
// when its own dozen harvest-class requests are too few for the harvest profile, its harvest rate or a pool link.
//
// An account joins the network whose accounts (its core and the members attached by templates or hand-offs) asked
// the most of its rare harvest-class tasks (taskMinHarvest, asked by at most taskMaxAccounts accounts in all) within
// harvestTaskWindowDays of its own ask, when that is at least poolAttachMinShared tasks and poolAttachMinShare of its
// rare harvest-class tasks and taskChanceRatio times what chance gives (the share of the other unflagged accounts' rare
// harvest-class tasks that the network asked within the window: a large network asking thousands of public tasks
// meets anyone's), one of those accounts began within poolCohortHours of it, and its own traffic harvests at
// small volume: cohortMinHarvestRequests to poolAttachMaxHarvestRequests harvest-class requests (more is the
// profile's to judge), poolAttachMinHarvestShare of its requests, with answers of harvestMeanOutputLow tokens and
// poolAttachMinRatio output tokens per prompt token or more, or harvestProfileCutShareHigh of them cut at the client's
// max_tokens over harvestProfileMinFamilies families (docs/HARVEST_SIGNAL.md section 10). A homework asker's short worked answers, a class's hints and a developer whose few public
// coding tasks the network also asked stay out (the ratio, the share of its requests and of its tasks); popular tasks
// (a rubric every grading request shares) neither count nor dilute. Accounts no network took, and cases without
// harvest scores, attach nothing.
//
// Runs after the networks are flagged and the solo rules have run; only accounts still unflagged are candidates.
// Sets flagged, attached and pooled, appends to ClusterOutcome::attached and fills DetectionOutcome::poolMembers (by
// account). The networks' scores and cores are unchanged. Deterministic. Orchestrating thread.
void attachPoolMembers(DetectionOutcome& out, const std::vector<AccountProfile>& profiles, const DetectSettings& settings);

} // namespace ds
