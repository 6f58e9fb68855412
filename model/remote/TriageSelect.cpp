#include "remote/TriageSelect.h"

#include "detect/BehaviourScore.h"
#include "detect/DetectSettings.h"

#include <QSet>

#include <algorithm>
#include <limits>

namespace ds {

namespace {

// Detection's way of joining the parts of a profile: the weakest counts half, so one strong part cannot carry a
// missing one (detect/BehaviourScore.cpp).
double profile(std::initializer_list<double> parts)
{
    double sum = 0, weakest = 1;
    for (double p : parts) {
        sum += p;
        weakest = std::min(weakest, p);
    }
    return 0.5 * weakest + 0.5 * sum / static_cast<double>(parts.size());
}

double ratioOf(std::int64_t a, std::int64_t b) { return b > 0 ? static_cast<double>(a) / static_cast<double>(b) : 0.0; }

} // namespace

TriageSettings TriageSettings::fromDetect(const DetectSettings& d)
{
    TriageSettings s;
    s.youngDays = d.infraYoungDays;
    s.networksHigh = d.infraNetworksHigh;
    s.minRequestsForTemplates = d.minRequestsForRates;
    return s;
}

QStringList TriageSelection::accounts() const
{
    QStringList out;
    out.reserve(static_cast<qsizetype>(pulled.size()));
    for (const TriageChoice& c : pulled)
        out << c.account;
    return out;
}

TriageChoice scoreAccount(const TriageAccount& a, std::int64_t sharingOthers, bool sharedTemplate,
                          const TriageAccountInfo& info, const TriageSettings& s)
{
    TriageChoice c;
    c.account = a.account;
    c.requests = a.requests;
    const double output = profile({ramp(ratioOf(a.outputTokens, a.inputTokens), s.ratioLow, s.ratioHigh),
                                   ramp(ratioOf(a.outputTokens, a.outputKnown), s.meanOutputLow, s.meanOutputHigh),
                                   ramp(static_cast<double>(a.requests), s.requestsLow, s.requestsHigh)});
    const double task = profile({ramp(ratioOf(a.taskShaped, a.requests), s.taskShareLow, s.taskShareHigh),
                                 ramp(static_cast<double>(a.taskShaped), s.taskCountLow, s.taskCountHigh),
                                 ramp(ratioOf(a.taskOutput, a.taskOutputKnown), s.taskOutputLow, s.taskOutputHigh),
                                 ramp(ratioOf(a.taskOutput, a.taskInput), s.taskRatioLow, s.taskRatioHigh)});
    const bool young = info.createdAtMs != TriageAccountInfo::kUnknown
                       && static_cast<double>(a.firstSeen * 1000 - info.createdAtMs) < s.youngDays * 86'400'000.0;
    const double infra = (ramp(static_cast<double>(sharingOthers), 0, s.sharingHigh)
                          + ramp(static_cast<double>(a.networks), 1, s.networksHigh) + (young ? 1.0 : 0.0))
                         / 3.0;
    double templ = 0;
    if (a.requests >= s.minRequestsForTemplates)
        templ = ramp(ratioOf(std::max(a.topHead, a.topTail), a.requests), s.templateShareLow, s.templateShareHigh)
                * (sharedTemplate ? 1.0 : 0.5);
    c.score = std::min(1.0, std::max(output, task) + s.infraWeight * infra + s.templateWeight * templ);
    if (output >= 0.5 * s.candidateMin)
        c.why |= WhyOutputProfile;
    if (task >= 0.5 * s.candidateMin)
        c.why |= WhyTaskProfile;
    if (infra >= 0.5)
        c.why |= WhyInfrastructure;
    if (templ >= 0.5)
        c.why |= WhyTemplate;
    return c;
}

TriageSelection selectCandidates(const std::vector<TriageAccount>& rows, const std::vector<SharedValue>& shared,
                                 const QHash<QString, TriageAccountInfo>& info, std::int64_t totalRows,
                                 const TriageSettings& s)
{
    std::vector<TriageAccount> accounts = rows;
    QHash<QString, std::size_t> index;
    for (std::size_t i = 0; i < accounts.size(); ++i)
        index.insert(accounts[i].account, i);
    // Members of shared values without a row of their own: under minRequests. Scored as empty, linkable.
    for (const SharedValue& v : shared)
        if (v.accounts >= 2 && v.accounts <= s.linkMaxAccounts)
            for (const QString& m : v.members)
                if (!index.contains(m)) {
                    index.insert(m, accounts.size());
                    TriageAccount small;
                    small.account = m;
                    small.requests = std::max(0, s.minRequests - 1);
                    accounts.push_back(small);
                }

    // Groups of accounts on one rare value: remote addresses and networks, and the accounts file's payment
    // fingerprints and private e-mail domains, heavy templates. User agents count as sharing only.
    std::vector<std::vector<std::size_t>> groups, templateGroups;
    std::vector<std::int64_t> sharing(accounts.size(), 0);
    std::vector<char> sharedTemplate(accounts.size(), 0);
    auto addGroup = [&](const QStringList& members, std::int64_t count, bool links) {
        if (count < 2 || count > s.linkMaxAccounts)
            return;
        std::vector<std::size_t> g;
        for (const QString& m : members)
            if (auto it = index.constFind(m); it != index.constEnd())
                g.push_back(*it);
        for (std::size_t i : g)
            sharing[i] = std::max(sharing[i], count - 1);
        if (links && g.size() >= 2)
            groups.push_back(std::move(g));
    };
    for (const SharedValue& v : shared) {
        if (v.kind == SharedKind::TemplateHead || v.kind == SharedKind::TemplateTail) {
            // A template several accounts use heavily links them (detection's template links), without counting as
            // shared infrastructure.
            std::vector<std::size_t> g;
            for (const QString& m : v.members)
                if (auto it = index.constFind(m); it != index.constEnd()) {
                    sharedTemplate[*it] = 1;
                    g.push_back(*it);
                }
            if (g.size() >= 2 && v.accounts <= s.linkMaxAccounts)
                templateGroups.push_back(std::move(g));
            continue;
        }
        if (v.kind == SharedKind::UserAgent)
            continue;
        addGroup(v.members, v.accounts, true);
    }
    QHash<std::int64_t, QStringList> byDomain, byPayment;
    for (auto it = info.constBegin(); it != info.constEnd(); ++it) {
        if (!index.contains(it.key()))
            continue; // not in the table (or too small to have a row and sharing no address)
        if (it->emailDomain)
            byDomain[it->emailDomain] << it.key();
        if (it->payment)
            byPayment[it->payment] << it.key();
    }
    for (const QStringList& m : std::as_const(byDomain))
        addGroup(m, m.size(), true);
    for (const QStringList& m : std::as_const(byPayment))
        addGroup(m, m.size(), true);

    std::vector<TriageChoice> scored;
    scored.reserve(accounts.size());
    for (std::size_t i = 0; i < accounts.size(); ++i)
        scored.push_back(scoreAccount(accounts[i], sharing[i], sharedTemplate[i], info.value(accounts[i].account), s));

    std::vector<char> isCandidate(accounts.size(), 0), isLinked(accounts.size(), 0);
    for (std::size_t i = 0; i < accounts.size(); ++i)
        isCandidate[i] = scored[i].score >= s.candidateMin;
    for (const std::vector<std::size_t>& g : groups) {
        const bool any = std::any_of(g.begin(), g.end(), [&](std::size_t i) { return isCandidate[i] != 0; });
        if (any)
            for (std::size_t i : g)
                isLinked[i] = !isCandidate[i];
    }
    // Template links and cohorts take only accounts with a profile of their own, answers long against their prompts:
    // popular products' templates (an IDE plug-in's) are shared by developers and agentic power users whose answers
    // are short against their contexts, and who begin their activity at any time.
    auto ownProfile = [&](std::size_t i) {
        return scored[i].score >= s.linkedMinScore
               && ratioOf(accounts[i].outputTokens, accounts[i].inputTokens) >= s.linkedMinRatio;
    };
    for (const std::vector<std::size_t>& g : templateGroups) {
        const bool any = std::any_of(g.begin(), g.end(), [&](std::size_t i) { return isCandidate[i] != 0; });
        if (any)
            for (std::size_t i : g)
                if (!isCandidate[i] && ownProfile(i))
                    isLinked[i] = 1;
    }
    // Cohorts: an account that began within cohortWindowHours of several candidates, after the data's first day
    // (the population already active when the capture began is no cohort), with a profile of its own, comes too:
    // the operation's accounts brought online in batches (detection's window links).
    std::vector<char> isCohort(accounts.size(), 0);
    {
        std::int64_t dataStart = std::numeric_limits<std::int64_t>::max();
        std::vector<std::int64_t> starts;
        for (std::size_t i = 0; i < accounts.size(); ++i) {
            if (accounts[i].firstSeen > 0)
                dataStart = std::min(dataStart, accounts[i].firstSeen);
            if (isCandidate[i] && accounts[i].firstSeen > 0)
                starts.push_back(accounts[i].firstSeen);
        }
        std::sort(starts.begin(), starts.end());
        const auto window = static_cast<std::int64_t>(s.cohortWindowHours * 3600);
        const auto late = static_cast<std::int64_t>(s.cohortLateHours * 3600);
        for (std::size_t i = 0; i < accounts.size(); ++i) {
            const std::int64_t t = accounts[i].firstSeen;
            if (isCandidate[i] || isLinked[i] || t <= 0 || t < dataStart + late || !ownProfile(i))
                continue;
            const auto near = std::upper_bound(starts.begin(), starts.end(), t + window)
                              - std::lower_bound(starts.begin(), starts.end(), t - window);
            if (near >= s.cohortMinCandidates)
                isLinked[i] = isCohort[i] = 1;
        }
    }

    TriageSelection out;
    out.rowsTotal = totalRows;
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < accounts.size(); ++i)
        if (isCandidate[i] || isLinked[i])
            order.push_back(i);
    // Candidates first, then linked accounts; each by score, then by account for a stable order.
    std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        if (isCandidate[x] != isCandidate[y])
            return isCandidate[x] > isCandidate[y];
        if (scored[x].score != scored[y].score)
            return scored[x].score > scored[y].score;
        return accounts[x].account < accounts[y].account;
    });
    const auto budget = static_cast<std::int64_t>(s.rowBudgetShare * static_cast<double>(totalRows));
    for (std::size_t i : order) {
        out.candidates += isCandidate[i];
        out.linked += isLinked[i];
        if (out.rowsPulled + accounts[i].requests > budget) {
            out.droppedCandidates += isCandidate[i];
            out.droppedLinked += isLinked[i];
            continue;
        }
        TriageChoice c = scored[i];
        if (isLinked[i])
            c.why |= isCohort[i] ? WhyCohort : WhyLinked;
        out.rowsPulled += c.requests;
        out.pulled.push_back(std::move(c));
    }
    return out;
}

} // namespace ds
