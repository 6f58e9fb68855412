#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

// Reads a partner's STIX 2.1 bundle: checks that it is one (type "bundle", an "objects" array, every indicator
// with its required properties) and takes out the indicators with their producer, validity window and confidence.
// A malformed bundle is refused whole with one sentence; an indicator whose pattern is not STIX patterning is
// kept, and PatternPlan later says it cannot be evaluated. Bounded: a bundle over kMaxBundleBytes or with more
// than kMaxObjects objects is refused before it is parsed. Pure functions: any thread.
namespace ds::indicators {

constexpr qsizetype kMaxBundleBytes = 64 * 1024 * 1024;
constexpr int kMaxObjects = 200000;

struct PartnerIndicator
{
    QString stixId;      // "indicator--…"
    QString name;        // may be empty
    QString pattern;
    QString patternType; // "stix" for what Distillscope can evaluate
    QString producer;    // name of the created_by_ref identity; empty when the bundle does not say
    std::int64_t validFrom = 0;                 // epoch ms
    std::optional<std::int64_t> validUntil;     // epoch ms
    std::optional<int> confidence;              // 0..100
};

struct Bundle
{
    QString stixId;    // "bundle--…"
    QString sha256;    // of the bytes as read
    QString producer;  // the identity most indicators name, for the bundle as a whole; empty when none
    int objects = 0;
    std::vector<PartnerIndicator> indicators;
};

struct ReadResult
{
    std::optional<Bundle> bundle;
    QString refusal; // one sentence when the bundle was refused
};

ReadResult readBundle(const QByteArray& bytes);
// Reads the file first (refusing a missing, unreadable or oversized one with a sentence).
ReadResult readBundleFile(const QString& path);

} // namespace ds::indicators
