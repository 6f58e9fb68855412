#pragma once

#include "ingest/LogFields.h"
#include "ingest/MappingPath.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

class QJsonObject;

namespace ds {

// How a source value becomes a canonical one.
enum class Convert : std::uint8_t {
    None,         // as it is (numbers given for text fields become their decimal text)
    EpochSeconds, // integer or decimal seconds -> epoch ms
    EpochMillis,
    EpochMicros,
    EpochNanos,
};

// What to take from the value a path reaches.
enum class Pick : std::uint8_t {
    Value,    // the value itself
    Text,     // the text of a message content: a string, or the text of a list of blocks or parts
    LastUser, // from a message array: the text of the last user turn (earlier turns are counted as "turns")
    System,   // from a message array: the text of every system (or developer) turn, joined by a blank line
};

// Maps another log's field names onto the canonical format. Loaded from a small
// JSON file (README, "Logs with other field names"; docs/LOG_FORMAT.md, "Mapping files"):
//
//   {"extends": "litellm",
//    "fields": {"account_id": {"first_of": ["end_user", "user", "api_key"]},
//               "timestamp": {"from": "startTime", "zone": "UTC"},
//               "prompt": {"from": "proxy_server_request.messages", "pick": "last_user"},
//               "endpoint": {"value": "/v1/messages"}}}
//
// A source path uses dots for nested JSON objects ("user.id"), [n] for an array
// element, {key} for an OpenTelemetry attribute; a path into a string holding
// JSON reads that JSON. In a CSV it is the column's literal name. Canonical
// fields that no rule names are still read from a source field of the same
// name. Source fields that no rule consumes are kept in the record's `extra`
// (only those listed in "keep", when it is given). Immutable once loaded: any thread may read it.
class FieldMapping
{
public:
    // One way to find a value; a rule tries its sources in order.
    struct Source
    {
        std::string path; // as written, empty for a constant
        MappingPath compiled;
        Pick pick = Pick::Value;
        bool parseJson = false; // a string value holds JSON: read that
        // With pick last_user or system: the path reaches a list of OpenTelemetry attributes holding the messages as
        // INDEXED.N.role and INDEXED.N.content (OpenLLMetry's gen_ai.prompt.0.role, ...), not a message array.
        // For tools (pick value): a list holding one object per N as INDEXED.N.FIELD (llm.request.functions.0.name).
        std::string indexed;
        // Put before the value read (pick value only): an account taken from a fallback field says where it came
        // from ("helicone-org:<uuid>"), so it cannot pass for a user id of the same text.
        std::string prefix;
        std::optional<std::string> constant;
    };
    struct Rule
    {
        Field target = Field::Unknown;
        std::string source; // the first source's path (what CSV columns and the streaming reader match)
        Convert convert = Convert::None;
        std::optional<std::string> constant; // the rule is one constant
        std::vector<Source> sources;         // first_of order; one for a simple rule
        std::optional<int> zoneMinutes;      // timestamps without an offset are read in this zone
        bool implicit = false;               // a canonical name read as itself, no rule naming it
    };
    // A record is read only when a value at one of `paths` is present (the first present one equals `equals`, when
    // given): "where": {"from": PATH} or {"first_of": [PATH, ...]}.
    struct Condition
    {
        std::vector<MappingPath> paths;
        std::vector<std::string> pathTexts; // as written, parallel to paths
        std::optional<std::string> equals;
    };

    // The identity mapping: canonical names only.
    FieldMapping();

    // Parses a mapping file; on failure returns nullopt and sets *error to one sentence.
    static std::optional<FieldMapping> fromFile(const QString& path, QString* error);
    static std::optional<FieldMapping> fromJson(const QByteArray& json, QString* error);

    bool isIdentity() const { return m_identity; }
    const std::vector<Rule>& rules() const { return m_rules; }
    // The mapping as compact JSON with any "extends" resolved, recorded with each file's provenance (empty for identity).
    QString toJson() const { return m_json; }
    // The preset it is or extends ("litellm"), empty for a mapping of its own or the identity.
    const QString& formatName() const { return m_formatName; }

    // Records are read from a document with paths, pick and first_of (JsonRecordExtractor),
    // not by the streaming reader that only renames plain members.
    bool needsDocument() const { return m_needsDocument; }
    // The path to the records inside a line ("resourceSpans[].scopeSpans[].spans[]"); empty: the line is the record.
    const MappingPath& recordsPath() const { return m_records; }
    const std::string& recordsPathText() const { return m_recordsText; }
    const std::optional<Condition>& where() const { return m_where; }
    // Unmapped fields kept in `extra` (name, path); empty with keepAll(): every unmapped member. A mapping
    // with "keep" reads only the fields its rules name (no canonical name is read as itself).
    const std::vector<std::pair<std::string, MappingPath>>& keep() const { return m_keep; }
    bool keepAll() const { return m_keepAll; }
    // Sets of field paths whose presence in a log's first lines says the log is in this format (preset files): every
    // path of one set present. "detect" gives one list of names, or a list of such lists for a format written in
    // several ways (Langfuse's snake_case blob export and its camelCase API).
    const std::vector<std::vector<std::string>>& detect() const { return m_detect; }

    // Rule index for a source path (CSV column name, or a JSON dotted path), or -1.
    int ruleForSource(std::string_view path) const;
    // True if some rule's source path starts with `prefix` + "." (a JSON object to descend into).
    bool isPathPrefix(std::string_view prefix) const;

    // Applies a rule's conversion to an epoch value given as a number.
    static std::optional<std::int64_t> toEpochMillis(double value, Convert c);
    // The same from the value's decimal text ("1769904043002000000", "1769904043.5"), exactly: a double holds
    // nanoseconds since 1970 only to 256 ns, so one in eight whole milliseconds would come out a millisecond early.
    // Nullopt for anything but [digits][.digits] (exponents, signs: the caller falls back to the double).
    static std::optional<std::int64_t> decimalToEpochMillis(std::string_view text, Convert c);

private:
    void addIdentityRules();
    static std::optional<FieldMapping> fromObject(const QJsonObject& root, QString* error, int depth);

    std::vector<Rule> m_rules;
    std::vector<std::string> m_prefixes; // every proper dotted prefix of a plain rule's source path
    bool m_identity = true;
    bool m_needsDocument = false;
    MappingPath m_records;
    std::string m_recordsText;
    std::optional<Condition> m_where;
    std::vector<std::pair<std::string, MappingPath>> m_keep;
    bool m_keepAll = true;
    std::vector<std::vector<std::string>> m_detect;
    QString m_formatName;
    QString m_json;
};

} // namespace ds
