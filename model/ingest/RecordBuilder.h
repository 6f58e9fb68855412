#pragma once

#include "ingest/FieldMapping.h"
#include "ingest/LogFields.h"
#include "ingest/RecordBatch.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace ds {

// Collects the field values of one record from a parser (JSON or CSV), checks
// the required ones, converts types, and appends either a normalised row or a
// quarantine entry to a batch. Values of the wrong type for an optional field
// are not lost: they go to the record's `extra` under their source name.
// Ids of repeated values are filled later, for the whole batch (Interner).
// One instance per parser thread.
class RecordBuilder
{
public:
    RecordBuilder(RecordKind kind, const FieldMapping& mapping);

    void begin(std::int64_t line);
    // The set*() calls keep views of the text given: it must stay valid until
    // finish() (both parsers hand over views into their current record).

    // A value read as text: a JSON string or a CSV cell.
    void setText(int ruleIndex, std::string_view text);
    // A value read as a JSON number; `rawJson` is its literal text.
    void setNumber(int ruleIndex, double value, bool isInteger, std::int64_t asInteger,
                   std::string_view rawJson);
    // A JSON boolean (for `verified`).
    void setBool(int ruleIndex, bool value);
    // A JSON array or object value for a field (only `tools` takes one); `elements`
    // is the array's length.
    void setStructured(int ruleIndex, std::string_view rawJson, std::int64_t elements);
    // A field the format does not know, as JSON text (kept in `extra`).
    void addExtraJson(std::string_view key, std::string_view rawJson);
    // A CSV cell the format does not know (escaped into `extra` as a JSON string).
    void addExtraText(std::string_view key, std::string_view text);
    // As addExtraText(), the key given already as a JSON string literal (appendJsonString): a mapping's kept names
    // are the same for every record, so they are escaped once.
    void addExtraTextQuotedKey(std::string_view quotedKey, std::string_view text);

    // Finishes the record. Returns false (and quarantines `raw`) when a required
    // field is missing or unreadable.
    bool finish(RecordBatch& batch, std::string_view raw);
    // Quarantines a record that could not even be parsed.
    static void quarantine(RecordBatch& batch, std::int64_t line, std::string_view reason, std::string_view raw);

private:
    struct Value
    {
        bool set = false;
        std::string_view text;   // text, or the decimal text of a number
        bool isNumber = false;
        double number = 0;
        bool isInteger = false;
        std::int64_t integer = 0;
        int boolean = -1;
        std::int64_t elements = -1; // array length for tools
        std::string_view source;    // the source field's name (in the mapping), for `extra` if the type is wrong
    };
    Value& touch(Field f)
    {
        const std::uint32_t bit = 1u << static_cast<unsigned>(f);
        // A field set twice in one record is a duplicate key in the source: no rule reads one field from two places.
        if ((m_touched & bit) && m_values[static_cast<size_t>(f)].set && m_duplicate == Field::Unknown)
            m_duplicate = f;
        m_touched |= bit;
        return m_values[static_cast<size_t>(f)];
    }

    void applyConstants();
    // Why a required field is missing, naming the source fields the mapping tried ("no account: end_user, user
    // and api_key are all empty or absent"); the canonical format's own names say "missing required field X".
    std::string missingReason(Field f) const;
    void putExtraRaw(std::string_view key, std::string_view rawJson);
    bool integerOf(Field f, std::int64_t& out);
    TextRef textOf(RecordBatch& batch, Field f);
    bool timestampOf(Field f, std::int64_t& out, std::string& why);
    static bool plausible(std::int64_t ms, std::string& why);

    RecordKind m_kind;
    const FieldMapping& m_mapping;
    std::int64_t m_line = 0;
    std::array<Value, kFieldCount> m_values;
    std::uint32_t m_touched = 0; // bit f: m_values[f] was set in this record
    static_assert(kFieldCount <= 32);
    std::array<Convert, kFieldCount> m_convert{};
    std::array<std::optional<int>, kFieldCount> m_zone{}; // minutes east of UTC for timestamps without an offset
    std::string m_extra; // JSON object body being built: "k":v,"k":v
    Field m_duplicate = Field::Unknown; // the first field given twice in this record
};

} // namespace ds
