#include "detect/DetectSettings.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <variant>
#include <vector>

namespace ds {

namespace {

struct Entry
{
    const char* key;
    std::variant<double DetectSettings::*, int DetectSettings::*> member;
    const char* meaning;
};

const std::vector<Entry>& entries()
{
    using S = DetectSettings;
    static const std::vector<Entry> table = {
        {"seed", &S::seed, "seed of igraph's random generator (Leiden); same seed, same clusters"},
        {"threads", &S::threads, "scan threads, 0 = one per core"},
        {"scanGroupRows", &S::scanGroupRows, "requests a scan thread reads per pass over the table (memory: ~72 bytes each)"},
        {"minRequestsForRates", &S::minRequestsForRates, "requests an account needs before timing, template and category indicators count"},
        {"syncWindowMinutes", &S::syncWindowMinutes, "length of a synchrony window"},
        {"syncMinOtherAccounts", &S::syncMinOtherAccounts, "other accounts on the same template in a window for it to count as lockstep"},
        {"newModelMinDelayHours", &S::newModelMinDelayHours, "a model first seen this long after the data starts is a new release"},
        {"releaseGraceHours", &S::releaseGraceHours, "adopting a new model within this time of its release is release chasing"},
        {"defaultRateLimitPerMinute", &S::defaultRateLimitPerMinute, "rate limit of tiers not listed in tierRateLimits"},
        {"templateMinUses", &S::templateMinUses, "requests on one template for heavy use"},
        {"templateMinShare", &S::templateMinShare, "share of the account's requests on one template for heavy use"},
        {"templateMaxPerAccount", &S::templateMaxPerAccount, "heavy templates kept per account and key kind"},
        {"familyBandMinShare", &S::familyBandMinShare, "share of an account's requests repeating an 8-bit SimHash band value for it to seed a near-duplicate family"},
        {"familyMergeDistance", &S::familyMergeDistance, "Hamming distance within which family centroids are one family, in an account and across accounts"},
        {"profileMinBias", &S::profileMinBias, "a SimHash bit joins an account's prompt profile when the share of its requests with it set is this far from one half (and two standard errors)"},
        {"profileMinBits", &S::profileMinBits, "bits a prompt profile needs, and bits two profiles must share to be compared (0: no profiles)"},
        {"profileMaxMismatch", &S::profileMaxMismatch, "share of their common bits on which two accounts' prompt profiles may differ and still be one prompt pool"},
        {"profileMinBehaviour", &S::profileMinBehaviour, "behaviour an account needs for its prompt profile to join others (people's everyday prompts share a generic profile)"},
        {"familyRadius", &S::familyRadius, "Hamming distance from a family centroid within which a request belongs to the family (-1: no families)"},
        {"weightHarvest", &S::weightHarvest, "behaviour weight: harvesting (long outputs, max_tokens hits, long answers asked)"},
        {"weightTemplating", &S::weightTemplating, "behaviour weight: template concentration"},
        {"weightElicitation", &S::weightElicitation, "behaviour weight: chain-of-thought / grading / sensitive-rewrite prompts"},
        {"weightAutomation", &S::weightAutomation, "behaviour weight: around-the-clock and regular timing"},
        {"weightNarrow", &S::weightNarrow, "behaviour weight: narrow task categories"},
        {"weightInfrastructure", &S::weightInfrastructure, "behaviour weight: many networks, user agents, young account"},
        {"weightRelease", &S::weightRelease, "behaviour weight: release chasing"},
        {"harvestMeanOutputLow", &S::harvestMeanOutputLow, "mean completion tokens scoring 0"},
        {"harvestMeanOutputHigh", &S::harvestMeanOutputHigh, "mean completion tokens scoring 1"},
        {"harvestMaxTokensHitHigh", &S::harvestMaxTokensHitHigh, "share of answers stopped by max_tokens scoring 1"},
        {"harvestLongAskHigh", &S::harvestLongAskHigh, "share of prompts asking for long answers scoring 1"},
        {"templatingShareLow", &S::templatingShareLow, "largest template share scoring 0"},
        {"templatingShareHigh", &S::templatingShareHigh, "largest template share scoring 1"},
        {"elicitationRateHigh", &S::elicitationRateHigh, "elicitation share scoring 1"},
        {"automationQuietShareHigh", &S::automationQuietShareHigh, "traffic share in the quietest 6 hours scoring 1 (around the clock)"},
        {"automationCvHuman", &S::automationCvHuman, "inter-arrival CV scoring 0 (bursty, human)"},
        {"automationCvMachine", &S::automationCvMachine, "inter-arrival CV scoring 1 (paced)"},
        {"pacingMaxGapSeconds", &S::pacingMaxGapSeconds, "gaps shorter than this (seconds) count as inside a session or burst for the pacing spread"},
        {"automationGapSpreadHuman", &S::automationGapSpreadHuman, "standard deviation of ln(short gap) scoring 0 (people)"},
        {"automationGapSpreadMachine", &S::automationGapSpreadMachine, "standard deviation of ln(short gap) scoring 1 (paced script)"},
        {"automationPeakHuman", &S::automationPeakHuman, "requests in the busiest minute scoring 0 (people)"},
        {"automationPeakMachine", &S::automationPeakMachine, "requests in the busiest minute scoring 1 (script)"},
        {"narrowEntropyLow", &S::narrowEntropyLow, "category entropy (bits) scoring 1"},
        {"narrowEntropyHigh", &S::narrowEntropyHigh, "category entropy (bits) scoring 0"},
        {"infraNetworksHigh", &S::infraNetworksHigh, "distinct /24 (/48) networks scoring 1"},
        {"infraYoungDays", &S::infraYoungDays, "account age (days) at first use below which it is young"},
        {"infraUserAgentsHigh", &S::infraUserAgentsHigh, "distinct user agents scoring 1"},
        {"releaseShareHigh", &S::releaseShareHigh, "share of traffic moved to a new model scoring 1"},
        {"edgeWeightPayment", &S::edgeWeightPayment, "link weight of a shared payment fingerprint (before rarity)"},
        {"edgeWeightEmailDomain", &S::edgeWeightEmailDomain, "link weight of a shared non-public e-mail domain"},
        {"edgeWeightUserAgent", &S::edgeWeightUserAgent, "link weight of a shared user agent"},
        {"edgeWeightIp", &S::edgeWeightIp, "link weight of a shared IP address"},
        {"edgeWeightNetwork", &S::edgeWeightNetwork, "link weight of a shared /24 (/48) network"},
        {"edgeWeightTemplate", &S::edgeWeightTemplate, "link weight of a heavily shared prompt template"},
        {"edgeWeightCoCreated", &S::edgeWeightCoCreated, "link weight of accounts opened in the same window with the same e-mail domain"},
        {"coCreatedWindowMinutes", &S::coCreatedWindowMinutes, "window for co-created accounts"},
        {"edgeWeightHandoff", &S::edgeWeightHandoff, "link weight of a hand-off, divided by 1 + the hand-offs chance alone would give among the value's sharers"},
        {"handoffMaxGapMinutes", &S::handoffMaxGapMinutes, "a hand-off: an account sharing a template, payment, e-mail domain or IP starts within this many minutes after another's last request"},
        {"handoffOverlapMinutes", &S::handoffOverlapMinutes, "a hand-off's successor may start at most this many minutes before its predecessor's last request"},
        {"handoffMaxSuccessors", &S::handoffMaxSuccessors, "hand-offs kept per account that went quiet and shared value, the closest in time"},
        {"edgeWeightTask", &S::edgeWeightTask, "link weight of accounts asking the same rare tasks, reached at taskFullShared shared tasks beyond chance"},
        {"taskSketchSize", &S::taskSketchSize, "tasks kept per account for task links: the ones with the smallest task hashes, so two accounts keep the same shared tasks"},
        {"taskMaxAccounts", &S::taskMaxAccounts, "a task asked by more accounts than this is popular (a class's exercise, a benchmark item), not a pool, and links nobody"},
        {"taskMinShared", &S::taskMinShared, "rare tasks two accounts must share for a task link"},
        {"taskChanceRatio", &S::taskChanceRatio, "a task link also needs this many times the shared tasks chance alone would give the two accounts (their task counts and the tasks' popularity)"},
        {"taskMinPoolShare", &S::taskMinPoolShare, "a task link needs both accounts to draw from a pool: this share of their counted tasks was also asked by 2..taskMaxAccounts accounts (people asking their own questions share few)"},
        {"taskMinOverlap", &S::taskMinOverlap, "a task link needs the shared tasks to be at least this share of the busier account's counted tasks (in the hash range both sketches cover): a benchmark sweep shares a few tasks with anyone using that benchmark"},
        {"taskFullShared", &S::taskFullShared, "shared tasks beyond chance at which a task link's weight reaches edgeWeightTask"},
        {"taskMinHarvest", &S::taskMinHarvest, "request harvest score (0..1000) from which an asked task counts for task links; cases without harvest scores count every task"},
        {"cohortMinHarvestProfile", &S::cohortMinHarvestProfile, "harvest profile score from which an account takes part in window and pool links (harvest-profile accounts); other accounts count only in the chance model"},
        {"cohortWindowHours", &S::cohortWindowHours, "window link: harvest-profile accounts whose first requests fall within this many hours of each other"},
        {"cohortMinPeers", &S::cohortMinPeers, "window link: an account needs at least this many other harvest-profile accounts starting within the window"},
        {"cohortChanceRatio", &S::cohortChanceRatio, "window link: and at least this many times what chance gives (all accounts starting in the window times the harvest-profile share of the population)"},
        {"cohortBaselineHours", &S::cohortBaselineHours, "window link chance model: the harvest-profile share of the accounts whose first request came within this many hours of the data's start (the population's ordinary mix, before an operation brought online later)"},
        {"cohortBaselineMinAccounts", &S::cohortBaselineMinAccounts, "window link chance model: with fewer accounts starting in that time, the harvest-profile share of the whole population"},
        {"cohortWindowLinks", &S::cohortWindowLinks, "window links kept per account on each side in time: its nearest window-linked peers"},
        {"cohortReleaseHours", &S::cohortReleaseHours, "reasons name a model release when a window opened at most this many hours after it"},
        {"cohortReleaseStartHours", &S::cohortReleaseStartHours, "release-start link: harvest-profile accounts whose first request to a newly released model came within this many hours of the model's first appearance in the case, with cohortMinPeers others and cohortChanceRatio times what chance gives"},
        {"edgeWeightWindow", &S::edgeWeightWindow, "link weight of two harvest-profile accounts whose activity began together, beyond chance"},
        {"cohortMinHarvestRate", &S::cohortMinHarvestRate, "an account takes part in window and pool links also with this harvest rate (0..1): its harvest profile without the volume part (share, output length, output per prompt token), since a cohort of few-request accounts supplies the volume together"},
        {"cohortMinHarvestRequests", &S::cohortMinHarvestRequests, "harvest-class requests an account needs for its harvest rate to count"},
        {"poolMinShareRate", &S::poolMinShareRate, "share of its counted tasks that a pool account with at least cohortMinHarvestRate needs (instead of poolMinShare)"},
        {"poolCohortHours", &S::poolCohortHours, "a pool account's partners count as its own cohort when they began within this many hours of it"},
        {"poolMinCohortShare", &S::poolMinCohortShare, "share of a pool account's partners that must be its own cohort: an operation's batch works through one queue together, a customer shares tasks with harvesters by chance at any time"},
        {"poolMinShared", &S::poolMinShared, "pool link: counted rare tasks of an account that other harvest-profile accounts also asked"},
        {"poolMinShare", &S::poolMinShare, "pool link: those tasks are at least this share of the account's counted tasks"},
        {"poolMinAccounts", &S::poolMinAccounts, "pool link: and were asked by at least this many distinct other harvest-profile accounts (a group, though pairs share too few tasks for a task link)"},
        {"edgeWeightPool", &S::edgeWeightPool, "link weight of two pool accounts per rare task both asked"},
        {"poolAttachMinShared", &S::poolAttachMinShared, "pool member: rare harvest-class tasks of an unflagged account that a flagged network's accounts asked within harvestTaskWindowDays of it"},
        {"poolAttachMinShare", &S::poolAttachMinShare, "pool member: share of its rare harvest-class tasks the network's accounts asked"},
        {"poolAttachMaxHarvestRequests", &S::poolAttachMaxHarvestRequests, "pool member: fewer harvest-class requests than this (an account with more is judged by its harvest profile)"},
        {"poolAttachMinHarvestShare", &S::poolAttachMinHarvestShare, "pool member: share of its requests that are harvest-class"},
        {"poolAttachMinRatio", &S::poolAttachMinRatio, "pool member: output tokens per prompt token of its harvest-class answers"},
        {"mixAttachMinPartners", &S::mixAttachMinPartners, "mix member: accounts of a flagged network that began within cohortWindowHours of a window-linked harvest-profile account with a harvest mix close to its own (0: no mix members)"},
        {"mixAttachMaxDistance", &S::mixAttachMaxDistance, "mix member: largest distance (0..2) between two harvest mixes (share, families, answer length, output per prompt token, each 0..1) that counts as harvesting alike"},
        {"popularValueShare", &S::popularValueShare, "infrastructure values shared by more than this share of accounts link nothing"},
        {"popularValueMinAccounts", &S::popularValueMinAccounts, "floor of the popularity cut, in accounts"},
        {"cliqueMaxAccounts", &S::cliqueMaxAccounts, "values shared by more accounts are linked sparsely"},
        {"sparseNeighbours", &S::sparseNeighbours, "links per account for sparsely linked values"},
        {"leidenResolution", &S::leidenResolution, "modularity resolution of Leiden community detection"},
        {"leidenIterations", &S::leidenIterations, "Leiden iterations (negative: until stable)"},
        {"topEdgesPerCluster", &S::topEdgesPerCluster, "strongest links stored per flagged cluster"},
        {"minClusterAccounts", &S::minClusterAccounts, "core accounts a network needs"},
        {"memberMinBehaviour", &S::memberMinBehaviour, "behaviour a template-sharing member needs to be core"},
        {"evasionCoreMinInfrastructure", &S::evasionCoreMinInfrastructure, "infrastructure evasion score for a core member without a shared template"},
        {"evasionCoreMinBehaviour", &S::evasionCoreMinBehaviour, "behaviour such an evasive core member needs"},
        {"handoffMinBehaviour", &S::handoffMinBehaviour, "behaviour of a young account that took over from a network's core for it to join the network (accounts too small to judge join on the hand-off alone)"},
        {"handoffMaxAgeDays", &S::handoffMaxAgeDays, "a hand-off successor, and an account joining a network by a hand-off, made its first request at most this many days after sign-up"},
        {"relayCoreMinBehaviour", &S::relayCoreMinBehaviour, "behaviour of a young account in a hand-off with another alike for both to be core without a shared template"},
        {"attachMinTemplateShare", &S::attachMinTemplateShare, "share of a low-volume member's requests on the core's templates for it to join the network"},
        {"infraCoreMinBehaviour", &S::infraCoreMinBehaviour, "behaviour an infrastructure-linked member needs to be core"},
        {"taskCoreMinHarvestProfile", &S::taskCoreMinHarvestProfile, "harvest profile score of a core member without a shared template that is task-linked (asked the same rare tasks) to another member alike; behaviour alone does not do (benchmark evaluators behave like harvesters and ask a harvester's benchmark items)"},
        {"taskCohesionWeight", &S::taskCohesionWeight, "coordination credited to a network whose whole core is task-linked, counted with infrastructure and hand-offs as evidence beyond a template (0..1)"},
        {"cohortCoreMinHarvestProfile", &S::cohortCoreMinHarvestProfile, "harvest profile score of a core member without a shared template that is window-linked (activity began together) and task- or pool-linked to members alike; neither link makes a member alone"},
        {"cohortCohesionWeight", &S::cohortCohesionWeight, "coordination credited to a network whose whole core is window- and task- or pool-linked, counted with infrastructure, hand-offs and tasks as evidence beyond a template (0..1)"},
        {"clusterFlagScore", &S::clusterFlagScore, "cluster score from which a network is flagged"},
        {"clusterMinBeyondTemplate", &S::clusterMinBeyondTemplate, "coordination a network needs besides a shared template and its timing (from shared rare infrastructure, an evasive spread of networks or hand-offs, 0..1) to be flagged; below it the score stays under the flag line"},
        {"clusterMinExtraction", &S::clusterMinExtraction, "what a network's core takes away, on average over its accounts: the largest of its harvest facet (long answers, answers cut at max_tokens, long asks), its elicitation facet (reasoning, grading, rewrites asked for) and its harvest profile (0..1); below it the score stays under the flag line, whatever the accounts share"},
        {"clusterBehaviourLow", &S::clusterBehaviourLow, "mean core behaviour at which the cluster score's behaviour factor is 0"},
        {"clusterBehaviourHigh", &S::clusterBehaviourHigh, "mean core behaviour at which the cluster score's behaviour factor is 1"},
        {"hydraFullAccounts", &S::hydraFullAccounts, "core accounts at which the network-size factor reaches 1"},
        {"soloMinBehaviour", &S::soloMinBehaviour, "behaviour for flagging an account alone"},
        {"soloMinInfrastructure", &S::soloMinInfrastructure, "infrastructure evasion for flagging an account alone"},
        {"harvestRequestMin", &S::harvestRequestMin, "request harvest score (0..1000) from which a request is harvest-class"},
        {"harvestProfileShareLow", &S::harvestProfileShareLow, "harvest-class share of requests scoring 0 in the harvest profile"},
        {"harvestProfileShareHigh", &S::harvestProfileShareHigh, "harvest-class share of requests scoring 1"},
        {"harvestProfileCountLow", &S::harvestProfileCountLow, "harvest-class requests scoring 0"},
        {"harvestProfileCountHigh", &S::harvestProfileCountHigh, "harvest-class requests scoring 1"},
        {"harvestProfileOutputLow", &S::harvestProfileOutputLow, "mean completion tokens of harvest-class requests without tools scoring 0"},
        {"harvestProfileOutputHigh", &S::harvestProfileOutputHigh, "mean completion tokens of harvest-class requests without tools scoring 1"},
        {"harvestProfileRatioLow", &S::harvestProfileRatioLow, "completion/prompt tokens of harvest-class requests without tools scoring 0"},
        {"harvestProfileRatioHigh", &S::harvestProfileRatioHigh, "completion/prompt tokens of harvest-class requests without tools scoring 1"},
        {"harvestProfileCutShareLow", &S::harvestProfileCutShareLow, "share of harvest-class answers (no tools) stopped at the client's max_tokens scoring 0 as a stand-in for their length and ratio"},
        {"harvestProfileCutShareHigh", &S::harvestProfileCutShareHigh, "share of harvest-class answers stopped at max_tokens scoring 1: answers the client cut count as long ones"},
        {"harvestFamilyMinShare", &S::harvestFamilyMinShare, "share of harvest-class requests (and at least 3) for a task category to count as a harvest family"},
        {"harvestProfileMinFamilies", &S::harvestProfileMinFamilies, "harvest families an account needs for its full harvest profile score (fewer: half)"},
        {"harvestProfileMaxTemplateShare", &S::harvestProfileMaxTemplateShare, "share of requests made from heavily used templates from which an account is a harness (evaluation, pipeline): half its harvest profile score"},
        {"harvestProfilePopularPeers", &S::harvestProfilePopularPeers, "other accounts using one of an account's heavy templates heavily from which that template is a popular product's (with harvestProfilePopularShare: half the harvest profile score)"},
        {"harvestProfilePopularShare", &S::harvestProfilePopularShare, "share of requests made from heavily used templates from which a popular product's template halves the harvest profile score"},
        {"soloMinHarvestProfile", &S::soloMinHarvestProfile, "harvest profile score for flagging an account alone"},
        {"harvestTaskWindowDays", &S::harvestTaskWindowDays, "days within which another account asking the same harvest-class task shares it"},
        {"harvestSharedGroupMax", &S::harvestSharedGroupMax, "accounts asking one task beyond which it is popular (counted as shared, askers not enumerated)"},
    };
    return table;
}

} // namespace

QJsonObject DetectSettings::toJson() const
{
    QJsonObject o;
    for (const Entry& e : entries()) {
        if (auto d = std::get_if<double DetectSettings::*>(&e.member))
            o.insert(QLatin1String(e.key), this->**d);
        else
            o.insert(QLatin1String(e.key), this->*std::get<int DetectSettings::*>(e.member));
    }
    QJsonObject tiers;
    for (const auto& [tier, limit] : tierRateLimits)
        tiers.insert(tier, limit);
    o.insert(QStringLiteral("tierRateLimits"), tiers);
    o.insert(QStringLiteral("publicEmailDomains"), QJsonArray::fromStringList(publicEmailDomains));
    return o;
}

DetectSettings DetectSettings::fromJson(const QJsonObject& o, QString* error)
{
    DetectSettings s;
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString key = it.key();
        if (key == QLatin1String("tierRateLimits")) {
            s.tierRateLimits.clear();
            const QJsonObject tiers = it.value().toObject();
            for (auto t = tiers.begin(); t != tiers.end(); ++t)
                s.tierRateLimits[t.key()] = t.value().toDouble();
            continue;
        }
        if (key == QLatin1String("publicEmailDomains")) {
            s.publicEmailDomains.clear();
            for (const QJsonValue& v : it.value().toArray())
                s.publicEmailDomains << v.toString().toLower();
            continue;
        }
        bool known = false;
        for (const Entry& e : entries()) {
            if (key != QLatin1String(e.key))
                continue;
            known = true;
            if (!it.value().isDouble()) {
                if (error)
                    *error = QStringLiteral("setting \"%1\" must be a number").arg(key);
                return DetectSettings{};
            }
            if (auto d = std::get_if<double DetectSettings::*>(&e.member))
                s.**d = it.value().toDouble();
            else
                s.*std::get<int DetectSettings::*>(e.member) = it.value().toInt();
        }
        if (!known) {
            if (error)
                *error = QStringLiteral("unknown setting \"%1\"").arg(key);
            return DetectSettings{};
        }
    }
    if (error)
        error->clear();
    return s;
}

DetectSettings DetectSettings::fromFile(const QString& path, QString* error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
        return {};
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (!doc.isObject()) {
        *error = QStringLiteral("%1 is not a JSON object: %2").arg(path, pe.errorString());
        return {};
    }
    return fromJson(doc.object(), error);
}

QString DetectSettings::documentation()
{
    const DetectSettings d;
    const QJsonObject values = d.toJson();
    QString out;
    for (const Entry& e : entries())
        out += QStringLiteral("%1 = %2\n    %3\n")
                   .arg(QLatin1String(e.key), values.value(QLatin1String(e.key)).toVariant().toString(), QLatin1String(e.meaning));
    out += QStringLiteral("tierRateLimits = {tier: requests per minute}\n    rate limit of each account tier\n");
    out += QStringLiteral("publicEmailDomains = [...]\n    webmail domains that link no accounts\n");
    return out;
}

double DetectSettings::rateLimitFor(const QString& tier) const
{
    const auto it = tierRateLimits.find(tier);
    return it == tierRateLimits.end() ? defaultRateLimitPerMinute : it->second;
}

} // namespace ds
