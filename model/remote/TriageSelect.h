#pragma once

#include "remote/TriageRows.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <limits>
#include <vector>

namespace ds {

struct DetectSettings;

// What the accounts file (imported into the case before the triage) says about an account: the triage's evidence
// that never was in the remote table.
struct TriageAccountInfo
{
    static constexpr std::int64_t kUnknown = std::numeric_limits<std::int64_t>::min();
    std::int64_t createdAtMs = kUnknown;
    std::int64_t emailDomain = 0; // case id of a non-public e-mail domain, 0: public or unknown
    std::int64_t payment = 0;     // case id of the payment fingerprint, 0: unknown
};

// Thresholds of the candidate choice. The ramps mirror detection's harvest profile (docs/HARVEST_SIGNAL.md) on what
// SQL can see, set lower so that triage keeps every account detection would flag: it picks whom to pull, it flags
// nobody. Value type: any thread.
struct TriageSettings
{
    double candidateMin = 0.5; // score from which an account is a candidate
    // Output profile, wording-free: answers long against the prompts, long on average, in volume.
    double ratioLow = 1.8, ratioHigh = 3.5;
    double meanOutputLow = 550, meanOutputHigh = 850;
    double requestsLow = 20, requestsHigh = 50;
    // Task profile: task-shaped requests (detection's reasoning, grading, rewrite markers; maths with numbers; code;
    // tools) in share and number, their answers long and long against their prompts (requests with tools left out).
    double taskShareLow = 0.25, taskShareHigh = 0.5;
    double taskCountLow = 10, taskCountHigh = 30;
    double taskOutputLow = 600, taskOutputHigh = 1000;
    double taskRatioLow = 2, taskRatioHigh = 4;
    // Infrastructure and age add to the larger profile: sharing a rare address, network, payment fingerprint or
    // e-mail domain with other accounts, many networks, an account used within days of its creation.
    double infraWeight = 0.25;
    double sharingHigh = 5;  // other accounts on one rare value for the full share ramp
    double networksHigh = 10;
    double youngDays = 3;
    // A heavy template (head or tail carrying much of the account's traffic) others use too: pipelines, hydras.
    double templateWeight = 0.25;
    double templateShareLow = 0.3, templateShareHigh = 0.7;
    int minRequestsForTemplates = 10;
    // A value shared by more accounts is popular: neither sharing nor a link.
    int linkMaxAccounts = 25;
    // Links by a shared heavy template, and cohorts, take accounts scoring linkedMinScore or more whose output is
    // linkedMinRatio times their input or more. Cohort: a
    // non-candidate whose first request came within cohortWindowHours of cohortMinCandidates candidates' first
    // requests, cohortLateHours or more after the data's first request.
    double linkedMinScore = 0.3, linkedMinRatio = 2.5;
    double cohortWindowHours = 6, cohortLateHours = 24;
    int cohortMinCandidates = 3;
    // Accounts with fewer requests have no aggregate row (TriageSqlOptions::minRequests): they come only as links,
    // counted at minRequests - 1 rows each against the budget.
    int minRequests = 3;
    // Most rows the pull may take, as a share of the table's rows; candidates are kept by score, then linked accounts.
    // A guard for the analyst's machine, not a target: where attackers are half the traffic, half must come home.
    double rowBudgetShare = 0.5;

    // Ramps tied to detection's settings take their values from it (young age, network count, minimum requests).
    static TriageSettings fromDetect(const DetectSettings& detect);
};

// Why an account is pulled (bits of TriageChoice::why).
enum TriageWhy : std::uint32_t {
    WhyOutputProfile = 1u << 0,
    WhyTaskProfile = 1u << 1,
    WhyInfrastructure = 1u << 2,
    WhyTemplate = 1u << 3,
    WhyLinked = 1u << 4, // shares a rare address, network, payment fingerprint, e-mail domain or heavy template with a candidate
    WhyCohort = 1u << 5, // began its activity with a batch of candidates
};

struct TriageChoice
{
    QString account;
    double score = 0;
    std::uint32_t why = 0;
    std::int64_t requests = 0;
};

// The outcome: the accounts to pull, in the order they were kept, and what was left for the budget.
struct TriageSelection
{
    std::vector<TriageChoice> pulled;
    std::int64_t rowsTotal = 0, rowsPulled = 0;
    std::int64_t candidates = 0, linked = 0;           // before the budget
    std::int64_t droppedCandidates = 0, droppedLinked = 0; // left out by the budget
    QStringList accounts() const;
};

// Scores every account, takes those at candidateMin or more, adds the accounts linked to them (also those too small
// for an aggregate row: a hydra's one-request accounts), and keeps within the row budget. `totalRows` is the table's row count (the accounts under minRequests are in it, not in
// `accounts`). Pure: any thread.
TriageSelection selectCandidates(const std::vector<TriageAccount>& accounts, const std::vector<SharedValue>& shared,
                                 const QHash<QString, TriageAccountInfo>& info, std::int64_t totalRows,
                                 const TriageSettings& settings);

// One account's triage score and reasons, without links (exposed for tests and for the provenance).
TriageChoice scoreAccount(const TriageAccount& account, std::int64_t sharingOthers, bool sharedTemplate,
                          const TriageAccountInfo& info, const TriageSettings& settings);

} // namespace ds
