#pragma once

#include <QString>

#include <cstdint>
#include <optional>
#include <string_view>

// The prompt-template fingerprint Distillscope shares with other providers (STIX export and import): the xxh3-64
// of a request's prompt skeleton (text/PromptSkeleton.h), written as text with a version so that a receiver knows
// which way of computing it produced the value. docs/TEMPLATE_FINGERPRINT.md tells how to compute one from the
// prompt text, for another implementation to reproduce it. Pure functions: any thread.
namespace ds::templatefingerprint {

// The version this Distillscope computes. Raise it whenever the skeleton rules or the hash change, so that
// bundles made with the old rules are reported as unevaluable instead of silently matching nothing.
constexpr int kVersion = 1;

// The fingerprint of a request as the import stores it (request.skeleton_hash): the skeleton of the system prompt,
// a paragraph break, then the prompt's (just the prompt's when there is no system prompt), hashed.
std::uint64_t compute(std::string_view systemPrompt, std::string_view prompt);

// "ds-skeleton-v1:0123456789abcdef": the version, then the hash as 16 lower-case hex digits.
QString text(std::uint64_t skeletonHash);

// A fingerprint read from a partner's bundle.
struct Parsed
{
    std::optional<std::uint64_t> hash; // set when the value is of the version this Distillscope computes
    QString why;                       // otherwise why not, one phrase: "version 2 (this Distillscope computes version 1)"
};
// Accepts text() of kVersion and the bare 16 hex digits that exports before versioning wrote (same rules as
// version 1); anything else says why not.
Parsed parse(const QString& value);

} // namespace ds::templatefingerprint
