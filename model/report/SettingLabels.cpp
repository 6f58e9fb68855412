#include "report/SettingLabels.h"

#include <QHash>
#include <QRegularExpression>

namespace ds::settinglabels {

namespace {

// One label per key of DetectSettings (model/detect/DetectSettings.cpp), in its order. Labels name what
// the number is, with its unit where the key carries one; the meaning column of the report says how it is used.
const QHash<QString, QString>& labels()
{
    static const QHash<QString, QString> table = {
        {QStringLiteral("seed"), QStringLiteral("Random seed for grouping accounts")},
        {QStringLiteral("threads"), QStringLiteral("Processing threads")},
        {QStringLiteral("scanGroupRows"), QStringLiteral("Requests read per pass by each thread")},
        {QStringLiteral("minRequestsForRates"), QStringLiteral("Minimum requests before timing and template indicators count")},
        {QStringLiteral("syncWindowMinutes"), QStringLiteral("Lockstep window (minutes)")},
        {QStringLiteral("syncMinOtherAccounts"), QStringLiteral("Other accounts needed in a window for lockstep")},
        {QStringLiteral("newModelMinDelayHours"), QStringLiteral("Delay after which a model counts as a new release (hours)")},
        {QStringLiteral("releaseGraceHours"), QStringLiteral("Time to adopt a new release that counts as chasing it (hours)")},
        {QStringLiteral("defaultRateLimitPerMinute"), QStringLiteral("Default rate limit (requests per minute)")},
        {QStringLiteral("templateMinUses"), QStringLiteral("Minimum requests on a template for heavy use")},
        {QStringLiteral("templateMinShare"), QStringLiteral("Minimum share of an account's requests on a template for heavy use")},
        {QStringLiteral("templateMaxPerAccount"), QStringLiteral("Heavily used templates kept per account")},
        {QStringLiteral("familyBandMinShare"), QStringLiteral("Minimum repeat share to start a family of similar prompts")},
        {QStringLiteral("familyMergeDistance"), QStringLiteral("Distance within which two prompt families are one")},
        {QStringLiteral("profileMinBias"), QStringLiteral("Minimum bias for a feature to join an account's prompt profile")},
        {QStringLiteral("profileMinBits"), QStringLiteral("Minimum features in a prompt profile")},
        {QStringLiteral("profileMaxMismatch"), QStringLiteral("Largest difference between prompt profiles of one pool")},
        {QStringLiteral("profileMinBehaviour"), QStringLiteral("Minimum behaviour score for an account's prompt profile to count")},
        {QStringLiteral("familyRadius"), QStringLiteral("Distance within which a prompt belongs to a family")},
        {QStringLiteral("weightHarvest"), QStringLiteral("Weight of harvesting in the behaviour score")},
        {QStringLiteral("weightTemplating"), QStringLiteral("Weight of template use in the behaviour score")},
        {QStringLiteral("weightElicitation"), QStringLiteral("Weight of reasoning and grading requests in the behaviour score")},
        {QStringLiteral("weightAutomation"), QStringLiteral("Weight of automated timing in the behaviour score")},
        {QStringLiteral("weightNarrow"), QStringLiteral("Weight of narrow task focus in the behaviour score")},
        {QStringLiteral("weightInfrastructure"), QStringLiteral("Weight of infrastructure in the behaviour score")},
        {QStringLiteral("weightRelease"), QStringLiteral("Weight of release chasing in the behaviour score")},
        {QStringLiteral("harvestMeanOutputLow"), QStringLiteral("Average answer length that scores no harvesting (tokens)")},
        {QStringLiteral("harvestMeanOutputHigh"), QStringLiteral("Average answer length that scores full harvesting (tokens)")},
        {QStringLiteral("harvestMaxTokensHitHigh"), QStringLiteral("Share of answers cut at the token limit that scores full harvesting")},
        {QStringLiteral("harvestLongAskHigh"), QStringLiteral("Share of prompts asking for long answers that scores full harvesting")},
        {QStringLiteral("templatingShareLow"), QStringLiteral("Largest template share that scores no template use")},
        {QStringLiteral("templatingShareHigh"), QStringLiteral("Largest template share that scores full template use")},
        {QStringLiteral("elicitationRateHigh"), QStringLiteral("Share of reasoning or grading requests that scores full elicitation")},
        {QStringLiteral("automationQuietShareHigh"), QStringLiteral("Share of traffic in the quietest six hours that scores full automation")},
        {QStringLiteral("automationCvHuman"), QStringLiteral("Timing irregularity typical of a person")},
        {QStringLiteral("automationCvMachine"), QStringLiteral("Timing regularity typical of a script")},
        {QStringLiteral("pacingMaxGapSeconds"), QStringLiteral("Longest gap inside a burst of requests (seconds)")},
        {QStringLiteral("automationGapSpreadHuman"), QStringLiteral("Spread of short gaps typical of a person")},
        {QStringLiteral("automationGapSpreadMachine"), QStringLiteral("Spread of short gaps typical of a script")},
        {QStringLiteral("automationPeakHuman"), QStringLiteral("Requests in the busiest minute typical of a person")},
        {QStringLiteral("automationPeakMachine"), QStringLiteral("Requests in the busiest minute typical of a script")},
        {QStringLiteral("narrowEntropyLow"), QStringLiteral("Task variety that scores full narrow focus")},
        {QStringLiteral("narrowEntropyHigh"), QStringLiteral("Task variety that scores no narrow focus")},
        {QStringLiteral("infraNetworksHigh"), QStringLiteral("Distinct IP networks that score full infrastructure")},
        {QStringLiteral("infraYoungDays"), QStringLiteral("Age below which an account is young (days)")},
        {QStringLiteral("infraUserAgentsHigh"), QStringLiteral("Distinct user agents that score full infrastructure")},
        {QStringLiteral("releaseShareHigh"), QStringLiteral("Share of traffic moved to a new model that scores full release chasing")},
        {QStringLiteral("edgeWeightPayment"), QStringLiteral("Link strength: shared payment card")},
        {QStringLiteral("edgeWeightEmailDomain"), QStringLiteral("Link strength: shared private e-mail domain")},
        {QStringLiteral("edgeWeightUserAgent"), QStringLiteral("Link strength: shared user agent")},
        {QStringLiteral("edgeWeightIp"), QStringLiteral("Link strength: shared IP address")},
        {QStringLiteral("edgeWeightNetwork"), QStringLiteral("Link strength: shared IP network")},
        {QStringLiteral("edgeWeightTemplate"), QStringLiteral("Link strength: shared prompt template")},
        {QStringLiteral("edgeWeightCoCreated"), QStringLiteral("Link strength: accounts opened together")},
        {QStringLiteral("coCreatedWindowMinutes"), QStringLiteral("Window for accounts opened together (minutes)")},
        {QStringLiteral("edgeWeightHandoff"), QStringLiteral("Link strength: one account taking over from another")},
        {QStringLiteral("handoffMaxGapMinutes"), QStringLiteral("Longest gap in a takeover (minutes)")},
        {QStringLiteral("handoffOverlapMinutes"), QStringLiteral("Longest overlap in a takeover (minutes)")},
        {QStringLiteral("handoffMaxSuccessors"), QStringLiteral("Takeovers kept per account")},
        {QStringLiteral("edgeWeightTask"), QStringLiteral("Link strength: same rare tasks asked")},
        {QStringLiteral("taskSketchSize"), QStringLiteral("Tasks kept per account for comparison")},
        {QStringLiteral("taskMaxAccounts"), QStringLiteral("Most accounts asking a task before it is popular")},
        {QStringLiteral("taskMinShared"), QStringLiteral("Minimum rare tasks in common for a task link")},
        {QStringLiteral("taskChanceRatio"), QStringLiteral("Tasks in common needed, as a multiple of chance")},
        {QStringLiteral("taskMinPoolShare"), QStringLiteral("Minimum share of tasks drawn from a shared pool")},
        {QStringLiteral("taskMinOverlap"), QStringLiteral("Minimum overlap of tasks with the busier account")},
        {QStringLiteral("taskFullShared"), QStringLiteral("Tasks in common for a task link at full strength")},
        {QStringLiteral("taskMinHarvest"), QStringLiteral("Minimum harvest score for a task to count (0 to 1,000)")},
        {QStringLiteral("cohortMinHarvestProfile"), QStringLiteral("Minimum harvest profile for links by start time and task pool")},
        {QStringLiteral("cohortWindowHours"), QStringLiteral("Window for accounts starting together (hours)")},
        {QStringLiteral("cohortMinPeers"), QStringLiteral("Minimum other accounts starting together")},
        {QStringLiteral("cohortChanceRatio"), QStringLiteral("Accounts starting together needed, as a multiple of chance")},
        {QStringLiteral("cohortBaselineHours"), QStringLiteral("Opening period used as the ordinary mix of accounts (hours)")},
        {QStringLiteral("cohortBaselineMinAccounts"), QStringLiteral("Minimum accounts in that opening period")},
        {QStringLiteral("cohortWindowLinks"), QStringLiteral("Start-time links kept per account")},
        {QStringLiteral("cohortReleaseHours"), QStringLiteral("Time after a model release within which reasons name it (hours)")},
        {QStringLiteral("cohortReleaseStartHours"), QStringLiteral("Release-start link: first use of a new model within (hours)")},
        {QStringLiteral("edgeWeightWindow"), QStringLiteral("Link strength: accounts starting together")},
        {QStringLiteral("poolMinShared"), QStringLiteral("Minimum rare tasks shared with a task pool")},
        {QStringLiteral("poolMinShare"), QStringLiteral("Minimum share of an account's tasks from a task pool")},
        {QStringLiteral("poolMinAccounts"), QStringLiteral("Minimum other accounts drawing from a task pool")},
        {QStringLiteral("edgeWeightPool"), QStringLiteral("Link strength: per rare task from a shared pool")},
        {QStringLiteral("popularValueShare"), QStringLiteral("Share of accounts above which a shared value is common")},
        {QStringLiteral("popularValueMinAccounts"), QStringLiteral("Minimum accounts for a shared value to be common")},
        {QStringLiteral("cliqueMaxAccounts"), QStringLiteral("Accounts sharing a value above which links are sparse")},
        {QStringLiteral("sparseNeighbours"), QStringLiteral("Links per account for widely shared values")},
        {QStringLiteral("leidenResolution"), QStringLiteral("Grouping resolution")},
        {QStringLiteral("leidenIterations"), QStringLiteral("Grouping iterations")},
        {QStringLiteral("topEdgesPerCluster"), QStringLiteral("Strongest links kept per flagged network")},
        {QStringLiteral("minClusterAccounts"), QStringLiteral("Minimum core accounts in a network")},
        {QStringLiteral("memberMinBehaviour"), QStringLiteral("Minimum behaviour score for a core member sharing a template")},
        {QStringLiteral("evasionCoreMinInfrastructure"), QStringLiteral("Minimum evasion score for a core member without a shared template")},
        {QStringLiteral("evasionCoreMinBehaviour"), QStringLiteral("Minimum behaviour score for such an evasive core member")},
        {QStringLiteral("handoffMinBehaviour"), QStringLiteral("Minimum behaviour score to join a network by a takeover")},
        {QStringLiteral("handoffMaxAgeDays"), QStringLiteral("Greatest account age at first use for a takeover (days)")},
        {QStringLiteral("relayCoreMinBehaviour"), QStringLiteral("Minimum behaviour score for young accounts relaying each other")},
        {QStringLiteral("attachMinTemplateShare"), QStringLiteral("Minimum share on the network's templates for a small account to join")},
        {QStringLiteral("infraCoreMinBehaviour"), QStringLiteral("Minimum behaviour score for a member linked by infrastructure")},
        {QStringLiteral("taskCoreMinHarvestProfile"), QStringLiteral("Minimum harvest profile for a core member linked by tasks")},
        {QStringLiteral("taskCohesionWeight"), QStringLiteral("Coordination credit for a network linked by tasks")},
        {QStringLiteral("cohortMinHarvestRate"), QStringLiteral("Minimum harvest rate for start-time and pool links")},
        {QStringLiteral("cohortMinHarvestRequests"), QStringLiteral("Harvesting requests needed for the harvest rate")},
        {QStringLiteral("poolMinShareRate"), QStringLiteral("Minimum pool share of tasks with a high harvest rate")},
        {QStringLiteral("poolCohortHours"), QStringLiteral("Hours within which pool partners count as one cohort")},
        {QStringLiteral("poolAttachMinShared"), QStringLiteral("Pool member: minimum tasks also asked by a network")},
        {QStringLiteral("poolAttachMinShare"), QStringLiteral("Pool member: minimum share of its tasks the network asked")},
        {QStringLiteral("poolAttachMaxHarvestRequests"), QStringLiteral("Pool member: fewer harvesting requests than")},
        {QStringLiteral("poolAttachMinHarvestShare"), QStringLiteral("Pool member: minimum share of harvesting requests")},
        {QStringLiteral("poolAttachMinRatio"), QStringLiteral("Pool member: minimum output tokens per prompt token")},
        {QStringLiteral("mixAttachMinPartners"), QStringLiteral("Mix member: minimum network accounts that began with it and harvest alike")},
        {QStringLiteral("mixAttachMaxDistance"), QStringLiteral("Mix member: largest difference in how two accounts harvest")},
        {QStringLiteral("poolMinCohortShare"), QStringLiteral("Minimum share of pool partners from the account's cohort")},
        {QStringLiteral("cohortCoreMinHarvestProfile"), QStringLiteral("Minimum harvest profile for a core member linked by start time")},
        {QStringLiteral("cohortCohesionWeight"), QStringLiteral("Coordination credit for a network linked by start time")},
        {QStringLiteral("clusterFlagScore"), QStringLiteral("Network score needed to flag a network")},
        {QStringLiteral("clusterMinBeyondTemplate"), QStringLiteral("Minimum coordination besides a shared template")},
        {QStringLiteral("clusterMinExtraction"), QStringLiteral("Minimum output taken away by a network's accounts")},
        {QStringLiteral("clusterBehaviourLow"), QStringLiteral("Average behaviour score that adds nothing to a network's score")},
        {QStringLiteral("clusterBehaviourHigh"), QStringLiteral("Average behaviour score that adds fully to a network's score")},
        {QStringLiteral("hydraFullAccounts"), QStringLiteral("Core accounts at which network size counts fully")},
        {QStringLiteral("soloMinBehaviour"), QStringLiteral("Minimum behaviour score to flag a single account")},
        {QStringLiteral("soloMinInfrastructure"), QStringLiteral("Minimum evasion score to flag a single account")},
        {QStringLiteral("harvestRequestMin"), QStringLiteral("Minimum harvest score of a harvesting request (0 to 1,000)")},
        {QStringLiteral("harvestProfileShareLow"), QStringLiteral("Share of harvesting requests that scores no harvest profile")},
        {QStringLiteral("harvestProfileShareHigh"), QStringLiteral("Share of harvesting requests that scores a full harvest profile")},
        {QStringLiteral("harvestProfileCountLow"), QStringLiteral("Harvesting requests that score no harvest profile")},
        {QStringLiteral("harvestProfileCountHigh"), QStringLiteral("Harvesting requests that score a full harvest profile")},
        {QStringLiteral("harvestProfileOutputLow"), QStringLiteral("Average answer length of harvesting requests scoring nothing (tokens)")},
        {QStringLiteral("harvestProfileOutputHigh"), QStringLiteral("Average answer length of harvesting requests scoring fully (tokens)")},
        {QStringLiteral("harvestProfileRatioLow"), QStringLiteral("Answer-to-prompt length ratio scoring nothing")},
        {QStringLiteral("harvestProfileRatioHigh"), QStringLiteral("Answer-to-prompt length ratio scoring fully")},
        {QStringLiteral("harvestProfileCutShareLow"), QStringLiteral("Share of harvesting answers cut at the asker's limit that scores nothing")},
        {QStringLiteral("harvestProfileCutShareHigh"), QStringLiteral("Share of harvesting answers cut at the asker's limit that scores fully")},
        {QStringLiteral("harvestFamilyMinShare"), QStringLiteral("Minimum share of harvesting requests for a task category")},
        {QStringLiteral("harvestProfileMinFamilies"), QStringLiteral("Task categories needed for a full harvest profile")},
        {QStringLiteral("harvestProfileMaxTemplateShare"), QStringLiteral("Template share from which an account is an automated pipeline")},
        {QStringLiteral("harvestProfilePopularPeers"), QStringLiteral("Other heavy users from which a template belongs to a popular product")},
        {QStringLiteral("harvestProfilePopularShare"), QStringLiteral("Share on a popular product's templates that halves the harvest profile")},
        {QStringLiteral("soloMinHarvestProfile"), QStringLiteral("Minimum harvest profile to flag a single account")},
        {QStringLiteral("harvestTaskWindowDays"), QStringLiteral("Window for two accounts asking the same task (days)")},
        {QStringLiteral("harvestSharedGroupMax"), QStringLiteral("Most accounts asking a task before it is popular")},
        {QStringLiteral("tierRateLimits"), QStringLiteral("Rate limit of each account tier (requests per minute)")},
        {QStringLiteral("publicEmailDomains"), QStringLiteral("Public webmail domains (they link no accounts)")},
    };
    return table;
}

// "someNewKey" -> "Some new key": the fallback for a key added without a label.
QString spelledOut(const QString& key)
{
    QString out;
    for (qsizetype i = 0; i < key.size(); ++i) {
        const QChar ch = key.at(i);
        if (ch.isUpper() && i > 0) {
            out += QLatin1Char(' ');
            out += ch.toLower();
        } else {
            out += i == 0 ? ch.toUpper() : ch;
        }
    }
    return out;
}

} // namespace

QString labelFor(const QString& key)
{
    const auto it = labels().constFind(key);
    return it != labels().constEnd() ? *it : spelledOut(key);
}

QString withLabels(const QString& text)
{
    // A word with a lower-case start and an upper-case letter inside is an internal key ("taskFullShared").
    static const QRegularExpression key(QStringLiteral("\\b[a-z]+[A-Z][A-Za-z]*\\b"));
    QString out;
    qsizetype from = 0;
    for (auto it = key.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        out += text.mid(from, m.capturedStart() - from);
        out += QStringLiteral("\u201C%1\u201D").arg(labelFor(m.captured()));
        from = m.capturedEnd();
    }
    return out + text.mid(from);
}

} // namespace ds::settinglabels
