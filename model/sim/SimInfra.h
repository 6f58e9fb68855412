#pragma once

#include "sim/SimRandom.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ds {

// Makers of the infrastructure values a gateway log carries: public-looking
// addresses from a fixed deterministic generator, e-mail domains, payment
// fingerprints, identifiers and user agents. Pure functions of the generator
// passed in: any thread, one SimRng per caller.
namespace siminfra {

// A random IPv4 address outside private, reserved, multicast and documentation ranges.
std::uint32_t publicIpv4(SimRng& rng);
// A random /24 network (address with the last byte zero) outside reserved ranges.
std::uint32_t publicSubnet24(SimRng& rng);
std::string ipv4Text(std::uint32_t addr);
// A public-looking IPv6 address in a consumer ISP-like /48 drawn from `rng`.
std::string ipv6Text(SimRng& rng);

// Letters and digits, `n` characters: request ids, account ids, keys.
std::string base62(SimRng& rng, int n);
std::string hex(SimRng& rng, int n);

// A sign-up e-mail domain of an ordinary customer (webmail, company, university).
std::string benignEmailDomain(SimRng& rng);
// A company's own domain, e.g. for an enterprise or reseller account.
std::string companyDomain(SimRng& rng);
// A disposable e-mail domain of the kind bulk sign-ups use.
std::string throwawayDomain(SimRng& rng);

// Billing country (ISO 3166-1 alpha-2) of an ordinary customer, weighted by a plausible market mix.
std::string benignCountry(SimRng& rng);
std::string anyCountry(SimRng& rng);

// SDK user agents of developers, popular versions weighted up (many unrelated users share them).
std::string sdkUserAgent(SimRng& rng);
// Desktop or mobile chat apps that call the API with a user's key.
std::string appUserAgent(SimRng& rng);
// A popular SDK version (what a NAT group's members mostly run).
std::string popularSdkUserAgent(SimRng& rng);

// UTC offset in hours of a customer (weighted towards the Americas, Europe and Asia).
int benignUtcOffsetHours(SimRng& rng);

} // namespace siminfra
} // namespace ds
