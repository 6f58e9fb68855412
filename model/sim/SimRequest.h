#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ds {

// One account of the simulated population: what accounts.csv and truth.csv say
// about it, plus the count of requests it sent. Owned by the simulator; the
// generation thread only.
struct SimAccount
{
    std::string id;
    std::string org;
    std::string emailDomain;
    std::string payment;
    std::string country;
    std::string tier;
    bool verified = true;
    std::int64_t createdAt = 0;
    std::string label;    // "attacker" or "benign"
    std::string campaign; // empty for benign accounts
    std::string role;
    std::vector<std::string> keys;
    std::int64_t requests = 0;
};

// What kind of answer a request asks for: decides tokens, stop reason and latency.
enum class SimAnswerKind {
    Chat,
    Coding,
    Writing,
    EvalMaths,
    EvalCode,
    BatchLabel,
    BatchExtract,
    BatchTranslate,
    HarvestReasoning, // long chain-of-thought outputs
    Grading,
    SensitiveRewrite,
    ToolCall,
    AgentCoding,
    DataAnalysis,
    Tutoring, // help for a student or with homework: explanations of moderate length
};

// One request record being built; reused from request to request to avoid
// allocations. The generation thread only.
struct SimRequest
{
    std::int64_t ts = 0;
    std::string requestId;
    const SimAccount* account = nullptr;
    const std::string* apiKey = nullptr;
    std::string ip;
    std::string userAgent;
    std::string model;
    const char* endpoint = "/v1/messages";
    std::string systemPrompt;
    std::string prompt;
    std::vector<std::string> tools;
    int assistantContextTokens = 0; // earlier assistant turns of a conversation, billed as input
    SimAnswerKind kind = SimAnswerKind::Chat;
    int maxTokens = 1024;

    // Filled by SimResponseModel.
    int promptTokens = 0;
    int completionTokens = 0;
    const char* stopReason = nullptr; // null for errors
    int latencyMs = 0;
    int status = 200;

    void clear()
    {
        requestId.clear();
        ip.clear();
        userAgent.clear();
        model.clear();
        endpoint = "/v1/messages";
        systemPrompt.clear();
        prompt.clear();
        tools.clear();
        assistantContextTokens = 0;
        kind = SimAnswerKind::Chat;
        maxTokens = 1024;
        stopReason = nullptr;
        status = 200;
    }
};

// Appends `r` as one canonical JSON line (with '\n') to `out`.
void simAppendJsonLine(std::string& out, const SimRequest& r);
// Appends RFC 3339 UTC with milliseconds ("2026-02-03T14:22:05.123Z").
void simAppendIso(std::string& out, std::int64_t epochMs);

} // namespace ds
