#include "detect/ReasonWriter.h"

#include "detect/NetworkName.h"

#include "core/Sqlite.h"
#include "core/Timestamp.h"
#include "detect/BehaviourScore.h"
#include "detect/CaseSnapshot.h"
#include "detect/CohortReasons.h"
#include "detect/DetectSettings.h"
#include "detect/EvidenceCoverage.h"
#include "detect/ReasonText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <map>

namespace ds {

namespace {

double val(const AccountProfile& p, Indicator i)
{
    const double v = p.ind[static_cast<size_t>(i)];
    return std::isnan(v) ? 0.0 : v;
}

using reasontext::count;
using reasontext::duration;
using reasontext::quoted;
QString pct(double share) { return reasontext::percent(share); }
QString num(double v) { return reasontext::number(v); }
QString big(std::int64_t v) { return reasontext::whole(v); }
QString day(std::int64_t ms) { return reasontext::moment(ms); }
QString accounts(std::int64_t n) { return count(n, QStringLiteral("account"), QStringLiteral("accounts")); }
QString otherAccounts(std::int64_t n) { return count(n, QStringLiteral("other account"), QStringLiteral("other accounts")); }
QString requestsText(std::int64_t n) { return count(n, QStringLiteral("request"), QStringLiteral("requests")); }
std::int64_t whole(double v) { return std::isfinite(v) ? std::llround(v) : 0; }

// What a template of this kind has in common across its prompts, in words.
QString templateWords(TemplateKind kind)
{
    switch (kind) {
    case TemplateKind::Head: return QStringLiteral("the same prompt opening");
    case TemplateKind::Tail: return QStringLiteral("the same prompt ending");
    case TemplateKind::SystemPrompt: return QStringLiteral("the same system prompt");
    case TemplateKind::Family: return QStringLiteral("near-duplicate prompts, one template with some words varied");
    case TemplateKind::Profile: return QStringLiteral("prompts from one pool that look alike word by word, without a fixed template");
    }
    return QStringLiteral("the same prompt template");
}

QJsonObject windowJson(std::int64_t from, std::int64_t to)
{
    return QJsonObject{{QStringLiteral("from"), timestamp::toIso(from)}, {QStringLiteral("to"), timestamp::toIso(to)}};
}

QString evidence(const QJsonObject& o) { return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)); }

class Explainer
{
public:
    Explainer(DetectionOutcome& out, const std::vector<AccountProfile>& profiles, const std::vector<IndicatorValues>& pcts,
              const std::vector<IndicatorBaseline>& baselines, const CaseSnapshot& snap, SqliteDb& db,
              const DetectSettings& settings, const EvidenceCoverage& coverage)
        : m_out(out)
        , m_p(profiles)
        , m_pct(pcts)
        , m_base(baselines)
        , m_snap(snap)
        , m_s(settings)
        , m_cov(coverage)
        , m_gaps(coverage.gapsSentence())
        , m_db(db)
        , m_prompt(db, "SELECT ds_text(prompt) FROM request_text WHERE id = ?1")
    {
        for (int d = 0; d < 4; ++d) {
            static const char* const sql[4] = {"SELECT value FROM ip WHERE id = ?1", "SELECT value FROM user_agent WHERE id = ?1",
                                               "SELECT value FROM payment_fingerprint WHERE id = ?1",
                                               "SELECT value FROM email_domain WHERE id = ?1"};
            m_dict[d] = SqliteStatement(db, sql[d]);
        }
        m_system = SqliteStatement(db, "SELECT value FROM system_prompt WHERE id = ?1");
        m_model = SqliteStatement(db, "SELECT value FROM model WHERE id = ?1");
        m_modelName = [this](std::uint32_t id) {
            m_model.reset();
            m_model.bind(1, id);
            return m_model.step() ? m_model.columnText(0) : QString();
        };
    }

    void cluster(std::uint32_t index)
    {
        const ClusterOutcome& c = m_out.clusters[index];
        const auto n = static_cast<double>(c.core.size());
        int rank = 0;
        auto add = [&](const char* key, double weight, const QString& text, const QJsonObject& ev) {
            m_out.reasons.push_back({true, index, ++rank, QLatin1String(key), weight, text, evidence(ev)});
        };
        if (c.dominant.key && c.dominantAccounts >= 2) {
            QJsonArray requests;
            for (std::uint32_t a : c.core)
                for (const HeavyTemplate& t : m_p[a].templates)
                    if (t.key == c.dominant.key && requests.size() < 8)
                        requests.append(static_cast<qint64>(t.sampleRequest));
            const QString example = templateExcerpt(c.dominant);
            const QString what = QStringLiteral("send %1%2").arg(templateWords(c.dominant.kind),
                                                                 example.isEmpty() ? QString() : QStringLiteral(" (e.g. %1)").arg(example));
            add("template", c.templateCohesion,
                QStringLiteral("%1 %2: %3 from %4 to %5.")
                    .arg(reasontext::capitalised(reasontext::partOf(c.dominantAccounts, static_cast<std::int64_t>(c.core.size()),
                                                                    QStringLiteral("accounts"))),
                         what,
                         requestsText(c.dominant.count), day(c.dominant.firstTs), day(c.dominant.lastTs)),
                QJsonObject{{QStringLiteral("template_kind"), QLatin1String(templateKindName(c.dominant.kind))},
                            {QStringLiteral("template_key"), QString::number(c.dominant.key, 16)},
                            {QStringLiteral("accounts"), static_cast<qint64>(c.dominantAccounts)},
                            {QStringLiteral("requests"), requests},
                            {QStringLiteral("window"), windowJson(c.dominant.firstTs, c.dominant.lastTs)}});
        }
        if (c.lockstep >= 0.2)
            add("lockstep", c.lockstep,
                QStringLiteral("Lockstep: in %1 of the hours in which an account used its template, other accounts "
                               "used the same template in the same hour.")
                    .arg(pct(c.lockstep)),
                QJsonObject{{QStringLiteral("lockstep_share"), c.lockstep}, {QStringLiteral("window"), windowJson(c.firstTs, c.lastTs)}});
        sharedInfrastructure(c, add);
        if (!c.handoffs.empty())
            handoffs(c, add);
        if (c.taskCohesion > 0)
            taskPool(c, add);
        if (const auto r = clusterCohortReason(c, m_out.cohorts, m_s, m_modelName))
            add(r->key, r->weight, r->text, r->evidence);
        add("hydra", c.hydra,
            QStringLiteral("%9: %1 sent %2 and received %3 output tokens between %4 and %5; the busiest account peaked at "
                           "%6 in one minute (the lowest rate limit of their tiers: %7 a minute).%8")
                .arg(accounts(static_cast<std::int64_t>(c.core.size())), requestsText(c.requests), big(c.outputTokens), day(c.firstTs),
                     day(c.lastTs), requestsText(whole(c.peakPerMinuteMax)), requestsText(whole(c.rateLimitMin)),
                     joinedText(c),
                     reasontext::capitalised(harvestKind(index))),
            QJsonObject{{QStringLiteral("accounts"), static_cast<qint64>(c.core.size())},
                        {QStringLiteral("requests"), static_cast<qint64>(c.requests)},
                        {QStringLiteral("window"), windowJson(c.firstTs, c.lastTs)}});
        auto mean = [&](Indicator i) {
            double s = 0;
            for (std::uint32_t a : c.core)
                s += val(m_p[a], i);
            return s / n;
        };
        facetSentences(mean, [&](const char* key, double w, const QString& text) { add(key, w, text, sample(c.core)); }, nullptr,
                       static_cast<std::int64_t>(c.core.size()));
        if (!m_gaps.isEmpty())
            add("evidence_gaps", 0.0, m_gaps, gapsEvidence());
    }

    void account(std::uint32_t a)
    {
        const AccountOutcome& o = m_out.accounts[a];
        const AccountProfile& p = m_p[a];
        int rank = 0;
        auto add = [&](const char* key, double weight, const QString& text, const QJsonObject& ev) {
            m_out.reasons.push_back({false, a, ++rank, QLatin1String(key), weight, text, evidence(ev)});
        };
        if (o.cluster >= 0) {
            const ClusterOutcome& c = m_out.clusters[static_cast<size_t>(o.cluster)];
            add("network", c.score,
                QStringLiteral("Part of network N-%1, %4 (%2, network score %3 on a scale of 0 to 1).")
                    .arg(c.id)
                    .arg(count(static_cast<std::int64_t>(c.core.size() + c.attached.size()), QStringLiteral("coordinated account"),
                               QStringLiteral("coordinated accounts")))
                    .arg(c.score, 0, 'f', 2)
                    .arg(harvestKind(static_cast<std::size_t>(o.cluster))),
                QJsonObject{{QStringLiteral("cluster"), static_cast<qint64>(c.id)}});
            if (o.handoff) {
                const Handoff* h = nullptr;
                for (const Handoff& x : c.handoffs)
                    if (x.to == a || (x.from == a && !h))
                        h = &x;
                if (h) {
                    const bool successor = h->to == a;
                    const std::uint32_t other = successor ? h->from : h->to;
                    const QString name = quoted(QString::fromStdString(m_snap.accountNames[other]), 60);
                    const QString gap = duration(h->gapMs);
                    QString text;
                    // A negative gap is an overlap: the newcomer started before the other stopped, said in that order.
                    if (successor)
                        text = h->gapMs >= 0 ? QStringLiteral("A young account that started %1 after network account %2 went "
                                                              "quiet, sharing %3.")
                                             : QStringLiteral("A young account that started %1 before network account %2 went "
                                                              "quiet (they overlapped), sharing %3.");
                    else
                        text = h->gapMs >= 0 ? QStringLiteral("A young account that went quiet; network account %2 started %1 "
                                                              "later, sharing %3.")
                                             : QStringLiteral("A young account that went quiet; network account %2 had started %1 "
                                                              "before (they overlapped), sharing %3.");
                    add("handoff", c.score, text.arg(gap, name, viaText(h->via)),
                        handoffEvidence({*h}));
                }
            } else if (o.pooled) {
                if (const PoolMember* m = poolMember(a))
                    poolMemberReason(p, *m, c.score, add);
            } else if (o.mixed) {
                if (const MixMember* m = mixMember(a))
                    mixMemberReason(p, *m, c.score, add);
            } else if (o.attached)
                add("attached", c.score,
                    QStringLiteral("A short-lived account (%1, too few to judge alone) whose requests mostly used the "
                                   "network's prompt templates.")
                        .arg(requestsText(p.requests)),
                    QJsonObject{{QStringLiteral("requests"), toArray(p.sampleRequests)}});
        } else if (o.solo && o.harvestProfile) {
            add("solo", val(p, Indicator::ScoreHarvestProfile),
                QStringLiteral("Flagged on its own: harvest profile score %1 on a scale of 0 to 1, without a shared template "
                               "or infrastructure.")
                    .arg(val(p, Indicator::ScoreHarvestProfile), 0, 'f', 2),
                QJsonObject{});
        } else if (o.solo) {
            add("solo", val(p, Indicator::Behaviour),
                QStringLiteral("Flagged on its own: behaviour score %1 and infrastructure evasion score %2, each on a scale "
                               "of 0 to 1.")
                    .arg(val(p, Indicator::Behaviour), 0, 'f', 2)
                    .arg(val(p, Indicator::ScoreInfrastructure), 0, 'f', 2),
                QJsonObject{});
        }
        if (!p.templates.empty() && p.templates.front().kind == TemplateKind::Profile) {
            const HeavyTemplate& t = p.templates.front();
            add("template", val(p, Indicator::ScoreTemplating),
                QStringLiteral("No prompt template of its own, but its prompts come from one pool with those of %1 "
                               "behaving alike: their prompts look alike word by word.")
                    .arg(otherAccounts(whole(val(p, Indicator::TemplatePeers)))),
                QJsonObject{{QStringLiteral("requests"), toArray(p.sampleRequests)},
                            {QStringLiteral("template_key"), QString::number(t.key, 16)},
                            {QStringLiteral("window"), windowJson(t.firstTs, t.lastTs)}});
        } else if (!p.templates.empty()) {
            const HeavyTemplate& t = p.templates.front();
            const QString example = templateExcerpt(t);
            add("template", val(p, Indicator::ScoreTemplating),
                QStringLiteral("%1 of its %2 come from prompt templates it uses heavily; the largest covers %3 of them: "
                               "%4%5; %6.")
                    .arg(pct(val(p, Indicator::TemplatedShare)), requestsText(p.requests),
                         pct(static_cast<double>(t.count) / static_cast<double>(p.requests)), templateWords(t.kind),
                         example.isEmpty() ? QString() : QStringLiteral(" (e.g. %1)").arg(example),
                         whole(val(p, Indicator::TemplatePeers)) == 0
                             ? QStringLiteral("no other account uses it heavily")
                             : QStringLiteral("%1 use it heavily").arg(otherAccounts(whole(val(p, Indicator::TemplatePeers))))),
                QJsonObject{{QStringLiteral("requests"), QJsonArray{static_cast<qint64>(t.sampleRequest)}},
                            {QStringLiteral("template_key"), QString::number(t.key, 16)},
                            {QStringLiteral("window"), windowJson(t.firstTs, t.lastTs)}});
        }
        if (val(p, Indicator::ScoreHarvestProfile) >= 0.5)
            harvestProfile(a, add);
        if (const CohortEvidence* e = findCohortEvidence(m_out.cohorts, a); e && o.cluster >= 0)
            for (const CohortReason& r : accountCohortReasons(*e, m_s, m_modelName))
                add(r.key, r.weight, r.text, r.evidence);
        facetSentences([&](Indicator i) { return val(p, i); },
                       [&](const char* key, double w, const QString& text) {
                           add(key, w, text, QJsonObject{{QStringLiteral("requests"), toArray(p.sampleRequests)}});
                       },
                       &m_pct[a]);
        // A network's members point to the network, whose reasons say it; an account flagged alone says it itself.
        if (o.solo && !m_gaps.isEmpty())
            add("evidence_gaps", 0.0, m_gaps, gapsEvidence());
    }

private:
    // Who joined the core: short-lived accounts on its templates and young successors, and accounts too small to judge
    // alone that joined through its tasks (detect/PoolAttachment.h).
    QString joinedText(const ClusterOutcome& c) const
    {
        std::int64_t pooled = 0, mixed = 0;
        for (std::uint32_t a : c.attached) {
            pooled += m_out.accounts[a].pooled;
            mixed += m_out.accounts[a].mixed;
        }
        const auto others = static_cast<std::int64_t>(c.attached.size()) - pooled - mixed;
        QString text;
        if (others > 0)
            text += QStringLiteral(" %1 joined: short-lived accounts on the same templates or young accounts taking over "
                                   "from network accounts.")
                        .arg(count(others, QStringLiteral("more account"), QStringLiteral("more accounts")));
        if (pooled > 0)
            text += QStringLiteral(" %1 too small to judge alone joined through its tasks.")
                        .arg(count(pooled, QStringLiteral("more account"), QStringLiteral("more accounts")));
        if (mixed > 0)
            text += QStringLiteral(" %1 that began with its accounts and harvest as they do joined.")
                        .arg(count(mixed, QStringLiteral("more account"), QStringLiteral("more accounts")));
        return text;
    }

    const PoolMember* poolMember(std::uint32_t a) const
    {
        const auto it = std::lower_bound(m_out.poolMembers.begin(), m_out.poolMembers.end(), a,
                                         [](const PoolMember& m, std::uint32_t x) { return m.account < x; });
        return it != m_out.poolMembers.end() && it->account == a ? &*it : nullptr;
    }

    const MixMember* mixMember(std::uint32_t a) const
    {
        const auto it = std::lower_bound(m_out.mixMembers.begin(), m_out.mixMembers.end(), a,
                                         [](const MixMember& m, std::uint32_t x) { return m.account < x; });
        return it != m_out.mixMembers.end() && it->account == a ? &*it : nullptr;
    }

    // "Harvests as the network does and began with it: 41% of its 113 requests are harvest-class, in 2 task families,
    // answered with 1,192 output tokens on average and 14.8 for each prompt token; 7 of the network's accounts that
    // began within 6 hours of it harvest alike (the closest within 0.06 on a scale of 0 to 1)." Evidence: the
    // partners' first requests.
    template<typename Add>
    void mixMemberReason(const AccountProfile& p, const MixMember& m, double weight, Add add)
    {
        QJsonArray requests;
        for (std::int64_t id : m.requests)
            requests.append(static_cast<qint64>(id));
        add("mix_member", weight,
            QStringLiteral("Harvests as the network does and began with it: %1 of its %2 are harvest-class, across %3, "
                           "answered with %4 output tokens on average and %5 for each prompt token; %6 of the network's "
                           "accounts that began within %7 of it harvest alike (the closest %8 apart on a scale of 0 to 2).")
                .arg(pct(val(p, Indicator::HarvestClassShare)), requestsText(p.requests),
                     count(whole(val(p, Indicator::HarvestFamilies)), QStringLiteral("task family"), QStringLiteral("task families")),
                     big(whole(val(p, Indicator::HarvestClassOutput))), num(val(p, Indicator::HarvestClassRatio)), big(m.partners),
                     reasontext::duration(static_cast<std::int64_t>(m_s.cohortWindowHours * 3'600'000.0)),
                     QString::number(m.distance, 'f', 2)),
            QJsonObject{{QStringLiteral("requests"), requests},
                        {QStringLiteral("accounts"), static_cast<qint64>(m.partners)},
                        {QStringLiteral("distance"), m.distance}});
    }

    // "Too few requests to judge alone (24 requests, 14 of them harvest-class ...), but its tasks are the network's:
    // 6 of its 9 harvest-class tasks were also asked by 7 of the network's accounts within 3 days of it ...", with the
    // account's first requests of those tasks as evidence.
    template<typename Add>
    void poolMemberReason(const AccountProfile& p, const PoolMember& m, double weight, Add add)
    {
        QJsonArray requests;
        for (std::int64_t id : m.requests)
            requests.append(static_cast<qint64>(id));
        const auto harvestClass = static_cast<std::int64_t>(std::llround(val(p, Indicator::HarvestClassRequests)));
        add("pool_member", weight,
            QStringLiteral("Too few requests to judge alone (%1, %2 of them harvest-class, answered with %3 output tokens "
                           "for each prompt token), but its tasks are the network's: %4 of its %5 (wrappers stripped, "
                           "each asked by at most %9 in all) %6 also asked by %7 of the network's accounts within %8 of "
                           "it; %10 of them began within %11 of it.")
                .arg(requestsText(p.requests), big(harvestClass), num(val(p, Indicator::HarvestClassRatio)), big(m.shared),
                     count(m.counted, QStringLiteral("rare harvest-class task"), QStringLiteral("rare harvest-class tasks")),
                     m.shared == 1 ? QStringLiteral("was") : QStringLiteral("were"), big(m.partners),
                     reasontext::duration(static_cast<std::int64_t>(m_s.harvestTaskWindowDays * 86'400'000.0)),
                     accounts(std::max(2, m_s.taskMaxAccounts)), big(m.cohort),
                     reasontext::duration(static_cast<std::int64_t>(m_s.poolCohortHours * 3'600'000.0))),
            QJsonObject{{QStringLiteral("requests"), requests},
                        {QStringLiteral("tasks"), static_cast<qint64>(m.shared)},
                        {QStringLiteral("counted_tasks"), static_cast<qint64>(m.counted)},
                        {QStringLiteral("accounts"), static_cast<qint64>(m.partners)},
                        {QStringLiteral("same_cohort_accounts"), static_cast<qint64>(m.cohort)}});
    }

    // "64 % of its 101 requests are harvest-class ...; 12 of its tasks were also asked by 9 other accounts within
    // 3 days", with harvest-class and shared-task request ids as evidence.
    template<typename Add>
    void harvestProfile(std::uint32_t a, Add add)
    {
        using I = Indicator;
        const AccountProfile& p = m_p[a];
        auto median = [&](I i, bool share, const QString& unit = {}) {
            const double m = m_base[static_cast<size_t>(i)].p50;
            return share ? pct(m) : num(m) + unit;
        };
        QString text = QStringLiteral("Harvest profile: %1 of its %2 are harvest-class, that is benchmark-shaped tasks that "
                                      "demand reasoning or tool use (the median account: %3). Those %4 average %5 output "
                                      "tokens each (the median account: %6) and %7 output tokens for each prompt token (the "
                                      "median account: %8), across %9.")
                           .arg(pct(val(p, I::HarvestClassShare)), requestsText(p.requests), median(I::HarvestClassShare, true),
                                requestsText(whole(val(p, I::HarvestClassRequests))), big(whole(val(p, I::HarvestClassOutput))),
                                median(I::HarvestClassOutput, false, QStringLiteral(" tokens")), num(val(p, I::HarvestClassRatio)),
                                median(I::HarvestClassRatio, false))
                           .arg(count(whole(val(p, I::HarvestFamilies)), QStringLiteral("task family"), QStringLiteral("task families")));
        // Short answers cut at the client's own limit stand in for long ones (BehaviourScore): say so when they did,
        // that is over two families and counting for more than their length.
        if (val(p, I::HarvestFamilies) >= m_s.harvestProfileMinFamilies
            && ramp(val(p, I::HarvestClassCutShare), m_s.harvestProfileCutShareLow, m_s.harvestProfileCutShareHigh)
                   > ramp(val(p, I::HarvestClassOutput), m_s.harvestProfileOutputLow, m_s.harvestProfileOutputHigh))
            text += QStringLiteral(" %1 of those answers stopped at the length limit the client set (the median account: "
                                   "%2): cut short by the client, not short by nature.")
                        .arg(pct(val(p, I::HarvestClassCutShare)), median(I::HarvestClassCutShare, true));
        if (val(p, I::SharedTasks) > 0)
            text += QStringLiteral(" %1 of its sampled tasks %2 also asked by %3 within %4.")
                        .arg(big(whole(val(p, I::SharedTasks))), whole(val(p, I::SharedTasks)) == 1 ? QStringLiteral("was") : QStringLiteral("were"),
                             otherAccounts(whole(val(p, I::SharedTaskAccounts))),
                             duration(static_cast<std::int64_t>(m_s.harvestTaskWindowDays * 86'400'000.0)));
        QJsonArray requests;
        for (std::int64_t id : p.harvestSamples)
            requests.append(static_cast<qint64>(id));
        QJsonArray shared;
        for (std::int64_t id : p.sharedTaskSamples)
            shared.append(static_cast<qint64>(id));
        add("harvest_profile", val(p, I::ScoreHarvestProfile), text,
            QJsonObject{{QStringLiteral("requests"), requests},
                        {QStringLiteral("shared_task_requests"), shared},
                        {QStringLiteral("harvest_class_share"), val(p, I::HarvestClassShare)},
                        {QStringLiteral("harvest_class_cut_share"), val(p, I::HarvestClassCutShare)},
                        {QStringLiteral("shared_tasks"), val(p, I::SharedTasks)},
                        {QStringLiteral("other_accounts"), val(p, I::SharedTaskAccounts)},
                        {QStringLiteral("window_days"), m_s.harvestTaskWindowDays}});
    }

    // "a prompt template, an IP address and a payment fingerprint".
    static QString viaText(std::uint16_t via)
    {
        QStringList parts;
        if (via & LinkTemplate)
            parts << QStringLiteral("a prompt template");
        if (via & LinkIp)
            parts << QStringLiteral("an IP address");
        if (via & LinkPayment)
            parts << QStringLiteral("a payment fingerprint");
        if (via & LinkEmailDomain)
            parts << QStringLiteral("an e-mail domain");
        if (parts.isEmpty())
            return QStringLiteral("no recorded link");
        const QString last = parts.takeLast();
        return parts.isEmpty() ? last : parts.join(QStringLiteral(", ")) + QStringLiteral(" and ") + last;
    }

    QJsonObject handoffEvidence(const std::vector<Handoff>& list)
    {
        QJsonArray pairs, requests;
        std::int64_t from = 0, to = 0;
        for (const Handoff& h : list) {
            const AccountProfile& a = m_p[h.from];
            const AccountProfile& b = m_p[h.to];
            QJsonArray via;
            for (int bit = 0; bit < kLinkKindCount; ++bit)
                if (h.via & (1u << bit))
                    via.append(QLatin1String(linkKindName(bit)));
            pairs.append(QJsonObject{{QStringLiteral("from"), QString::fromStdString(m_snap.accountNames[h.from])},
                                     {QStringLiteral("to"), QString::fromStdString(m_snap.accountNames[h.to])},
                                     {QStringLiteral("stopped"), timestamp::toIso(a.lastTs)},
                                     {QStringLiteral("started"), timestamp::toIso(b.firstTs)},
                                     {QStringLiteral("gap_minutes"), static_cast<double>(h.gapMs) / 60'000.0},
                                     {QStringLiteral("via"), via}});
            // The predecessor's last request and the successor's first.
            if (requests.size() < 16) {
                requests.append(static_cast<qint64>(a.lastRequest));
                requests.append(static_cast<qint64>(b.firstRequest));
            }
            from = from ? std::min(from, a.lastTs) : a.lastTs;
            to = std::max(to, b.firstTs);
        }
        return QJsonObject{{QStringLiteral("handoffs"), pairs}, {QStringLiteral("requests"), requests},
                           {QStringLiteral("window"), windowJson(from, to)}};
    }

    template<typename Add>
    void handoffs(const ClusterOutcome& c, Add add)
    {
        std::vector<Handoff> list = c.handoffs;
        std::vector<double> gaps;
        std::uint16_t via = 0;
        for (const Handoff& h : list) {
            gaps.push_back(static_cast<double>(h.gapMs) / 60'000.0);
            via |= h.via;
        }
        std::sort(gaps.begin(), gaps.end());
        std::stable_sort(list.begin(), list.end(),
                         [](const Handoff& x, const Handoff& y) { return std::abs(x.gapMs) < std::abs(y.gapMs); });
        if (list.size() > 8)
            list.resize(8);
        const Handoff& e = list.front();
        const double weight = std::min(1.0, static_cast<double>(c.handoffs.size()) / static_cast<double>(c.core.size() + c.attached.size()));
        const double medianGap = gaps[gaps.size() / 2];
        const QString from = quoted(QString::fromStdString(m_snap.accountNames[e.from]), 60);
        const QString to = quoted(QString::fromStdString(m_snap.accountNames[e.to]), 60);
        // The example is told in the order things happened, so an overlap does not read as time running backwards.
        const QString example = e.gapMs >= 0 ? QStringLiteral("E.g. %1 stopped at %2 and %3 started %4 later.")
                                                   .arg(from, day(m_p[e.from].lastTs), to, duration(e.gapMs))
                                             : QStringLiteral("E.g. %1 started at %2, %3 before %4 stopped at %5.")
                                                   .arg(to, day(m_p[e.to].firstTs), duration(e.gapMs), from, day(m_p[e.from].lastTs));
        add("handoff", weight,
            QStringLiteral("Hand-offs: %1 one of these accounts went quiet and another took up the same work (%2; they "
                           "shared %3). %4")
                .arg(reasontext::times(static_cast<std::int64_t>(c.handoffs.size())),
                     medianGap >= 0 ? QStringLiteral("typically %1 later").arg(duration(static_cast<std::int64_t>(medianGap * 60'000.0)))
                                    : QStringLiteral("typically overlapping by %1").arg(duration(static_cast<std::int64_t>(medianGap * 60'000.0))),
                     viaText(via), example),
            handoffEvidence(list));
    }

    // The tasks several core accounts asked (from their task sketches, detect/LinkTasks.h): how many, by how many
    // accounts each, how far apart in time, with the first requests of a few of them.
    template<typename Add>
    void taskPool(const ClusterOutcome& c, Add add)
    {
        struct Ask
        {
            std::uint64_t hash;
            std::int64_t ts, request;
            std::uint32_t account;
        };
        std::vector<Ask> asks;
        for (std::uint32_t a : c.core)
            for (const TaskUse& u : m_p[a].tasks)
                asks.push_back({u.hash, u.firstTs, u.request, a});
        std::sort(asks.begin(), asks.end(), [](const Ask& x, const Ask& y) {
            return x.hash != y.hash ? x.hash < y.hash : x.ts != y.ts ? x.ts < y.ts : x.account < y.account;
        });
        std::int64_t tasks = 0, askers = 0, from = 0, to = 0;
        std::vector<double> spans;
        std::vector<std::uint32_t> involved;
        QJsonArray requests;
        for (std::size_t i = 0; i < asks.size();) {
            std::size_t j = i;
            while (j < asks.size() && asks[j].hash == asks[i].hash)
                ++j;
            // Asked by a few of them: a task most of a large network asks is popular, not the pool's.
            if (j - i >= 2 && j - i <= static_cast<std::size_t>(std::max(2, m_s.taskMaxAccounts))) {
                ++tasks;
                askers += static_cast<std::int64_t>(j - i);
                spans.push_back(static_cast<double>(asks[j - 1].ts - asks[i].ts) / 86'400'000.0);
                from = from ? std::min(from, asks[i].ts) : asks[i].ts;
                to = std::max(to, asks[j - 1].ts);
                for (std::size_t k = i; k < j; ++k) {
                    involved.push_back(asks[k].account);
                    if (requests.size() < 8)
                        requests.append(static_cast<qint64>(asks[k].request));
                }
            }
            i = j;
        }
        if (tasks == 0)
            return;
        std::sort(involved.begin(), involved.end());
        involved.erase(std::unique(involved.begin(), involved.end()), involved.end());
        std::sort(spans.begin(), spans.end());
        add("task", c.taskCohesion,
            QStringLiteral("Task pool: %1 asked the same tasks as other members, wrappers stripped, without a shared "
                           "template or infrastructure: %2 (of the ones sampled per account) %3 each asked by 2 to %4 of "
                           "them, %5 accounts on average; half of them within %6 of the first ask, all within %7.")
                .arg(reasontext::partOf(static_cast<std::int64_t>(involved.size()), static_cast<std::int64_t>(c.core.size()),
                                        QStringLiteral("accounts")),
                     count(tasks, QStringLiteral("task"), QStringLiteral("tasks")), tasks == 1 ? QStringLiteral("was") : QStringLiteral("were"),
                     big(std::max(2, m_s.taskMaxAccounts)), num(static_cast<double>(askers) / static_cast<double>(tasks)),
                     duration(static_cast<std::int64_t>(spans[spans.size() / 2] * 86'400'000.0)),
                     duration(static_cast<std::int64_t>(spans.back() * 86'400'000.0))),
            QJsonObject{{QStringLiteral("tasks"), static_cast<qint64>(tasks)},
                        {QStringLiteral("accounts"), static_cast<qint64>(involved.size())},
                        {QStringLiteral("requests"), requests},
                        {QStringLiteral("window"), windowJson(from, to)}});
    }

    template<typename Add>
    void sharedInfrastructure(const ClusterOutcome& c, Add add)
    {
        // Values carried by two or more core accounts, per kind.
        std::map<std::uint32_t, int> payment, email, ip, ua;
        std::map<std::uint32_t, int> net;
        for (std::uint32_t a : c.core) {
            const AccountInfo& info = m_snap.accounts[a];
            if (info.payment)
                ++payment[info.payment];
            if (info.emailDomain && info.emailDomain < m_snap.publicEmailDomain.size() && !m_snap.publicEmailDomain[info.emailDomain])
                ++email[info.emailDomain];
            for (std::uint32_t v : m_p[a].ips)
                ++ip[v];
            for (std::uint32_t v : m_p[a].networks)
                ++net[v];
            for (std::uint32_t v : m_p[a].userAgents)
                ++ua[v];
        }
        QStringList parts;
        QJsonArray values;
        auto summarise = [&](std::map<std::uint32_t, int>& m, int dict, const char* kind, const QString& one, const QString& many) {
            std::vector<std::pair<int, std::uint32_t>> shared;
            for (const auto& [v, k] : m)
                if (k >= 2)
                    shared.emplace_back(-k, v);
            if (shared.empty())
                return;
            std::sort(shared.begin(), shared.end());
            QStringList top;
            for (size_t i = 0; i < shared.size() && i < 5; ++i) {
                const QString name = dict >= 0 ? dictValue(dict, shared[i].second)
                                               : QString::fromStdString(m_snap.networkNames[shared[i].second]);
                values.append(QJsonObject{{QStringLiteral("kind"), QLatin1String(kind)},
                                          {QStringLiteral("value"), name},
                                          {QStringLiteral("accounts"), -shared[i].first}});
                if (i < 2)
                    top << quoted(name, 40);
            }
            parts << QStringLiteral("%1 (%2)").arg(count(static_cast<std::int64_t>(shared.size()), one, many),
                                                   (shared.size() == 1 ? QString() : QStringLiteral("e.g. ")) + top.join(QStringLiteral(", ")));
        };
        summarise(payment, 2, "payment", QStringLiteral("payment fingerprint"), QStringLiteral("payment fingerprints"));
        summarise(email, 3, "email_domain", QStringLiteral("non-public e-mail domain"), QStringLiteral("non-public e-mail domains"));
        summarise(ip, 0, "ip", QStringLiteral("IP address"), QStringLiteral("IP addresses"));
        summarise(net, -1, "network", QStringLiteral("network"), QStringLiteral("networks"));
        summarise(ua, 1, "user_agent", QStringLiteral("user agent"), QStringLiteral("user agents"));
        if (parts.isEmpty())
            return;
        add("infrastructure", c.infraCohesion,
            QStringLiteral("Shared infrastructure (each value used by two or more of these accounts): %1; %2.")
                .arg(parts.join(QStringLiteral("; ")),
                     c.infraCohesion >= 0.005
                         ? QStringLiteral("%1 of the accounts are linked to another by a payment fingerprint, e-mail domain, "
                                          "IP address or sign-up time")
                               .arg(pct(c.infraCohesion))
                         // The values above are shared, so "no account is linked" would read as a contradiction:
                         // say why they link nothing (a value many accounts of the case use is no link).
                         : QStringLiteral("yet none of the accounts is linked to another by a payment fingerprint, e-mail "
                                          "domain, IP address or sign-up time: a value that many accounts of the case use "
                                          "links nothing")),
            QJsonObject{{QStringLiteral("values"), values}});
    }

    // Sentences for the behaviour facets that are raised, strongest first. An account's sentences compare it with
    // the population (`percentiles`); a network's give the averages over its `averagedOver` core accounts and say so.
    template<typename Get, typename Add>
    void facetSentences(Get get, Add add, const IndicatorValues* percentiles = nullptr, std::int64_t averagedOver = 0)
    {
        using I = Indicator;
        const bool averaged = percentiles == nullptr;
        // The head of a sentence: "Harvesting: " or "Harvesting (averages over its 12 accounts): ".
        auto head = [&](const char* name) {
            return averaged ? QStringLiteral("%1 (averages over its %2): ").arg(QLatin1String(name), accounts(averagedOver))
                            : QLatin1String(name) + QStringLiteral(": ");
        };
        auto median = [&](I i) { return m_base[static_cast<size_t>(i)].p50; };
        // A comparison that is true: "more than 95% of accounts" only when the value is above most of them, else
        // the median account's value, in the same unit (`unit` follows a plain number; shares are percentages).
        auto cmp = [&](I i, bool share, const QString& unit = {}) {
            if (percentiles && !std::isnan((*percentiles)[static_cast<size_t>(i)])) {
                const double p = (*percentiles)[static_cast<size_t>(i)];
                if (p >= 0.5)
                    return QStringLiteral("higher than %1 of accounts").arg(pct(p));
            }
            return QStringLiteral("the median account: %1").arg(share ? pct(median(i)) : num(median(i)) + unit);
        };
        struct Item
        {
            double score;
            const char* key;
            QString text;
        };
        std::vector<Item> items;
        if (get(I::ScoreHarvest) >= 0.3)
            items.push_back({get(I::ScoreHarvest), "harvest",
                             head("Harvesting")
                                 + QStringLiteral("%1 output tokens per request on average (%2), %3 of answers cut off at the "
                                                  "length limit the client set (%4), %5 output tokens for each prompt token.")
                                       .arg(num(get(I::MeanOutputTokens)), cmp(I::MeanOutputTokens, false, QStringLiteral(" tokens")),
                                            pct(get(I::MaxTokensHitShare)), cmp(I::MaxTokensHitShare, true),
                                            num(get(I::OutputInputRatio)))});
        if (get(I::ScoreElicitation) >= 0.3)
            items.push_back({get(I::ScoreElicitation), "elicitation",
                             head("Elicitation")
                                 + QStringLiteral("%1 of requests ask for the reasoning step by step (%2), %3 are grading "
                                                  "prompts, %4 rewrite sensitive questions.")
                                       .arg(pct(get(I::CotRate)), cmp(I::CotRate, true), pct(get(I::GradingRate)),
                                            pct(get(I::SensitiveRewriteRate)))});
        if (get(I::ScoreAutomation) >= 0.3) {
            QString text = head("Machine timing")
                + QStringLiteral("the quietest 6 hours of the day still carry %1 of the traffic (%2)")
                      .arg(pct(get(I::QuietHoursShare)), cmp(I::QuietHoursShare, true));
            // The coefficient of variation of the gaps, said as what it measures: how much they vary against their mean.
            if (get(I::InterArrivalCv) < m_s.automationCvHuman)
                text += QStringLiteral("; requests come at a steadier pace than people keep (the gaps between them vary by "
                                       "%1 of their average length; people's by %2 or more)")
                            .arg(pct(get(I::InterArrivalCv)), pct(m_s.automationCvHuman));
            // The spread of ln(gap) as the factor by which a typical gap inside a burst differs from the usual one.
            if (get(I::ShortGapLogSd) > 0 && get(I::ShortGapLogSd) < m_s.automationGapSpreadHuman)
                text += QStringLiteral("; the gaps inside bursts are regular, like a timer's (a typical gap is within a "
                                       "factor of %1 of the usual one; people's about %2)")
                            .arg(QString::number(std::exp(get(I::ShortGapLogSd)), 'f', 2),
                                 QString::number(std::exp(0.8), 'f', 1));
            if (get(I::PeakPerMinute) > m_s.automationPeakHuman)
                text += QStringLiteral("; up to %1 in one minute").arg(requestsText(whole(get(I::PeakPerMinute))));
            items.push_back({get(I::ScoreAutomation), "automation", text + QLatin1Char('.')});
        }
        if (get(I::ScoreNarrow) >= 0.3) {
            // Entropy in bits said as the number of equally used task kinds it equals (2^H), and only when the
            // account is narrower than the median one: a higher value is not narrow.
            QStringList parts;
            const double kinds = std::exp2(get(I::CategoryEntropy)), medianKinds = std::exp2(median(I::CategoryEntropy));
            if (get(I::CategoryEntropy) < median(I::CategoryEntropy))
                parts << QStringLiteral("%1 requests are as varied as %2 equally used task kinds, where the median "
                                        "account's are as varied as %3")
                             .arg(averaged ? QStringLiteral("the") : QStringLiteral("its"), num(kinds), num(medianKinds));
            parts << QStringLiteral("%1 of %2 requests are agentic or coding tasks (the median account: %3)")
                         .arg(pct(get(I::AgenticCodingShare)), averaged ? QStringLiteral("the") : QStringLiteral("its"),
                              pct(median(I::AgenticCodingShare)));
            items.push_back({get(I::ScoreNarrow), "narrow", head("Narrow focus") + parts.join(QStringLiteral("; ")) + QLatin1Char('.')});
        }
        if (get(I::ScoreInfrastructure) >= 0.3) {
            // A kind the logs do not carry is said to be absent, not counted as zero.
            using K = EvidenceCoverage::Kind;
            // An account's counts are whole; a network's are averages, said with one decimal.
            auto many = [&](I i, const char* one, const char* several) {
                return averaged ? num(get(i)) + QLatin1Char(' ') + QLatin1String(several)
                                : count(whole(get(i)), QLatin1String(one), QLatin1String(several));
            };
            QStringList parts;
            parts << (m_cov.missing(K::ClientIp) ? QStringLiteral("no client IP addresses in these logs")
                                                 : QStringLiteral("%1 in %2")
                                                       .arg(many(I::DistinctIps, "IP address", "IP addresses"),
                                                            many(I::DistinctNetworks, "network", "networks")));
            parts << (m_cov.missing(K::UserAgent) ? QStringLiteral("no user agents in these logs")
                                                  : many(I::DistinctUserAgents, "user agent", "user agents"));
            if (!m_cov.missing(K::SignUp))
                parts << QStringLiteral("first request %1 after sign-up")
                             .arg(duration(static_cast<std::int64_t>(get(I::AgeDaysAtFirstUse) * 86'400'000.0)));
            items.push_back({get(I::ScoreInfrastructure), "infrastructure_spread",
                             head("Infrastructure") + parts.join(QStringLiteral(", ")) + QLatin1Char('.')});
        }
        if (get(I::ScoreRelease) >= 0.3)
            items.push_back({get(I::ScoreRelease), "release",
                             head("Release chasing")
                                 + QStringLiteral("%1 of the traffic moved to a newly released model within a day of its release.")
                                       .arg(pct(get(I::ReleaseChasing)))});
        std::stable_sort(items.begin(), items.end(), [](const Item& x, const Item& y) { return x.score > y.score; });
        for (const Item& it : items)
            add(it.key, it.score, it.text);
    }

    // {"missing": ["client_ip", ...], "partial": {"user_agent": 0.4}}: the kinds the logs did not carry.
    QJsonObject gapsEvidence() const
    {
        QJsonArray missing;
        QJsonObject partial;
        for (int k = 0; k < EvidenceCoverage::kKindCount; ++k) {
            const auto kind = static_cast<EvidenceCoverage::Kind>(k);
            if (m_cov.missing(kind))
                missing.append(QLatin1String(EvidenceCoverage::key(kind)));
            else if (m_cov.partial(kind))
                partial.insert(QLatin1String(EvidenceCoverage::key(kind)),
                               static_cast<double>(m_cov.knownOf(kind)) / static_cast<double>(m_cov.accounts));
        }
        return QJsonObject{{QStringLiteral("missing"), missing}, {QStringLiteral("partial"), partial},
                           {QStringLiteral("accounts"), static_cast<qint64>(m_cov.accounts)}};
    }

    QJsonObject sample(const std::vector<std::uint32_t>& accounts)
    {
        QJsonArray ids;
        for (size_t i = 0; i < accounts.size() && ids.size() < 8; ++i)
            ids.append(static_cast<qint64>(m_p[accounts[i]].sampleRequests.front()));
        return QJsonObject{{QStringLiteral("requests"), ids}};
    }

    static QJsonArray toArray(const std::vector<std::int64_t>& v)
    {
        QJsonArray a;
        for (std::int64_t x : v)
            a.append(static_cast<qint64>(x));
        return a;
    }

    QString dictValue(int dict, std::uint32_t id)
    {
        SqliteStatement& st = m_dict[dict];
        st.reset();
        st.bind(1, id);
        return st.step() ? st.columnText(0) : QString();
    }

    // A short plain-text excerpt of the template's fixed end, from an example request.
    // What a network does, with its article ("a coding harvest", "an agent-task harvest"), as its label says it
    // (detect/NetworkName.h); read once per network.
    const QString& harvestKind(std::size_t index)
    {
        auto it = m_harvestKind.find(index);
        if (it == m_harvestKind.end()) {
            const ClusterOutcome& c = m_out.clusters[index];
            std::vector<std::int64_t> members(c.core.begin(), c.core.end());
            members.insert(members.end(), c.attached.begin(), c.attached.end());
            const QString kind = networkname::whatItDoes(networkname::categoriesOf(m_db, members));
            const bool vowel = QStringLiteral("aeiou").contains(kind.front());
            it = m_harvestKind.emplace(index, (vowel ? QStringLiteral("an ") : QStringLiteral("a ")) + kind).first;
        }
        return it->second;
    }

    QString templateExcerpt(const HeavyTemplate& t)
    {
        if (t.kind == TemplateKind::SystemPrompt) {
            m_system.reset();
            m_system.bind(1, t.value);
            return m_system.step() ? quoted(m_system.columnText(0), 70) : QString();
        }
        m_prompt.reset();
        m_prompt.bind(1, t.sampleRequest);
        if (!m_prompt.step() || m_prompt.isNull(0))
            return {};
        const QString text = m_prompt.columnText(0).simplified();
        if (t.kind != TemplateKind::Tail)
            return quoted(text, 70);
        return quoted(text.size() > 70 ? QChar(0x2026) + text.right(69) : text, 71);
    }

    DetectionOutcome& m_out;
    const std::vector<AccountProfile>& m_p;
    const std::vector<IndicatorValues>& m_pct;
    const std::vector<IndicatorBaseline>& m_base;
    const CaseSnapshot& m_snap;
    const DetectSettings& m_s;
    const EvidenceCoverage& m_cov;
    const QString m_gaps; // what the logs lacked, one sentence; empty when nothing
    SqliteDb& m_db;
    std::map<std::size_t, QString> m_harvestKind; // by cluster index: "a coding harvest"
    SqliteStatement m_prompt, m_system, m_model;
    ModelNamer m_modelName;
    SqliteStatement m_dict[4];
};

} // namespace

void explainOutcome(DetectionOutcome& outcome, const std::vector<AccountProfile>& profiles,
                    const std::vector<IndicatorValues>& percentiles, const std::vector<IndicatorBaseline>& baselines,
                    const CaseSnapshot& snapshot, SqliteDb& db, const DetectSettings& settings,
                    const EvidenceCoverage& coverage)
{
    Explainer e(outcome, profiles, percentiles, baselines, snapshot, db, settings, coverage);
    for (std::uint32_t i = 0; i < outcome.clusters.size(); ++i)
        e.cluster(i);
    for (std::uint32_t a = 1; a < outcome.accounts.size(); ++a)
        if (outcome.accounts[a].flagged)
            e.account(a);
}

} // namespace ds
