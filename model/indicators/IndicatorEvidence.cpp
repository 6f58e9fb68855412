#include "indicators/IndicatorEvidence.h"

#include "detect/ReasonText.h"
#include "indicators/IndicatorStore.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <map>
#include <unordered_map>

namespace ds::indicators {

namespace {

// Beyond this many indicators a subject's reasons would bury detection's own: the strongest are kept.
constexpr std::size_t kMaxPerSubject = 5;

QString producerText(const StoredIndicator& s)
{
    const QString p = s.producer.isEmpty() ? s.bundleProducer : s.producer;
    return p.isEmpty() ? QStringLiteral("a producer who did not name itself") : reasontext::quoted(p, 60);
}

QString confidenceText(const StoredIndicator& s)
{
    return s.confidence ? QStringLiteral("the producer's confidence: %1 of 100").arg(*s.confidence)
                        : QStringLiteral("the producer gave no confidence");
}

QString evidenceJson(const StoredIndicator& s, std::int64_t accounts, std::int64_t requests)
{
    QJsonObject o{{QStringLiteral("indicator"), s.stixId},
                  {QStringLiteral("pattern"), s.pattern},
                  {QStringLiteral("producer"), s.producer.isEmpty() ? s.bundleProducer : s.producer},
                  {QStringLiteral("bundle_file"), s.bundleFile},
                  {QStringLiteral("bundle_sha256"), s.bundleSha256},
                  {QStringLiteral("accounts"), static_cast<qint64>(accounts)},
                  {QStringLiteral("requests"), static_cast<qint64>(requests)}};
    if (s.confidence)
        o.insert(QStringLiteral("confidence"), *s.confidence);
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// Per subject: indicator id -> (accounts, requests) of its hits there.
struct Tally
{
    std::int64_t accounts = 0, requests = 0;
};

} // namespace

void addEvidence(DetectionOutcome& outcome, SqliteDb& db)
{
    const std::vector<StoredHit> hits = loadAllHits(db);
    if (hits.empty())
        return;
    std::unordered_map<std::int64_t, StoredIndicator> byId;
    for (StoredIndicator& s : loadIndicators(db))
        byId.emplace(s.id, std::move(s));

    std::map<std::pair<bool, std::uint32_t>, int> lastRank;
    for (const ReasonOutcome& r : outcome.reasons) {
        int& rank = lastRank[{r.forCluster, r.subject}];
        rank = std::max(rank, r.rank);
    }
    std::vector<std::map<std::int64_t, Tally>> clusterTallies(outcome.clusters.size());
    std::map<std::uint32_t, std::map<std::int64_t, Tally>> accountTallies;
    for (const StoredHit& h : hits) {
        if (h.account <= 0 || static_cast<std::size_t>(h.account) >= outcome.accounts.size() || !byId.count(h.indicator))
            continue;
        const AccountOutcome& a = outcome.accounts[static_cast<std::size_t>(h.account)];
        if (!a.flagged)
            continue; // evidence for what detection found, never a flag of its own
        Tally& t = accountTallies[static_cast<std::uint32_t>(h.account)][h.indicator];
        t.accounts = 1;
        t.requests += h.requests;
        if (a.cluster >= 0 && static_cast<std::size_t>(a.cluster) < clusterTallies.size()) {
            Tally& c = clusterTallies[static_cast<std::size_t>(a.cluster)][h.indicator];
            ++c.accounts;
            c.requests += h.requests;
        }
    }
    const auto strongest = [](const std::map<std::int64_t, Tally>& tallies) {
        std::vector<std::pair<std::int64_t, Tally>> v(tallies.begin(), tallies.end());
        std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
            return a.second.accounts != b.second.accounts ? a.second.accounts > b.second.accounts : a.second.requests > b.second.requests;
        });
        if (v.size() > kMaxPerSubject)
            v.resize(kMaxPerSubject);
        return v;
    };
    for (std::size_t c = 0; c < clusterTallies.size(); ++c) {
        std::int64_t flagged = 0;
        for (const std::uint32_t m : outcome.clusters[c].members)
            flagged += m < outcome.accounts.size() && outcome.accounts[m].flagged && outcome.accounts[m].cluster == static_cast<std::int32_t>(c);
        flagged = std::max<std::int64_t>(flagged, 1);
        for (const auto& [id, t] : strongest(clusterTallies[c])) {
            const StoredIndicator& s = byId.at(id);
            const QString text = QStringLiteral("%1 %2 %3, named in the bundle of %4 (%5).")
                                     .arg(reasontext::capitalised(reasontext::partOf(t.accounts, std::max(flagged, t.accounts),
                                                                                      QStringLiteral("accounts"))),
                                          t.accounts == 1 ? QStringLiteral("uses") : QStringLiteral("use"), s.summary,
                                          producerText(s), confidenceText(s));
            const auto subject = static_cast<std::uint32_t>(c);
            outcome.reasons.push_back({true, subject, ++lastRank[{true, subject}], QStringLiteral("partner_indicator"), 0, text,
                                       evidenceJson(s, t.accounts, t.requests)});
        }
    }
    for (const auto& [account, tallies] : accountTallies) {
        for (const auto& [id, t] : strongest(tallies)) {
            const StoredIndicator& s = byId.at(id);
            const QString text = QStringLiteral("Uses %1, named in the bundle of %2 (%3), in %4.")
                                     .arg(s.summary, producerText(s), confidenceText(s),
                                          reasontext::count(t.requests, QStringLiteral("request"), QStringLiteral("requests")));
            outcome.reasons.push_back({false, account, ++lastRank[{false, account}], QStringLiteral("partner_indicator"), 0, text,
                                       evidenceJson(s, 1, t.requests)});
        }
    }
}

} // namespace ds::indicators
