#include "detect/WhyNotFlagged.h"

#include "core/Sqlite.h"
#include "detect/DetectSettings.h"
#include "detect/Indicators.h"
#include "detect/ReasonText.h"

#include <QJsonDocument>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

namespace ds {

namespace {

using Values = std::array<std::optional<double>, kIndicatorCount>;

// How a signal reads in a sentence, and how its value is written. Only indicators where a high value
// points towards harvesting: a high percentile of the others (entropy, inter-arrival spread) says the opposite.
enum class Unit { Count, Share, Tokens, Ratio };
struct Signal
{
    Indicator indicator;
    const char* words;
    Unit unit;
    const char* noun; // after a count, when the words do not already say what is counted
};
constexpr Signal kSignals[] = {
    {Indicator::Requests, "request volume", Unit::Count, "requests"},
    {Indicator::RequestsPerActiveDay, "requests per active day", Unit::Count, ""},
    {Indicator::OutputTokens, "output volume", Unit::Count, "completion tokens"},
    {Indicator::OutputTokensPerActiveDay, "output per active day", Unit::Count, "completion tokens"},
    {Indicator::QuietHoursShare, "traffic in the quietest 6 hours of the day", Unit::Share, ""},
    {Indicator::PeakPerMinute, "requests in its busiest minute", Unit::Count, ""},
    {Indicator::OutputInputRatio, "length of answers against questions", Unit::Ratio, ""},
    {Indicator::MaxTokensHitShare, "answers cut at the length limit", Unit::Share, ""},
    {Indicator::MeanOutputTokens, "average answer length", Unit::Tokens, ""},
    {Indicator::LongAskShare, "requests for long or exhaustive answers", Unit::Share, ""},
    {Indicator::TopTemplateShare, "requests from its most used prompt template", Unit::Share, ""},
    {Indicator::CotRate, "requests for full reasoning", Unit::Share, ""},
    {Indicator::GradingRate, "requests to grade or judge answers", Unit::Share, ""},
    {Indicator::SensitiveRewriteRate, "requests rewriting sensitive questions", Unit::Share, ""},
    {Indicator::ReleaseChasing, "traffic moved at once to a newly released model", Unit::Share, ""},
    {Indicator::DistinctIps, "IP addresses used", Unit::Count, ""},
    {Indicator::DistinctNetworks, "networks (/24 or /48) used", Unit::Count, ""},
    {Indicator::DistinctUserAgents, "client programs (user agents) used", Unit::Count, ""},
    {Indicator::LockstepShare, "template use in the same hours as other accounts", Unit::Share, ""},
    {Indicator::TemplatedShare, "requests from its heavily used prompt templates", Unit::Share, ""},
    {Indicator::HarvestClassShare, "requests shaped like harvesting", Unit::Share, ""},
    {Indicator::HarvestClassRequests, "requests shaped like harvesting", Unit::Count, ""},
    {Indicator::HarvestClassOutput, "answer length on those requests", Unit::Tokens, ""},
    {Indicator::HarvestClassCutShare, "answers on those requests cut at the client's length limit", Unit::Share, ""},
    {Indicator::SharedTaskAccounts, "other accounts asking the same tasks", Unit::Count, ""},
};
constexpr int kMaxSignals = 4;
constexpr double kSignalPercentile = 0.9;

QString count(double v)
{
    return reasontext::whole(std::llround(v));
}

QString threshold(double t)
{
    return QString::number(t, 'f', 2);
}

// The account's value beside a threshold it missed: never printed so that it looks equal to the threshold.
QString score(double v, double need)
{
    for (int decimals = 2; decimals < 5; ++decimals) {
        const QString s = QString::number(v, 'f', decimals);
        if (v >= need || s != QString::number(need, 'f', decimals))
            return s;
    }
    return QString::number(v, 'g', 6);
}

// "no other account", "1 other account", "12 other accounts".
QString plural(double n, const char* one, const char* many)
{
    if (std::llround(n) == 0 && QLatin1String(one).startsWith(QLatin1String("other ")))
        return QStringLiteral("no %1").arg(QLatin1String(one));
    return reasontext::count(std::llround(n), QLatin1String(one), QLatin1String(many));
}

// An age in the unit that reads best ("3 days", "5 hours").
QString days(double d)
{
    return reasontext::duration(std::llround(d * 86'400'000.0));
}

QString signalValue(const Signal& s, double v)
{
    switch (s.unit) {
    case Unit::Share: return reasontext::percent(v);
    case Unit::Tokens: return QStringLiteral("%1 tokens on average").arg(count(v));
    case Unit::Ratio: return QStringLiteral("%1 output tokens for each prompt token").arg(reasontext::number(v));
    case Unit::Count: break;
    }
    return *s.noun ? QStringLiteral("%1 %2").arg(count(v), QLatin1String(s.noun)) : count(v);
}

// "output volume: 2,345,678 completion tokens, higher than 97% of accounts": the stored percentile is the share of
// accounts with a strictly lower value, so "higher than" is true as written (rounded down).
QStringList strongestSignals(const Values& value, const Values& pct)
{
    // Over one active day a per-day figure repeats the total.
    const auto days = value[static_cast<size_t>(Indicator::ActiveDays)];
    const bool oneDay = days && *days <= 1;
    std::vector<const Signal*> found;
    for (const Signal& s : kSignals) {
        const auto i = static_cast<size_t>(s.indicator);
        if (oneDay && (s.indicator == Indicator::RequestsPerActiveDay || s.indicator == Indicator::OutputTokensPerActiveDay))
            continue;
        if (value[i] && pct[i] && *pct[i] >= kSignalPercentile && *value[i] > 0)
            found.push_back(&s);
    }
    std::stable_sort(found.begin(), found.end(), [&pct](const Signal* a, const Signal* b) {
        return *pct[static_cast<size_t>(a->indicator)] > *pct[static_cast<size_t>(b->indicator)];
    });
    QStringList out;
    for (const Signal* s : found) {
        if (out.size() == kMaxSignals)
            break;
        const auto i = static_cast<size_t>(s->indicator);
        out << QStringLiteral("%1: %2, higher than %3% of accounts")
                   .arg(QLatin1String(s->words), signalValue(*s, *value[i]))
                   .arg(std::floor(*pct[i] * 100), 0, 'f', 0);
    }
    return out;
}

struct Account
{
    bool found = false, flagged = false;
    std::int64_t requests = 0, community = 0;
    Values value{}, pct{};
    double get(Indicator i) const { return value[static_cast<size_t>(i)].value_or(0.0); }
    std::optional<double> opt(Indicator i) const { return value[static_cast<size_t>(i)]; }
};

Account readAccount(SqliteDb& db, std::int64_t run, std::int64_t account)
{
    Account a;
    SqliteStatement r(db, "SELECT flagged, requests, community FROM account_result WHERE run = ? AND account = ?");
    r.bind(1, run);
    r.bind(2, account);
    if (!r.step())
        return a;
    a.found = true;
    a.flagged = r.columnInt(0) != 0;
    a.requests = r.columnInt(1);
    a.community = r.columnInt(2);
    SqliteStatement st(db, "SELECT indicator, value, percentile FROM account_indicator WHERE run = ? AND account = ?");
    st.bind(1, run);
    st.bind(2, account);
    while (st.step()) {
        const auto i = st.columnInt(0);
        if (i < 0 || i >= kIndicatorCount)
            continue;
        if (!st.isNull(1) && std::isfinite(st.columnDouble(1)))
            a.value[static_cast<size_t>(i)] = st.columnDouble(1);
        if (!st.isNull(2))
            a.pct[static_cast<size_t>(i)] = st.columnDouble(2);
    }
    return a;
}

// One way into a network's core (ClusterScoring): what it asks of the account itself and of its links, and what
// this account has, with the thresholds of the run.
struct Route
{
    QString name, needs, has;
    bool ownMet = false; // the account's own values meet it; the links to accounts alike are another matter
};

std::vector<Route> networkRoutes(const Account& a, const DetectSettings& s)
{
    const double behaviour = a.get(Indicator::Behaviour);
    const double harvest = a.get(Indicator::ScoreHarvestProfile);
    const double infra = a.get(Indicator::ScoreInfrastructure);
    const double peers = a.get(Indicator::TemplatePeers);
    const int peersNeeded = std::max(2, s.minClusterAccounts) - 1;
    std::vector<Route> out;

    out.push_back({QStringLiteral("Shared template"),
                   QStringLiteral("a prompt template used heavily together with at least %1, and a behaviour score of at least %2")
                       .arg(plural(peersNeeded, "other account", "other accounts"), threshold(s.memberMinBehaviour)),
                   QStringLiteral("its heavy templates are used heavily by %1; its behaviour score is %2")
                       .arg(plural(peers, "other account", "other accounts"), score(behaviour, s.memberMinBehaviour)),
                   behaviour >= s.memberMinBehaviour && peers >= peersNeeded});

    const bool strong = behaviour >= s.infraCoreMinBehaviour;
    const bool evasive = infra >= s.evasionCoreMinInfrastructure && behaviour >= s.evasionCoreMinBehaviour;
    out.push_back({QStringLiteral("Shared rare infrastructure"),
                   QStringLiteral("a rare payment fingerprint, e-mail domain or IP address shared with an account alike, and "
                                  "a behaviour score of at least %1, or an infrastructure score of at least %2 (many networks "
                                  "and user agents, a fresh account) with a behaviour score of at least %3")
                       .arg(threshold(s.infraCoreMinBehaviour), threshold(s.evasionCoreMinInfrastructure),
                            threshold(s.evasionCoreMinBehaviour)),
                   QStringLiteral("its behaviour score is %1, its infrastructure score %2")
                       .arg(score(behaviour, s.infraCoreMinBehaviour), score(infra, s.evasionCoreMinInfrastructure)),
                   strong || evasive});

    const double sharers = a.get(Indicator::SharedTaskAccounts);
    out.push_back({QStringLiteral("Shared rare tasks"),
                   QStringLiteral("to ask the same rare tasks as other harvesting accounts, and a harvest profile of at least %1 "
                                  "(%2 when its activity also began together with theirs)")
                       .arg(threshold(s.taskCoreMinHarvestProfile), threshold(s.cohortCoreMinHarvestProfile)),
                   QStringLiteral("%1 asked some of its tasks; its harvest profile is %2%3")
                       .arg(plural(sharers, "other account", "other accounts"), score(harvest, s.taskCoreMinHarvestProfile),
                            harvest < s.taskCoreMinHarvestProfile && harvest >= s.cohortCoreMinHarvestProfile
                                ? QStringLiteral(", enough only with activity that began together with theirs")
                                : QString()),
                   sharers > 0 && harvest >= s.taskCoreMinHarvestProfile});

    const std::optional<double> age = a.opt(Indicator::AgeDaysAtFirstUse);
    out.push_back({QStringLiteral("Hand-off"),
                   QStringLiteral("to take over from another new account, being at most %1 old at its first request, and a behaviour "
                                  "score of at least %2")
                       .arg(days(s.handoffMaxAgeDays), threshold(s.relayCoreMinBehaviour)),
                   age ? QStringLiteral("it was %1 old; its behaviour score is %2")
                             .arg(days(*age), score(behaviour, s.relayCoreMinBehaviour))
                       : QStringLiteral("its age is not known"),
                   age && *age <= s.handoffMaxAgeDays && behaviour >= s.relayCoreMinBehaviour});
    return out;
}

QString links(SqliteDb& db, std::int64_t run, std::int64_t account, const Account& a)
{
    SqliteStatement st(db, "SELECT COUNT(*), COALESCE(SUM(flagged), 0) FROM account_result "
                           "WHERE run = ? AND community = ? AND account <> ?");
    st.bind(1, run);
    st.bind(2, a.community);
    st.bind(3, account);
    const std::int64_t others = st.step() ? st.columnInt(0) : 0;
    const std::int64_t flagged = others ? st.columnInt(1) : 0;
    if (others == 0)
        return QStringLiteral("It is linked to no other account: no shared template, rare infrastructure, hand-off or task.");
    return QStringLiteral("Its links (shared templates, infrastructure, hand-offs or tasks) put it in a group of the account "
                          "graph with %1 (%2), but its links and values did not make it part of a flagged network's core.")
        .arg(plural(static_cast<double>(others), "other account", "other accounts"),
             flagged == 0 ? QStringLiteral("none of them flagged")
                          : QStringLiteral("%1 flagged").arg(count(static_cast<double>(flagged))));
}

} // namespace

QStringList whyNotFlagged(SqliteDb& db, std::int64_t run, std::int64_t account)
{
    const Account a = readAccount(db, run, account);
    if (a.flagged)
        return {};
    if (!a.found)
        return {QStringLiteral("Not flagged. This run judged no requests of this account.")};

    SqliteStatement st(db, "SELECT settings_json FROM detection_run WHERE id = ?");
    st.bind(1, run);
    QString error;
    const DetectSettings s = DetectSettings::fromJson(
        QJsonDocument::fromJson(st.step() ? st.columnText(0).toUtf8() : QByteArray()).object(), &error);
    if (!error.isEmpty())
        return {QStringLiteral("Not flagged. The thresholds of this run cannot be read back (%1).").arg(error)};

    QStringList out;
    const double behaviour = a.get(Indicator::Behaviour);
    const double harvest = a.get(Indicator::ScoreHarvestProfile);
    const double infra = a.get(Indicator::ScoreInfrastructure);
    QStringList alone;
    alone << QStringLiteral("a harvest profile of at least %1 (its profile is %2)")
                 .arg(threshold(s.soloMinHarvestProfile), score(harvest, s.soloMinHarvestProfile));
    alone << QStringLiteral("a behaviour score of at least %1 together with an infrastructure score of at least %2 "
                            "(its scores are %3 and %4)")
                 .arg(threshold(s.soloMinBehaviour), threshold(s.soloMinInfrastructure), score(behaviour, s.soloMinBehaviour),
                      score(infra, s.soloMinInfrastructure));
    out << QStringLiteral("Not flagged. A flag needs either membership of a flagged network of at least %1 or, to be "
                          "flagged alone, %2. Scores run from 0 to 1; the harvest profile measures how many of its "
                          "requests look like collecting long answers to benchmark-like tasks, and how long those answers are.")
               .arg(plural(s.minClusterAccounts, "account", "accounts"), alone.join(QStringLiteral(" or ")));

    const std::vector<Route> routes = networkRoutes(a, s);
    out << QStringLiteral("An account joins a network's core in one of these ways, each with links to accounts alike:");
    for (const Route& r : routes)
        out << QStringLiteral("%1: needs %2. This account: %3.").arg(r.name, r.needs, r.has);
    out << links(db, run, account, a);
    QStringList met;
    for (const Route& r : routes)
        if (r.ownMet)
            met << r.name.toLower();
    if (!met.isEmpty())
        out << QStringLiteral("Its own values meet what the %1 way%2 of the account itself: what it lacks is links to "
                              "accounts that together make a flagged network.")
                   .arg(met.join(QStringLiteral(" and the ")), met.size() == 1 ? QStringLiteral(" asks") : QStringLiteral("s ask"));
    if (a.requests < s.minRequestsForRates)
        out << QStringLiteral("It sent %1; below %2 its timing, templates and task categories are not judged.")
                   .arg(plural(static_cast<double>(a.requests), "request", "requests"), count(s.minRequestsForRates));

    const QStringList strongest = strongestSignals(a.value, a.pct);
    if (strongest.isEmpty())
        out << QStringLiteral("None of its signals is higher than %1% of accounts.").arg(kSignalPercentile * 100, 0, 'f', 0);
    else
        out << QStringLiteral("Its strongest signals: %1. They count towards a flag only through the scores above.")
                   .arg(strongest.join(QStringLiteral("; ")));
    return out;
}

} // namespace ds
