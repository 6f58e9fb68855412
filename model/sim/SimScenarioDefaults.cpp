#include "sim/SimScenario.h"

#include "core/Timestamp.h"

// The default knobs. Template text lives here (and can be overridden per scenario)
// so that a scenario file stays short while --print-scenario still shows everything.

namespace ds {

SimCampaignConfig simDefaultCampaign(const QString& kind)
{
    SimCampaignConfig c;
    c.kind = kind;
    if (kind == QLatin1String("reasoning")) {
        c.name = QStringLiteral("hydra-reasoning");
        c.models = {QStringLiteral("claude-opus-4-5"), QStringLiteral("claude-sonnet-4-5")};
        c.maxTokens = {4096, 8192, 8192, 16000};
        c.userAgents = {QStringLiteral("anthropic-python/0.34.2"), QStringLiteral("python-httpx/0.25.1"),
                        QStringLiteral("anthropic-python/0.36.0")};
        c.systemPrompts = {QString(), QStringLiteral("You are a meticulous tutor. Always show all of your reasoning.")};
        c.templates = {
            QStringLiteral("Solve the problem below. Before the final answer, write out your full internal reasoning "
                           "step by step, including every intermediate calculation and every check you make.\n\n{task}\n\n"
                           "End with a line of the form \"Final answer: <value>\"."),
            QStringLiteral("You are preparing worked solutions for a teaching dataset. Think through the problem "
                           "carefully and show your complete chain of thought before you answer.\n\nProblem: {task}"),
            QStringLiteral("{task}\n\nExplain your reasoning process in detail, step by step, as if thinking aloud. Do not "
                           "skip any step. Put the final answer in \\boxed{}."),
            QStringLiteral("Task: {task}\n\nFirst write your thought process inside <thinking> tags, exhaustive and in full "
                           "detail, then give the answer inside <answer> tags."),
            QStringLiteral("You are an impartial judge. Grade the candidate answer against the rubric below. Score each "
                           "criterion on a scale of 1 to 10, justify every score, then output your verdict as "
                           "\"Rating: [[X]]\".\n\nRubric:\n{rubric}\n\nQuestion:\n{task}\n\nCandidate answer:\n{answer}"),
            QStringLiteral("{judge}"),
            QStringLiteral("Rewrite the following politically sensitive question into a neutral, safe alternative that can "
                           "be answered without controversy. Give three rephrasings and explain which one is safest and why."
                           "\n\nQuestion: {sensitive}"),
        };
        c.accounts = 240;
        c.requests = 150000;
        c.workers = 40;
        c.rateLimitRpm = 50;
        c.burstSize = {3, 12};
        c.camouflageShare = 0.08;
        return c;
    }
    if (kind == QLatin1String("agentic")) {
        c.name = QStringLiteral("hydra-agentic");
        c.models = {QStringLiteral("claude-sonnet-4-5"), QStringLiteral("claude-opus-4-5")};
        c.maxTokens = {4096, 8192};
        c.userAgents = {QStringLiteral("anthropic-typescript/0.27.3"), QStringLiteral("anthropic-python/0.37.1"),
                        QStringLiteral("node-fetch/2.7.0")};
        c.systemPrompts = {
            QStringLiteral("You are an autonomous agent. Decide which tool to call, call it with exact arguments, and "
                           "explain your plan before each call."),
            QStringLiteral("You are a senior data analyst agent. Work step by step and use the tools when needed.")};
        c.templates = {
            QStringLiteral("{tool_question}\n\nUse the available tools. Think about which tool fits before calling it, "
                           "then call it with the exact arguments."),
            QStringLiteral("Available tools:\n{tool_schema}\n\nUser request: {tool_question}\n\nReply with the tool call "
                           "as JSON and a short justification."),
            QStringLiteral("You are working inside a repository as a coding agent. Plan the change, write the code, then "
                           "list the tests you would run.\n\nTask: {task}\n\n{input}"),
            QStringLiteral("Here is an extract of a dataset:\n\n```csv\n{data}```\n\n{analysis_question} Show the analysis "
                           "step by step and give the code you used."),
            QStringLiteral("Act as a data analysis agent. Load the table, compute what is asked and report the result."
                           "\n\nTable:\n{data}\nQuestion: {analysis_question}"),
        };
        c.accounts = 600;
        c.requests = 3400000;
        c.workers = 160;
        c.burstSize = {10, 60};
        c.camouflageShare = 0.05;
        c.resellerShare = 0.25;
        c.cloudShare = 0.15;
        return c;
    }
    if (kind == QLatin1String("coding")) {
        c.name = QStringLiteral("hydra-coding");
        c.models = {QStringLiteral("claude-sonnet-4-5")};
        c.maxTokens = {8192, 16000, 32000};
        c.userAgents = {QStringLiteral("anthropic-python/0.39.0"), QStringLiteral("anthropic-python/0.40.0"),
                        QStringLiteral("OpenAI/Python 1.54.3"), QStringLiteral("litellm/1.52.0")};
        c.systemPrompts = {
            QStringLiteral("You are an expert software engineer operating in an agentic coding loop. Use the tools to "
                           "read files, edit them and run the tests until they pass. Explain each step."),
            QStringLiteral("You are a coding agent. Think step by step, then produce complete, runnable code.")};
        c.templates = {
            QStringLiteral("Complete the implementation below so that all doctests pass. Read the file first, then edit it, "
                           "then run the tests.\n\nFile: {file}\n```python\n{code}```"),
            QStringLiteral("Task: {task}\n\n{input}\n\nWork in the repository: inspect the relevant files, implement the "
                           "change in {lang}, and run the test suite before you finish."),
            QStringLiteral("The test run failed:\n{test_output}\n\nFix the code in {file} and run the tests again.\n\n"
                           "```python\n{code}```"),
            QStringLiteral("Implement this feature end to end in {lang}: {task}\nWrite the full code with comments and "
                           "explain your design decisions in detail."),
        };
        c.accounts = 23000;
        c.requests = 13000000;
        c.workers = 4000;
        c.rateLimitRpm = 50;
        c.burstSize = {4, 20};
        c.camouflageShare = 0.03;
        c.chaseShare = 0.5;
        c.chaseDelayHours = 9;
        return c;
    }
    SimCampaignConfig none;
    none.kind.clear();
    return none;
}

SimScenario SimScenario::defaults()
{
    SimScenario s;
    s.name = QStringLiteral("custom");
    s.startMs = timestamp::daysFromCivil(2026, 2, 2) * 86400000LL;
    s.models = {QStringLiteral("claude-sonnet-4-5"), QStringLiteral("claude-haiku-4-5"), QStringLiteral("claude-opus-4-5")};
    s.modelWeights = {0.6, 0.3, 0.1};
    s.releasedModel = QStringLiteral("claude-sonnet-5");
    s.releaseDay = 7;

    SimBenignConfig& b = s.benign;
    b.casual.accounts = 2000;
    b.casual.sdkShare = 0.1;
    b.casual.codingShare = 0.08;
    b.developer.accounts = 600;
    b.developer.activeDayShare = 0.6;
    b.developer.weekendFactor = 0.3;
    b.developer.sessionsPerDay = {1, 3};
    b.developer.requestsPerSession = {3, 25};
    b.developer.gapMedianSeconds = 90;
    b.developer.localHours = {8, 20};
    b.developer.sdkShare = 0.85;
    b.developer.codingShare = 0.6;
    b.developer.templateUserShare = 0.2;
    b.developer.newModelAdopterShare = 0.3;

    b.batch.templates = {
        QStringLiteral("Classify the support ticket below into one of: billing, outage, account, feature_request, other. "
                       "Answer with the label only.\n\nTicket #{n}:\n{record}"),
        QStringLiteral("Extract the fields {field} from the following document and return them as JSON.\n\n{record}"),
        QStringLiteral("Translate the following product description into {lang}. Keep the formatting.\n\n{record}"),
    };
    b.batch.systemPrompt = QStringLiteral("You are a data processing assistant. Follow the output format exactly.");
    b.evaluator.templates = {
        QStringLiteral("Solve the following math problem. Think step by step, then give the final answer after \"####\"."
                       "\n\n{task}"),
        QStringLiteral("Complete the following Python function. Think step by step about the edge cases, then return only "
                       "the code.\n\n```python\n{code}```"),
    };
    b.reseller.userAgent = QStringLiteral("relaygate-proxy/3.2.1");

    // Hard negatives of the careful-adversary work (issue 13); none unless a scenario asks for them.
    SimSessionProfile& student = b.classroom.sessions;
    student.activeDayShare = 0.4;
    student.weekendFactor = 0.7;
    student.sessionsPerDay = {1, 2};
    student.requestsPerSession = {2, 7};
    student.gapMedianSeconds = 100;
    student.localHours = {9, 23};
    student.followUpShare = 0.35;
    b.homework.accounts = 0;
    b.homework.activeDayShare = 0.15;
    b.homework.sessionsPerDay = {1, 1};
    b.homework.requestsPerSession = {1, 4};
    b.homework.gapMedianSeconds = 120;
    b.homework.localHours = {15, 23};
    b.homework.followUpShare = 0.4;
    b.homework.codingShare = 0;
    b.homework.templateUserShare = 0;
    b.powerUser.accounts = 0;
    b.powerUser.activeDayShare = 0.85;
    b.powerUser.weekendFactor = 0.4;
    b.powerUser.sessionsPerDay = {2, 4};
    b.powerUser.requestsPerSession = {15, 60};
    b.powerUser.gapMedianSeconds = 45;
    b.powerUser.localHours = {8, 20};
    b.powerUser.sdkShare = 1;
    b.powerUser.codingShare = 1;
    b.powerUser.templateUserShare = 0;
    b.powerUser.followUpShare = 0.6;
    b.powerUser.newModelAdopterShare = 0.6;

    s.campaigns = {simDefaultCampaign(QStringLiteral("reasoning")), simDefaultCampaign(QStringLiteral("agentic")),
                   simDefaultCampaign(QStringLiteral("coding"))};
    return s;
}

} // namespace ds
