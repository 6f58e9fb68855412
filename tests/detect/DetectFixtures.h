#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <map>
#include <random>

// Hand-built traffic for the detection tests: a benign population, the four
// hard negatives of docs/THREAT_MODEL.md and a small hydra network, written as
// canonical JSONL plus an accounts CSV, with the truth of each account.
// Deterministic for a seed. Test threads only.
namespace ds::test {

struct FixtureOptions
{
    int casualUsers = 60;
    int natUsers = 20;
    int resellerCustomers = 15;
    int hydraAccounts = 12;
    int hydraRequestsPerAccount = 120;
    bool hydraSharesInfrastructure = true; // shared IP pool, payment fingerprints, throwaway domain
    bool hydraUsesTemplate = true;         // one wrapper template around varied tasks
    double hydraCamouflage = 0.0;          // share of hydra requests that look like casual chat
    bool withEnterprise = true, withEvaluator = true;
    std::uint32_t seed = 7;
};

struct FixtureAccount
{
    QString label;    // "attacker" or "benign"
    QString campaign; // attackers only
    QString role;
};

class DetectFixture
{
public:
    explicit DetectFixture(const FixtureOptions& options = {});

    QByteArray requestsJsonl() const { return m_requests; }
    QByteArray accountsCsv() const { return m_accounts; }
    QByteArray truthCsv() const;
    const std::map<QString, FixtureAccount>& truth() const { return m_truth; }
    int requestCount() const { return m_count; }

private:
    void account(const QString& id, std::int64_t created, const QString& domain, const QString& payment, const QString& tier,
                 const FixtureAccount& truth);
    void request(const QString& account, std::int64_t ts, const QString& ip, const QString& ua, const QString& prompt,
                 int promptTokens, int completionTokens, int maxTokens, const QString& model = QStringLiteral("claude-sonnet-4-5"),
                 const QString& systemPrompt = {}, int tools = 0);
    QString chatPrompt();
    QString task();
    QString homeIp();
    void casual(const QString& id, const QString& ip, const QString& ua, FixtureAccount truth);

    FixtureOptions m_o;
    std::mt19937_64 m_rng;
    QByteArray m_requests, m_accounts;
    std::map<QString, FixtureAccount> m_truth;
    int m_count = 0;
};

// The day the fixtures start (2026-02-02T00:00Z) in epoch ms.
constexpr std::int64_t kFixtureStart = 1769990400000LL;

} // namespace ds::test
