#include "indicators/IndicatorMatcher.h"

#include "core/CancelToken.h"
#include "core/Hashing.h"
#include "core/Sqlite.h"

#include <algorithm>
#include <unordered_map>

namespace ds::indicators {

namespace {

// A test of one plan, by plan and test index.
struct TestRef
{
    std::uint32_t plan = 0, test = 0;
};
using Index = std::unordered_map<std::int64_t, std::vector<TestRef>>;

// Tests every value of a dictionary table against the plans' tests of `field`: value id -> tests it satisfies.
Index indexDictionary(SqliteDb& db, const char* table, Field field, const std::vector<const IndicatorPlan*>& plans,
                      const CancelToken& cancel)
{
    std::vector<TestRef> tests;
    for (std::uint32_t p = 0; p < plans.size(); ++p)
        for (std::uint32_t t = 0; t < plans[p]->tests.size(); ++t)
            if (plans[p]->tests[t].field == field)
                tests.push_back({p, t});
    Index index;
    if (tests.empty())
        return index;
    SqliteStatement st(db, (std::string("SELECT id, value FROM ") + table).c_str());
    std::int64_t rows = 0;
    while (st.step()) {
        if ((++rows & 0xfff) == 0 && cancel.isCancelled())
            throw Cancelled{};
        const QString value = st.columnText(1);
        for (const TestRef& r : tests) {
            const FieldTest& t = plans[r.plan]->tests[r.test];
            if (field == Field::Ip ? t.matchesAddress(value) : t.matchesText(value))
                index[st.columnInt(0)].push_back(r);
        }
    }
    return index;
}

// Which observations of which plans one request or account satisfies, given the tests it satisfies.
class Evaluator
{
public:
    explicit Evaluator(const std::vector<const IndicatorPlan*>& plans)
        : m_plans(plans)
        , m_seen(plans.size())
    {
        for (std::size_t p = 0; p < plans.size(); ++p)
            m_seen[p].assign(plans[p]->observations.size(), false);
    }

    void clear() { m_hit.clear(); }
    void add(const std::vector<TestRef>* refs)
    {
        if (refs)
            m_hit.insert(m_hit.end(), refs->begin(), refs->end());
    }

    // Calls `onMatch(plan)` once for each plan with an observation of this level that the subject satisfies.
    template<typename F>
    void evaluate(bool perRequest, const F& onMatch)
    {
        if (m_hit.empty())
            return;
        std::sort(m_hit.begin(), m_hit.end(), [](const TestRef& a, const TestRef& b) { return a.plan != b.plan ? a.plan < b.plan : a.test < b.test; });
        for (std::size_t i = 0; i < m_hit.size();) {
            const std::uint32_t p = m_hit[i].plan;
            std::size_t end = i;
            while (end < m_hit.size() && m_hit[end].plan == p)
                ++end;
            const auto satisfied = [&](int test) {
                for (std::size_t k = i; k < end; ++k)
                    if (m_hit[k].test == static_cast<std::uint32_t>(test))
                        return true;
                return false;
            };
            bool any = false;
            const auto& observations = m_plans[p]->observations;
            for (std::size_t o = 0; o < observations.size(); ++o)
                if (observations[o].perRequest == perRequest && observations[o].tests.eval(satisfied)) {
                    m_seen[p][o] = true;
                    any = true;
                }
            if (any)
                onMatch(p);
            i = end;
        }
    }

    // Whether the plan's pattern as a whole holds, given the observations seen anywhere in the case.
    bool holds(std::size_t plan) const
    {
        return m_plans[plan]->pattern.eval([&](int o) { return static_cast<bool>(m_seen[plan][static_cast<std::size_t>(o)]); });
    }

private:
    const std::vector<const IndicatorPlan*>& m_plans;
    std::vector<std::vector<bool>> m_seen; // per plan, per observation: satisfied by some request or account
    std::vector<TestRef> m_hit;
};

bool needs(const std::vector<const IndicatorPlan*>& plans, bool perRequest)
{
    for (const IndicatorPlan* p : plans)
        for (const ObservationPlan& o : p->observations)
            if (o.perRequest == perRequest)
                return true;
    return false;
}

} // namespace

std::vector<std::map<std::int64_t, AccountHit>> matchPlans(SqliteDb& db, const std::vector<const IndicatorPlan*>& plans,
                                                            const CancelToken& cancel, const std::function<void(double)>& progress)
{
    std::vector<std::map<std::int64_t, AccountHit>> hits(plans.size());
    const auto report = [&](double share) {
        if (progress)
            progress(share);
    };
    const Index ips = indexDictionary(db, "ip", Field::Ip, plans, cancel);
    const Index agents = indexDictionary(db, "user_agent", Field::UserAgent, plans, cancel);
    const Index domains = indexDictionary(db, "email_domain", Field::EmailDomain, plans, cancel);
    const Index payments = indexDictionary(db, "payment_fingerprint", Field::Payment, plans, cancel);
    Index templates;
    for (std::uint32_t p = 0; p < plans.size(); ++p)
        for (std::uint32_t t = 0; t < plans[p]->tests.size(); ++t)
            for (std::uint64_t h : plans[p]->tests[t].hashes)
                templates[toSqlInt(h)].push_back({p, t});
    std::vector<TestRef> accountIdTests;
    for (std::uint32_t p = 0; p < plans.size(); ++p)
        for (std::uint32_t t = 0; t < plans[p]->tests.size(); ++t)
            if (plans[p]->tests[t].field == Field::AccountId)
                accountIdTests.push_back({p, t});
    report(0.05);

    Evaluator ev(plans);
    const auto find = [](const Index& index, std::int64_t key) -> const std::vector<TestRef>* {
        const auto it = index.find(key);
        return it == index.end() ? nullptr : &it->second;
    };
    // Requests: only when some request-level test can be satisfied by a value the case holds.
    if (needs(plans, true) && !(ips.empty() && agents.empty() && templates.empty())) {
        const double total = static_cast<double>(std::max<std::int64_t>(1, db.queryInt("SELECT max(id) FROM request")));
        SqliteStatement scan(db, "SELECT id, account, ts, ip, user_agent, skeleton_hash FROM request");
        std::int64_t rows = 0;
        while (scan.step()) {
            if ((++rows & 0xffff) == 0) {
                if (cancel.isCancelled())
                    throw Cancelled{};
                report(0.05 + 0.85 * std::min(1.0, static_cast<double>(scan.columnInt(0)) / total));
            }
            ev.clear();
            if (!scan.isNull(3))
                ev.add(find(ips, scan.columnInt(3)));
            if (!scan.isNull(4))
                ev.add(find(agents, scan.columnInt(4)));
            ev.add(find(templates, scan.columnInt(5)));
            const std::int64_t account = scan.columnInt(1), ts = scan.columnInt(2);
            ev.evaluate(true, [&](std::uint32_t p) {
                AccountHit& h = hits[p][account];
                h.firstTs = h.requests ? std::min(h.firstTs, ts) : ts;
                h.lastTs = h.requests ? std::max(h.lastTs, ts) : ts;
                ++h.requests;
            });
        }
    }
    report(0.9);
    // Accounts: an account-level match counts all of the account's requests.
    if (needs(plans, false) && !(domains.empty() && payments.empty() && accountIdTests.empty())) {
        SqliteStatement scan(db, "SELECT id, account_id, email_domain, payment_fingerprint FROM account");
        SqliteStatement span(db, "SELECT count(*), min(ts), max(ts) FROM request WHERE account = ?1");
        std::vector<TestRef> own;
        std::int64_t rows = 0;
        while (scan.step()) {
            if ((++rows & 0xfff) == 0 && cancel.isCancelled())
                throw Cancelled{};
            ev.clear();
            if (!scan.isNull(2))
                ev.add(find(domains, scan.columnInt(2)));
            if (!scan.isNull(3))
                ev.add(find(payments, scan.columnInt(3)));
            if (!accountIdTests.empty()) {
                own.clear();
                const QString id = scan.columnText(1);
                for (const TestRef& r : accountIdTests)
                    if (plans[r.plan]->tests[r.test].matchesText(id))
                        own.push_back(r);
                ev.add(&own);
            }
            const std::int64_t account = scan.columnInt(0);
            ev.evaluate(false, [&](std::uint32_t p) {
                span.reset();
                span.bind(1, account);
                AccountHit h;
                if (span.step() && span.columnInt(0) > 0)
                    h = AccountHit{span.columnInt(0), span.columnInt(1), span.columnInt(2)};
                hits[p][account] = h;
            });
        }
    }
    // A pattern whose observations are joined by AND holds only when each of them was seen.
    for (std::size_t p = 0; p < plans.size(); ++p)
        if (!ev.holds(p))
            hits[p].clear();
    report(1.0);
    return hits;
}

} // namespace ds::indicators
