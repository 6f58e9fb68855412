#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace ds {

// A closed interval of a knob ([lo, hi] in JSON); values are drawn uniformly in it.
struct SimRange
{
    double lo = 0;
    double hi = 0;
};

// How a population of people uses the API: sessions in their own waking or working hours.
struct SimSessionProfile
{
    int accounts = 0;
    double activeDayShare = 0.5;        // chance that a given day has any activity
    double weekendFactor = 1.0;         // activity on Saturday/Sunday relative to weekdays
    SimRange sessionsPerDay{1, 2};
    SimRange requestsPerSession{1, 5};
    double gapMedianSeconds = 60;       // between requests of one session
    SimRange localHours{8, 23};         // when sessions start, local time
    double sdkShare = 0.2;              // accounts calling through an SDK (others: browser or app)
    double codingShare = 0.1;           // requests that are programming questions
    double templateUserShare = 0.05;    // accounts that also reuse a personal prompt template
    double followUpShare = 0.25;        // requests that continue the previous turn
    double newModelAdopterShare = 0.15; // accounts that try the newly released model
};

// One enterprise batch pipeline: one account, one template, steady volume from one IP range.
struct SimBatchProfile
{
    int accounts = 1;
    double requestsPerHour = 400;
    SimRange utcHours{0, 24};  // daily window the pipeline runs in
    double gapCv = 0.15;
    QStringList templates;      // slots: {record}, {field}, {lang}, {n}
    QString systemPrompt;
};

// Teams running a public benchmark (maths or coding, "think step by step") for hours from one account.
struct SimEvaluatorProfile
{
    int accounts = 1;
    int runsPerAccount = 2;
    double requestsPerMinute = 20;
    double newModelRunShare = 0.5; // runs that evaluate the newly released model right after release
    QStringList templates;         // slots: {task}
};

// Unrelated people behind one NAT or corporate proxy, on popular SDK versions.
struct SimNatProfile
{
    int groups = 1;
    int accountsPerGroup = 30;
    int addressesPerGroup = 2;
    double developerShare = 0.6;
};

// A legitimate reseller: many end customers on its IP pool and user agent, each with own prompts and timing.
struct SimResellerProfile
{
    int resellers = 1;
    int customersPerReseller = 30;
    int poolSubnets = 2;
    double developerShare = 0.5;
    QString userAgent;
};

// A programming class behind one campus NAT: students working the same exercise sheets in the same weeks
// (shared infrastructure and shared content, at human volume, short answers, no reasoning demanded).
struct SimClassroomProfile
{
    int classes = 0;
    int studentsPerClass = 40;
    int exercises = 40;          // per class, released as weekly sheets over the span
    int addressesPerClass = 2;   // the campus NAT's egress addresses
    SimSessionProfile sessions;  // how a student works (accounts unused)
};

struct SimBenignConfig
{
    SimSessionProfile casual;
    SimSessionProfile developer;
    SimBatchProfile batch;
    SimEvaluatorProfile evaluator;
    SimNatProfile nat;
    SimResellerProfile reseller;
    SimClassroomProfile classroom;
    SimSessionProfile homework;  // people asking step-by-step help with maths homework
    SimSessionProfile powerUser; // agentic-coding power users: tools, very long outputs, high volume
};

// One hydra network harvesting answers: many paced accounts sharing infrastructure and templates.
struct SimCampaignConfig
{
    QString name;                // truth.csv campaign column
    QString kind;                // "reasoning", "agentic" or "coding": which tasks and templates
    int accounts = 100;          // all accounts ever used, replacements included
    std::int64_t requests = 10000;
    int workers = 20;            // concurrent work streams; each is handed from account to account
    double startDay = 0;
    double endDay = 14;
    int signupWaves = 4;
    SimRange signupLeadHours{2, 72};   // account opened this long before it starts work
    SimRange handoffGapMinutes{5, 240}; // a replacement takes over after this pause
    double throwawayEmailShare = 0.8;
    int throwawayDomains = 6;
    int paymentGroups = 8;
    double paymentSharedShare = 0.6;   // accounts paying with one of the shared instruments
    double residentialShare = 0.6;     // requests through residential proxies (others: datacenter)
    int residentialPool = 500;         // addresses in the shared residential pool
    int datacenterSubnets = 4;         // /24 networks of the datacenter pool
    double ipRotateShare = 0.3;        // requests that switch to another address of the pool
    QStringList userAgents;
    double userAgentRotateShare = 0.2;
    int rateLimitRpm = 50;             // per-account limit the pacing stays under
    double burstUtilisation = 0.7;     // pace inside a burst relative to the limit
    SimRange burstSize{5, 30};
    double gapCv = 0.3;
    double camouflageShare = 0.05;     // benign-looking requests mixed in
    double chaseShare = 0;             // traffic moved to the newly released model (0: none)
    double chaseDelayHours = 10;       // median delay after the release before the move
    double resellerShare = 0;          // accounts opened through the legitimate reseller
    double cloudShare = 0;             // accounts reaching the model through a cloud platform
    QStringList templates;             // slots depend on the kind, see SimCampaignTasks
    SimRange wrapperEdits{0, 0};       // word edits per request in a template's fixed text (0: exact wrapper)
    QStringList systemPrompts;
    QStringList models;                // models used before any release chase
    std::vector<int> maxTokens{4096, 8192};
};

// A careful harvesting operation (issue 13): bought aged accounts, each with its own card, free-mail address,
// residential addresses and its own paraphrased wrapper; human pacing; camouflage; every task sampled by a few
// accounts; tasks from the Heldout part of the corpora (text/CorpusSplit.h). See model/sim/README.md.
struct SimAdversaryConfig
{
    QString name = QStringLiteral("careful-harvest"); // truth.csv campaign column
    int accounts = 300;
    double startDay = 0.5;
    double endDay = 14;
    SimRange requestsPerAccount{50, 150};
    SimRange accountAgeDays{30, 400};   // bought aged: created this long before the account starts work
    SimRange ipsPerAccount{1, 3};       // its own residential addresses
    double sdkShare = 0.7;              // accounts on a common SDK user agent (others: a browser's)
    int cohorts = 6;                    // accounts come online in cohorts; a task goes to accounts of one cohort
    SimRange activeDays{4, 9};          // an account's working window
    double activeDayShare = 0.75;       // days of the window with sessions
    SimRange sessionsPerDay{1, 3};
    double gapMedianSeconds = 90;       // log-normal gaps between requests of a session
    SimRange localHours{8, 23};         // sessions start in the account's own local daytime
    double rawShare = 0.33;             // harvest tasks sent without any wrapper
    double camouflageShare = 0.4;       // ordinary chat and coding prompts mixed in
    SimRange samplesPerTask{2, 3};      // accounts asking each task
    double agenticShare = 0.4;          // accounts harvesting tool use and code (others: reasoning)
    double resellerShare = 0.5;         // agentic accounts routed through the legitimate reseller
    double chaseShare = 0.8;            // coding requests on the released model once it is out
    double chaseDelayHours = 3;
    QStringList models;                 // empty: the scenario's benign model mix
    std::vector<int> maxTokens{4096, 8192, 16000};
};

// The defaults of a campaign of one kind ("reasoning", "agentic", "coding"): templates, user agents,
// pacing. An unknown kind gives a config with an empty kind.
SimCampaignConfig simDefaultCampaign(const QString& kind);

// A whole scenario: time span, models, the benign population and the campaigns.
// Every knob has a default; a scenario file only names what it changes, and
// toJson() prints the complete resolved description for a user to copy and edit.
// Plain data: any thread.
struct SimScenario
{
    QString name;
    QString description;
    std::int64_t startMs = 0;
    double days = 14;
    QStringList models;            // benign model mix, by weight
    std::vector<double> modelWeights;
    QString releasedModel;         // newly released during the span
    double releaseDay = 7;
    SimBenignConfig benign;
    std::vector<SimCampaignConfig> campaigns;
    std::vector<SimAdversaryConfig> adversaries;

    static SimScenario defaults();
    // Reads a scenario description; unknown keys are an error so that typos do not pass silently.
    static SimScenario fromJson(const QJsonObject& o, QString* error);
    QJsonObject toJson() const;
    // Multiplies population sizes and request volumes (not the time span); keeps every role present.
    void applyScale(double scale);

    // Built-in scenarios (embedded as :/sim/scenarios/NAME.json).
    static QStringList builtinNames();
    // A built-in name or a path to a JSON file.
    static SimScenario load(const QString& nameOrPath, QString* error);

    std::int64_t endMs() const { return startMs + static_cast<std::int64_t>(days * 86400000.0); }
    std::int64_t releaseMs() const { return startMs + static_cast<std::int64_t>(releaseDay * 86400000.0); }
};

} // namespace ds
