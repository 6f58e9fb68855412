#pragma once

#include "detect/AccountProfile.h"

#include <cstdint>
#include <vector>

namespace ds {

struct DetectSettings;

// Near-duplicate template families from the request SimHash (64-bit SimHash of
// the prompt skeleton, computed at import). An attacker who varies a few words of
// its wrapper per request breaks the exact head/tail keys, but the requests of one
// wrapper still agree on most SimHash bits: the bits the wrapper's shingles decide.
//
// Per account (scan threads) only the recurring part is looked at: the SimHash is
// cut into bands; a band value that recurs in the account is a candidate, the
// bitwise majority of the requests carrying it is the candidate's centroid, close
// centroids merge, and a family is the requests within a Hamming radius of a
// centroid that end up heavy (DetectSettings::templateMinUses/Share). Memory: a
// few kilobytes per account. Across accounts (orchestrating thread) the families'
// centroids are banded again; centroids sharing a band and within a Hamming
// distance are one family (union-find), whose key replaces the local one.

// One near-duplicate group found among one account's requests.
struct LocalFamily
{
    std::uint64_t centroid = 0;
    std::uint32_t count = 0;
    std::int64_t sampleRequest = 0, firstTs = 0, lastTs = 0;
};

// Finds the heavy near-duplicate families of one account's requests (time order).
// `familyOf[i]` receives the family index of request i or -1. Pure: any thread.
std::vector<LocalFamily> findLocalFamilies(std::span<const RequestRow> rows, const DetectSettings& settings,
                                           std::vector<std::int8_t>& familyOf);

// Gives every family template of every profile the key of its cross-account
// family. Deterministic: the result depends only on the profiles' contents.
// Orchestrating thread.
void joinFamilies(std::vector<AccountProfile>& profiles, const DetectSettings& settings);

// The account's prompt profile from its requests: per SimHash bit, the share of
// requests with the bit set; bits whose share is clearly off one half (by
// profileMinBias and by two standard errors) make the mask. Accounts drawing from
// one prompt pool (a campaign's task list and wrappers, however varied word by
// word) agree on those bits; unrelated accounts agree on half. Pure: any thread.
void promptProfile(std::span<const RequestRow> rows, const DetectSettings& settings, std::uint64_t& mask,
                   std::uint64_t& value);

// Joins accounts with behaviour >= profileMinBehaviour whose prompt profiles agree (8 bands of 8 bits whose bits are all
// in the mask bucket candidates; confirmed when they agree on all but
// profileMaxMismatch of at least profileMinBits common bits) and gives each account
// of a group of two or more a template of kind Profile with the group's key (and
// its activeWindows as template windows). Orchestrating thread.
void joinProfiles(std::vector<AccountProfile>& profiles, const DetectSettings& settings);

// Hamming distance of two SimHashes.
inline int hamming64(std::uint64_t a, std::uint64_t b) { return __builtin_popcountll(a ^ b); }

} // namespace ds
