#pragma once

#include "detect/DetectionOutcome.h"
#include "detect/LinkGraph.h"

#include <vector>

namespace ds {

struct CaseSnapshot;
struct DetectSettings;

// Decides what is flagged. In each community it finds the core: accounts that
// use a template heavily together with other members and behave like harvesters,
// or behave strongly so and share rare infrastructure (payment, e-mail domain,
// IP) with another such account. Infrastructure alone (a NAT, a reseller's pool)
// makes no core. The cluster score combines coordination (template cohesion,
// lockstep, infrastructure), the core's mean behaviour and its size (the hydra
// shape); flagged clusters that share their dominant template are one network.
// Accounts outside flagged networks are flagged alone only with strong behaviour
// and infrastructure evasion. Orchestrating thread.
DetectionOutcome scoreClusters(const std::vector<AccountProfile>& profiles, const CaseSnapshot& snapshot,
                               const LinkGraph& graph, const std::vector<std::uint32_t>& communities,
                               const DetectSettings& settings);

} // namespace ds
