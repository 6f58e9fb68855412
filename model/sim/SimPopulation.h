#pragma once

#include "sim/SimActor.h"
#include "sim/SimAdversary.h"
#include "sim/SimLookAlikes.h"

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

namespace ds {

// Everyone in a scenario: the accounts (benign population, hard negatives,
// hydra networks) and the actors that send their requests, with the shared
// infrastructure they point into. Built once, deterministically from the seed;
// the generation thread only.
class SimPopulation
{
public:
    SimPopulation(const SimScenario& scenario, std::uint64_t seed, const SimContext& ctx);
    SimPopulation(const SimPopulation&) = delete;
    SimPopulation& operator=(const SimPopulation&) = delete;

    std::deque<SimAccount> accounts; // deque: actors keep pointers into it
    std::vector<std::unique_ptr<SimActor>> actors;

private:
    SimAccount& newAccount(SimRng& rng, const char* label, const QString& campaign, const char* role);
    void addBenign(const SimScenario& s, const SimContext& ctx);
    void addCampaign(const SimCampaignConfig& c, std::size_t index, const SimContext& ctx);
    // SimPopulationCareful.cpp: the hard negatives of issue 13 and the careful adversary.
    void addLookAlikes(const SimScenario& s, const SimContext& ctx);
    void addAdversary(const SimAdversaryConfig& a, std::size_t index, const SimContext& ctx);

    std::uint64_t m_seed;
    SimRng m_ids;
    SimIntermediaries m_mid;
    std::string m_resellerPayment;
    std::deque<std::vector<std::string>> m_pools;
    std::deque<SimCampaignRuntime> m_runtimes;
    std::deque<SimClassroom> m_classrooms;
    std::unique_ptr<SimAdversaryTasks> m_adversaryTasks;
    std::deque<SimAdversaryRuntime> m_adversaries;
};

} // namespace ds
