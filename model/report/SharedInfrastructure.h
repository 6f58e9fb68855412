#pragma once

#include "case/CaseFindings.h"

#include <QString>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace ds {

class CancelToken;
class SqliteDb;

// Kinds of value a network's accounts can share.
enum class ValueKind { Ip, Network, UserAgent, EmailDomain, PaymentFingerprint, PromptTemplate };
QString valueKindLabel(ValueKind k); // "IP address", "Network", ...
QString valueKindKey(ValueKind k);   // "ip", "network", "user_agent", "email_domain", "payment_fingerprint", "prompt_template"

// One value used by accounts of a confirmed network, with how many accounts of
// the whole case use it: a value nobody else uses is a strong indicator, one a
// thousand other accounts use (a university NAT, a popular SDK) is none.
struct SharedValue
{
    ValueKind kind = ValueKind::Ip;
    QString value;             // as it appeared (templates: the skeleton fingerprint, 16 hex digits)
    int memberAccounts = 0;    // accounts of the network using it
    int populationAccounts = 0; // accounts of the whole case using it (members included)
    std::int64_t memberRequests = 0; // requests of the network's accounts with it (0 for account attributes)
    std::int64_t exampleRequest = 0; // request.id of one such request (templates), 0 if none
    QString words;             // templates: the template's name in words (text/TemplateName.h), for the first ones
    int networkAccounts = 0;   // accounts of the network, users of the value or not
    int caseAccounts = 0;      // accounts of the whole case
    // A public webmail domain (the run's publicEmailDomains): strangers share it by nature, so it is shown
    // as context but never exported as an indicator, whatever share of the network uses it.
    bool publicService = false;

    // The value as people read it: templates by their words and versioned fingerprint, the rest as they are.
    QString displayValue() const;
    // Accounts outside the network that use the value, and their share of all accounts outside the network.
    int outsideAccounts() const { return std::max(0, populationAccounts - memberAccounts); }
    double outsideShare() const;
    // Worth sharing as an indicator: used by at least two members, mostly by members, and by almost none of the
    // ordinary accounts (docs/INDICATORS.md, "What the export shares"). A popular SDK's user agent or a webmail
    // domain used by a few members of a small network fails the last test, so a partner's import does not match
    // ordinary accounts through it. A public webmail domain is never one.
    bool isIndicator() const;
};
// The largest share of the accounts outside a network that may use a value exported as the network's indicator.
constexpr double kMaxOutsideShare = 0.05;

struct NetworkInfrastructure
{
    std::vector<SharedValue> values; // by kind, then most members first
};

// Templates named in words per network, most used first: the indicators (the STIX export shares at most 50 of
// them) and a few others (the report shows up to 3 templates per network).
constexpr int kNamedTemplatesPerNetwork = 50;
constexpr int kNamedOtherTemplates = 3;

// Computes the shared values of each confirmed network: the members' requests
// through the (account, ts) index, then one streaming pass over all requests to
// count how many accounts of the population use each candidate value. The
// webmail domains are those of the findings' run (the defaults without a run).
// Caller's connection and thread; throws Cancelled.
std::vector<NetworkInfrastructure> computeInfrastructure(SqliteDb& db, const CaseFindings& findings,
                                                         const CancelToken& cancel);

// "203.0.113.0/24" for IPv4, the /48 for IPv6, empty if `ip` is not an address.
QString networkOf(const QString& ip);

} // namespace ds
