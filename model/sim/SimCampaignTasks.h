#pragma once

#include "sim/SimCorpus.h"
#include "sim/SimRandom.h"
#include "sim/SimRequest.h"
#include "sim/SimScenario.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ds {

// A campaign's templates and system prompts as UTF-8, converted once from the scenario.
struct SimCampaignText
{
    enum class Kind { Reasoning, Agentic, Coding };
    Kind kind = Kind::Coding;
    std::vector<std::string> templates;
    std::vector<std::string> systemPrompts;
    double wrapperEditsLo = 0, wrapperEditsHi = 0; // word edits per request in the fixed text

    static SimCampaignText from(const SimCampaignConfig& c);
};

// Fills a campaign's templates with tasks from the attack corpora: the prompt
// text varies request to request while the template (and so the skeleton)
// repeats. `cursor` is a work stream's position in its task list, so a
// replacement account carries on with the same tasks. Immutable: any thread.
class SimCampaignTasks
{
public:
    explicit SimCampaignTasks(const SimCorpus& corpus) : m_c(corpus) {}

    // Sets prompt, system prompt, tools and answer kind of `r` for one request of campaign `c`.
    void fill(const SimCampaignText& c, std::uint64_t cursor, SimRng& rng, SimRequest& r) const;

private:
    void slot(std::string_view name, std::uint64_t cursor, SimRng& rng, const SimCampaignText& c, std::size_t tool,
              std::string& out) const;
    void judge(std::uint64_t cursor, SimRng& rng, SimRequest& r) const;
    void sensitiveQuestion(SimRng& rng, std::string& out) const;
    void dataTable(SimRng& rng, int kind, std::string& out) const;
    static std::string perturbWrapper(std::string_view templ, int edits, SimRng& rng);

    const SimCorpus& m_c;
};

} // namespace ds
