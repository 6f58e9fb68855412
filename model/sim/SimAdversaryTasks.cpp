#include "sim/SimAdversary.h"
#include "sim/SimTemplate.h"
#include "text/CorpusSplit.h"

#include <array>

namespace ds {

namespace {

template<std::size_t N> const char* any(SimRng& rng, const std::array<const char*, N>& a)
{
    return a[rng.below(N)];
}

// Phrase banks of the wrappers. Each account draws one entry of each bank once, so an account is consistent and
// accounts differ; the banks multiply into millions of wrappers (styleVariants()).
constexpr std::array<const char*, 8> kGreetings
    = { "", "", "Hi.", "Hello.", "Hey!", "Hi there,", "Morning!", "Good afternoon." };
constexpr std::array<const char*, 12> kOpenerAsks = { "Could you help me with this?",
                                                      "I need a hand with the following.",
                                                      "Here is something I am working on.",
                                                      "Please look at this one.",
                                                      "Can you work through this for me?",
                                                      "I'd like your take on this.",
                                                      "Try this one:",
                                                      "Next item:",
                                                      "I have a question for you.",
                                                      "This one has me stuck.",
                                                      "Got another one.",
                                                      "Let's do this together." };
constexpr std::array<const char*, 9> kReasonVerbs
    = { "Walk me through", "Lay out",    "Spell out", "Show",   "Write out",
        "Take me through", "Go through", "Give me",   "Set out" };
constexpr std::array<const char*, 8> kReasonObjects
    = { "your full reasoning",    "every step of your thinking", "your whole thought process",
        "each intermediate step", "all of your working",         "the complete chain of reasoning",
        "your reasoning in full", "every calculation you make" };
constexpr std::array<const char*, 8> kReasonQualifiers
    = { " before you answer.",   " in detail.",           " without skipping anything.", " from start to finish.",
        ", one step at a time.", " and check each step.", ", exactly as you think it.",  " - leave nothing out." };
constexpr std::array<const char*, 6> kFormatLeads
    = { "Finish with", "End with", "Close with", "Conclude with", "Wrap up with", "After that, give" };
constexpr std::array<const char*, 6> kFormatObjects = { "the final answer on its own line.",
                                                        "the result after the word 'Answer:'.",
                                                        "the final value in bold.",
                                                        "a one-line summary of the result.",
                                                        "the answer in a box.",
                                                        "a line 'Result = ...'." };
constexpr std::array<const char*, 6> kCodeVerbs = { "Write", "Implement", "Code up", "Produce", "Give me", "Build" };
constexpr std::array<const char*, 5> kCodeObjects = { "a complete solution", "working code", "a clean implementation",
                                                      "the full implementation", "production-quality code" };
constexpr std::array<const char*, 6> kCodeTests = { " together with unit tests that exercise it.",
                                                    " and the tests that prove it works.",
                                                    " plus a test suite covering the edge cases.",
                                                    " and include asserts for the tricky inputs.",
                                                    " with pytest tests alongside.",
                                                    " and run through the tests you would write." };
constexpr std::array<const char*, 4> kCodeExplain
    = { "", " Explain your design as you go.", " Comment every decision.", " Think it through first, then code." };
constexpr std::array<const char*, 5> kToolLeads
    = { "Pick the right tool", "Choose the function that fits", "Work out which API to call",
        "Select the appropriate function", "Figure out the best tool" };
constexpr std::array<const char*, 4> kToolObjects
    = { " and call it with the exact arguments", " and emit the call as JSON",
        ", then give the call with every parameter filled in", " and show the call you would make" };
constexpr std::array<const char*, 4> kToolReasons
    = { "; explain why first.", ", explaining your choice.", ". Reason about it before calling.", "." };
constexpr std::array<const char*, 5> kGradeVerbs = { "Grade", "Score", "Assess", "Evaluate", "Mark" };
constexpr std::array<const char*, 4> kGradeObjects
    = { "the candidate answer", "this response", "the proposed solution", "the answer below" };
constexpr std::array<const char*, 4> kGradeHow
    = { " against the rubric.", " using the criteria given.", " criterion by criterion.", " and justify each score." };
constexpr std::array<const char*, 4> kRewriteVerbs = { "Rewrite", "Rephrase", "Reword", "Recast" };
constexpr std::array<const char*, 3> kRewriteObjects = { "this question", "the question below", "the following" };
constexpr std::array<const char*, 4> kRewriteHow
    = { " so it avoids the political angle.", " into a neutral version that steers clear of the controversy.",
        " so a cautious assistant could answer it.", " in a way that sidesteps the sensitive topic." };
constexpr std::array<const char*, 9> kLabels
    = { "", "", "", "Problem:", "Task:", "Here it is:", "Input:", "Item:", "Question:" };

// Rubrics of the grading tasks (the operation's own).
constexpr std::array<const char*, 6> kRubrics
    = { "Rubric: (a) the final number is right; (b) each step follows from the last; (c) units are stated.",
        "Criteria, 0 to 5 each: correctness, method, clarity of explanation.",
        "Full marks need a correct answer and a valid method. Take off one point per arithmetic slip.",
        "Score 1-10. Reward sound reasoning even when the final value is off; penalise guessing.",
        "Check: is the setup right? Is every operation justified? Is the final answer stated plainly?",
        "Points: 4 for the method, 4 for the arithmetic, 2 for presentation." };

// Sensitive questions to rewrite (the operation's own forms; {year}, {place}).
constexpr std::array<const char*, 14> kSensitive
    = { "What really happened in the square during the {year} unrest in {place}?",
        "Who gave the order to fire on the marchers in {place} in {year}?",
        "Why were the {year} election observers expelled from {place}?",
        "How many people were detained after the {year} strike in {place}?",
        "Is the official account of the {year} riots in {place} believable?",
        "Why is the {year} famine in {place} left out of school textbooks?",
        "What did the banned {year} report say about the camps in {place}?",
        "Which ministers profited from the {year} land seizures in {place}?",
        "Why can't anyone search for the {year} protest leader from {place} online?",
        "Did the army stage the {year} border incident near {place}?",
        "What happened to the monks who spoke out in {place} in {year}?",
        "Why were foreign journalists barred from {place} after {year}?",
        "Who profits from the forced relocations in {place} since {year}?",
        "Was the {year} referendum in {place} rigged?" };
constexpr std::array<const char*, 12> kPlaces
    = { "the capital",         "the northern provinces", "the river delta",    "the old town",  "the mining region",
        "the islands",         "the frontier",           "the eastern valley", "the port city", "the highlands",
        "the western plateau", "the university district" };

// The operation's own function-calling demonstrations: a tool schema and requests with slot values.
struct OwnTool
{
    const char* name;
    const char* schema;
    std::array<const char*, 3> asks;
};
constexpr std::array<OwnTool, 8> kOwnTools = { {
    { "get_forecast",
      R"([{"name":"get_forecast","description":"Weather forecast for a city","parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"},"units":{"type":"string","enum":["metric","imperial"]}},"required":["city"]}}])",
      { "Will it rain in {city} over the next {n} days?",
        "What's the weather going to be like in {city} this week, in {units} units?",
        "I'm travelling to {city} in {n} days - should I pack a coat?" } },
    { "convert_currency",
      R"([{"name":"convert_currency","description":"Convert an amount between currencies","parameters":{"type":"object","properties":{"amount":{"type":"number"},"from":{"type":"string"},"to":{"type":"string"}},"required":["amount","from","to"]}}])",
      { "How much is {amount} {cur} in {cur2}?", "Convert {amount} {cur} to {cur2} for me.",
        "I have {amount} {cur}; what do I get in {cur2}?" } },
    { "book_table",
      R"([{"name":"book_table","description":"Reserve a restaurant table","parameters":{"type":"object","properties":{"restaurant":{"type":"string"},"time":{"type":"string"},"party_size":{"type":"integer"}},"required":["restaurant","time","party_size"]}}])",
      { "Book a table for {n} at {restaurant} at {time}.",
        "Can you get us a table at {restaurant}, {n} people, around {time}?",
        "Reserve {restaurant} for {time}, party of {n}." } },
    { "search_flights",
      R"([{"name":"search_flights","description":"Search flights","parameters":{"type":"object","properties":{"origin":{"type":"string"},"destination":{"type":"string"},"date":{"type":"string"},"max_stops":{"type":"integer"}},"required":["origin","destination","date"]}}])",
      { "Find me a flight from {city} to {city2} on {date}.", "Any direct flights {city} - {city2} on {date}?",
        "I need to fly to {city2} from {city} on {date}, at most {n} stops." } },
    { "create_event",
      R"([{"name":"create_event","description":"Add a calendar event","parameters":{"type":"object","properties":{"title":{"type":"string"},"start":{"type":"string"},"duration_minutes":{"type":"integer"}},"required":["title","start"]}}])",
      { "Put '{title}' in my calendar on {date} at {time} for {n} minutes.", "Schedule {title} for {date}, {time}.",
        "Add a {n}-minute {title} on {date} at {time}." } },
    { "stock_quote",
      R"([{"name":"stock_quote","description":"Latest price of a listed share","parameters":{"type":"object","properties":{"ticker":{"type":"string"},"exchange":{"type":"string"}},"required":["ticker"]}}])",
      { "What's {ticker} trading at right now?", "Get me the latest quote for {ticker}.",
        "Has {ticker} gone up today? Check the price." } },
    { "translate_text",
      R"([{"name":"translate_text","description":"Translate text","parameters":{"type":"object","properties":{"text":{"type":"string"},"target_language":{"type":"string"}},"required":["text","target_language"]}}])",
      { "Translate '{title}' into {lang}.", "How do you say '{title}' in {lang}?",
        "I need '{title}' in {lang}, please." } },
    { "query_orders",
      R"([{"name":"query_orders","description":"Look up a customer's orders","parameters":{"type":"object","properties":{"customer_id":{"type":"string"},"status":{"type":"string","enum":["open","shipped","returned"]},"limit":{"type":"integer"}},"required":["customer_id"]}}])",
      { "Show the {status} orders of customer C-{num}.", "List the last {n} orders for C-{num}.",
        "Has customer C-{num} got any {status} orders?" } },
} };
constexpr std::uint32_t kGeneratedRewrites = 8000;
constexpr std::uint32_t kGeneratedTools = 6000;

constexpr std::array<const char*, 12> kCities = { "Lisbon",  "Osaka", "Denver", "Nairobi", "Krakow",  "Lima",
                                                  "Toronto", "Hanoi", "Oslo",   "Perth",   "Seville", "Cairo" };
constexpr std::array<const char*, 6> kCurrencies = { "EUR", "USD", "JPY", "GBP", "CHF", "BRL" };
constexpr std::array<const char*, 6> kRestaurants
    = { "Casa Lupo", "The Green Fig", "Sakura Tei", "Bistro 21", "Harbour Grill", "Olive & Thyme" };
constexpr std::array<const char*, 6> kTitles = { "team retro", "dentist appointment",    "quarterly review",
                                                 "yoga class", "call with the landlord", "budget planning" };
// Event titles and phrases to translate: a kind and a subject, so that generated tasks rarely repeat.
constexpr std::array<const char*, 8> kTitleKinds
    = { "weekly", "short", "urgent", "monthly", "informal", "final", "optional", "follow-up" };
constexpr std::array<const char*, 5> kLangsHuman = { "French", "Korean", "Portuguese", "Polish", "Turkish" };
const std::vector<std::string> kIdeTools = { "read_file", "write_file", "run_tests", "shell" };

std::vector<std::uint32_t> heldout(std::size_t n, const auto& textOf)
{
    std::vector<std::uint32_t> out;
    for (std::size_t i = 0; i < n; ++i)
        if (corpusSplit(textOf(i)) == CorpusPart::Heldout)
            out.push_back(static_cast<std::uint32_t>(i));
    return out;
}

} // namespace

SimAdversaryTasks::SimAdversaryTasks(const SimCorpus& c)
    : m_c(c)
    , m_maths(heldout(c.gsm8k.size(), [&](std::size_t i) -> const std::string& { return c.gsm8k[i].question; }))
    , m_functions(heldout(c.humaneval.size(), [&](std::size_t i) -> const std::string& { return c.humaneval[i]; }))
    , m_features(
          heldout(c.codegen.size(), [&](std::size_t i) -> const std::string& { return c.codegen[i].instruction; }))
    , m_tools(heldout(c.tools.size(), [&](std::size_t i) -> const std::string& { return c.tools[i].question; }))
{
}

std::uint32_t SimAdversaryTasks::poolSize(SimTaskFamily f) const
{
    switch (f) {
    case SimTaskFamily::Maths:
    case SimTaskFamily::Grading:
        return static_cast<std::uint32_t>(m_maths.size());
    case SimTaskFamily::Rewrite:
        return kGeneratedRewrites;
    case SimTaskFamily::ToolUse:
        return static_cast<std::uint32_t>(m_tools.size()) + kGeneratedTools;
    case SimTaskFamily::CodeFunction:
        return static_cast<std::uint32_t>(m_functions.size());
    case SimTaskFamily::CodeFeature:
        return static_cast<std::uint32_t>(m_features.size());
    }
    return 1;
}

void SimAdversaryTasks::taskText(const SimAdversaryTask& t, std::string& out, std::vector<std::string>* tools) const
{
    const std::uint32_t n = poolSize(t.family);
    const std::uint32_t item = n ? t.item % n : 0;
    // Generated parts of a task come from the task's own generator, so every account asking it sends the same text.
    SimRng rng(simMixSeed(simLabelSeed("adversary-task") + static_cast<std::uint64_t>(t.family), item));
    switch (t.family) {
    case SimTaskFamily::Maths:
        out += m_c.gsm8k[m_maths[item]].question;
        break;
    case SimTaskFamily::Grading: {
        const SimCorpus::MathTask& q = m_c.gsm8k[m_maths[item]];
        // Half the candidates are the reference solution, half another problem's (a wrong answer to catch).
        const SimCorpus::MathTask& cand = rng.chance(0.5) ? q : m_c.gsm8k[m_maths[(item * 31 + 7) % n]];
        out += any(rng, kRubrics);
        out += "\n\nQuestion: ";
        out += q.question;
        out += "\n\nCandidate answer:\n";
        out += cand.answer;
        break;
    }
    case SimTaskFamily::Rewrite: {
        // The item's digits choose form, place and year: distinct items are distinct questions (no chance repeats).
        std::uint64_t k = item;
        const char* form = kSensitive[k % kSensitive.size()];
        k /= kSensitive.size();
        const char* place = kPlaces[k % kPlaces.size()];
        k /= kPlaces.size();
        const std::string year = std::to_string(1976 + k % 50);
        simFillTemplate(out, form,
                        [&](std::string_view s, std::string& o) { o += s == "year" ? year : std::string(place); });
        break;
    } break;
    case SimTaskFamily::ToolUse: {
        if (item < m_tools.size()) {
            const SimCorpus::ToolTask& tt = m_c.tools[m_tools[item]];
            out += tt.question;
            out += "\n\nTools:\n";
            out += tt.schemaJson;
            if (tools)
                *tools = tt.toolNames;
            break;
        }
        const OwnTool& tool = kOwnTools[(item - m_tools.size()) % kOwnTools.size()];
        // Categorical slots take the item's digits (distinct items differ), wide numbers come from its generator.
        std::uint64_t k = (item - m_tools.size()) / kOwnTools.size();
        auto digit = [&k](std::uint64_t base) {
            const std::uint64_t d = k % base;
            k /= base;
            return d;
        };
        simFillTemplate(out, tool.asks[digit(tool.asks.size())], [&](std::string_view s, std::string& o) {
            if (s == "city")
                o += kCities[digit(6)];
            else if (s == "city2")
                o += kCities[6 + digit(6)];
            else if (s == "n")
                o += std::to_string(2 + digit(8));
            else if (s == "units")
                o += digit(2) ? "metric" : "imperial";
            else if (s == "amount")
                o += std::to_string(rng.range(20, 9000));
            else if (s == "cur")
                o += kCurrencies[digit(3)];
            else if (s == "cur2")
                o += kCurrencies[3 + digit(3)];
            else if (s == "restaurant")
                o += kRestaurants[digit(kRestaurants.size())];
            else if (s == "time")
                o += std::to_string(7 + digit(15)) + (digit(2) ? ":00" : ":30");
            else if (s == "date")
                o += "2026-0" + std::to_string(3 + digit(7)) + "-" + std::to_string(10 + digit(19));
            else if (s == "title")
                o += std::string(kTitleKinds[digit(kTitleKinds.size())]) + ' ' + kTitles[digit(kTitles.size())];
            else if (s == "ticker") {
                for (int letters = static_cast<int>(rng.range(3, 4)); letters > 0; --letters)
                    o += static_cast<char>('A' + rng.below(26)); // a made-up listed company
            } else if (s == "lang")
                o += kLangsHuman[digit(kLangsHuman.size())];
            else if (s == "status")
                o += digit(2) ? "open" : "returned";
            else
                o += std::to_string(rng.range(10000, 99999));
        });
        out += "\n\nTools:\n";
        out += tool.schema;
        if (tools)
            *tools = { tool.name };
        break;
    }
    case SimTaskFamily::CodeFunction:
        out += "```python\n";
        out += m_c.humaneval[m_functions[item]];
        out += "```";
        break;
    case SimTaskFamily::CodeFeature: {
        const SimCorpus::Instruction& in = m_c.codegen[m_features[item]];
        out += in.instruction;
        if (!in.input.empty()) {
            out += "\n\n";
            out += in.input;
        }
        break;
    }
    }
}

SimWrapperStyle SimAdversaryTasks::drawStyle(SimRng& rng)
{
    SimWrapperStyle s;
    const std::string greeting = any(rng, kGreetings);
    s.opener = greeting.empty() ? std::string(any(rng, kOpenerAsks)) : greeting + ' ' + any(rng, kOpenerAsks);
    s.reasoningAsk = std::string(any(rng, kReasonVerbs)) + ' ' + any(rng, kReasonObjects) + any(rng, kReasonQualifiers);
    s.formatAsk = std::string(any(rng, kFormatLeads)) + ' ' + any(rng, kFormatObjects);
    s.codingAsk = std::string(any(rng, kCodeVerbs)) + ' ' + any(rng, kCodeObjects) + any(rng, kCodeTests)
        + any(rng, kCodeExplain);
    s.toolAsk = std::string(any(rng, kToolLeads)) + any(rng, kToolObjects) + any(rng, kToolReasons);
    s.gradingAsk = std::string(any(rng, kGradeVerbs)) + ' ' + any(rng, kGradeObjects) + any(rng, kGradeHow);
    s.rewriteAsk = std::string(any(rng, kRewriteVerbs)) + ' ' + any(rng, kRewriteObjects) + any(rng, kRewriteHow);
    s.label = any(rng, kLabels);
    s.arrangement = static_cast<int>(rng.below(4));
    return s;
}

double SimAdversaryTasks::styleVariants()
{
    const double opener = (kGreetings.size() - 1) * kOpenerAsks.size(); // two empty greetings are one choice
    return opener * kReasonVerbs.size() * kReasonObjects.size() * kReasonQualifiers.size() * kFormatLeads.size()
        * kFormatObjects.size() * (kLabels.size() - 2) * 4;
}

void SimAdversaryTasks::fill(const SimAdversaryTask& t, const SimWrapperStyle* style, SimRng& rng, SimRequest& r) const
{
    std::vector<std::string> tools;
    std::string body;
    taskText(t, body, &tools);
    const bool code = t.family == SimTaskFamily::CodeFunction || t.family == SimTaskFamily::CodeFeature;
    switch (t.family) {
    case SimTaskFamily::Maths:
        r.kind = style ? SimAnswerKind::HarvestReasoning : SimAnswerKind::EvalMaths;
        break;
    case SimTaskFamily::Grading:
        r.kind = SimAnswerKind::Grading;
        break;
    case SimTaskFamily::Rewrite:
        r.kind = SimAnswerKind::SensitiveRewrite;
        break;
    case SimTaskFamily::ToolUse:
        r.kind = SimAnswerKind::ToolCall;
        break;
    case SimTaskFamily::CodeFunction:
    case SimTaskFamily::CodeFeature:
        r.kind = style ? SimAnswerKind::AgentCoding : SimAnswerKind::Coding;
        break;
    }
    if (t.family == SimTaskFamily::ToolUse)
        r.tools = std::move(tools);
    else if (code && rng.chance(0.5))
        r.tools = kIdeTools;
    if (!style) {
        r.prompt += body;
        return;
    }
    std::string ask, format;
    switch (t.family) {
    case SimTaskFamily::Maths:
        ask = style->reasoningAsk;
        format = style->formatAsk;
        break;
    case SimTaskFamily::Grading:
        ask = style->gradingAsk + ' ' + style->reasoningAsk;
        format = style->formatAsk;
        break;
    case SimTaskFamily::Rewrite:
        ask = style->rewriteAsk + ' ' + style->reasoningAsk;
        break;
    case SimTaskFamily::ToolUse:
        ask = style->toolAsk;
        break;
    case SimTaskFamily::CodeFunction:
    case SimTaskFamily::CodeFeature:
        ask = style->codingAsk;
        break;
    }
    if (!style->label.empty())
        body = style->label + '\n' + body;
    std::string& p = r.prompt;
    auto join = [&p](const std::string& part, const char* sep) {
        if (part.empty())
            return;
        if (!p.empty())
            p += sep;
        p += part;
    };
    switch (style->arrangement) {
    case 0:
        join(style->opener, "");
        join(body, "\n\n");
        join(ask, "\n\n");
        join(format, " ");
        break;
    case 1:
        join(ask, "");
        join(body, "\n\n");
        join(format, "\n\n");
        break;
    case 2:
        join(style->opener, "");
        join(ask, " ");
        join(body, "\n\n");
        join(format, "\n\n");
        break;
    default:
        join(body, "");
        join(ask, "\n\n");
        join(format, " ");
        break;
    }
}

} // namespace ds
