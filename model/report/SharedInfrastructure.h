#pragma once

#include "case/CaseFindings.h"

#include <QString>

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

    // Used by at least two members, and mostly by members: worth sharing as an indicator.
    bool isIndicator() const { return memberAccounts >= 2 && populationAccounts <= 2 * memberAccounts; }
};

struct NetworkInfrastructure
{
    std::vector<SharedValue> values; // by kind, then most members first
};

// Computes the shared values of each confirmed network: the members' requests
// through the (account, ts) index, then one streaming pass over all requests to
// count how many accounts of the population use each candidate value.
// Caller's connection and thread; throws Cancelled.
std::vector<NetworkInfrastructure> computeInfrastructure(SqliteDb& db, const std::vector<ConfirmedNetwork>& networks,
                                                         const CancelToken& cancel);

// "203.0.113.0/24" for IPv4, the /48 for IPv6, empty if `ip` is not an address.
QString networkOf(const QString& ip);

} // namespace ds
