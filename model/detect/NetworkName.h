#pragma once

#include "detect/AccountProfile.h"
#include "text/PromptFeatures.h"
#include "text/TemplateName.h"

#include <QString>

#include <array>
#include <cstdint>
#include <vector>

namespace ds {
class SqliteDb;
}

// What a flagged network is called in the networks list, the report and the STIX bundle: by what it does, in plain
// words ("N-1: coding harvest, 60 accounts"), then its main template in words (text/TemplateName.h). The kind
// of harvest is the task category (text/PromptFeatures.h) most of its requests ask for. Pure functions and reads
// on the caller's connection: any thread, each with its own connection.
namespace ds::networkname {

// Requests per task category, indexed by TaskCategory.
using CategoryCounts = std::array<std::int64_t, kTaskCategoryCount>;

// At most this many requests of each account are read: enough to tell what a network asks, bounded for big ones.
constexpr int kRequestsPerAccount = 500;

// The requests of `accounts` (account.id) by task category, up to kRequestsPerAccount of each account.
CategoryCounts categoriesOf(SqliteDb& db, const std::vector<std::int64_t>& accounts);

// "coding harvest": one category with at least half of the requests; "coding and maths harvest": two that
// together have at least 70 %; else "mixed-task harvest". Requests of no recognised kind count against a category.
QString whatItDoes(const CategoryCounts& counts);

// "coding harvest, 60 accounts" (plural agreement by reasontext::count).
QString describe(const CategoryCounts& counts, std::int64_t accounts);

// A template names a network when at least this share of its accounts use it: one a network's accounts mostly
// never send does not say what the network does (agent campaigns vary every prompt, so most have none).
constexpr double kMainTemplateAccountShare = 0.25;

// Whether the network's most used template (the Templates tab's first row), used by `templateAccounts` of its
// `accounts`, names it.
bool templateNamesNetwork(std::int64_t templateAccounts, std::int64_t accounts);

// The label stored for a network: "N-1: coding harvest, 60 accounts", then "; template “…”" when it has a
// main template (its fingerprint stays out of the label: the Templates tab and the report show it).
QString label(std::int64_t id, const CategoryCounts& counts, std::int64_t accounts, const templatename::TemplateName& main);

} // namespace ds::networkname
