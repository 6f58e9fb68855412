#include "detect/CohortReasons.h"

#include "core/Timestamp.h"
#include "detect/DetectSettings.h"
#include "detect/ReasonText.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <map>

namespace ds {

namespace {

constexpr double kHourMs = 3'600'000.0;

using reasontext::count;
QString num(double v) { return reasontext::number(v); }
QString big(std::int64_t v) { return reasontext::whole(v); }
QString when(std::int64_t ms) { return reasontext::moment(ms); }
QString hours(double h) { return reasontext::duration(static_cast<std::int64_t>(h * kHourMs)); }
QString accountsText(std::int64_t n) { return count(n, QStringLiteral("account"), QStringLiteral("accounts")); }

// A released model by its name, or "a newly released model" when the case does not name it (never an internal id).
QString modelText(std::uint32_t model, const ModelNamer& modelName)
{
    const QString name = modelName ? modelName(model) : QString();
    return name.isEmpty() ? QStringLiteral("a newly released model") : QStringLiteral("model ") + reasontext::quoted(name, 60);
}

QJsonObject windowJson(std::int64_t from, std::int64_t to)
{
    return QJsonObject{{QStringLiteral("from"), timestamp::toIso(from)}, {QStringLiteral("to"), timestamp::toIso(to)}};
}

QString releaseText(const CohortEvidence& e, const ModelNamer& modelName)
{
    if (!e.release)
        return {};
    return QStringLiteral(", %1 after the release of %2")
        .arg(reasontext::duration(e.openedTs - e.releaseTs), modelText(e.release, modelName));
}

} // namespace

const CohortEvidence* findCohortEvidence(const std::vector<CohortEvidence>& evidence, std::uint32_t account)
{
    const auto it = std::lower_bound(evidence.begin(), evidence.end(), account,
                                     [](const CohortEvidence& e, std::uint32_t a) { return e.account < a; });
    return it != evidence.end() && it->account == account ? &*it : nullptr;
}

std::vector<CohortReason> accountCohortReasons(const CohortEvidence& e, const DetectSettings& s, const ModelNamer& modelName)
{
    std::vector<CohortReason> out;
    const auto window = static_cast<std::int64_t>(s.cohortWindowHours * kHourMs);
    if (e.window()) {
        CohortReason r;
        r.key = "window";
        r.weight = std::min(1.0, static_cast<double>(e.windowPeers) / std::max(1.0, s.cohortChanceRatio * std::max(1.0, e.windowExpected)));
        r.text = QStringLiteral("Cohort start: its activity began %1, within %2 of %3 (chance alone would give %4 on "
                                "average)%5.")
                     .arg(when(e.openedTs), hours(s.cohortWindowHours),
                          count(e.windowPeers, QStringLiteral("other harvest-profile account"),
                                QStringLiteral("other harvest-profile accounts")),
                          num(e.windowExpected), releaseText(e, modelName));
        QJsonObject ev{{QStringLiteral("requests"), QJsonArray{static_cast<qint64>(e.openedRequest)}},
                       {QStringLiteral("window"), windowJson(e.openedTs - window, e.openedTs + window)},
                       {QStringLiteral("accounts"), static_cast<qint64>(e.windowPeers)},
                       {QStringLiteral("expected"), e.windowExpected}};
        if (e.release) {
            ev.insert(QStringLiteral("release_model"), modelName ? modelName(e.release) : QString());
            ev.insert(QStringLiteral("release_at"), timestamp::toIso(e.releaseTs));
        }
        r.evidence = ev;
        out.push_back(std::move(r));
    }
    if (e.releaseStart()) {
        CohortReason r;
        r.key = "release_start";
        r.weight = std::min(1.0, static_cast<double>(e.startPeers) / std::max(1.0, s.cohortChanceRatio * std::max(1.0, e.startExpected)));
        const QString model = modelText(e.startModel, modelName);
        const QString first = e.startTs > e.startReleaseTs
            ? QStringLiteral("its first request to %1 came %2 after the model first appeared in the case")
                  .arg(model, reasontext::duration(e.startTs - e.startReleaseTs))
            : QStringLiteral("its first request to %1 was the model's first appearance in the case").arg(model);
        r.text = QStringLiteral("Release start: %1 (%2), and %3 took the model up within %4 of its first appearance "
                                "(chance alone would give %5 on average).")
                     .arg(first, when(e.startTs),
                          count(e.startPeers, QStringLiteral("other harvest-profile account"),
                                QStringLiteral("other harvest-profile accounts")),
                          hours(s.cohortReleaseStartHours), num(e.startExpected));
        const auto span = static_cast<std::int64_t>(s.cohortReleaseStartHours * kHourMs);
        r.evidence = QJsonObject{{QStringLiteral("requests"), QJsonArray{static_cast<qint64>(e.startRequest)}},
                                 {QStringLiteral("window"), windowJson(e.startReleaseTs, e.startReleaseTs + span)},
                                 {QStringLiteral("accounts"), static_cast<qint64>(e.startPeers)},
                                 {QStringLiteral("expected"), e.startExpected},
                                 {QStringLiteral("release_model"), modelName ? modelName(e.startModel) : QString()},
                                 {QStringLiteral("release_at"), timestamp::toIso(e.startReleaseTs)}};
        out.push_back(std::move(r));
    }
    if (e.pool()) {
        CohortReason r;
        r.key = "pool";
        r.weight = e.poolCounted ? static_cast<double>(e.poolShared) / e.poolCounted : 0.0;
        QJsonArray requests;
        for (std::int64_t id : e.requests)
            requests.append(static_cast<qint64>(id));
        r.text = QStringLiteral("Shared task pool: %1 of its %2 (wrappers stripped) %3 also asked by other harvest-profile "
                                "accounts, %4 in all, each task by at most %5; %6 of them began within %7 of it.")
                     .arg(big(e.poolShared),
                          count(e.poolCounted, QStringLiteral("sampled harvest-class task"), QStringLiteral("sampled harvest-class tasks")),
                          e.poolShared == 1 ? QStringLiteral("was") : QStringLiteral("were"), accountsText(e.poolAccounts),
                          big(std::max(2, s.taskMaxAccounts)), big(e.poolCohort), hours(s.poolCohortHours));
        r.evidence = QJsonObject{{QStringLiteral("requests"), requests},
                                 {QStringLiteral("tasks"), static_cast<qint64>(e.poolShared)},
                                 {QStringLiteral("accounts"), static_cast<qint64>(e.poolAccounts)},
                                 {QStringLiteral("same_cohort_accounts"), static_cast<qint64>(e.poolCohort)}};
        out.push_back(std::move(r));
    }
    return out;
}

std::optional<CohortReason> clusterCohortReason(const ClusterOutcome& c, const std::vector<CohortEvidence>& evidence,
                                                const DetectSettings& s, const ModelNamer& modelName)
{
    if (c.cohortCohesion <= 0)
        return std::nullopt;
    std::int64_t windowed = 0, pooled = 0, from = 0, to = 0;
    const CohortEvidence* busiest = nullptr;
    std::map<std::uint32_t, std::int64_t> releases; // model -> core accounts starting soon after its release
    std::map<std::uint32_t, std::int64_t> takenUp;  // model -> core accounts with a release start on it
    QJsonArray requests;
    for (std::uint32_t a : c.core) {
        const CohortEvidence* e = findCohortEvidence(evidence, a);
        if (!e)
            continue;
        pooled += e->pool();
        if (e->releaseStart()) {
            ++takenUp[e->startModel];
            if (!e->window() && requests.size() < 8)
                requests.append(static_cast<qint64>(e->startRequest));
        }
        if (!e->window())
            continue;
        ++windowed;
        from = from ? std::min(from, e->openedTs) : e->openedTs;
        to = std::max(to, e->openedTs);
        if (!busiest || e->windowPeers > busiest->windowPeers)
            busiest = e;
        if (e->release)
            ++releases[e->release];
        if (requests.size() < 8)
            requests.append(static_cast<qint64>(e->openedRequest));
    }
    QString release;
    for (const auto& [model, accounts] : releases) {
        release += QStringLiteral(" %1 of them began within %2 after the release of %3.")
                       .arg(big(accounts), hours(s.cohortReleaseHours), modelText(model, modelName));
    }
    QString taken;
    for (const auto& [model, accounts] : takenUp) {
        taken += QStringLiteral(" %1 took up %2 within %3 of its first appearance, with other harvest-profile accounts "
                                "beyond chance.")
                     .arg(reasontext::partOf(accounts, static_cast<std::int64_t>(c.core.size()), QStringLiteral("accounts")),
                          modelText(model, modelName), hours(s.cohortReleaseStartHours));
    }
    CohortReason r;
    r.key = "cohort";
    r.weight = c.cohortCohesion;
    if (!busiest) {
        if (takenUp.empty())
            return std::nullopt;
        // In through their release start only: no start window to tell.
        r.text = QStringLiteral("Harvest-profile cohort, without a shared template or infrastructure:%1 %2 of them "
                                "draw their tasks from a pool other harvest-profile accounts also ask.")
                     .arg(taken, big(pooled));
        r.evidence = QJsonObject{{QStringLiteral("requests"), requests},
                                 {QStringLiteral("accounts"), static_cast<qint64>(0)},
                                 {QStringLiteral("pool_accounts"), static_cast<qint64>(pooled)}};
        return r;
    }
    r.text = QStringLiteral("Harvest-profile cohort: %1 began their activity within %2 of %3 or more other "
                            "harvest-profile accounts, %4 or more times what chance alone gives (the busiest window: %5 "
                            "where chance alone would give %6 on average), between %7 and %8, without a shared template or "
                            "infrastructure; %9 of them draw their tasks from a pool other harvest-profile accounts also ask.%10")
                 .arg(reasontext::partOf(windowed, static_cast<std::int64_t>(c.core.size()), QStringLiteral("accounts")),
                      hours(s.cohortWindowHours),
                      big(s.cohortMinPeers), num(s.cohortChanceRatio), accountsText(busiest->windowPeers + 1),
                      num(busiest->windowExpected), when(from), when(to), big(pooled), release + taken);
    r.evidence = QJsonObject{{QStringLiteral("requests"), requests},
                             {QStringLiteral("accounts"), static_cast<qint64>(windowed)},
                             {QStringLiteral("pool_accounts"), static_cast<qint64>(pooled)},
                             {QStringLiteral("window"), windowJson(from, to)}};
    return r;
}

} // namespace ds
