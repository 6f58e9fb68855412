#include "detect/EvidenceCoverage.h"

#include "core/Sqlite.h"
#include "detect/CaseSnapshot.h"

#include <QStringList>

namespace ds {

namespace {

using Kind = EvidenceCoverage::Kind;

// Where the kind comes from and how a sentence names it.
struct KindText
{
    Kind kind;
    const char* key;
    const char* one;    // "no %1": what a log lacks
    const char* plural; // what links rest on, or what is partly known
    bool infrastructure; // evidence detection links accounts by (API keys are not)
    bool perRequest;     // carried by the requests (else by an accounts file)
};

constexpr KindText kKinds[EvidenceCoverage::kKindCount] = {
    {Kind::ClientIp, "client_ip", "client IP address", "IP addresses", true, true},
    {Kind::UserAgent, "user_agent", "user agent", "user agents", true, true},
    {Kind::ApiKey, "api_key", "API key", "API keys", false, true},
    {Kind::EmailDomain, "email_domain", "sign-up e-mail domain", "e-mail domains", true, false},
    {Kind::Payment, "payment", "payment fingerprint", "payment fingerprints", true, false},
    {Kind::SignUp, "sign_up", "account creation time", "sign-up times", true, false},
};

// "a", "a and b", "a, b and c"
QString joined(const QStringList& items, const QString& last)
{
    if (items.size() <= 1)
        return items.join(QString());
    return items.mid(0, items.size() - 1).join(QStringLiteral(", ")) + last + items.back();
}

QString capitalised(QString s)
{
    if (!s.isEmpty())
        s[0] = s[0].toUpper();
    return s;
}

} // namespace

const char* EvidenceCoverage::key(Kind k) { return kKinds[static_cast<std::size_t>(k)].key; }

bool EvidenceCoverage::partial(Kind k) const
{
    const std::int64_t n = knownOf(k);
    return n > 0 && static_cast<double>(n) < kPartialShare * static_cast<double>(accounts);
}

EvidenceCoverage EvidenceCoverage::measure(const std::vector<AccountProfile>& profiles, const CaseSnapshot& snapshot,
                                           SqliteDb& db)
{
    EvidenceCoverage c;
    auto count = [&](Kind k) -> std::int64_t& { return c.known[static_cast<std::size_t>(k)]; };
    for (std::size_t a = 1; a < profiles.size(); ++a) {
        const AccountProfile& p = profiles[a];
        if (p.requests <= 0)
            continue;
        ++c.accounts;
        count(Kind::ClientIp) += !p.ips.empty();
        count(Kind::UserAgent) += !p.userAgents.empty();
        if (a < snapshot.accounts.size()) {
            const AccountInfo& info = snapshot.accounts[a];
            count(Kind::EmailDomain) += info.emailDomain != 0;
            count(Kind::Payment) += info.payment != 0;
            count(Kind::SignUp) += info.createdAt != AccountInfo::kUnknown;
        }
    }
    // The key dictionary holds only values requests carried: empty means no request had a key.
    count(Kind::ApiKey) = db.queryInt("SELECT EXISTS(SELECT 1 FROM api_key)") ? c.accounts : 0;
    return c;
}

QString EvidenceCoverage::gapsSentence() const
{
    if (accounts <= 0)
        return {};
    QStringList lackRequests, lackAccounts, restOn, partly;
    bool infrastructureMissing = false;
    for (const KindText& k : kKinds) {
        if (missing(k.kind)) {
            (k.perRequest ? lackRequests : lackAccounts) << QStringLiteral("no ") + QLatin1String(k.one);
            infrastructureMissing = infrastructureMissing || k.infrastructure;
        } else if (k.infrastructure) {
            restOn << QLatin1String(k.plural);
            if (partial(k.kind))
                partly << QStringLiteral("%1 are known for only %2% of the accounts.")
                              .arg(capitalised(QLatin1String(k.plural)))
                              .arg(qRound(100.0 * static_cast<double>(knownOf(k.kind)) / static_cast<double>(accounts)));
        }
    }
    QString text;
    if (!lackRequests.isEmpty() || !lackAccounts.isEmpty()) {
        QStringList lacks;
        if (!lackRequests.isEmpty())
            lacks << QStringLiteral("These logs carry ") + joined(lackRequests, QStringLiteral(" and "));
        if (!lackAccounts.isEmpty())
            lacks << (lacks.isEmpty() ? QStringLiteral("The accounts come with ") : QStringLiteral("the accounts come with "))
                         + joined(lackAccounts, QStringLiteral(" and ")) + QStringLiteral(" (an accounts file gives them)");
        text = lacks.join(QStringLiteral("; ")) + QStringLiteral(": ");
        if (!infrastructureMissing)
            text += QStringLiteral("detection does not link accounts by key, so no evidence is lost.");
        else if (restOn.isEmpty())
            text += QStringLiteral("no infrastructure links are possible; networks rest on shared prompt templates, tasks "
                                   "and timing alone.");
        else
            text += QStringLiteral("infrastructure links rest on %1.").arg(joined(restOn, QStringLiteral(" and ")));
    }
    if (!partly.isEmpty())
        text += (text.isEmpty() ? QString() : QStringLiteral(" ")) + partly.join(QLatin1Char(' '));
    return text;
}

void EvidenceCoverage::store(SqliteDb& db, std::int64_t run) const
{
    SqliteStatement st(db, "INSERT OR REPLACE INTO evidence_coverage(run, kind, accounts, known) VALUES(?1, ?2, ?3, ?4)");
    for (const KindText& k : kKinds) {
        st.reset();
        st.bind(1, run);
        st.bindText(2, k.key);
        st.bind(3, accounts);
        st.bind(4, knownOf(k.kind));
        st.run();
    }
}

EvidenceCoverage EvidenceCoverage::load(SqliteDb& db, std::int64_t run)
{
    EvidenceCoverage c;
    if (!db.queryInt("SELECT EXISTS(SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'evidence_coverage')"))
        return c;
    SqliteStatement st(db, "SELECT kind, accounts, known FROM evidence_coverage WHERE run = ?1");
    st.bind(1, run);
    std::int64_t accounts = 0;
    int kinds = 0;
    while (st.step()) {
        const std::string_view kind = st.columnView(0);
        for (const KindText& k : kKinds)
            if (kind == k.key) {
                c.known[static_cast<std::size_t>(k.kind)] = st.columnInt(2);
                accounts = st.columnInt(1);
                ++kinds;
            }
    }
    // A run stores every kind; anything else (a hand-edited case) is no coverage rather than a wrong one.
    if (kinds == kKindCount)
        c.accounts = accounts;
    else
        c.known.fill(0);
    return c;
}

} // namespace ds
