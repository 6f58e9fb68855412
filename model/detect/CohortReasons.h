#pragma once

#include "detect/DetectionOutcome.h"

#include <QJsonObject>
#include <QString>

#include <functional>
#include <optional>
#include <vector>

namespace ds {

struct DetectSettings;

// One sentence about harvest-profile cohorts (detect/LinkCohorts.h) with its evidence: request ids, the time window,
// the figures. `key` is the reason key ("window", "pool" for an account, "cohort" for a network).
struct CohortReason
{
    const char* key = "";
    double weight = 0;
    QString text;
    QJsonObject evidence;
};

// Names a model id (for "after the release of model X"); may return an empty string.
using ModelNamer = std::function<QString(std::uint32_t)>;

// An account's window and pool sentences, e.g. "Cohort start: its activity began 2026-02-05 14:00, within 6 hours of
// 41 other harvest-profile accounts (chance gives 3.2), 2 hours after the release of model X." Any thread.
std::vector<CohortReason> accountCohortReasons(const CohortEvidence& e, const DetectSettings& settings,
                                               const ModelNamer& modelName);

// A network's sentence when part of its core is in through a cohort: how many core accounts began together, against
// chance, and drew on one pool; the releases their windows followed. `evidence` is sorted by account. Any thread.
std::optional<CohortReason> clusterCohortReason(const ClusterOutcome& cluster, const std::vector<CohortEvidence>& evidence,
                                                const DetectSettings& settings, const ModelNamer& modelName);

// The evidence of `account` in `evidence` (sorted by account), or null. Any thread.
const CohortEvidence* findCohortEvidence(const std::vector<CohortEvidence>& evidence, std::uint32_t account);

} // namespace ds
