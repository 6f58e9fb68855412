#include "TrainingSet.h"

#include <cstdint>

namespace ds {

namespace {

// Deterministic generator (splitmix64): the same sets on every machine.
struct Rng
{
    std::uint64_t s;
    std::uint64_t next()
    {
        std::uint64_t z = (s += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
    bool chance(int percent) { return below(100) < static_cast<std::size_t>(percent); }
    template<typename V>
    const auto& pick(const V& v) { return v[below(v.size())]; }
};

using List = std::vector<std::string>;

// The phrasings of one set: openers, reasoning requests, format requests,
// rewrite requests, code-test requests; and what ordinary users add.
struct Phrases
{
    List openers, reasoning, formats, rewrites, codeAsks, toolAsks, benignOpeners, benignClosers;
};

// Reasoning requests of the training set are composed (verb x object x tail), so
// the model learns the concept's words rather than a handful of sentences.
List composedReasoning()
{
    const List verbs = {"Show", "Lay out", "Write out", "Spell out", "Walk me through", "Give", "Include",
                        "Present", "Detail", "Explain", "Describe", "Document", "List"};
    const List objects = {"your reasoning", "each step", "all the steps", "your thought process", "your working",
                          "the full derivation", "every intermediate step", "how you got there", "your logic",
                          "the whole chain of reasoning", "your complete reasoning", "each calculation",
                          "the rationale behind each step", "a justification for every step", "your intermediate results",
                          "the method you used", "how you reasoned about it"};
    const List tails = {"", " before the final answer", " in full", " step by step", " carefully",
                        ", and don't skip anything", " so I can check it", " in detail"};
    List out;
    for (const auto& v : verbs)
        for (const auto& o : objects)
            for (const auto& t : tails)
                out.push_back(v + " " + o + t + ".");
    for (const char* s : {"Think step by step.", "Let's think step by step.", "Reason step by step.",
                          "Think it through carefully before answering.", "Work it out step by step.",
                          "Solve it step-by-step.", "Use chain-of-thought reasoning.",
                          "Reason out loud first, then answer."})
        out.push_back(s);
    return out;
}

// Rewrite-to-avoid-the-topic requests, composed like the reasoning requests.
List composedRewrites()
{
    const List verbs = {"Rewrite", "Rephrase", "Reword", "Reformulate", "Paraphrase", "Restate", "Recast", "Transform",
                        "Convert", "Turn"};
    const List objects = {"this question", "the following prompt", "the request below", "this text", "the question"};
    const List aims = {"so it avoids the sensitive topic", "so that it is politically neutral", "into a safe alternative",
                       "without the controversial part", "so a content filter would accept it",
                       "so it no longer mentions anything taboo", "in a harmless way", "so nothing offensive remains",
                       "to remove the sensitive subject", "so that it can't be censored", "into neutral phrasing"};
    List out;
    for (const auto& v : verbs)
        for (const auto& o : objects)
            for (const auto& a : aims)
                out.push_back(v + " " + o + " " + a + ":");
    return out;
}

Phrases trainingPhrases()
{
    Phrases p;
    p.openers = {"", "", "Hi!", "Hello.", "Hey there,", "Good afternoon.", "Question for you:",
                 "Here's one for you.", "I'm stuck on this.", "Can you help me with the following?", "Please help.",
                 "Okay, next one.", "Try this one:", "Solve the following problem.", "Problem:", "Task:",
                 "Consider this question.", "Here is the question.", "Next item:", "Answer the question below."};
    p.reasoning = composedReasoning();
    p.formats = {"Give the final answer after '####'.", "Return JSON with fields \"steps\" and \"answer\".",
                 "Put your final answer in \\boxed{}.", "Answer format: Final Answer: <value>",
                 "Use numbered steps.", "Write the answer on the last line.", "End with the answer in bold.",
                 "Format the solution in Markdown with headings.", "Respond in YAML with reasoning and result keys.",
                 "Finish with 'Therefore, the answer is X.'"};
    p.rewrites = composedRewrites();
    p.codeAsks = {"Complete the function so that all the tests pass.", "Write the implementation and include unit tests.",
                  "Make the asserts below pass.", "Implement this and add test cases with assert statements.",
                  "Finish the code; it must pass the doctests.", "Provide a solution with pytest tests."};
    p.toolAsks = {"Call the right function with the correct arguments.", "Respond with the function call only.",
                  "Use the available tools to answer.", "Return the tool call as JSON."};
    p.benignOpeners = {"", "", "", "hi", "Hello!", "Hey,", "Quick one:", "Can you help?", "I was wondering,",
                       "My friend asked me this:", "Sorry if this is basic,", "ok so"};
    p.benignClosers = {"", "", "", "Thanks!", "Thanks in advance.", "Keep it short please.", "In simple terms.",
                       "Any ideas?", "Cheers", "thx", "Please be brief.", "Bullet points are fine."};
    return p;
}

Phrases evaluationPhrases()
{
    Phrases p;
    p.openers = {"", "", "Greetings.", "Yo!", "Morning!", "Riddle me this:", "From our problem set:",
                 "Assignment item 4:", "Please tackle the following.", "Have a look at this one."};
    p.reasoning = {"Narrate every move you make on the way to the result.",
                   "I want to see the full path from the givens to the answer, nothing hidden.",
                   "Before answering, reason it out explicitly and keep all your intermediate work visible.",
                   "Go slowly and justify each transition in your solution.",
                   "Produce a detailed rationale first; the answer comes last.",
                   "Make your whole line of thought visible, one stage at a time.",
                   "Please derive it carefully, showing each sub-result.",
                   "Don't just give the number: take me through the derivation."};
    p.formats = {"Close with 'ANSWER: <value>'.", "Output a JSON object {\"rationale\": ..., \"final\": ...}.",
                 "The last line must contain only the result.", "Enumerate the stages as 1), 2), 3)."};
    p.rewrites = {"Turn this into a version that steers clear of the politically charged topic:",
                  "Soften the following question so that no sensitive subject remains:",
                  "Transform the prompt below into an innocuous one that avoids the controversy:"};
    p.codeAsks = {"Your code has to satisfy the assertions that follow.", "Add a test suite and make it pass.",
                  "Write it so the provided doctest examples succeed."};
    p.toolAsks = {"Choose a function from the schema and fill in its arguments.", "Emit the invocation for the tool."};
    p.benignOpeners = {"", "", "", "Hi all,", "hello there", "Hmm,", "Random question:", "Need some advice:"};
    p.benignClosers = {"", "", "", "Thank you!", "Appreciate it.", "Short answer please.", "no rush"};
    return p;
}

void join(std::string& out, const std::string& part, const char* sep)
{
    if (part.empty())
        return;
    if (!out.empty())
        out += sep;
    out += part;
}

// A task in an elicitation wrapper: opener, task, reasoning request, format request,
// in one of several layouts (same line, own paragraphs, request first).
std::string wrapHarvest(Rng& rng, const Phrases& p, const std::string& task, bool elicit)
{
    const std::string opener = rng.pick(p.openers);
    const std::string reasoning = elicit ? rng.pick(p.reasoning) : std::string();
    const std::string format = rng.chance(50) ? rng.pick(p.formats) : std::string();
    std::string out;
    switch (rng.below(4)) {
    case 0:
        join(out, opener, " ");
        join(out, task, " ");
        join(out, reasoning, " ");
        join(out, format, " ");
        break;
    case 1:
        join(out, opener, "\n\n");
        join(out, task, "\n\n");
        join(out, reasoning, "\n\n");
        join(out, format, " ");
        break;
    case 2:
        join(out, reasoning, "\n\n");
        join(out, task, "\n\n");
        join(out, format, "\n\n");
        break;
    default:
        join(out, opener, "\n");
        join(out, reasoning, " ");
        join(out, task, "\n\n");
        join(out, format, "\n");
        break;
    }
    return out;
}

std::string wrapBenign(Rng& rng, const Phrases& p, const std::string& text)
{
    std::string out;
    join(out, rng.pick(p.benignOpeners), " ");
    join(out, text, " ");
    join(out, rng.pick(p.benignClosers), rng.chance(50) ? " " : "\n\n");
    return out;
}

} // namespace

std::vector<HarvestExample> buildHarvestSet(const SimCorpus& c, CorpusPart part, Phrasing phrasing)
{
    const Phrases p = phrasing == Phrasing::Training ? trainingPhrases() : evaluationPhrases();
    Rng rng{phrasing == Phrasing::Training ? 0x747261696eull : 0x6576616cull};
    std::vector<HarvestExample> out;
    auto inPart = [&](const std::string& task) { return corpusSplit(task) == part; };
    auto add = [&](std::string sys, std::string prompt, int tools, bool harvest, const char* kind) {
        out.push_back({std::move(sys), std::move(prompt), tools, harvest, kind});
    };

    // Positives: benchmark-shaped tasks, raw (a third of the adversary's) and wrapped.
    for (const auto& t : c.gsm8k) {
        if (!inPart(t.question) || !rng.chance(40))
            continue;
        if (rng.chance(33))
            add({}, t.question, 0, true, "math-raw");
        else
            add({}, wrapHarvest(rng, p, t.question, true), 0, true, "math-wrapped");
    }
    for (const auto& code : c.humaneval) {
        if (!inPart(code))
            continue;
        for (int k = 0; k < 3; ++k) {
            if (k == 0)
                add({}, code, 0, true, "code-tests-raw");
            else
                add({}, wrapHarvest(rng, p, code + "\n\n" + rng.pick(p.codeAsks), rng.chance(50)), 0, true, "code-tests-wrapped");
        }
    }
    for (const auto& t : c.codegen) {
        if (!inPart(t.instruction) || !rng.chance(50))
            continue;
        std::string task = t.instruction;
        if (!t.input.empty())
            task += "\n\n" + t.input;
        if (rng.chance(33))
            add({}, task, 0, true, "codegen-raw");
        else
            add({}, wrapHarvest(rng, p, task + (rng.chance(50) ? " " + rng.pick(p.codeAsks) : std::string()), true), 0,
                true, "codegen-wrapped");
    }
    for (const auto& t : c.selfInstruct) {
        if (!inPart(t.instruction))
            continue;
        std::string task = t.instruction;
        if (!t.input.empty())
            task += "\n" + t.input;
        add({}, wrapHarvest(rng, p, task, true), 0, true, "instruct-wrapped");
    }
    for (const auto& t : c.tools) {
        if (!inPart(t.question))
            continue;
        const int n = static_cast<int>(t.toolNames.size());
        if (rng.chance(50))
            add({}, t.question, n, true, "tools-raw");
        else
            add({}, t.question + "\n\n" + rng.pick(p.toolAsks) + "\n\nFunctions:\n" + t.schemaJson, 0, true, "tools-schema");
    }
    // Grading: the judge templates filled with a question and candidate answers
    // (the question decides the part, as the judge templates are few).
    for (std::size_t i = 0; i < c.gsm8k.size(); i += 23) {
        const auto& t = c.gsm8k[i];
        if (!inPart(t.question))
            continue;
        const auto& j = rng.pick(c.judges);
        std::string prompt = j.promptTemplate;
        auto fill = [&](const std::string& slot, const std::string& value) {
            for (std::size_t at; (at = prompt.find(slot)) != std::string::npos;)
                prompt.replace(at, slot.size(), value);
        };
        fill("{question}", t.question);
        for (const char* s : {"{answer}", "{answer_a}", "{answer_b}", "{ref_answer_1}", "{answer_1}", "{answer_2}",
                              "{question_1}", "{question_2}", "{answer_a_1}", "{answer_a_2}", "{answer_b_1}",
                              "{answer_b_2}", "{ref_answer_2}"})
            fill(s, rng.pick(c.gsm8k).answer);
        add(rng.chance(70) ? j.systemPrompt : std::string(), prompt, 0, true, "rubric");
    }
    for (const auto& q : c.chat) {
        if (!inPart(q) || !rng.chance(20))
            continue;
        add({}, rng.pick(p.rewrites) + (rng.chance(50) ? "\n\n" : " ") + q, 0, true, "rewrite");
    }

    // Negatives: what ordinary users and developers ask, raw or with their own openers and closers;
    // some developers work through agents that offer tools.
    for (const auto& q : c.chat) {
        if (!inPart(q))
            continue;
        add({}, rng.chance(50) ? q : wrapBenign(rng, p, q), 0, false, "chat");
    }
    for (const auto& q : c.devQuestions) {
        if (!inPart(q))
            continue;
        const bool agent = rng.chance(25);
        add(agent ? "You are a coding agent working in the user's repository." : std::string(),
            rng.chance(50) ? q : wrapBenign(rng, p, q), agent ? static_cast<int>(3 + rng.below(10)) : 0, false,
            agent ? "dev-agentic" : "dev");
    }
    return out;
}

} // namespace ds
