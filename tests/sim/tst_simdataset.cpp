#include "TestSupport.h"

#include "ingest/Importer.h"
#include "sim/SimCorpus.h"
#include "sim/SimGenerator.h"
#include "sim/SimScenario.h"

#include "core/Timestamp.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

#include <algorithm>
#include <deque>

using namespace ds;

namespace {

struct Rec
{
    std::int64_t ts;
    QString account, model, ip, ua, org, endpoint, requestId;
    int status;
};

struct Truth
{
    QString label, campaign, role;
};

} // namespace

// One `small` dataset, imported with the real importer and checked against the
// scenario: format validity, ground truth consistency, shares, rates, time
// spans, the release chase and the hard negatives' shapes.
class TestSimDataset : public QObject
{
    Q_OBJECT

private:
    test::ScratchDir m_dir;
    SimScenario m_s;
    SimSummary m_sum;
    std::vector<Rec> m_recs;
    QHash<QString, Truth> m_truth;
    QHash<QString, QList<QByteArray>> m_accountRows;

    std::int64_t campaignStart(const SimCampaignConfig& c) const { return m_s.startMs + std::int64_t(c.startDay * 86400000.0); }
    std::int64_t campaignEnd(const SimCampaignConfig& c) const { return m_s.startMs + std::int64_t(c.endDay * 86400000.0); }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        m_s = SimScenario::load(QStringLiteral("small"), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        SimOptions o;
        o.outDir = m_dir.path();
        o.seed = 11;
        CancelToken cancel;
        m_sum = SimGenerator::run(m_s, o, cancel);
        QVERIFY2(m_sum.error.isEmpty(), qPrintable(m_sum.error));

        QFile f(m_dir.file(QStringLiteral("requests.jsonl.gz")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray all = simGunzip(f.readAll());
        qsizetype pos = 0;
        while (pos < all.size()) {
            const qsizetype nl = all.indexOf('\n', pos);
            QVERIFY(nl > pos);
            const QJsonObject o2 = QJsonDocument::fromJson(all.mid(pos, nl - pos)).object();
            pos = nl + 1;
            Rec r;
            r.ts = *timestamp::parseRfc3339(o2.value(QStringLiteral("timestamp")).toString().toStdString());
            r.account = o2.value(QStringLiteral("account_id")).toString();
            r.model = o2.value(QStringLiteral("model")).toString();
            r.ip = o2.value(QStringLiteral("ip")).toString();
            r.ua = o2.value(QStringLiteral("user_agent")).toString();
            r.org = o2.value(QStringLiteral("org_id")).toString();
            r.endpoint = o2.value(QStringLiteral("endpoint")).toString();
            r.requestId = o2.value(QStringLiteral("request_id")).toString();
            r.status = o2.value(QStringLiteral("status")).toInt();
            m_recs.push_back(std::move(r));
        }
        for (const QByteArray& line : test::csvDataLines(m_dir.file(QStringLiteral("truth.csv")))) {
            const QList<QByteArray> f2 = line.split(',');
            QCOMPARE(f2.size(), 4);
            m_truth.insert(QString::fromUtf8(f2[0]), {QString::fromUtf8(f2[1]), QString::fromUtf8(f2[2]), QString::fromUtf8(f2[3])});
        }
        for (const QByteArray& line : test::csvDataLines(m_dir.file(QStringLiteral("accounts.csv"))))
            m_accountRows.insert(QString::fromUtf8(line.left(line.indexOf(','))), line.split(','));
    }

    void importsWithNothingQuarantined()
    {
        ImportRequest req{m_dir.file(QStringLiteral("case.sqlite")),
                          {m_dir.file(QStringLiteral("requests.jsonl.gz")), m_dir.file(QStringLiteral("accounts.csv"))},
                          {}};
        ImportProgress progress;
        CancelToken cancel;
        const ImportSummary s = Importer::run(req, progress, cancel);
        QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
        QCOMPARE(s.quarantinedInCase, 0);
        QCOMPARE(s.requestsInCase, m_sum.requests);
        QCOMPARE(s.accountsInCase, static_cast<std::int64_t>(m_truth.size()));
        for (const FileReport& f : s.files)
            QVERIFY2(f.outcome == FileReport::Outcome::Imported, qPrintable(f.path + QLatin1Char(' ') + f.message));
    }

    void recordsAreOrderedUniqueAndInsideTheSpan()
    {
        QCOMPARE(static_cast<std::int64_t>(m_recs.size()), m_sum.requests);
        QSet<QString> ids;
        for (std::size_t i = 0; i < m_recs.size(); ++i) {
            const Rec& r = m_recs[i];
            QVERIFY(r.ts >= m_s.startMs && r.ts < m_s.endMs());
            if (i)
                QVERIFY(r.ts >= m_recs[i - 1].ts);
            QVERIFY(r.requestId.startsWith(QStringLiteral("req_")));
            ids.insert(r.requestId);
            QVERIFY(r.status == 200 || r.status == 429 || r.status == 500 || r.status == 529);
        }
        QCOMPARE(ids.size(), static_cast<qsizetype>(m_recs.size()));
    }

    void truthAccountsAndLogsNameTheSameAccounts()
    {
        QSet<QString> inLogs;
        for (const Rec& r : m_recs)
            inLogs.insert(r.account);
        QSet<QString> inTruth(m_truth.keyBegin(), m_truth.keyEnd());
        QSet<QString> inAccounts(m_accountRows.keyBegin(), m_accountRows.keyEnd());
        QCOMPARE(inLogs, inTruth);
        QCOMPARE(inAccounts, inTruth);
        for (const Truth& t : m_truth)
            QVERIFY(t.label == QLatin1String(t.campaign.isEmpty() ? "benign" : "attacker"));
    }

    void everyRoleIsPresent()
    {
        QSet<QString> roles;
        for (const Truth& t : m_truth)
            roles.insert(t.role);
        for (const char* role : {"casual", "developer", "enterprise-batch", "evaluator", "nat-user", "reseller-customer",
                                 "hydra-worker", "hydra-reseller", "hydra-cloud"})
            QVERIFY2(roles.contains(QLatin1String(role)), role);
    }

    void campaignVolumesSharesAndSpansMatchTheScenario()
    {
        QHash<QString, std::int64_t> requests, first, last;
        QHash<QString, QSet<QString>> accounts;
        for (const Rec& r : m_recs) {
            const Truth& t = m_truth[r.account];
            if (t.campaign.isEmpty())
                continue;
            ++requests[t.campaign];
            accounts[t.campaign].insert(r.account);
            first[t.campaign] = first.contains(t.campaign) ? std::min(first[t.campaign], r.ts) : r.ts;
            last[t.campaign] = std::max(last.value(t.campaign), r.ts);
        }
        std::int64_t attack = 0, configured = 0;
        for (const SimCampaignConfig& c : m_s.campaigns) {
            attack += requests[c.name];
            configured += c.requests;
            const double got = static_cast<double>(requests[c.name]);
            QVERIFY2(got >= 0.9 * c.requests && got <= c.requests, qPrintable(c.name + QStringLiteral(" %1").arg(got)));
            QVERIFY2(accounts[c.name].size() >= c.accounts * 0.9 && accounts[c.name].size() <= c.accounts, qPrintable(c.name));
            QVERIFY(first[c.name] >= campaignStart(c) && last[c.name] < campaignEnd(c));
            // Around the clock: work in the first and the last day of the campaign.
            QVERIFY(first[c.name] < campaignStart(c) + 86400000LL);
            QVERIFY(last[c.name] > campaignEnd(c) - 86400000LL);
        }
        const double reasoning = double(requests[m_s.campaigns[0].name]) / attack;
        const double agentic = double(requests[m_s.campaigns[1].name]) / attack;
        const double coding = double(requests[m_s.campaigns[2].name]) / attack;
        QVERIFY2(reasoning > 0.005 && reasoning < 0.02, qPrintable(QString::number(reasoning)));
        QVERIFY2(agentic > 0.15 && agentic < 0.25, qPrintable(QString::number(agentic)));
        QVERIFY2(coding > 0.74 && coding < 0.84, qPrintable(QString::number(coding)));
        // At least as much benign traffic as attack traffic is not required of `small`, but both are substantial.
        QVERIFY(m_sum.requests - attack > static_cast<std::int64_t>(m_recs.size()) / 3);
    }

    void attackAccountsStayUnderTheirRateLimit()
    {
        QHash<QString, std::deque<std::int64_t>> windows;
        QHash<QString, int> limit;
        for (const SimCampaignConfig& c : m_s.campaigns)
            limit.insert(c.name, c.rateLimitRpm);
        int peakShare = 0;
        for (const Rec& r : m_recs) {
            const Truth& t = m_truth[r.account];
            if (t.campaign.isEmpty())
                continue;
            std::deque<std::int64_t>& w = windows[r.account];
            w.push_back(r.ts);
            while (w.front() <= r.ts - 60000)
                w.pop_front();
            QVERIFY2(static_cast<int>(w.size()) <= limit[t.campaign], qPrintable(r.account));
            peakShare = std::max(peakShare, 100 * static_cast<int>(w.size()) / limit[t.campaign]);
        }
        // Bursts run close to the limit (the hydra shape), not far below it.
        QVERIFY2(peakShare >= 50, qPrintable(QString::number(peakShare)));
    }

    void codingCampaignChasesTheNewModelWithinADay()
    {
        const SimCampaignConfig& c = m_s.campaigns[2];
        const std::int64_t release = m_s.releaseMs();
        const QString released = m_s.releasedModel;
        int before = 0, firstDay = 0, firstDayNew = 0, after = 0, afterNew = 0, benignNewBefore = 0;
        for (const Rec& r : m_recs) {
            const Truth& t = m_truth[r.account];
            const bool isNew = r.model == released;
            if (r.ts < release) {
                before += t.campaign == c.name;
                benignNewBefore += isNew;
                continue;
            }
            if (t.campaign != c.name)
                continue;
            if (r.ts < release + 86400000LL) {
                ++firstDay;
                firstDayNew += isNew;
            } else {
                ++after;
                afterNew += isNew;
            }
        }
        QCOMPARE(benignNewBefore, 0);
        QVERIFY(before > 0 && after > 0);
        const double share = double(afterNew) / after;
        QVERIFY2(share > c.chaseShare - 0.1 && share < c.chaseShare + 0.1, qPrintable(QString::number(share)));
        QVERIFY(firstDayNew > 0 && double(firstDayNew) / firstDay < share);
    }

    void enterpriseBatchRunsInItsWindowAtItsRate()
    {
        const SimBatchProfile& b = m_s.benign.batch;
        QHash<QString, int> counts;
        QHash<QString, QSet<QString>> ips;
        for (const Rec& r : m_recs) {
            if (m_truth[r.account].role != QLatin1String("enterprise-batch"))
                continue;
            const double hour = double((r.ts - m_s.startMs) % 86400000LL) / 3600000.0;
            QVERIFY2(hour >= b.utcHours.lo && hour < b.utcHours.hi + 0.1, qPrintable(QString::number(hour)));
            ++counts[r.account];
            ips[r.account].insert(r.ip.left(r.ip.lastIndexOf(QLatin1Char('.'))));
        }
        QCOMPARE(counts.size(), b.accounts);
        const double hours = m_s.days * (b.utcHours.hi - b.utcHours.lo);
        for (auto it = counts.begin(); it != counts.end(); ++it) {
            const double rate = it.value() / hours;
            QVERIFY2(rate > 0.7 * b.requestsPerHour && rate < 1.3 * b.requestsPerHour, qPrintable(QString::number(rate)));
            QCOMPARE(ips[it.key()].size(), 1); // one network
        }
    }

    void evaluatorsRunHoursLongFromOneAccount()
    {
        QHash<QString, std::vector<std::int64_t>> times;
        for (const Rec& r : m_recs)
            if (m_truth[r.account].role == QLatin1String("evaluator"))
                times[r.account].push_back(r.ts);
        QCOMPARE(times.size(), m_s.benign.evaluator.accounts);
        for (const auto& t : times) {
            QVERIFY(t.size() >= 300);
            // The longest stretch without a gap over 5 minutes lasts at least 20 minutes.
            std::int64_t best = 0, runStart = t.front();
            for (std::size_t i = 1; i < t.size(); ++i) {
                if (t[i] - t[i - 1] > 300000)
                    runStart = t[i];
                best = std::max(best, t[i] - runStart);
            }
            QVERIFY2(best >= 20 * 60000, qPrintable(QString::number(best)));
        }
    }

    void hardNegativesShareInfrastructureLikeTheyShould()
    {
        // NAT: many accounts behind few addresses. Reseller: customers share its org and agent.
        QHash<QString, QSet<QString>> natAccountsByIp;
        QSet<QString> resellerOrgs, resellerAgents, resellerAttackOrgs;
        for (const Rec& r : m_recs) {
            const Truth& t = m_truth[r.account];
            if (t.role == QLatin1String("nat-user"))
                natAccountsByIp[r.ip].insert(r.account);
            else if (t.role == QLatin1String("reseller-customer")) {
                resellerOrgs.insert(r.org);
                resellerAgents.insert(r.ua);
            } else if (t.role == QLatin1String("hydra-reseller")) {
                resellerAttackOrgs.insert(r.org);
            }
        }
        int crowded = 0;
        for (const auto& accs : natAccountsByIp)
            crowded += accs.size() >= 5;
        QVERIFY(crowded >= m_s.benign.nat.groups);
        QCOMPARE(resellerOrgs.size(), 1);
        QCOMPARE(resellerAgents.size(), 1);
        // The agentic campaign's reseller accounts are mixed in with that reseller's legitimate customers.
        QCOMPARE(resellerAttackOrgs, resellerOrgs);
    }

    void hydraAccountsShareSignupInfrastructure()
    {
        QHash<QString, int> paymentUse, domainUse;
        int attackers = 0;
        for (auto it = m_truth.begin(); it != m_truth.end(); ++it) {
            if (it->role != QLatin1String("hydra-worker"))
                continue;
            ++attackers;
            const QList<QByteArray>& row = m_accountRows[it.key()];
            ++paymentUse[QString::fromUtf8(row[3])];
            ++domainUse[QString::fromUtf8(row[2])];
        }
        int sharedPayments = 0, throwaway = 0;
        for (auto it = paymentUse.begin(); it != paymentUse.end(); ++it)
            sharedPayments += it.value() >= 2 ? it.value() : 0;
        for (auto it = domainUse.begin(); it != domainUse.end(); ++it)
            if (!it.key().endsWith(QLatin1String(".com")))
                throwaway += it.value();
        QVERIFY(sharedPayments > attackers / 3);
        QVERIFY(throwaway > attackers / 2);
    }
};

QTEST_GUILESS_MAIN(TestSimDataset)
#include "tst_simdataset.moc"
