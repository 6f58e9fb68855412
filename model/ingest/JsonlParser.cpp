#include "ingest/JsonlParser.h"

#include "core/ShortEqual.h"
#include "ingest/DocumentReader.h"
#include "ingest/LineReader.h"
#include "ingest/FeatureStage.h"
#include "ingest/JsonArrayReader.h"
#include "ingest/JsonRecordExtractor.h"
#include "ingest/RecordBuilder.h"

#include <simdjson.h>

#include <optional>
#include <type_traits>
#include <string>
#include <utility>
#include <vector>

namespace ds {

namespace {

using namespace simdjson;

class JsonRecordReader
{
public:
    JsonRecordReader(const FieldMapping& mapping, RecordBuilder& builder)
        : m_mapping(mapping)
        , m_builder(builder)
    {
    }

    // Call before each record's readObject().
    void startRecord() { m_fieldOrdinal = 0; }

    // Reads one object's fields into the builder; returns an error description or empty.
    std::string readObject(ondemand::object obj, std::string& path)
    {
        for (auto field : obj) {
            std::string_view key;
            if (auto err = field.unescaped_key().get(key))
                return error_message(err);
            ondemand::value value;
            if (auto err = field.value().get(value))
                return error_message(err);
            const std::size_t base = path.size();
            if (base)
                path += '.';
            path.append(key);
            std::string why = readValue(value, path);
            path.resize(base);
            if (!why.empty())
                return why;
        }
        return {};
    }

private:
    std::string readValue(ondemand::value& value, std::string& path)
    {
        ondemand::json_type type;
        if (auto err = value.type().get(type))
            return error_message(err);
        const int rule = ruleFor(path);
        const std::string_view name = path;
        switch (type) {
        case ondemand::json_type::string: {
            std::string_view s;
            if (auto err = value.get_string().get(s))
                return error_message(err);
            if (rule >= 0)
                m_builder.setText(rule, s);
            else
                m_builder.addExtraText(name, s);
            return {};
        }
        case ondemand::json_type::number: {
            const std::string_view raw = trimmed(value.raw_json_token());
            ondemand::number num;
            if (auto err = value.get_number().get(num))
                return error_message(err);
            if (rule >= 0) {
                const bool isInt = num.is_int64();
                m_builder.setNumber(rule, num.as_double(), isInt, isInt ? num.get_int64() : 0, raw);
            } else {
                m_builder.addExtraJson(name, raw);
            }
            return {};
        }
        case ondemand::json_type::boolean: {
            bool b = false;
            if (auto err = value.get_bool().get(b))
                return error_message(err);
            if (rule >= 0)
                m_builder.setBool(rule, b);
            else
                m_builder.addExtraJson(name, b ? "true" : "false");
            return {};
        }
        case ondemand::json_type::null: {
            bool isNull = false;
            if (auto err = value.is_null().get(isNull))
                return error_message(err);
            if (rule < 0)
                m_builder.addExtraJson(name, "null");
            return {};
        }
        case ondemand::json_type::array: {
            ondemand::array arr;
            if (auto err = value.get_array().get(arr))
                return error_message(err);
            std::size_t count = 0;
            if (auto err = arr.count_elements().get(count))
                return error_message(err);
            std::string_view raw;
            if (auto err = arr.raw_json().get(raw))
                return error_message(err);
            if (rule >= 0)
                m_builder.setStructured(rule, trimmed(raw), static_cast<std::int64_t>(count));
            else
                m_builder.addExtraJson(name, trimmed(raw));
            return {};
        }
        case ondemand::json_type::object: {
            ondemand::object obj;
            if (auto err = value.get_object().get(obj))
                return error_message(err);
            if (m_mapping.isPathPrefix(path))
                return readObject(obj, path);
            std::string_view raw;
            if (auto err = obj.raw_json().get(raw))
                return error_message(err);
            if (rule >= 0)
                m_builder.setStructured(rule, trimmed(raw), -1);
            else
                m_builder.addExtraJson(name, trimmed(raw));
            return {};
        }
        }
        return "unknown JSON value type";
    }

    // The mapping rule of the field at `path`. Lines of one log name their
    // fields in the same order, so the n-th field's answer is remembered and
    // confirmed with one comparison instead of a search of all rules.
    int ruleFor(const std::string& path)
    {
        const std::size_t n = m_fieldOrdinal++;
        if (n < m_ruleCache.size() && shortEqual(m_ruleCache[n].first, path))
            return m_ruleCache[n].second;
        const int rule = m_mapping.ruleForSource(path);
        if (n < m_ruleCache.size())
            m_ruleCache[n] = {path, rule};
        else if (n == m_ruleCache.size() && n < kMaxCachedFields)
            m_ruleCache.emplace_back(path, rule);
        return rule;
    }

    static std::string_view trimmed(std::string_view s)
    {
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
            s.remove_suffix(1);
        return s;
    }

    static constexpr std::size_t kMaxCachedFields = 256; // a hostile line may have millions

    const FieldMapping& m_mapping;
    RecordBuilder& m_builder;
    std::vector<std::pair<std::string, int>> m_ruleCache; // by field ordinal in the record
    std::size_t m_fieldOrdinal = 0;
};

// The record a CloudWatch Logs event wraps: its member `name`, a string holding the record's JSON, copied unescaped
// into `out` (padded for simdjson). False, with `why`, when the event has no such string.
bool unwrapMessage(std::string_view event, const std::string& name, dom::parser& parser, std::string& out,
                   std::string_view& record, std::string& why)
{
    dom::element doc;
    std::string_view text;
    if (auto err = parser.parse(event.data(), event.size(), false).get(doc)) {
        why = std::string("broken JSON: ") + error_message(err);
        return false;
    }
    if (doc.at_key(name).get_string().get(text) != SUCCESS) {
        why = "an event without a \"" + name + "\" string (the record it should wrap)";
        return false;
    }
    out.assign(text);
    const std::size_t size = out.size();
    out.append(LineReader::kPadding, ' ');
    record = std::string_view(out.data(), size);
    return true;
}

bool isBlank(std::string_view s)
{
    for (char c : s)
        if (c != ' ' && c != '\t' && c != '\r')
            return false;
    return true;
}

} // namespace

void quarantineSourceDamage(const ByteSource& source, RecordBatch& batch, std::int64_t line)
{
    if (!source.damage().isEmpty())
        RecordBuilder::quarantine(batch, line, "the rest of the file is unreadable: " + source.damage().toStdString(), {});
}

namespace {

template <class Reader>
const char* cutShortNote()
{
    if constexpr (std::is_same_v<Reader, JsonArrayReader>)
        return " (the file ends inside this element of the array: truncated?)";
    else
        return " (last line of the file, without a line end: truncated?)";
}

// The loop over records, for JSON Lines (LineReader) and a JSON array document (JsonArrayReader) alike.
template <class Reader>
QString parseRecords(ParseJob& job, Reader& lines)
{
    ondemand::parser parser;
    RecordBuilder builder(job.kind, job.mapping);
    JsonRecordReader reader(job.mapping, builder);
    // Mappings that pick from arrays, read JSON strings or find many records in a line read a document per line.
    std::optional<JsonRecordExtractor> extractor;
    if (job.mapping.needsDocument())
        extractor.emplace(job.mapping, builder);
    auto batch = job.queue.recycle();
    std::string path;
    std::string_view line;
    std::int64_t lineNumber = 0;
    dom::parser eventParser;   // with job.messageMember: CloudWatch events
    std::string message;       // ... and the record one wraps
    std::string unwrapWhy;

    while (true) {
        const LineReader::Status st = lines.next(line, lineNumber);
        if (st == LineReader::Status::Error)
            return job.source.errorString();
        if (st == LineReader::Status::End || job.cancel.isCancelled())
            break;
        if (st == LineReader::Status::Oversized) {
            RecordBuilder::quarantine(*batch, lineNumber, lines.oversized().reason(lines.maxLineBytes()),
                                      lines.oversized().raw());
        } else if (isBlank(line)) {
            continue;
        } else if (!job.messageMember.empty() && !unwrapMessage(line, job.messageMember, eventParser, message, line, unwrapWhy)) {
            RecordBuilder::quarantine(*batch, lineNumber, unwrapWhy, line);
        } else if (extractor) {
            std::string why = extractor->extractLine(line, lineNumber, *batch);
            if (!why.empty()) {
                if (!lines.lastLineTerminated())
                    why += cutShortNote<Reader>();
                RecordBuilder::quarantine(*batch, lineNumber, why, line);
            }
        } else if (line.size() > parser.capacity() && parser.allocate(line.size()) != SUCCESS) {
            RecordBuilder::quarantine(*batch, lineNumber, "record too large to parse", line);
        } else {
            builder.begin(lineNumber);
            reader.startRecord();
            path.clear();
            ondemand::document doc;
            std::string why;
            auto err = parser.iterate(padded_string_view(line.data(), line.size(), line.size() + LineReader::kPadding))
                           .get(doc);
            ondemand::object obj;
            if (!err)
                err = doc.get_object().get(obj);
            if (err) {
                why = err == INCORRECT_TYPE ? "line is not a JSON object"
                      : err == UTF8_ERROR   ? "invalid UTF-8"
                                            : std::string("broken JSON: ") + error_message(err);
            } else {
                why = reader.readObject(obj, path);
                const char* trailing = nullptr;
                if (why.empty() && doc.current_location().get(trailing) == SUCCESS)
                    why = "broken JSON: text after the object";
                else if (!why.empty())
                    why = (why.find("UTF-8") != std::string::npos ? "invalid UTF-8: " : "broken JSON: ") + why;
            }
            if (!why.empty()) {
                if (!lines.lastLineTerminated())
                    why += cutShortNote<Reader>();
                RecordBuilder::quarantine(*batch, lineNumber, why, line);
            } else {
                builder.finish(*batch, line);
            }
        }
        if (batch->recordCount() >= job.batchRecords || batch->arena.size() >= job.batchBytes) {
            batch->rawBytesRead = job.source.rawBytesRead();
            computePromptFeatures(*batch, job.caseRequests, job.textPacking, job.featureCache);
            if (!job.queue.push(std::move(batch)))
                return {};
            batch = job.queue.recycle();
        }
    }
    if (!job.cancel.isCancelled())
        quarantineSourceDamage(job.source, *batch, lineNumber + 1);
    batch->rawBytesRead = job.source.rawBytesRead();
    if (batch->recordCount() > 0 || batch->skipped > 0) {
        computePromptFeatures(*batch, job.caseRequests, job.textPacking, job.featureCache);
        job.queue.push(std::move(batch));
    }
    return {};
}

} // namespace

QString parseJsonLines(ParseJob& job)
{
    if (job.wholeDocument) {
        DocumentReader document(job.source, job.maxRecordBytes);
        return parseRecords(job, document);
    }
    if (job.jsonArray) {
        JsonArrayReader elements(job.source, job.maxRecordBytes, job.recordsMember);
        return parseRecords(job, elements);
    }
    LineReader lines(job.source, job.maxRecordBytes);
    return parseRecords(job, lines);
}

} // namespace ds
