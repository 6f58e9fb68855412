#pragma once

#include <QJsonObject>
#include <QString>

#include <map>
#include <optional>
#include <vector>

namespace ds {

// Scores detection results against simulator ground truth (truth.csv):
// precision/recall/F1 of `flagged` against label "attacker", recall per
// campaign, how campaigns map onto clusters (purity, adjusted Rand index over
// the attacker accounts), and the hard-negative roles flagged. Pure: any thread.
struct EvaluationReport
{
    std::int64_t accounts = 0, attackers = 0, flagged = 0;
    std::int64_t truePositives = 0, falsePositives = 0, falseNegatives = 0;
    std::int64_t missingFromResults = 0; // truth accounts absent from the results
    double precision = 0, recall = 0, f1 = 0;
    double purity = 0;   // flagged accounts in clusters: share belonging to their cluster's majority campaign (benign = own label)
    double adjustedRand = 0; // attacker accounts: campaign vs cluster (unflagged = a cluster of its own each)
    std::map<QString, std::pair<std::int64_t, std::int64_t>> campaignRecall; // campaign -> (flagged, total)
    std::map<QString, QStringList> campaignClusters;                  // campaign -> clusters holding its accounts
    std::map<QString, std::pair<std::int64_t, std::int64_t>> benignRoles;    // role -> (flagged, total)
    std::int64_t hardNegativesFlagged = 0;

    QJsonObject toJson() const;
    QString toText() const;
};

struct TruthRow
{
    QString label, campaign, role;
};

// Reads truth.csv (account_id,label,campaign,role). Returns false with `error` set on failure.
bool readTruth(const QString& path, std::map<QString, TruthRow>& truth, QString* error);

// `results` is the scan JSON document. Roles in `ordinaryRoles` are benign roles
// that are not hard negatives (casual users, developers).
EvaluationReport evaluate(const std::map<QString, TruthRow>& truth, const QJsonObject& results,
                          const QStringList& ordinaryRoles = {QStringLiteral("casual"), QStringLiteral("developer")});

// Adjusted Rand index of two labelings of the same items. Any thread.
double adjustedRandIndex(const std::vector<int>& a, const std::vector<int>& b);

} // namespace ds
