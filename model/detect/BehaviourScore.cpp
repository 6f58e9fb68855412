#include "detect/BehaviourScore.h"

#include "detect/DetectSettings.h"

#include <algorithm>
#include <cmath>

namespace ds {

double ramp(double value, double lo, double hi)
{
    if (std::isnan(value) || lo == hi)
        return 0.0;
    return std::clamp((value - lo) / (hi - lo), 0.0, 1.0);
}

namespace {

// Heavy templates carrying the account: a harness (an evaluation, a pipeline) or a popular product's template; the
// harvest profile is not the judge of either (see scoreBehaviour).
bool templateCarried(const IndicatorValues& ind, const DetectSettings& s)
{
    auto v = [&ind](Indicator i) { return ind[static_cast<size_t>(i)]; };
    return v(Indicator::TemplatedShare) >= s.harvestProfileMaxTemplateShare
           || (v(Indicator::TemplatePeers) >= s.harvestProfilePopularPeers
               && v(Indicator::TemplatedShare) >= s.harvestProfilePopularShare);
}

// The length parts of the profile and the rate: long answers and long against their prompts, or answers the client
// cut at its own max_tokens. A harvester capping its answers (256-512 tokens) takes away reasoning cut short: its
// lengths look like a student's, but people rarely set a limit their answers keep hitting (docs/HARVEST_SIGNAL.md
// section 10). An answer cut there was asked to be longer, so the cut share stands in for both parts, but only when
// the harvest-class requests span several task families: a class behind a proxy that caps answers, or one benchmark
// run with a tight limit, asks one family and keeps its short lengths.
struct LengthParts
{
    double output = 0, ratio = 0;
};

LengthParts lengthParts(const IndicatorValues& ind, const DetectSettings& s)
{
    auto v = [&ind](Indicator i) { return ind[static_cast<size_t>(i)]; };
    const double cut = v(Indicator::HarvestFamilies) >= s.harvestProfileMinFamilies
                           ? ramp(v(Indicator::HarvestClassCutShare), s.harvestProfileCutShareLow, s.harvestProfileCutShareHigh)
                           : 0.0;
    return {std::max(ramp(v(Indicator::HarvestClassOutput), s.harvestProfileOutputLow, s.harvestProfileOutputHigh), cut),
            std::max(ramp(v(Indicator::HarvestClassRatio), s.harvestProfileRatioLow, s.harvestProfileRatioHigh), cut)};
}

} // namespace

double harvestRate(const IndicatorValues& ind, const DetectSettings& s)
{
    auto v = [&ind](Indicator i) { return ind[static_cast<size_t>(i)]; };
    using I = Indicator;
    if (!(v(I::Requests) >= s.minRequestsForRates) || !(v(I::HarvestClassRequests) >= s.cohortMinHarvestRequests))
        return 0.0;
    const LengthParts length = lengthParts(ind, s);
    const double parts[3] = {ramp(v(I::HarvestClassShare), s.harvestProfileShareLow, s.harvestProfileShareHigh),
                             length.output, length.ratio};
    // A dozen harvest-class requests rarely spread over two families at 10 % and 3 each: one family is enough here,
    // the cohort's accounts together show the breadth.
    const bool oneFamily = v(I::HarvestFamilies) >= 1;
    const double breadth = oneFamily && !templateCarried(ind, s) ? 1.0 : 0.5;
    return breadth * (0.5 * std::min({parts[0], parts[1], parts[2]}) + 0.5 * (parts[0] + parts[1] + parts[2]) / 3);
}

void scoreBehaviour(IndicatorValues& ind, const DetectSettings& s)
{
    auto v = [&ind](Indicator i) { return ind[static_cast<size_t>(i)]; };
    auto set = [&ind](Indicator i, double x) { ind[static_cast<size_t>(i)] = x; };
    using I = Indicator;

    const double harvest = 0.5 * ramp(v(I::MeanOutputTokens), s.harvestMeanOutputLow, s.harvestMeanOutputHigh)
                           + 0.3 * ramp(v(I::MaxTokensHitShare), 0.0, s.harvestMaxTokensHitHigh)
                           + 0.2 * ramp(v(I::LongAskShare), 0.0, s.harvestLongAskHigh);
    // A constant system prompt is a weaker sign than a constant user-prompt frame:
    // many apps send one system prompt for very varied questions.
    const double templating = std::max({ramp(v(I::TopTemplateShare), s.templatingShareLow, s.templatingShareHigh),
                                        ramp(v(I::TemplatedShare), s.templatingShareLow, s.templatingShareHigh),
                                        0.5 * ramp(v(I::SystemPromptShare), s.templatingShareLow, s.templatingShareHigh)});
    const double elicitation = ramp(std::max({v(I::CotRate), v(I::GradingRate), v(I::SensitiveRewriteRate)}), 0.0,
                                    s.elicitationRateHigh);
    const double aroundClock = ramp(v(I::QuietHoursShare), 0.0, s.automationQuietShareHigh);
    const bool judged = !std::isnan(v(I::HourEntropy));
    // Paced: regular gaps overall, or regular gaps inside bursts (a script pausing
    // between bursts has a human-looking overall CV but metronome-like short gaps).
    const double paced = judged ? std::max(ramp(v(I::InterArrivalCv), s.automationCvHuman, s.automationCvMachine),
                                           ramp(v(I::ShortGapLogSd), s.automationGapSpreadHuman, s.automationGapSpreadMachine))
                                : 0.0;
    // Bursts faster than people type and read.
    const double burst = judged ? ramp(v(I::PeakPerMinute), s.automationPeakHuman, s.automationPeakMachine) : 0.0;
    // Bursts add to around-the-clock activity and pacing: short-lived hydra accounts
    // never show a day's rhythm, but they pace and burst like a script.
    const double automation = std::min(1.0, 0.65 * aroundClock + 0.35 * paced + 0.25 * burst);
    const double narrow = ramp(v(I::CategoryEntropy), s.narrowEntropyHigh, s.narrowEntropyLow);
    const double young = std::isnan(v(I::AgeDaysAtFirstUse)) ? 0.0 : (v(I::AgeDaysAtFirstUse) < s.infraYoungDays ? 1.0 : 0.0);
    const double infra = 0.5 * ramp(v(I::DistinctNetworks), 1.0, s.infraNetworksHigh)
                         + 0.25 * ramp(v(I::DistinctUserAgents), 1.0, s.infraUserAgentsHigh) + 0.25 * young;
    const double release = ramp(v(I::ReleaseChasing), 0.0, s.releaseShareHigh);

    // The harvest profile stands apart from the behaviour mean (it flags an account alone, ClusterScoring):
    // harvest-class requests in share and in number, with long answers, long against their prompts. The
    // weakest part counts half, so one strong part does not carry the others (people asking a few homework
    // questions, a class's short exercise answers, agents' long contexts).
    if (v(I::Requests) >= s.minRequestsForRates && !std::isnan(v(I::HarvestClassShare))) {
        const LengthParts length = lengthParts(ind, s);
        const double parts[4] = {ramp(v(I::HarvestClassShare), s.harvestProfileShareLow, s.harvestProfileShareHigh),
                                 ramp(v(I::HarvestClassRequests), s.harvestProfileCountLow, s.harvestProfileCountHigh),
                                 length.output, length.ratio};
        const double weakest = std::min({parts[0], parts[1], parts[2], parts[3]});
        // Harvesting gathers several task families (maths, code, grading, tools); one benchmark run from one
        // account is an evaluation, however long its answers: half the score at most.
        // Likewise a harness sending nearly everything through one template (an evaluation, a pipeline): harvesting
        // through templates is the networks' business (shared templates, lockstep), not the solo profile's.
        const bool harness = v(I::TemplatedShare) >= s.harvestProfileMaxTemplateShare;
        // So does a popular product's template (an IDE plug-in's commit messages, a summariser) that many accounts
        // use heavily: its long answers are the product's, and an account harvesting alone shares no template
        // (seen at full campaign scale: two of 25,000 developers just over the solo line on such templates).
        // TemplatePeers is known only on the second pass (PopulationIndicators); on the first it is 0.
        const bool popularProduct = v(I::TemplatePeers) >= s.harvestProfilePopularPeers
                                    && v(I::TemplatedShare) >= s.harvestProfilePopularShare;
        const double breadth =
            v(I::HarvestFamilies) >= s.harvestProfileMinFamilies && !harness && !popularProduct ? 1.0 : 0.5;
        set(I::ScoreHarvestProfile, breadth * (0.5 * weakest + 0.5 * (parts[0] + parts[1] + parts[2] + parts[3]) / 4));
    } else {
        set(I::ScoreHarvestProfile, 0.0);
    }
    set(I::ScoreHarvest, harvest);
    set(I::ScoreTemplating, templating);
    set(I::ScoreElicitation, elicitation);
    set(I::ScoreAutomation, automation);
    set(I::ScoreNarrow, narrow);
    set(I::ScoreInfrastructure, infra);
    set(I::ScoreRelease, release);
    const double wsum = s.weightHarvest + s.weightTemplating + s.weightElicitation + s.weightAutomation + s.weightNarrow
                        + s.weightInfrastructure + s.weightRelease;
    const double b = s.weightHarvest * harvest + s.weightTemplating * templating + s.weightElicitation * elicitation
                     + s.weightAutomation * automation + s.weightNarrow * narrow + s.weightInfrastructure * infra
                     + s.weightRelease * release;
    set(I::Behaviour, wsum > 0 ? b / wsum : 0.0);
}

} // namespace ds
