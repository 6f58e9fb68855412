#pragma once

#include "case/ReviewState.h"
#include "detect/DetectionResults.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace ds {

class SqliteDb;

// A network the analyst confirmed, with the accounts that count as its members
// (the cluster's members minus those individually marked false positive).
struct ConfirmedNetwork
{
    DetectionResults::Cluster cluster;
    std::vector<DetectionResults::Account> members;
    std::vector<DetectionResults::Account> excluded; // members the analyst marked false positive
    // The batch command that confirmed it ("report --confirm-flagged", from the audit log), empty when the analyst
    // confirmed it one network at a time: a report must not present a batch verdict as a human review.
    QString confirmedInBatch;
};

// One confirmed account: a member of a confirmed network, or confirmed on its own.
struct ConfirmedAccount
{
    std::int64_t account = 0; // account.id
    QString accountId;
    std::optional<std::int64_t> cluster; // the confirmed network it belongs to
    QString network;                     // that network's label, or empty
    ReviewState state = ReviewState::Unreviewed; // its own review state
    double score = 0;
    std::int64_t requests = 0, outputTokens = 0, firstTs = 0, lastTs = 0;
};

// What the analyst concluded on the latest finished detection run: every
// flagged network with its review state, the confirmed ones, and the union of
// confirmed accounts. Exports and the report read only this. Plain value.
struct CaseFindings
{
    std::optional<std::int64_t> run;
    std::vector<DetectionResults::Cluster> flagged; // every flagged network of the run
    std::vector<ReviewState> flaggedStates;         // parallel to `flagged`
    std::vector<ConfirmedNetwork> networks;         // the confirmed ones, highest score first
    std::vector<ConfirmedAccount> accounts;         // sorted by account id
};

// Reads the findings through the caller's connection (case tables must exist).
CaseFindings loadFindings(SqliteDb& db);

// Batch use (`report --confirm-flagged`): confirms every flagged network of the
// latest run that the analyst has not reviewed or left as "needs review";
// networks marked false positive stay so. Audited, one entry per network, in
// one transaction. Returns how many were confirmed.
int confirmFlaggedNetworks(SqliteDb& db, const QString& why);

} // namespace ds
