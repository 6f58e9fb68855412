#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <map>

namespace ds {

// Every threshold and weight of a detection run, with documented defaults
// (kept in code, overridable from a JSON file). A run stores the settings it
// used, so its results can be reproduced. Plain value: any thread.
struct DetectSettings
{
    // --- run ---
    int seed = 20260223;   // igraph's random generator (Leiden), so runs repeat exactly
    int threads = 0;       // scan threads; 0 = one per core
    int scanGroupRows = 4000000; // requests read per scan pass and thread (about 72 bytes each in memory)

    // --- per-account indicators ---
    int minRequestsForRates = 10;        // below this, timing/template/category indicators are not judged
    double syncWindowMinutes = 60;       // synchrony window: same template used by several accounts in one window
    int syncMinOtherAccounts = 2;        // a window counts as lockstep when at least this many other accounts used the template
    double newModelMinDelayHours = 24;   // a model counts as newly released if first seen this long after the data starts
    double releaseGraceHours = 24;       // an account chases a release when it adopts the new model within this time
    double defaultRateLimitPerMinute = 60;
    std::map<QString, double> tierRateLimits = {{QStringLiteral("free"), 5}, {QStringLiteral("tier-1"), 50},
                                                {QStringLiteral("tier-2"), 1000}, {QStringLiteral("tier-3"), 2000},
                                                {QStringLiteral("tier-4"), 4000}, {QStringLiteral("enterprise"), 10000}};
    QStringList publicEmailDomains = {QStringLiteral("gmail.com"),   QStringLiteral("googlemail.com"), QStringLiteral("outlook.com"),
                                      QStringLiteral("hotmail.com"), QStringLiteral("live.com"),       QStringLiteral("yahoo.com"),
                                      QStringLiteral("icloud.com"),  QStringLiteral("me.com"),         QStringLiteral("proton.me"),
                                      QStringLiteral("protonmail.com"), QStringLiteral("aol.com"),     QStringLiteral("gmx.de"),
                                      QStringLiteral("gmx.net"),     QStringLiteral("web.de"),         QStringLiteral("mail.ru"),
                                      QStringLiteral("yandex.ru"),   QStringLiteral("qq.com"),         QStringLiteral("163.com"),
                                      QStringLiteral("126.com"),     QStringLiteral("naver.com"),      QStringLiteral("fastmail.com")};

    // --- templates ---
    int templateMinUses = 3;        // an account "uses a template heavily" with at least this many requests on it...
    double templateMinShare = 0.1;  // ...making at least this share of its requests
    int templateMaxPerAccount = 4;  // heavy templates kept per key kind (head, tail, system prompt, near-duplicate family)
    // Near-duplicate families (SimHash LSH, detect/TemplateFamilies.h).
    double familyBandMinShare = 0.03; // an 8-bit SimHash band value recurring in this share of an account's requests is a candidate
    int familyMergeDistance = 10;     // centroids within this Hamming distance are one family (in an account and across accounts)
    int familyRadius = 18;            // a request within this Hamming distance of a family's centroid belongs to it (-1: no families)
    // Prompt profiles: the bitwise majority of an account's request SimHashes (TemplateFamilies.h).
    double profileMinBias = 0.1;      // a bit is in the profile when its share of set requests is this far from one half (and 2 s.e.)
    int profileMinBits = 12;          // bits a profile needs, and bits two profiles must have in common to be compared (0: no profiles)
    double profileMaxMismatch = 0.05; // profiles agreeing on all but this share of their common bits are one prompt pool
    double profileMinBehaviour = 0.2; // only accounts with this behaviour are joined by profile (people's everyday prompts share a generic one)

    // --- behaviour score (0..1 per facet, weighted mean) ---
    double weightHarvest = 0.20, weightTemplating = 0.20, weightElicitation = 0.15, weightAutomation = 0.20,
           weightNarrow = 0.10, weightInfrastructure = 0.10, weightRelease = 0.05;
    double harvestMeanOutputLow = 500, harvestMeanOutputHigh = 1500; // mean completion tokens
    double harvestMaxTokensHitHigh = 0.2;                             // share of answers cut at max_tokens
    double harvestLongAskHigh = 0.5;                                  // share asking for long/exhaustive answers
    double templatingShareLow = 0.2, templatingShareHigh = 0.7;       // largest template's share of requests
    double elicitationRateHigh = 0.5;                                 // CoT / grading / sensitive-rewrite share
    double automationQuietShareHigh = 0.15; // traffic share of the quietest 6 hours of the day (humans sleep: ~0)
    double automationCvHuman = 2.5, automationCvMachine = 1.0;        // inter-arrival coefficient of variation
    double pacingMaxGapSeconds = 600;                                 // gaps shorter than this are inside a session or burst
    double automationGapSpreadHuman = 0.7, automationGapSpreadMachine = 0.35; // sd of ln(short gap)
    double automationPeakHuman = 4, automationPeakMachine = 12;       // requests in the busiest minute
    double narrowEntropyLow = 0.3, narrowEntropyHigh = 1.5;           // task-category entropy (bits)
    double infraNetworksHigh = 10;                                    // distinct /24 (/48) networks
    double infraYoungDays = 3;                                        // account age at first use
    double infraUserAgentsHigh = 3;
    double releaseShareHigh = 0.3;

    // --- account graph ---
    double edgeWeightPayment = 3.0, edgeWeightEmailDomain = 1.0, edgeWeightUserAgent = 0.5, edgeWeightIp = 1.0,
           edgeWeightNetwork = 0.5, edgeWeightTemplate = 2.0, edgeWeightCoCreated = 0.5;
    double coCreatedWindowMinutes = 60;
    double edgeWeightHandoff = 1.0;      // link weight of a hand-off (before the chance correction)
    double handoffMaxGapMinutes = 360;   // a hand-off: another account starts within this time after one goes quiet...
    double handoffOverlapMinutes = 10;   // ...or at most this long before its last request
    int handoffMaxSuccessors = 2;        // hand-offs kept per account that went quiet and shared value (the closest in time)
    // Task links (detect/LinkTasks.h): accounts asking the same rare tasks, beyond chance.
    double edgeWeightTask = 2.0;       // link weight of a task link once it saturates
    int taskSketchSize = 128;          // tasks kept per account: the smallest task hashes (a consistent sample)
    int taskMaxAccounts = 8;           // a task asked by more accounts is popular, not a pool: it links nobody
    int taskMinShared = 3;             // rare tasks two accounts must share to be linked...
    double taskChanceRatio = 4;        // ...and at least this many times what chance alone would give them
    double taskMinPoolShare = 0.35;    // both accounts: this share of their counted tasks is asked by a few others
    double taskMinOverlap = 0.05;      // shared tasks: at least this share of the busier account's tasks (both sketches' range)
    double taskFullShared = 8;         // shared tasks beyond chance at which the link weight saturates
    int taskMinHarvest = 700;          // a task links only when asked with this request harvest score (0..1000)
    // Harvest-profile cohorts (detect/LinkCohorts.h): window and pool links, only between harvest-profile accounts.
    double cohortMinHarvestProfile = 0.25; // a harvest-profile account for window and pool links
    double cohortWindowHours = 6;         // activity beginning within this many hours of another's...
    int cohortMinPeers = 5;               // ...with at least this many other harvest-profile accounts...
    double cohortChanceRatio = 3;         // ...and this many times what the population's starts in that window give
    double cohortBaselineHours = 24;      // chance: the harvest-profile share of accounts starting this soon after the data
    int cohortBaselineMinAccounts = 50;   // ...when at least this many did (else the whole population's share)
    int cohortWindowLinks = 4;            // window links per account: the nearest in time on each side
    double cohortReleaseHours = 24;       // a start this soon after a model's release is named in the reasons
    double cohortReleaseStartHours = 6;   // release start: first use of a new model this soon after its release, with
                                          // cohortMinPeers other harvest-profile accounts, cohortChanceRatio x chance
    double edgeWeightWindow = 0.5;        // link weight of two accounts whose activity began together
    double cohortMinHarvestRate = 0.5;    // ...or this harvest rate (the profile without its volume part: the cohort supplies it)...
    int cohortMinHarvestRequests = 6;     // ...from at least this many harvest-class requests
    int poolMinShared = 3;                // pool: counted rare tasks also asked by other harvest-profile accounts...
    double poolMinShare = 0.5;            // ...this share of the account's counted tasks (poolMinShareRate with the harvest rate)...
    double poolMinShareRate = 0.35;
    int poolMinAccounts = 4;              // ...asked by at least this many distinct harvest-profile accounts in all...
    double poolCohortHours = 36;          // ...of whom poolMinCohortShare began within this many hours of it (its own cohort)
    double poolMinCohortShare = 0.3;
    double edgeWeightPool = 1.0;          // link weight of two pool accounts per rare task they share (capped at 1 task)
    // Pool members (detect/PoolAttachment.h): an unflagged account too small to judge alone joins a flagged network
    // whose accounts asked its harvest-class tasks (rare, taskMinHarvest, within harvestTaskWindowDays of its own asks).
    int poolAttachMinShared = 3;             // at least this many of its tasks...
    double poolAttachMinShare = 0.4;         // ...and this share of its rare harvest-class tasks
    int poolAttachMaxHarvestRequests = 30;   // fewer harvest-class requests than this (more: the profile judges it)
    double poolAttachMinHarvestShare = 0.4;  // its harvest-class share of requests
    double poolAttachMinRatio = 3;           // output tokens per prompt token of its harvest-class answers
    // Mix members (detect/MixAttachment.h): an unflagged harvest-profile account whose start fell in a window beyond
    // chance joins the flagged network with this many accounts that began within cohortWindowHours of it...
    int mixAttachMinPartners = 3;            // (0: none joins this way)
    double mixAttachMaxDistance = 0.3;       // ...with a harvest mix (HarvestMix, 0..2 apart) this close to its own
    double popularValueShare = 0.02;   // an infrastructure value shared by more than this share of accounts links nothing
    int popularValueMinAccounts = 50;  // ...but never below this many accounts
    int cliqueMaxAccounts = 12;        // values shared by more accounts get a sparse circulant linkage instead of a clique
    int sparseNeighbours = 6;
    double leidenResolution = 1.0;
    int leidenIterations = 4;
    int topEdgesPerCluster = 50;       // edges stored per flagged cluster for the link view

    // --- clusters and flags ---
    int minClusterAccounts = 3;          // a network needs at least this many core accounts
    double memberMinBehaviour = 0.25;    // core member: shares a cluster template heavily and behaves at least this badly
    double infraCoreMinBehaviour = 0.6;
    double evasionCoreMinInfrastructure = 0.6; // core member without a shared template: infrastructure evasion (networks, user agents, fresh account)...
    double evasionCoreMinBehaviour = 0.15;     // ...with at least this behaviour, rare-infrastructure-linked to a peer alike
    double handoffMinBehaviour = 0.15;   // a young account taking over from a network's core joins it with this behaviour (any, if too small to judge)
    double handoffMaxAgeDays = 7;        // young: first request at most this many days after sign-up (hand-off successors, joiners)
    double relayCoreMinBehaviour = 0.2; // core member without a shared template: a young account with this behaviour in a hand-off with another alike
    double attachMinTemplateShare = 0.3; // a member too small to judge joins the network when this share of its requests used the core's templates  // core member without a shared template: rare-infrastructure link + this behaviour
    double taskCoreMinHarvestProfile = 0.4; // core member without a shared template: task-linked to a peer with this harvest profile
    double taskCohesionWeight = 0.6;     // coordination of a network whose whole core is task-linked (0..1)
    double cohortCoreMinHarvestProfile = 0.25; // core member without a shared template: window-linked and task- or pool-linked to peers alike
    double cohortCohesionWeight = 0.7;   // coordination of a network whose whole core is window- and pool-linked (0..1)
    double clusterFlagScore = 0.5;
    double clusterMinBeyondTemplate = 0.1; // a network is flagged only with this much coordination besides a shared template and its timing
    double clusterMinExtraction = 0.1;   // ...and only when its core takes away this much on average (long answers, reasoning, harvest profile)
    double clusterBehaviourLow = 0.1, clusterBehaviourHigh = 0.35; // core mean behaviour ramp of the cluster score
    double hydraFullAccounts = 8;        // network size at which the "many accounts" factor saturates
    double soloMinBehaviour = 0.75;      // an account alone is flagged with this behaviour...
    double soloMinInfrastructure = 0.5;  // ...and this much infrastructure evasion
    // --- harvest profile (docs/HARVEST_SIGNAL.md) ---
    int harvestRequestMin = 500;           // request harvest score (0..1000) from which a request is harvest-class
    double harvestProfileShareLow = 0.45, harvestProfileShareHigh = 0.65;     // harvest-class share of requests
    double harvestProfileCountLow = 10, harvestProfileCountHigh = 30;        // harvest-class requests
    double harvestProfileOutputLow = 700, harvestProfileOutputHigh = 1100;   // their mean completion tokens
    double harvestProfileRatioLow = 3, harvestProfileRatioHigh = 6;            // their completion / prompt tokens
    // Answers the client cut at its own max_tokens stand in for their length (short outputs, docs/HARVEST_SIGNAL.md
    // section 10): the share of harvest-class answers (no tools) stopped at the limit scoring 0 and 1.
    double harvestProfileCutShareLow = 0.35, harvestProfileCutShareHigh = 0.55;
    double harvestFamilyMinShare = 0.1;    // a task category is one of the account's harvest families with this share...
    int harvestProfileMinFamilies = 2;     // ...and a harvest profile needs this many families (else half its score)
    double harvestProfileMaxTemplateShare = 0.7; // heavy templates carrying this share of the requests: a harness (half the score)
    int harvestProfilePopularPeers = 20;   // a heavy template used heavily by this many other accounts is a popular product...
    double harvestProfilePopularShare = 0.3; // ...and carrying this share of the requests, half the score
    double soloMinHarvestProfile = 0.6;    // an account alone is flagged with this harvest profile score
    double harvestTaskWindowDays = 3;      // another account asking the same task within this time shares it
    int harvestSharedGroupMax = 64;        // a task asked by more accounts is popular: its askers are not enumerated

    QJsonObject toJson() const;
    // Starts from the defaults and applies the keys present in `o`; unknown keys are errors.
    static DetectSettings fromJson(const QJsonObject& o, QString* error = nullptr);
    static DetectSettings fromFile(const QString& path, QString* error);
    // One line per setting: key, default value, meaning (for --print-settings).
    static QString documentation();

    double rateLimitFor(const QString& tier) const;
};

} // namespace ds
