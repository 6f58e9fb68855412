#include "report/SharedInfrastructure.h"

#include "core/CancelToken.h"
#include "core/Sqlite.h"
#include "detect/DetectSettings.h"
#include "detect/DetectionResults.h"
#include "text/TemplateFingerprint.h"
#include "text/TemplateName.h"

#include <arpa/inet.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace ds {

QString valueKindLabel(ValueKind k)
{
    switch (k) {
    case ValueKind::Ip: return QStringLiteral("IP address");
    case ValueKind::Network: return QStringLiteral("Network");
    case ValueKind::UserAgent: return QStringLiteral("User agent");
    case ValueKind::EmailDomain: return QStringLiteral("E-mail domain");
    case ValueKind::PaymentFingerprint: return QStringLiteral("Payment fingerprint");
    case ValueKind::PromptTemplate: return QStringLiteral("Prompt template");
    }
    return {};
}

QString valueKindKey(ValueKind k)
{
    switch (k) {
    case ValueKind::Ip: return QStringLiteral("ip");
    case ValueKind::Network: return QStringLiteral("network");
    case ValueKind::UserAgent: return QStringLiteral("user_agent");
    case ValueKind::EmailDomain: return QStringLiteral("email_domain");
    case ValueKind::PaymentFingerprint: return QStringLiteral("payment_fingerprint");
    case ValueKind::PromptTemplate: return QStringLiteral("prompt_template");
    }
    return {};
}

QString SharedValue::displayValue() const
{
    if (kind != ValueKind::PromptTemplate)
        return value;
    return templatename::TemplateName{words, templatefingerprint::text(value.toULongLong(nullptr, 16))}.withFingerprint();
}

double SharedValue::outsideShare() const
{
    const int ordinary = caseAccounts - networkAccounts;
    return ordinary > 0 ? static_cast<double>(outsideAccounts()) / ordinary : 0.0;
}

bool SharedValue::isIndicator() const
{
    // Without the case's size (values built by hand) only the first two tests apply.
    const bool rareOutside = caseAccounts <= 0 || outsideShare() <= kMaxOutsideShare;
    return !publicService && memberAccounts >= 2 && outsideAccounts() <= memberAccounts && rareOutside;
}

QString networkOf(const QString& ip)
{
    const QByteArray text = ip.trimmed().toLatin1();
    unsigned char b[16];
    if (inet_pton(AF_INET, text.constData(), b) == 1)
        return QStringLiteral("%1.%2.%3.0/24").arg(b[0]).arg(b[1]).arg(b[2]);
    if (inet_pton(AF_INET6, text.constData(), b) == 1) {
        char out[INET6_ADDRSTRLEN];
        std::fill(b + 6, b + 16, 0);
        inet_ntop(AF_INET6, b, out, sizeof out);
        return QString::fromLatin1(out) + QStringLiteral("/48");
    }
    return {};
}

namespace {

// Per network: value id -> (member accounts, member requests, example request).
struct Usage
{
    std::set<std::int64_t> accounts;
    std::int64_t requests = 0;
    std::int64_t example = 0;
};
using UsageMap = std::map<std::int64_t, Usage>;

struct Candidates
{
    UsageMap ip, userAgent, templ;
    std::map<QString, Usage> network;
    std::map<std::int64_t, std::set<std::int64_t>> email, payment; // value id -> member accounts
};

std::map<std::int64_t, QString> dictionary(SqliteDb& db, const char* table)
{
    std::map<std::int64_t, QString> out;
    SqliteStatement st(db, (std::string("SELECT id, value FROM ") + table).c_str());
    while (st.step())
        out[st.columnInt(0)] = st.columnText(1);
    return out;
}

SharedValue shared(ValueKind kind, const QString& value, int members, int population, std::int64_t requests = 0,
                   std::int64_t example = 0)
{
    SharedValue v;
    v.kind = kind;
    v.value = value;
    v.memberAccounts = members;
    v.populationAccounts = population;
    v.memberRequests = requests;
    v.exampleRequest = example;
    return v;
}

void sortValues(std::vector<SharedValue>& v)
{
    std::stable_sort(v.begin(), v.end(), [](const SharedValue& a, const SharedValue& b) {
        if (a.kind != b.kind)
            return a.kind < b.kind;
        if (a.memberAccounts != b.memberAccounts)
            return a.memberAccounts > b.memberAccounts;
        if (a.memberRequests != b.memberRequests)
            return a.memberRequests > b.memberRequests;
        return a.value < b.value;
    });
}

} // namespace

std::vector<NetworkInfrastructure> computeInfrastructure(SqliteDb& db, const CaseFindings& findings,
                                                         const CancelToken& cancel)
{
    const std::vector<ConfirmedNetwork>& networks = findings.networks;
    const QStringList webmail =
        (findings.run ? DetectSettings::fromJson(DetectionResults(db, *findings.run).run().settings) : DetectSettings{})
            .publicEmailDomains;
    std::vector<Candidates> cand(networks.size());
    const auto ips = dictionary(db, "ip");
    SqliteStatement perAccount(db, "SELECT ip, user_agent, skeleton_hash, count(*), min(id) FROM request WHERE account = ?1 "
                                   "GROUP BY ip, user_agent, skeleton_hash");
    SqliteStatement attrs(db, "SELECT email_domain, payment_fingerprint FROM account WHERE id = ?1");
    for (std::size_t n = 0; n < networks.size(); ++n) {
        for (const auto& m : networks[n].members) {
            if (cancel.isCancelled())
                throw Cancelled{};
            perAccount.reset();
            perAccount.bind(1, m.account);
            while (perAccount.step()) {
                const std::int64_t count = perAccount.columnInt(3), example = perAccount.columnInt(4);
                auto add = [&](Usage& u) {
                    u.accounts.insert(m.account);
                    u.requests += count;
                    if (!u.example)
                        u.example = example;
                };
                if (!perAccount.isNull(0)) {
                    const std::int64_t ip = perAccount.columnInt(0);
                    add(cand[n].ip[ip]);
                    if (const QString net = networkOf(ips.count(ip) ? ips.at(ip) : QString()); !net.isEmpty())
                        add(cand[n].network[net]);
                }
                if (!perAccount.isNull(1))
                    add(cand[n].userAgent[perAccount.columnInt(1)]);
                add(cand[n].templ[perAccount.columnInt(2)]);
            }
            attrs.reset();
            attrs.bind(1, m.account);
            if (attrs.step()) {
                if (!attrs.isNull(0))
                    cand[n].email[attrs.columnInt(0)].insert(m.account);
                if (!attrs.isNull(1))
                    cand[n].payment[attrs.columnInt(1)].insert(m.account);
            }
        }
    }

    // Population counts, only for values used by two or more members of some network.
    std::unordered_map<std::int64_t, std::unordered_set<std::int64_t>> popIp, popUa, popTempl;
    std::map<QString, std::unordered_set<std::int64_t>> popNet;
    for (const auto& c : cand) {
        for (const auto& [id, u] : c.ip)
            if (u.accounts.size() >= 2)
                popIp[id];
        for (const auto& [id, u] : c.userAgent)
            if (u.accounts.size() >= 2)
                popUa[id];
        for (const auto& [id, u] : c.templ)
            if (u.accounts.size() >= 2)
                popTempl[id];
        for (const auto& [net, u] : c.network)
            if (u.accounts.size() >= 2)
                popNet[net];
    }
    std::unordered_map<std::int64_t, std::unordered_set<std::int64_t>*> ipToNet;
    for (const auto& [id, value] : ips) {
        const auto it = popNet.find(networkOf(value));
        if (it != popNet.end())
            ipToNet[id] = &it->second;
    }
    if (!popIp.empty() || !popUa.empty() || !popTempl.empty() || !ipToNet.empty()) {
        SqliteStatement scan(db, "SELECT account, ip, user_agent, skeleton_hash FROM request");
        std::int64_t rows = 0;
        while (scan.step()) {
            if ((++rows & 0xffff) == 0 && cancel.isCancelled())
                throw Cancelled{};
            const std::int64_t account = scan.columnInt(0);
            if (!scan.isNull(1)) {
                const std::int64_t ip = scan.columnInt(1);
                if (auto it = popIp.find(ip); it != popIp.end())
                    it->second.insert(account);
                if (auto it = ipToNet.find(ip); it != ipToNet.end())
                    it->second->insert(account);
            }
            if (!scan.isNull(2))
                if (auto it = popUa.find(scan.columnInt(2)); it != popUa.end())
                    it->second.insert(account);
            if (auto it = popTempl.find(scan.columnInt(3)); it != popTempl.end())
                it->second.insert(account);
        }
    }
    auto accountCount = [&](const char* column, std::int64_t id) {
        SqliteStatement st(db, (std::string("SELECT count(*) FROM account WHERE ") + column + " = ?1").c_str());
        st.bind(1, id);
        return st.step() ? static_cast<int>(st.columnInt(0)) : 0;
    };

    const auto userAgents = dictionary(db, "user_agent");
    const auto emails = dictionary(db, "email_domain");
    const auto payments = dictionary(db, "payment_fingerprint");
    const int caseAccounts = [&] {
        SqliteStatement st(db, "SELECT count(*) FROM account");
        return st.step() ? static_cast<int>(st.columnInt(0)) : 0;
    }();
    std::vector<NetworkInfrastructure> out(networks.size());
    for (std::size_t n = 0; n < networks.size(); ++n) {
        auto& v = out[n].values;
        auto push = [&](ValueKind kind, const QString& value, const Usage& u, int population) {
            if (u.accounts.size() < 2)
                return;
            v.push_back(shared(kind, value, static_cast<int>(u.accounts.size()), population, u.requests, u.example));
        };
        for (const auto& [id, u] : cand[n].ip)
            push(ValueKind::Ip, ips.count(id) ? ips.at(id) : QString(), u, static_cast<int>(popIp[id].size()));
        for (const auto& [net, u] : cand[n].network)
            push(ValueKind::Network, net, u, static_cast<int>(popNet[net].size()));
        for (const auto& [id, u] : cand[n].userAgent)
            push(ValueKind::UserAgent, userAgents.count(id) ? userAgents.at(id) : QString(), u, static_cast<int>(popUa[id].size()));
        for (const auto& [id, u] : cand[n].templ)
            push(ValueKind::PromptTemplate, QStringLiteral("%1").arg(static_cast<quint64>(id), 16, 16, QLatin1Char('0')), u,
                 static_cast<int>(popTempl[id].size()));
        for (const auto& [id, members] : cand[n].email)
            if (members.size() >= 2)
                v.push_back(shared(ValueKind::EmailDomain, emails.count(id) ? emails.at(id) : QString(),
                                   static_cast<int>(members.size()), accountCount("email_domain", id)));
        for (const auto& [id, members] : cand[n].payment)
            if (members.size() >= 2)
                v.push_back(shared(ValueKind::PaymentFingerprint, payments.count(id) ? payments.at(id) : QString(),
                                   static_cast<int>(members.size()), accountCount("payment_fingerprint", id)));
        for (SharedValue& value : v) {
            value.networkAccounts = static_cast<int>(networks[n].members.size());
            value.caseAccounts = caseAccounts;
            value.publicService = value.kind == ValueKind::EmailDomain && webmail.contains(value.value.toLower());
        }
        sortValues(v);
        // Named: the templates the STIX export shares (indicators, most used first) and the first few the report shows.
        int indicators = 0, others = 0;
        for (SharedValue& value : v) {
            if (value.kind != ValueKind::PromptTemplate || !value.exampleRequest)
                continue;
            if (value.isIndicator() ? indicators++ < kNamedTemplatesPerNetwork : others++ < kNamedOtherTemplates)
                value.words = templatename::ofRequest(db, value.exampleRequest).words;
        }
    }
    return out;
}

} // namespace ds
