#pragma once

#include "ingest/FieldMapping.h"
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
        std::vector<Element> enclosing; // the elements of "[]" steps above it, outermost first
    };

    void collectRecords(Element at, std::size_t step, std::vector<Element>& enclosing, std::vector<Record>& out,
                        bool& pathFound);
    void readRecord(const Record& rec, std::int64_t lineNumber, std::size_t ordinal, std::size_t count,
                    std::string_view line, RecordBatch& batch);
    bool resolve(const MappingPath& path, const Record& rec, Element& out);
    bool stepInto(Element& cur, const PathStep& step);
    bool parsedJson(std::string_view text, Element& out);
    bool deliver(int ruleIndex, Field target, Element value, int depth);
    bool applySource(int ruleIndex, Field target, const FieldMapping::Source& src, const Record& rec);
    std::string& scratch();

    const FieldMapping& m_mapping;
    RecordBuilder& m_builder;
    simdjson::dom::parser m_lineParser;
    std::vector<std::unique_ptr<simdjson::dom::parser>> m_nested; // parsers of JSON strings, reused per record
    std::size_t m_nestedUsed = 0;
    std::vector<std::pair<const char*, Element>> m_parsedStrings; // this record's JSON strings already parsed
    std::string m_nestedText;                                     // padded copy of the string being parsed
    std::vector<std::unique_ptr<std::string>> m_scratch; // texts the builder keeps views of until finish()
    std::size_t m_scratchUsed = 0;
    std::vector<std::string> m_consumed; // first member names the rules read (not repeated in `extra`)
    std::int64_t m_turns = -1;
};

} // namespace ds
