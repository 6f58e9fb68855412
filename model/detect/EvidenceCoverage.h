#pragma once

#include "detect/AccountProfile.h"

#include <QString>

#include <array>
#include <cstdint>
#include <vector>

namespace ds {

class SqliteDb;
struct CaseSnapshot;

// Which kinds of evidence the case's logs carry, over the accounts detection read. Client IPs, user agents and API
// keys come with the requests; sign-up e-mail domains, payment fingerprints and creation times with an accounts
// file. Gateway and cloud logs lack some (Helicone, Langfuse and Bedrock log no client IP or user agent, Bedrock and
// Langfuse no API key): detection then rests on what is left, and the reasons and the report's method section say
// which kinds were not available (issue 14). Plain value: any thread.
struct EvidenceCoverage
{
    enum class Kind : std::uint8_t { ClientIp, UserAgent, ApiKey, EmailDomain, Payment, SignUp };
    static constexpr int kKindCount = 6;
    static const char* key(Kind k); // "client_ip", ... as stored

    std::int64_t accounts = 0;                  // accounts with requests
    std::array<std::int64_t, kKindCount> known{}; // of them, how many have the kind (API keys: all or none, see measure)

    std::int64_t knownOf(Kind k) const { return known[static_cast<std::size_t>(k)]; }
    bool missing(Kind k) const { return accounts > 0 && knownOf(k) == 0; }
    // Known for some accounts but fewer than kPartialShare of them (a second log file without the field, say).
    bool partial(Kind k) const;
    static constexpr double kPartialShare = 0.9;

    // From the scanned profiles and the accounts of the snapshot. API keys are not read by the scan (detection does
    // not link by key): they count as known for every account when any request of the case has one.
    static EvidenceCoverage measure(const std::vector<AccountProfile>& profiles, const CaseSnapshot& snapshot,
                                    SqliteDb& db);

    // What was not available and what detection rested on instead, in one or two sentences ("These logs carry no
    // client IP address and no user agent: infrastructure links rest on payment fingerprints, e-mail domains and
    // sign-up times."); empty when every kind is known for (nearly) every account.
    QString gapsSentence() const;

    // Kept with a detection run (table evidence_coverage), for the reasons' readers and the report.
    void store(SqliteDb& db, std::int64_t run) const;
    // The coverage of a run; accounts == 0 when the run (or the case, made before the table existed) has none.
    static EvidenceCoverage load(SqliteDb& db, std::int64_t run);
};

} // namespace ds
