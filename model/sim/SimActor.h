#pragma once

#include "sim/SimBenignPrompts.h"
#include "sim/SimCampaignTasks.h"
#include "sim/SimCorpus.h"
#include "sim/SimRandom.h"
#include "sim/SimRequest.h"
#include "sim/SimScenario.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace ds {

struct SimClassroom;

// What every actor needs to write requests: the scenario, the corpora and
// their prompt makers, the model line-up. Immutable during a run: any thread.
struct SimContext
{
    SimContext(const SimScenario& s, const SimCorpus& c);

    const SimScenario& scenario;
    const SimCorpus& corpus;
    SimBenignPrompts benign;
    SimCampaignTasks tasks;
    std::vector<std::string> models;
    std::vector<double> modelWeights;
    std::string releasedModel;
    std::int64_t startMs = 0;
    std::int64_t endMs = 0;
    std::int64_t releaseMs = 0;
};

// Something that sends requests over time: a person, a pipeline, a work stream
// of a hydra network. The simulator merges all actors by time, so each actor
// only has to know its own next request. The generation thread only.
class SimActor
{
public:
    static constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

    explicit SimActor(std::uint64_t seed) : m_rng(seed) {}
    virtual ~SimActor() = default;
    SimActor(const SimActor&) = delete;
    SimActor& operator=(const SimActor&) = delete;

    std::int64_t nextTime() const { return m_next; }
    // Fills `r` (already cleared) for the request at nextTime() and moves to the next one.
    virtual void produce(SimRequest& r, const SimContext& ctx) = 0;

protected:
    SimRng m_rng;
    std::int64_t m_next = kNever;
};

// A person using the API in sessions: casual users, developers, members of a
// NAT group, a reseller's end customers.
class SimSessionActor final : public SimActor
{
public:
    // What the person asks about: everyday chat and code, or one of the hard negatives' habits (SimLookAlikes.h).
    enum class Style { Ordinary, Student, Homework, PowerUser };
    struct Setup
    {
        SimAccount* account = nullptr;
        const SimSessionProfile* profile = nullptr;
        bool developer = false;
        int utcOffsetHours = 0;
        std::string userAgent;
        const std::vector<std::string>* sharedIps = nullptr; // NAT or reseller egress; null: own home line
        const char* endpoint = "/v1/messages";
        Style style = Style::Ordinary;
        const SimClassroom* classroom = nullptr; // Student: the class's exercise sheets
    };
    SimSessionActor(Setup setup, std::uint64_t seed, const SimContext& ctx);
    void produce(SimRequest& r, const SimContext& ctx) override;

private:
    bool planFrom(int day, const SimContext& ctx);
    int drawSessionLength();
    void buildPrompt(SimRequest& r, const SimContext& ctx);
    void buildLookAlike(SimRequest& r, const SimContext& ctx);

    Setup m_s;
    int m_days = 0;
    int m_day = -1;
    std::vector<std::int64_t> m_sessions;
    std::size_t m_sessionIdx = 0;
    int m_left = 0;
    bool m_sessionStart = true;
    std::string m_homeIp;
    std::int64_t m_ipChangeAt = 0;
    int m_personalTemplate = -1;
    bool m_agentTools = false;
    std::int64_t m_adoptAt = kNever;
    std::string m_favourite;
    int m_maxTokens = 1024;
    std::uint64_t m_convSeed = 0;
    int m_convTurns = 0;
    bool m_convCoding = false;
    bool m_convTemplate = false;
    std::int64_t m_convStart = 0;
};

// An enterprise batch pipeline: one template, steady volume in a daily window, one small IP range.
class SimBatchActor final : public SimActor
{
public:
    SimBatchActor(SimAccount* account, const SimBatchProfile& p, int templateIndex, std::uint64_t seed, const SimContext& ctx);
    void produce(SimRequest& r, const SimContext& ctx) override;

private:
    void advance();
    SimAccount* m_account;
    const SimBatchProfile& m_p;
    int m_template;
    std::string m_templateText;
    std::string m_systemPrompt;
    std::vector<std::string> m_ips;
    std::string m_userAgent;
    std::string m_model;
    int m_maxTokens;
    SimAnswerKind m_kind;
    double m_gapMs;
    std::int64_t m_end;
    std::int64_t m_dayZero;
};

// A team evaluating models on a public benchmark: hours-long runs through GSM8K or HumanEval.
class SimEvaluatorActor final : public SimActor
{
public:
    SimEvaluatorActor(SimAccount* account, const SimEvaluatorProfile& p, std::uint64_t seed, const SimContext& ctx);
    void produce(SimRequest& r, const SimContext& ctx) override;

private:
    struct Run
    {
        std::int64_t start;
        int templateIndex;
        std::string model;
        int items;
        std::uint64_t offset;
    };
    void startRun(std::size_t i);
    SimAccount* m_account;
    std::vector<std::string> m_templates;
    std::vector<Run> m_runs;
    std::size_t m_run = 0;
    int m_item = 0;
    double m_gapMs;
    std::string m_ip;
    std::string m_userAgent;
    std::int64_t m_end;
};

// The shared side of one campaign: its infrastructure pools, texts and pacing knobs.
struct SimCampaignRuntime
{
    const SimCampaignConfig* config = nullptr;
    SimCampaignText text;
    std::vector<std::string> residential;
    std::vector<std::string> datacenter;
    std::vector<std::string> userAgents;
    std::vector<std::string> models;
    std::int64_t startMs = 0;
    std::int64_t endMs = 0;
    bool chase = false;
};

// The access paths a hydra account can use.
enum class SimAccessPath { Direct, Reseller, Cloud };

// Infrastructure of the intermediaries that benign and attack traffic both pass through.
struct SimIntermediaries
{
    std::string resellerOrg;
    std::vector<std::string> resellerIps;
    std::string resellerUserAgent;
    std::string cloudOrg;
    std::vector<std::string> cloudIps;
    std::string cloudUserAgent;
    static constexpr const char* kCloudEndpoint = "/v1/partner/messages";
};

// One work stream of a hydra network: an ordered chain of accounts, each taking
// over the same task list when the previous one drops out, paced in bursts that
// stay under the account's rate limit, around the clock.
class SimHydraWorker final : public SimActor
{
public:
    struct Member
    {
        SimAccount* account;
        std::int64_t from;
        std::int64_t to;
        SimAccessPath path;
        std::string ip;
        std::string userAgent;
        std::int64_t quota = 0; // requests this account is meant to send (its share of the stream's work)
    };
    SimHydraWorker(const SimCampaignRuntime& rt, const SimIntermediaries& mid, std::vector<Member> members,
                   std::int64_t quota, std::uint64_t cursor, std::uint64_t seed, const SimContext& ctx);
    void produce(SimRequest& r, const SimContext& ctx) override;

private:
    void advance();
    void nextMember(std::int64_t carry);
    const SimCampaignRuntime& m_rt;
    const SimIntermediaries& m_mid;
    std::vector<Member> m_members;
    std::size_t m_cur = 0;
    std::int64_t m_memberLeft = 0;
    std::uint64_t m_cursor;
    int m_burstLeft = 0;
    double m_intraGapMs;
    std::int64_t m_chaseAt = kNever;
};

} // namespace ds
