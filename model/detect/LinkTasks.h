#pragma once

#include "detect/AccountProfile.h"
#include "detect/LinkGraph.h"

#include <cstdint>
#include <vector>

namespace ds {

struct DetectSettings;

// Keeps an account's tasks (request.task_hash) for task links: one TaskUse per distinct task, only the
// taskSketchSize smallest task hashes (a bottom-k sketch: two accounts keep the same tasks of the ones they share,
// whatever else they asked, and a pipeline's million tasks cost no more than a person's hundred). `rows` are the
// account's requests in time order. Pure: any thread.
void sketchTasks(std::span<const RequestRow> rows, const DetectSettings& settings, AccountProfile& profile);

// Task links and what they rest on. Plain data: any thread once built.
struct TaskLinks
{
    std::vector<LinkEdge> edges; // kinds LinkTask, a < b, sorted
    std::vector<TaskSharing> sharing; // one per task-linked account, by account
    std::int64_t tasksRare = 0; // tasks asked by 2..taskMaxAccounts accounts
    std::int64_t tasksPopular = 0; // tasks asked by more: popular, not a pool
    bool harvestGated = false; // tasks counted only when asked with taskMinHarvest (the case has harvest scores)
    // Rare tasks with two or more counted askers, for the group-level pool link (detect/LinkCohorts.h): the askers
    // of rare task k are sharedAskers[sharedOffsets[k] .. sharedOffsets[k + 1]), each with its index in that
    // account's task list; `counted[a]` is how many of account a's sketched tasks count (harvest-gated).
    std::vector<std::uint32_t> sharedOffsets { 0 };
    std::vector<std::pair<std::uint32_t, std::uint32_t>> sharedAskers; // (account, index into its tasks)
    std::vector<std::uint32_t> counted;
};

// Links accounts drawing on one task pool: two accounts are linked when they asked at least taskMinShared of the
// same rare tasks (asked by at most taskMaxAccounts accounts of the whole population: a task many accounts ask is
// popular, not a pool) and at least taskChanceRatio times as many as chance would give them, given how many rare
// tasks each asked and how often rare tasks recur in the population. Only tasks asked with a harvest score of at
// least taskMinHarvest count (when the case has harvest scores), so people sharing exercises or homework questions
// do not link; their popularity among all askers still counts. Orchestrating thread.
TaskLinks linkTasks(const std::vector<AccountProfile>& profiles, const DetectSettings& settings);

} // namespace ds
