#pragma once

#include "ingest/FieldMapping.h"
#include "ingest/OtelValues.h"
#include "ingest/RecordBatch.h"
#include "ingest/RecordBuilder.h"

#include <simdjson.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ds {

// Reads JSON Lines with a mapping that needs the whole document (FieldMapping::needsDocument):
// paths with array steps and OpenTelemetry attributes, strings holding JSON, messages picked
// from arrays, first_of, and many records in one line ("records"), each finished or
// quarantined on its own. One line is parsed once into simdjson's DOM; a JSON string read
// by several rules is parsed once per record. One instance per parser thread.
class JsonRecordExtractor
{
public:
    JsonRecordExtractor(const FieldMapping& mapping, RecordBuilder& builder);

    // Reads the records of one line into `batch`. `line` must have LineReader::kPadding readable
    // bytes after it. Returns empty, or why the line as a whole cannot be read (nothing was added).
    std::string extractLine(std::string_view line, std::int64_t lineNumber, RecordBatch& batch);

private:
    using Element = simdjson::dom::element;
    struct Record
    {
        Element value;
        // The elements of "[]" steps above it, outermost first: m_enclosingPool[enclosingAt, + enclosingCount).
        std::uint32_t enclosingAt = 0;
        std::uint32_t enclosingCount = 0;
    };

    void collectRecords(Element at, std::size_t step, bool& pathFound);
    void readRecord(const Record& rec, std::int64_t lineNumber, std::size_t ordinal, std::size_t count,
                    std::string_view line, RecordBatch& batch);
    // Where a path starts in the record's indexes (indexRoot): its first member, and the {key} step after it.
    struct Start
    {
        int root = -1; // index into m_rootNames, -1: step from the record
        int kv = -1;   // index into m_kvKeys, -1: no {key} step indexed
    };
    bool resolve(const MappingPath& path, const Record& rec, Element& out, Start start);
    Start startOf(const MappingPath& path);
    void indexRoot(Element record);
    void indexKeyValues(std::size_t root);
    bool stepInto(Element& cur, const PathStep& step);
    bool parsedJson(std::string_view text, Element& out);
    bool deliver(int ruleIndex, Field target, Element value, int depth);
    bool applySource(int ruleIndex, Field target, const FieldMapping::Source& src, Start start, const Record& rec);
    // A pick from messages written as numbered OpenTelemetry attributes (FieldMapping::Source::indexed).
    bool applyIndexed(int ruleIndex, const FieldMapping::Source& src, Element attributes);
    bool indexedContent(const otel::IndexedMessage& m, std::string& out);
    // Tools offered written as numbered attributes (OpenLLMetry's llm.request.functions.N.*): a JSON array, counted.
    bool indexedObjects(int ruleIndex, const FieldMapping::Source& src, simdjson::dom::array list);
    std::string& scratch();

    // What a rule makes of a JSON string depends on the string alone, and a log repeats the same few: a client sends
    // its tool definitions and system instructions with every request (an OTLP file of 52,000 spans holds 88
    // distinct gen_ai.tool.definitions, 25 MB of them). Remembered by content across records, the string is hashed
    // and compared instead of parsed again. Direct-mapped, bounded: kMemoSlots entries of at most kMaxMemoText.
    enum class MemoKind : std::uint8_t { ToolCount, ContentText };
    struct Memo
    {
        std::uint64_t hash = 0;
        MemoKind kind = MemoKind::ToolCount;
        bool used = false;
        std::string text;        // the JSON string, as the log wrote it
        std::int64_t count = -1; // ToolCount: elements of the array, -1: not a JSON array
        std::string result;      // ContentText: the text picked
    };
    static constexpr std::size_t kMemoSlots = 64;
    static constexpr std::size_t kMaxMemoText = 64 << 10;
    // The slot remembering `text` for `kind`, or null when there is none; `slot` is where to remember it.
    const Memo* recall(MemoKind kind, std::string_view text, std::size_t& slot);
    void remember(std::size_t slot, MemoKind kind, std::string_view text, std::int64_t count, std::string_view result);
    std::vector<Memo> m_memo = std::vector<Memo>(kMemoSlots);

    const FieldMapping& m_mapping;
    RecordBuilder& m_builder;
    simdjson::dom::parser m_lineParser;
    std::vector<std::unique_ptr<simdjson::dom::parser>> m_nested; // parsers of JSON strings, reused per record
    std::size_t m_nestedUsed = 0;
    std::vector<std::pair<const char*, Element>> m_parsedStrings; // this record's JSON strings already parsed
    // This line's records, and the chains of elements enclosing them (shared by the records of one list); reused.
    std::vector<Record> m_records;
    std::vector<Element> m_enclosing;     // the chain above the list being walked
    std::vector<Element> m_enclosingPool; // the chains the records name
    std::string m_nestedText;                                     // padded copy of the string being parsed
    std::vector<std::unique_ptr<std::string>> m_scratch; // texts the builder keeps views of until finish()
    std::size_t m_scratchUsed = 0;
    std::vector<std::string> m_consumed; // first member names the rules read (not repeated in `extra`)
    std::int64_t m_turns = -1;

    // The members of a record's object that paths start from, found in one pass over the object: a record has tens
    // of members and a mapping reads most of them, so one at_key() per rule would scan the object again each time.
    // Likewise the {key} elements of a list member (OpenTelemetry's attributes: a span has tens, a mapping reads
    // most): found in one pass over the list.
    std::vector<std::string> m_rootNames;          // distinct first members of the mapping's paths
    std::vector<std::pair<int, std::string>> m_kvKeys; // distinct (root, key) of paths "member{key}..."
    std::vector<std::vector<int>> m_kvOfRoot;      // root -> its indexes into m_kvKeys
    std::vector<std::vector<Start>> m_sourceStarts; // [rule][source]
    std::vector<Start> m_keepStarts;               // parallel to mapping.keep()
    std::vector<std::string> m_keepKeys;           // ... their names as JSON string literals
    std::vector<Start> m_whereStarts;             // parallel to mapping.where()->paths
    std::vector<otel::IndexedMessage> m_indexed;   // this record's numbered messages, reused
    std::vector<otel::IndexedField> m_indexedFields; // this record's numbered objects, reused
    simdjson::dom::parser m_fieldParser;           // checks a numbered field's JSON string, reused
    std::string m_fieldText;                       // padded copy of it
    std::vector<Element> m_rootValues;             // this record's value of each root name
    std::vector<std::uint8_t> m_rootFound;         // ... and whether it has one
    bool m_rootIndexed = false;                    // the record is an object and was indexed
    std::vector<Element> m_kvItems;                // this record's {"key", "value"} object of each m_kvKeys
    std::vector<std::uint8_t> m_kvFound;           // ... and whether it has one (2: matched by its "key")
    std::vector<std::uint8_t> m_kvIndexed;         // per root: its value is a list and was indexed
    std::vector<std::pair<std::string, int>> m_slotByOrdinal; // records of a log name their members in one order
    struct KvCacheEntry
    {
        std::string key;
        int slot = -1;
        std::uint32_t prefixBits = 0; // the numbered prefixes (m_prefixesOfRoot) the key is under
    };
    std::vector<std::vector<KvCacheEntry>> m_kvByOrdinal; // per root: ... and their attributes, mostly

    // Numbered attributes ("indexed" sources: gen_ai.prompt.N.*, llm.request.functions.N.*) are found by a pass over
    // the whole list; most spans have none of a prefix the mapping tries, and the pass that indexes the list notes
    // which prefixes occur, so such a source is passed over at once.
    std::vector<std::vector<std::pair<std::string, int>>> m_prefixesOfRoot; // per root: (prefix, bit)
    std::vector<std::vector<int>> m_sourcePrefixBit;                        // [rule][source]: bit, or -1
    std::vector<std::uint32_t> m_prefixSeen;                                // per root: bits of this record's keys
};

} // namespace ds
