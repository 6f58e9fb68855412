#pragma once

#include "ingest/LogFields.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ds {

// How a source value becomes a canonical one.
enum class Convert : std::uint8_t {
    None,         // as it is (numbers given for text fields become their decimal text)
    EpochSeconds, // integer or decimal seconds -> epoch ms
    EpochMillis,
    EpochMicros,
    EpochNanos,
};

// Maps another log's field names onto the canonical format. Loaded from a small
// JSON file:
//
//   {"fields": {"account_id": "user.id",
//               "timestamp": {"from": "created", "convert": "epoch_s"},
//               "endpoint": {"value": "/v1/messages"}}}
//
// A source path uses dots for nested JSON objects ("user.id"); in a CSV it is
// the column's literal name. Canonical fields that no rule names are still read
// from a source field of the same name. Source fields that no rule consumes are
// kept in the record's `extra`. Immutable once loaded: any thread may read it.
class FieldMapping
{
public:
    struct Rule
    {
        Field target = Field::Unknown;
        std::string source;   // dotted path, empty for a constant
        Convert convert = Convert::None;
        std::optional<std::string> constant;
    };

    // The identity mapping: canonical names only.
    FieldMapping();

    // Parses a mapping file; on failure returns nullopt and sets *error to one sentence.
    static std::optional<FieldMapping> fromFile(const QString& path, QString* error);
    static std::optional<FieldMapping> fromJson(const QByteArray& json, QString* error);

    bool isIdentity() const { return m_identity; }
    const std::vector<Rule>& rules() const { return m_rules; }
    // The mapping as compact JSON, recorded with each file's provenance (empty for identity).
    QString toJson() const { return m_json; }

    // Rule index for a source path (CSV column name, or a JSON dotted path), or -1.
    int ruleForSource(std::string_view path) const;
    // True if some rule's source path starts with `prefix` + "." (a JSON object to descend into).
    bool isPathPrefix(std::string_view prefix) const;

    // Applies a rule's conversion to an epoch value given as a number.
    static std::optional<std::int64_t> toEpochMillis(double value, Convert c);

private:
    void addIdentityRules();

    std::vector<Rule> m_rules;
    std::vector<std::string> m_prefixes; // every proper dotted prefix of a rule's source path
    bool m_identity = true;
    QString m_json;
};

} // namespace ds
