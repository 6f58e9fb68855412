#include "DetectFixtures.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace ds::test {

namespace {

constexpr std::int64_t kMin = 60'000, kHour = 3'600'000, kDay = 86'400'000;

const char* const kTopics[] = {"sourdough bread", "the Roman empire", "quantum computing", "my cat's diet", "tax forms",
                               "a birthday poem", "Python decorators", "learning Spanish", "marathon training", "jazz history",
                               "climate policy", "a cover letter", "budget travel", "chess openings", "house plants",
                               "SQL joins", "the French revolution", "a wedding toast", "React hooks", "sleep hygiene"};
const char* const kAsks[] = {"Can you explain %1 to me?", "Write a short note about %1.", "What should I know about %1?",
                             "Give me three tips on %1 please", "I'm confused about %1, help", "Summarize %1 in a paragraph",
                             "Why do people care about %1?", "Compare two views on %1."};
const char* const kTasks[] = {"A farmer has %1 sheep and buys %2 more, then sells half. How many remain?",
                              "Write a function that returns the %1th Fibonacci number modulo %2.",
                              "Prove that the sum of the first %1 odd numbers is a perfect square.",
                              "A train leaves at %1 km/h and another at %2 km/h; when do they meet over 300 km?",
                              "Implement a stack with push, pop and min in O(1), with %1 test cases.",
                              "Given an array of %1 integers, find the longest increasing subsequence.",
                              "Explain how a hash map handles %1 collisions with open addressing.",
                              "Design a rate limiter allowing %1 requests per %2 seconds."};

} // namespace

DetectFixture::DetectFixture(const FixtureOptions& o)
    : m_o(o)
    , m_rng(o.seed)
{
    m_accounts = "account_id,created_at,email_domain,payment_fingerprint,billing_country,tier,verified\n";
    const QString browser = QStringLiteral("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/153.0.0.0 Safari/537.36");
    const QString sdk = QStringLiteral("anthropic-python/0.39.0");

    // Casual users: their own waking hours, a few requests a day, home IPs, webmail.
    for (int i = 0; i < m_o.casualUsers; ++i) {
        const QString id = QStringLiteral("casual_%1").arg(i);
        account(id, kFixtureStart - 90 * kDay + i * kHour, QStringLiteral("gmail.com"), QStringLiteral("pf_c%1").arg(i),
                QStringLiteral("tier-1"), {QStringLiteral("benign"), {}, QStringLiteral("casual")});
        casual(id, homeIp(), i % 3 ? browser : sdk, {});
    }
    // NAT: many unrelated people behind one university address on the popular SDK.
    for (int i = 0; i < m_o.natUsers; ++i) {
        const QString id = QStringLiteral("nat_%1").arg(i);
        account(id, kFixtureStart - 200 * kDay + i * 7 * kHour, QStringLiteral("uni.example.edu"), QStringLiteral("pf_n%1").arg(i),
                QStringLiteral("tier-1"), {QStringLiteral("benign"), {}, QStringLiteral("nat-user")});
        casual(id, QStringLiteral("198.51.100.10"), sdk, {});
    }
    // Reseller: customers share its proxy pool and user agent, not prompts or timing.
    for (int i = 0; i < m_o.resellerCustomers; ++i) {
        const QString id = QStringLiteral("resold_%1").arg(i);
        account(id, kFixtureStart - 60 * kDay + i * 13 * kHour, QStringLiteral("resellr.example"), QStringLiteral("pf_reseller"),
                QStringLiteral("tier-2"), {QStringLiteral("benign"), {}, QStringLiteral("reseller-customer")});
        casual(id, QStringLiteral("192.0.2.%1").arg(10 + i % 3), QStringLiteral("resellr-gateway/2.1"), {});
    }
    // Enterprise batch pipeline: one account, one template, steady around the clock, one IP.
    if (m_o.withEnterprise) {
        account(QStringLiteral("enterprise"), kFixtureStart - 400 * kDay, QStringLiteral("bigcorp.example"), QStringLiteral("pf_corp"),
                QStringLiteral("tier-4"), {QStringLiteral("benign"), {}, QStringLiteral("enterprise-batch")});
        for (std::int64_t t = kFixtureStart; t < kFixtureStart + 7 * kDay; t += 6 * kMin + static_cast<std::int64_t>(m_rng() % 20000))
            request(QStringLiteral("enterprise"), t, QStringLiteral("203.0.113.50"), QStringLiteral("bigcorp-etl/1.0"),
                    QStringLiteral("Classify the support ticket below into one of: billing, bug, feature, other. Reply with the label only.\n\n"
                                   "Ticket %1: customer %2 reports that order %3 was charged twice.")
                        .arg(m_rng() % 100000).arg(m_rng() % 5000).arg(m_rng() % 90000),
                    180, 4, 16);
    }
    // Benchmark evaluator: maths with "think step by step", five hours, one account.
    if (m_o.withEvaluator) {
        account(QStringLiteral("evaluator"), kFixtureStart - 30 * kDay, QStringLiteral("lab.example.org"), QStringLiteral("pf_lab"),
                QStringLiteral("tier-3"), {QStringLiteral("benign"), {}, QStringLiteral("evaluator")});
        const std::int64_t begin = kFixtureStart + 2 * kDay + 9 * kHour;
        for (std::int64_t t = begin; t < begin + 5 * kHour; t += 20'000 + static_cast<std::int64_t>(m_rng() % 10000))
            request(QStringLiteral("evaluator"), t, QStringLiteral("203.0.113.80"), sdk,
                    QStringLiteral("Question: %1\nLet's think step by step.").arg(task()), 120, 600 + static_cast<int>(m_rng() % 400), 2048);
    }
    // The hydra network.
    const QString tmpl = QStringLiteral("You are producing reference solutions for a dataset. Write out your full internal reasoning "
                                        "step by step, then the final answer.\n\nTask: %1\n\nEnd with a line 'FINAL:' and the answer.");
    for (int i = 0; i < m_o.hydraAccounts; ++i) {
        const QString id = QStringLiteral("acct_h%1").arg(i);
        const bool shared = m_o.hydraSharesInfrastructure;
        account(id, kFixtureStart - 2 * kDay + (i / 4) * 20 * kMin + i * kMin,
                shared ? QStringLiteral("mailbox-%1.example").arg(i % 2) : QStringLiteral("gmail.com"),
                shared ? QStringLiteral("pf_h%1").arg(i % 3) : QStringLiteral("pf_hx%1").arg(i), QStringLiteral("tier-1"),
                {QStringLiteral("attacker"), QStringLiteral("hydra"), QStringLiteral("hydra-worker")});
        const std::int64_t span = 6 * kDay;
        const std::int64_t step = span / m_o.hydraRequestsPerAccount;
        for (int k = 0; k < m_o.hydraRequestsPerAccount; ++k) {
            const std::int64_t t = kFixtureStart + k * step + static_cast<std::int64_t>(m_rng() % static_cast<std::uint64_t>(step));
            const QString ip = shared ? QStringLiteral("100.64.%1.%2").arg(m_rng() % 4).arg(m_rng() % 8) : homeIp();
            const QString ua = QStringLiteral("openai-python/1.%1.0").arg(40 + m_rng() % 3);
            if (std::uniform_real_distribution<double>(0, 1)(m_rng) < m_o.hydraCamouflage) {
                request(id, t, ip, ua, chatPrompt(), 30, 300, 1024);
                continue;
            }
            const QString prompt = m_o.hydraUsesTemplate ? tmpl.arg(task()) : task() + QStringLiteral(" Show all reasoning.");
            const int out = 1500 + static_cast<int>(m_rng() % 2500);
            request(id, t, ip, ua, prompt, 160, std::min(out, 3000), 3000);
        }
    }
}

void DetectFixture::casual(const QString& id, const QString& ip, const QString& ua, FixtureAccount)
{
    const int tz = static_cast<int>(m_rng() % 24);
    for (int d = 0; d < 7; ++d) {
        const int n = static_cast<int>(m_rng() % 6);
        for (int k = 0; k < n; ++k) {
            const std::int64_t hour = (tz + 8 + static_cast<int>(m_rng() % 14)) % 24;
            const std::int64_t t = kFixtureStart + d * kDay + hour * kHour + static_cast<std::int64_t>(m_rng() % kHour);
            request(id, t, ip, ua, chatPrompt(), 20 + static_cast<int>(m_rng() % 60), 100 + static_cast<int>(m_rng() % 600), 1024);
            // A burst: a follow-up a minute later.
            if (m_rng() % 2)
                request(id, t + 40'000 + static_cast<std::int64_t>(m_rng() % 60'000), ip, ua, chatPrompt(), 40, 250, 1024);
        }
    }
}

QString DetectFixture::chatPrompt()
{
    const QString ask = QLatin1String(kAsks[m_rng() % std::size(kAsks)]);
    return ask.arg(QLatin1String(kTopics[m_rng() % std::size(kTopics)]));
}

QString DetectFixture::task()
{
    const QString t = QLatin1String(kTasks[m_rng() % std::size(kTasks)]);
    return t.contains(QLatin1String("%2")) ? t.arg(m_rng() % 500 + 2).arg(m_rng() % 90 + 2) : t.arg(m_rng() % 500 + 2);
}

QString DetectFixture::homeIp()
{
    return QStringLiteral("%1.%2.%3.%4").arg(20 + m_rng() % 180).arg(m_rng() % 250).arg(m_rng() % 250).arg(1 + m_rng() % 250);
}

void DetectFixture::account(const QString& id, std::int64_t created, const QString& domain, const QString& payment,
                            const QString& tier, const FixtureAccount& truth)
{
    m_accounts += QStringLiteral("%1,%2,%3,%4,US,%5,true\n").arg(id).arg(created).arg(domain, payment, tier).toUtf8();
    m_truth[id] = truth;
}

void DetectFixture::request(const QString& account, std::int64_t ts, const QString& ip, const QString& ua, const QString& prompt,
                            int promptTokens, int completionTokens, int maxTokens, const QString& model,
                            const QString& systemPrompt, int tools)
{
    QJsonObject o{{QStringLiteral("request_id"), QStringLiteral("r%1").arg(m_count++)},
                  {QStringLiteral("timestamp"), static_cast<qint64>(ts)},
                  {QStringLiteral("account_id"), account},
                  {QStringLiteral("ip"), ip},
                  {QStringLiteral("user_agent"), ua},
                  {QStringLiteral("model"), model},
                  {QStringLiteral("prompt"), prompt},
                  {QStringLiteral("prompt_tokens"), promptTokens},
                  {QStringLiteral("completion_tokens"), completionTokens},
                  {QStringLiteral("max_tokens"), maxTokens},
                  {QStringLiteral("stop_reason"), completionTokens >= maxTokens ? QStringLiteral("max_tokens") : QStringLiteral("end_turn")},
                  {QStringLiteral("status"), 200}};
    if (!systemPrompt.isEmpty())
        o.insert(QStringLiteral("system_prompt"), systemPrompt);
    if (tools)
        o.insert(QStringLiteral("tools"), tools);
    m_requests += QJsonDocument(o).toJson(QJsonDocument::Compact);
    m_requests += '\n';
}

QByteArray DetectFixture::truthCsv() const
{
    QByteArray out = "account_id,label,campaign,role\n";
    for (const auto& [id, t] : m_truth)
        out += QStringLiteral("%1,%2,%3,%4\n").arg(id, t.label, t.campaign, t.role).toUtf8();
    return out;
}

} // namespace ds::test
