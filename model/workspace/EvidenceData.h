#pragma once

#include "text/TemplateName.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace ds {

class CancelToken;
class SqliteDb;

// Everything the Evidence view shows for a cluster or one account, read from
// the detection results and the requests. Values from the logs are attacker
// controlled: show them as plain text. Plain value type.
struct EvidenceData
{
    struct Indicator
    {
        QString key, label, description;
        std::optional<double> value;   // the account's value, or the members' median
        double p50 = 0, p90 = 0, p99 = 0; // population baseline
        QList<double> percentiles;     // each member's percentile in the population (0..1)
    };
    struct Shared
    {
        QString kind;  // "IP", "Network", "User agent", "Payment fingerprint", "E-mail domain"
        QString value;
        int members = 0;               // subject accounts that use it
        std::int64_t caseAccounts = 0; // accounts in the whole case that use it
        QStringList accounts;          // account_id of the subject accounts that use it, sorted
    };
    struct Example
    {
        std::int64_t requestId = 0;
        QString prompt;
        QString skeleton;
    };
    struct Template
    {
        QString hash; // the template's fingerprint (ds-skeleton-v1, text/TemplateFingerprint.h) as 16 hex digits: the key
                      // the views group and pivot by, the value STIX shares
        templatename::TemplateName name; // what it is called everywhere: its words and fingerprint
        std::int64_t requests = 0;
        int members = 0;
        std::int64_t caseAccounts = 0;
        QList<Example> examples;
    };

    QString subject; // "cluster C1" or "account acct_…"
    int memberCount = 0;
    QStringList reasons;
    // A network whose reasons count fewer accounts than its name: why the two numbers differ (detect/MemberCounts.h).
    QString memberCounts;
    QStringList whyNotFlagged; // one account the run did not flag: why, in sentences (detect/WhyNotFlagged.h)
    QList<Indicator> indicators;
    QList<Shared> shared;
    QList<Template> templates;

    // Where the figures come from: the run's precomputed views when they still describe the case
    // (workspace/ViewTables.h), or queries over the requests (Live: tests compare the two).
    enum class Source { Auto, Live };
    // Worker threads only. `members` are account.id values; `cluster` > 0 for a
    // cluster, otherwise members holds one account. A `cancel` requested while it
    // runs interrupts its queries (throws Cancelled or an interrupt DatabaseError).
    static EvidenceData load(SqliteDb& db, std::int64_t run, std::int64_t cluster, const std::vector<std::int64_t>& members,
                             const CancelToken* cancel = nullptr, Source source = Source::Auto);
    // The templates the Templates tab lists for these members (a network when `cluster` > 0): at most five, most
    // requests first. The network's label and the report take the network's main template from here, so the
    // three agree. Any thread with its own connection.
    static QList<Template> templatesOf(SqliteDb& db, std::int64_t run, std::int64_t cluster, const std::vector<std::int64_t>& members,
                                       Source source = Source::Auto);
};

} // namespace ds

Q_DECLARE_METATYPE(ds::EvidenceData)
