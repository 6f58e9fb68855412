#include "detect/Evaluation.h"

#include <QFile>
#include <QJsonArray>
#include <QTextStream>

#include <algorithm>
#include <cmath>
#include <set>

namespace ds {

namespace {

QStringList splitCsvLine(const QString& line)
{
    QStringList out;
    QString cur;
    bool quoted = false;
    for (int i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < line.size() && line[i + 1] == QLatin1Char('"')) {
                cur += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                cur += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            out << cur;
            cur.clear();
        } else {
            cur += c;
        }
    }
    out << cur;
    return out;
}

double choose2(double n) { return n * (n - 1) / 2.0; }

} // namespace

bool readTruth(const QString& path, std::map<QString, TruthRow>& truth, QString* error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
        return false;
    }
    QTextStream in(&f);
    const QStringList header = splitCsvLine(in.readLine().trimmed());
    const auto col = [&](const char* name) { return static_cast<int>(header.indexOf(QLatin1String(name))); };
    const int id = col("account_id"), label = col("label"), campaign = col("campaign"), role = col("role");
    if (id < 0 || label < 0) {
        *error = QStringLiteral("%1 has no account_id and label columns").arg(path);
        return false;
    }
    while (!in.atEnd()) {
        const QString line = in.readLine().trimmed();
        if (line.isEmpty())
            continue;
        const QStringList f2 = splitCsvLine(line);
        auto at = [&](int i) { return i >= 0 && i < f2.size() ? f2[i] : QString(); };
        truth[at(id)] = {at(label), at(campaign), at(role)};
    }
    return true;
}

double adjustedRandIndex(const std::vector<int>& a, const std::vector<int>& b)
{
    std::map<std::pair<int, int>, double> joint;
    std::map<int, double> ra, rb;
    for (size_t i = 0; i < a.size(); ++i) {
        joint[{a[i], b[i]}] += 1;
        ra[a[i]] += 1;
        rb[b[i]] += 1;
    }
    double index = 0, sa = 0, sb = 0;
    for (const auto& [k, n] : joint)
        index += choose2(n);
    for (const auto& [k, n] : ra)
        sa += choose2(n);
    for (const auto& [k, n] : rb)
        sb += choose2(n);
    const double total = choose2(static_cast<double>(a.size()));
    if (total == 0)
        return 1.0;
    const double expected = sa * sb / total;
    const double maxIndex = (sa + sb) / 2.0;
    return maxIndex == expected ? 1.0 : (index - expected) / (maxIndex - expected);
}

EvaluationReport evaluate(const std::map<QString, TruthRow>& truth, const QJsonObject& results, const QStringList& ordinaryRoles)
{
    EvaluationReport r;
    struct Result
    {
        bool flagged = false;
        QString cluster;
    };
    std::map<QString, Result> byAccount;
    for (const QJsonValue& v : results.value(QStringLiteral("accounts")).toArray()) {
        const QJsonObject o = v.toObject();
        byAccount[o.value(QStringLiteral("account_id")).toString()] = {o.value(QStringLiteral("flagged")).toBool(),
                                                                       o.value(QStringLiteral("cluster")).toString()};
    }
    std::map<QString, std::map<QString, std::int64_t>> clusterCampaigns; // cluster -> campaign -> flagged accounts
    std::vector<int> campaignLabels, clusterLabels;
    std::map<QString, int> campaignIds, clusterIds;
    for (const auto& [account, t] : truth) {
        ++r.accounts;
        const bool attacker = t.label == QLatin1String("attacker");
        const auto it = byAccount.find(account);
        if (it == byAccount.end())
            ++r.missingFromResults;
        const bool flagged = it != byAccount.end() && it->second.flagged;
        const QString cluster = it != byAccount.end() ? it->second.cluster : QString();
        r.attackers += attacker;
        r.flagged += flagged;
        r.truePositives += attacker && flagged;
        r.falsePositives += !attacker && flagged;
        r.falseNegatives += attacker && !flagged;
        if (attacker) {
            auto& [hit, total] = r.campaignRecall[t.campaign];
            hit += flagged;
            ++total;
            if (flagged && !cluster.isEmpty()) {
                auto& list = r.campaignClusters[t.campaign];
                if (!list.contains(cluster))
                    list.push_back(cluster);
            }
            campaignLabels.push_back(campaignIds.try_emplace(t.campaign, static_cast<int>(campaignIds.size())).first->second);
            // Unflagged or solo attackers each form a cluster of their own.
            const QString key = flagged && !cluster.isEmpty() ? cluster : QStringLiteral("#") + account;
            clusterLabels.push_back(clusterIds.try_emplace(key, static_cast<int>(clusterIds.size())).first->second);
        } else {
            auto& [hit, total] = r.benignRoles[t.role];
            hit += flagged;
            ++total;
            if (flagged && !ordinaryRoles.contains(t.role))
                ++r.hardNegativesFlagged;
        }
        if (flagged && !cluster.isEmpty())
            ++clusterCampaigns[cluster][attacker ? t.campaign : QStringLiteral("(benign)")];
    }
    r.precision = r.flagged ? static_cast<double>(r.truePositives) / static_cast<double>(r.flagged) : 1.0;
    r.recall = r.attackers ? static_cast<double>(r.truePositives) / static_cast<double>(r.attackers) : 1.0;
    r.f1 = r.precision + r.recall > 0 ? 2 * r.precision * r.recall / (r.precision + r.recall) : 0.0;
    std::int64_t inClusters = 0, majority = 0;
    for (const auto& [cluster, campaigns] : clusterCampaigns) {
        std::int64_t best = 0;
        for (const auto& [campaign, n] : campaigns) {
            inClusters += n;
            best = std::max(best, n);
        }
        majority += best;
    }
    r.purity = inClusters ? static_cast<double>(majority) / static_cast<double>(inClusters) : 1.0;
    r.adjustedRand = adjustedRandIndex(campaignLabels, clusterLabels);
    return r;
}

QJsonObject EvaluationReport::toJson() const
{
    QJsonObject campaigns;
    for (const auto& [name, hr] : campaignRecall) {
        const auto cl = campaignClusters.find(name);
        campaigns.insert(name, QJsonObject{{QStringLiteral("flagged"), static_cast<qint64>(hr.first)},
                                           {QStringLiteral("accounts"), static_cast<qint64>(hr.second)},
                                           {QStringLiteral("recall"), hr.second ? static_cast<double>(hr.first) / static_cast<double>(hr.second) : 0.0},
                                           {QStringLiteral("clusters"), cl == campaignClusters.end() ? QJsonArray() : QJsonArray::fromStringList(cl->second)}});
    }
    QJsonObject roles;
    for (const auto& [role, fr] : benignRoles)
        roles.insert(role, QJsonObject{{QStringLiteral("flagged"), static_cast<qint64>(fr.first)},
                                       {QStringLiteral("accounts"), static_cast<qint64>(fr.second)}});
    return QJsonObject{{QStringLiteral("accounts"), static_cast<qint64>(accounts)},
                       {QStringLiteral("attackers"), static_cast<qint64>(attackers)},
                       {QStringLiteral("flagged"), static_cast<qint64>(flagged)},
                       {QStringLiteral("true_positives"), static_cast<qint64>(truePositives)},
                       {QStringLiteral("false_positives"), static_cast<qint64>(falsePositives)},
                       {QStringLiteral("false_negatives"), static_cast<qint64>(falseNegatives)},
                       {QStringLiteral("missing_from_results"), static_cast<qint64>(missingFromResults)},
                       {QStringLiteral("precision"), precision},
                       {QStringLiteral("recall"), recall},
                       {QStringLiteral("f1"), f1},
                       {QStringLiteral("purity"), purity},
                       {QStringLiteral("adjusted_rand_index"), adjustedRand},
                       {QStringLiteral("hard_negatives_flagged"), static_cast<qint64>(hardNegativesFlagged)},
                       {QStringLiteral("campaigns"), campaigns},
                       {QStringLiteral("benign_roles"), roles}};
}

QString EvaluationReport::toText() const
{
    QString s;
    s += QStringLiteral("accounts %1, attackers %2, flagged %3 (TP %4, FP %5, FN %6)\n")
             .arg(accounts).arg(attackers).arg(flagged).arg(truePositives).arg(falsePositives).arg(falseNegatives);
    s += QStringLiteral("precision %1  recall %2  F1 %3\n").arg(precision, 0, 'f', 4).arg(recall, 0, 'f', 4).arg(f1, 0, 'f', 4);
    s += QStringLiteral("cluster purity %1  adjusted Rand index %2\n").arg(purity, 0, 'f', 4).arg(adjustedRand, 0, 'f', 4);
    if (missingFromResults)
        s += QStringLiteral("WARNING: %1 truth accounts are missing from the results\n").arg(missingFromResults);
    s += QStringLiteral("campaigns:\n");
    for (const auto& [name, hr] : campaignRecall) {
        const auto cl = campaignClusters.find(name);
        s += QStringLiteral("  %1: recall %2 (%3/%4), clusters %5\n")
                 .arg(name.isEmpty() ? QStringLiteral("(none)") : name)
                 .arg(hr.second ? static_cast<double>(hr.first) / static_cast<double>(hr.second) : 0.0, 0, 'f', 4)
                 .arg(hr.first).arg(hr.second)
                 .arg(cl == campaignClusters.end() ? QStringLiteral("-") : cl->second.join(QStringLiteral(", ")));
    }
    s += QStringLiteral("benign roles flagged:\n");
    for (const auto& [role, fr] : benignRoles)
        s += QStringLiteral("  %1: %2/%3\n").arg(role).arg(fr.first).arg(fr.second);
    s += QStringLiteral("hard-negative accounts flagged: %1\n").arg(hardNegativesFlagged);
    return s;
}

} // namespace ds
