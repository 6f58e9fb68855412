#include "sim/SimCampaignTasks.h"

#include "sim/SimTemplate.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace ds {

namespace {

template<std::size_t N>
const char* any(SimRng& rng, const std::array<const char*, N>& a)
{
    return a[rng.below(N)];
}

constexpr std::array<const char*, 4> kRubrics = {
    "1. Correctness of the final answer\n2. Validity of every reasoning step\n3. Clarity\n4. Conciseness",
    "- Accuracy (0-10)\n- Completeness (0-10)\n- Logical coherence (0-10)\n- Helpfulness (0-10)",
    "Criterion A: the answer solves the task. Criterion B: no factual errors. Criterion C: the explanation is easy "
    "to follow.",
    "Award points for: correct method, correct arithmetic, a clearly stated final answer. Deduct points for "
    "unjustified leaps."};
constexpr std::array<const char*, 10> kSensitiveForms = {
    "Who was really responsible for the violence during the {year} protests in the capital?",
    "Why does the government censor reporting about the {year} election results?",
    "Is the ruling party's claim over the disputed {region} region legitimate?",
    "What happened to the journalists arrested after the {year} demonstrations?",
    "How are ethnic minorities in the {region} provinces treated by the authorities?",
    "Was the {year} crackdown on student activists justified?",
    "Why are the leader's speeches from {year} no longer available online?",
    "What do exiled dissidents say about the {year} constitutional amendment?",
    "Which officials ordered the internet shutdown in the {region} region in {year}?",
    "Is it true that the state media misreported the {year} floods in the {region} area?"};
constexpr std::array<const char*, 8> kRegions = {"northern", "western", "coastal", "border", "mountain", "southern",
                                                 "eastern", "central"};
constexpr std::array<const char*, 6> kLangs = {"Python", "TypeScript", "Go", "Rust", "Java", "C++"};
constexpr std::array<const char*, 12> kWords = {"parser", "cache", "scheduler", "invoice", "router", "tokenizer",
                                                "graph", "ledger", "auth", "metrics", "upload", "session"};
constexpr std::array<const char*, 3> kTableHeaders = {"month,region,revenue,units\n", "date,sessions,bounce_rate,conversions\n",
                                                      "timestamp,device,temp_c,humidity\n"};
constexpr std::array<std::array<const char*, 3>, 3> kAnalysisQuestions = {{
    {"Which region grew revenue fastest month over month?", "Compute the average revenue per unit by region.",
     "Forecast next month's revenue for each region."},
    {"What is the correlation between sessions and conversions?", "On which day was the conversion rate highest?",
     "Detect anomalies in the bounce rate."},
    {"Which device shows a drift in temperature?", "Compute hourly means and flag outliers.",
     "Is humidity a predictor of temperature here? Fit a regression."}}};
const std::vector<std::string> kCodingTools = {"read_file", "edit_file", "run_tests", "bash", "search_code"};
const std::vector<std::string> kAnalysisTools = {"python", "sql_query"};

} // namespace

SimCampaignText SimCampaignText::from(const SimCampaignConfig& c)
{
    SimCampaignText t;
    t.kind = c.kind == QLatin1String("reasoning") ? Kind::Reasoning
             : c.kind == QLatin1String("agentic") ? Kind::Agentic
                                                  : Kind::Coding;
    for (const QString& s : c.templates)
        t.templates.push_back(s.toStdString());
    for (const QString& s : c.systemPrompts)
        t.systemPrompts.push_back(s.toStdString());
    t.wrapperEditsLo = std::max(0.0, c.wrapperEdits.lo);
    t.wrapperEditsHi = std::max(t.wrapperEditsLo, c.wrapperEdits.hi);
    return t;
}

void SimCampaignTasks::sensitiveQuestion(SimRng& rng, std::string& out) const
{
    simFillTemplate(out, any(rng, kSensitiveForms), [&](std::string_view s, std::string& o) {
        if (s == "year")
            o += std::to_string(rng.range(1979, 2025));
        else
            o += any(rng, kRegions);
    });
}

void SimCampaignTasks::dataTable(SimRng& rng, int kind, std::string& out) const
{
    out += kTableHeaders[static_cast<std::size_t>(kind)];
    const int rows = static_cast<int>(rng.range(6, 14));
    static constexpr std::array<const char*, 4> kRegionsT = {"EMEA", "APAC", "NA", "LATAM"};
    for (int i = 0; i < rows; ++i) {
        if (kind == 0)
            out += "2025-" + std::to_string(1 + i % 12) + "," + kRegionsT[rng.below(4)] + "," +
                   std::to_string(rng.range(10000, 250000)) + "," + std::to_string(rng.range(100, 5000));
        else if (kind == 1)
            out += "2026-01-" + std::to_string(1 + i) + "," + std::to_string(rng.range(500, 90000)) + ",0." +
                   std::to_string(rng.range(20, 80)) + "," + std::to_string(rng.range(5, 900));
        else
            out += "2026-01-02T" + std::to_string(10 + i % 14) + ":00,dev-" + std::to_string(rng.range(1, 9)) + "," +
                   std::to_string(rng.range(15, 35)) + "." + std::to_string(rng.range(0, 9)) + "," +
                   std::to_string(rng.range(20, 90));
        out += '\n';
    }
}

void SimCampaignTasks::judge(std::uint64_t cursor, SimRng& rng, SimRequest& r) const
{
    const SimCorpus::Judge& j = m_c.judges[rng.below(m_c.judges.size())];
    const SimCorpus::MathTask& t = m_c.gsm8k[cursor % m_c.gsm8k.size()];
    const SimCorpus::MathTask& other = m_c.gsm8k[(cursor * 7 + 3) % m_c.gsm8k.size()];
    r.systemPrompt = j.systemPrompt;
    simFillTemplate(r.prompt, j.promptTemplate, [&](std::string_view s, std::string& o) {
        if (s.find("question") != std::string_view::npos)
            o += t.question;
        else if (s.find("ref_answer") != std::string_view::npos)
            o += t.answer;
        else
            o += rng.chance(0.5) ? t.answer : other.answer; // a candidate, right or wrong
    });
}

void SimCampaignTasks::slot(std::string_view name, std::uint64_t cursor, SimRng& rng, const SimCampaignText& c,
                            std::size_t tool, std::string& out) const
{
    const bool reasoning = c.kind == SimCampaignText::Kind::Reasoning;
    if (name == "task") {
        if (reasoning)
            out += cursor % 10 < 7 ? m_c.gsm8k[cursor % m_c.gsm8k.size()].question
                                   : m_c.selfInstruct[cursor % m_c.selfInstruct.size()].instruction;
        else if (c.kind == SimCampaignText::Kind::Agentic && cursor % 3 == 0)
            out += m_c.selfInstruct[cursor % m_c.selfInstruct.size()].instruction;
        else
            out += m_c.codegen[cursor % m_c.codegen.size()].instruction;
    } else if (name == "input") {
        out += c.kind == SimCampaignText::Kind::Agentic && cursor % 3 == 0 ? m_c.selfInstruct[cursor % m_c.selfInstruct.size()].input
                                                                     : m_c.codegen[cursor % m_c.codegen.size()].input;
    } else if (name == "answer") {
        out += m_c.gsm8k[(rng.chance(0.5) ? cursor : cursor * 13 + 5) % m_c.gsm8k.size()].answer;
    } else if (name == "rubric") {
        out += any(rng, kRubrics);
    } else if (name == "sensitive") {
        sensitiveQuestion(rng, out);
    } else if (name == "tool_question") {
        out += m_c.tools[tool].question;
    } else if (name == "tool_schema") {
        out += m_c.tools[tool].schemaJson;
    } else if (name == "data") {
        dataTable(rng, static_cast<int>(cursor % 3), out);
    } else if (name == "analysis_question") {
        out += kAnalysisQuestions[cursor % 3][rng.below(3)];
    } else if (name == "code") {
        out += m_c.humaneval[cursor % m_c.humaneval.size()];
    } else if (name == "file") {
        out += std::string("src/") + any(rng, kWords) + "/" + any(rng, kWords) + "_" + std::to_string(rng.range(1, 40)) + ".py";
    } else if (name == "lang") {
        out += any(rng, kLangs);
    } else if (name == "test_output") {
        out += std::string("FAILED tests/test_") + any(rng, kWords) + ".py::test_" + any(rng, kWords) +
               " - AssertionError: expected " + std::to_string(rng.range(0, 500)) + ", got " +
               std::to_string(rng.range(0, 500)) + "\n" + std::to_string(rng.range(3, 80)) + " passed, " +
               std::to_string(rng.range(1, 5)) + " failed in " + std::to_string(rng.range(1, 30)) + ".2" +
               std::to_string(rng.range(0, 9)) + "s";
    } else {
        // An unknown slot stays visible, as a user editing a template would expect.
        out += '{';
        out += name;
        out += '}';
    }
}

std::string SimCampaignTasks::perturbWrapper(std::string_view templ, int edits, SimRng& rng)
{
    // An attacker varying a few words of its wrapper per request so that exact
    // template matching fails: words of the fixed text (never a {slot}, never a
    // line break) are swapped for a synonym, dropped, or get a filler word.
    static constexpr std::array<const char*, 16> kFillers = {"please", "carefully", "now", "clearly", "fully", "also",
                                                             "exactly", "then", "kindly", "precisely", "properly", "here",
                                                             "always", "really", "briefly", "just"};
    static constexpr std::array<std::array<const char*, 2>, 14> kSynonyms = {{
        {"write", "produce"}, {"explain", "describe"}, {"problem", "question"}, {"answer", "reply"},
        {"give", "provide"}, {"show", "present"}, {"detail", "depth"}, {"complete", "full"}, {"code", "program"},
        {"task", "job"}, {"use", "apply"}, {"make", "create"}, {"first", "initially"}, {"before", "prior to"}}};
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i <= templ.size()) {
        const std::size_t j = std::min(templ.find(' ', i), templ.size());
        words.emplace_back(templ.substr(i, j - i));
        i = j + 1;
    }
    auto editable = [](const std::string& w) {
        if (w.empty())
            return false;
        for (char ch : w)
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == ',' || ch == '.'))
                return false;
        return true;
    };
    for (int e = 0; e < edits; ++e) {
        const std::size_t k = rng.below(words.size());
        if (!editable(words[k]))
            continue;
        std::string& w = words[k];
        const std::size_t core = w.find_first_of(",.");
        const std::string stem = w.substr(0, core), punct = core == std::string::npos ? std::string() : w.substr(core);
        const auto roll = rng.below(3);
        bool done = false;
        if (roll == 0)
            for (const auto& pair : kSynonyms)
                for (int side = 0; side < 2 && !done; ++side)
                    if (stem == pair[static_cast<std::size_t>(side)]) {
                        w = std::string(pair[static_cast<std::size_t>(1 - side)]) + punct;
                        done = true;
                    }
        if (!done && roll == 1 && punct.empty() && words.size() > 4) {
            words.erase(words.begin() + static_cast<std::ptrdiff_t>(k));
            done = true;
        }
        if (!done)
            w = w + ' ' + kFillers[rng.below(kFillers.size())];
    }
    std::string out;
    for (std::size_t k = 0; k < words.size(); ++k) {
        if (k)
            out += ' ';
        out += words[k];
    }
    return out;
}

void SimCampaignTasks::fill(const SimCampaignText& c, std::uint64_t cursor, SimRng& rng, SimRequest& r) const
{
    const std::string* chosen = &c.templates[rng.below(c.templates.size())];
    std::string perturbed;
    if (c.wrapperEditsHi > 0) {
        const int edits = static_cast<int>(std::lround(rng.uniform(c.wrapperEditsLo, c.wrapperEditsHi)));
        perturbed = perturbWrapper(*chosen, edits, rng);
        chosen = &perturbed;
    }
    const std::string& templ = *chosen;
    if (!c.systemPrompts.empty())
        r.systemPrompt = c.systemPrompts[cursor % c.systemPrompts.size()];
    const std::size_t tool = cursor % m_c.tools.size();

    if (simHasSlot(templ, "judge")) {
        judge(cursor, rng, r);
        r.kind = SimAnswerKind::Grading;
    } else {
        simFillTemplate(r.prompt, templ, [&](std::string_view s, std::string& o) { slot(s, cursor, rng, c, tool, o); });
        if (simHasSlot(templ, "sensitive"))
            r.kind = SimAnswerKind::SensitiveRewrite;
        else if (simHasSlot(templ, "rubric") || simHasSlot(templ, "answer"))
            r.kind = SimAnswerKind::Grading;
        else if (c.kind == SimCampaignText::Kind::Reasoning)
            r.kind = SimAnswerKind::HarvestReasoning;
        else if (simHasSlot(templ, "tool_question") || simHasSlot(templ, "tool_schema"))
            r.kind = SimAnswerKind::ToolCall;
        else if (simHasSlot(templ, "data"))
            r.kind = SimAnswerKind::DataAnalysis;
        else
            r.kind = SimAnswerKind::AgentCoding;
    }
    if (r.kind == SimAnswerKind::ToolCall)
        r.tools = m_c.tools[tool].toolNames;
    else if (c.kind == SimCampaignText::Kind::Coding)
        r.tools = kCodingTools;
    else if (r.kind == SimAnswerKind::DataAnalysis && rng.chance(0.6))
        r.tools = kAnalysisTools;
    else if (r.kind == SimAnswerKind::AgentCoding && rng.chance(0.5))
        r.tools = kCodingTools;
}

} // namespace ds
