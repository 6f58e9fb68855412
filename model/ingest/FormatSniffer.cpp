#include "ingest/FormatSniffer.h"

#include "ingest/ByteSource.h"
#include "ingest/JsonArrayReader.h"
#include "ingest/LogFormats.h"
#include "ingest/LongFirstRecord.h"
#include "ingest/PartialJsonKeys.h"

#include <simdjson.h>

#include <set>
#include <string>
#include <vector>

namespace ds {

namespace {

constexpr std::int64_t kSampleBytes = 256 << 10;

void collectKeys(simdjson::dom::object obj, const std::string& prefix, std::set<std::string>& keys, int depth)
{
    for (auto [key, value] : obj) {
        std::string path = prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
        if (depth < 4 && value.is_object())
            collectKeys(value.get_object().value_unsafe(), path, keys, depth + 1);
        keys.insert(std::move(path));
    }
}

std::vector<std::string> splitCsvHeader(std::string_view line)
{
    std::vector<std::string> out(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c == '"') {
            if (quoted && i + 1 < line.size() && line[i + 1] == '"') {
                out.back() += '"';
                ++i;
            } else {
                quoted = !quoted;
            }
        } else if (c == ',' && !quoted) {
            out.emplace_back();
        } else {
            out.back() += c;
        }
    }
    for (std::string& s : out) {
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
            s.pop_back();
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
            s.erase(0, 1);
    }
    return out;
}

// Which source name the mapping reads a canonical field from (the first rule for it).
std::vector<std::string> sourcesFor(const FieldMapping& mapping, Field f)
{
    std::vector<std::string> out;
    for (const auto& r : mapping.rules())
        if (r.target == f && !r.constant)
            out.push_back(r.source);
    return out;
}

bool hasConstant(const FieldMapping& mapping, Field f)
{
    for (const auto& r : mapping.rules())
        if (r.target == f && r.constant)
            return true;
    return false;
}

bool containsAny(const std::set<std::string>& keys, const std::vector<std::string>& names)
{
    for (const auto& n : names)
        if (keys.count(n))
            return true;
    return false;
}

// account_id and an account field without any request field, as the mapping names them: an accounts record.
bool onlyAccountFields(const std::set<std::string>& keys, const FieldMapping& mapping)
{
    auto any = [&](std::initializer_list<Field> fields) {
        for (Field f : fields)
            if (hasConstant(mapping, f) || containsAny(keys, sourcesFor(mapping, f)))
                return true;
        return false;
    };
    return any({Field::AccountId})
           && any({Field::CreatedAt, Field::EmailDomain, Field::PaymentFingerprint, Field::BillingCountry, Field::Tier,
                   Field::Verified})
           && !any({Field::RequestId, Field::Timestamp, Field::Prompt, Field::SystemPrompt, Field::Model, Field::Endpoint,
                    Field::Ip, Field::UserAgent, Field::ApiKeyId, Field::PromptTokens, Field::CompletionTokens,
                    Field::MaxTokens, Field::StopReason, Field::LatencyMs, Field::Tools});
}

// Whether an array member whose records carry `keys` holds requests we read (a preset's fields, or the mapping's
// request id); if so, sets `r` to read that member's elements as the records. Shared by the JSON-pages and
// CloudWatch sniffs, which differ only in how they find each record.
bool acceptRecordsMember(const std::set<std::string>& keys, const FieldMapping& mapping, bool detectPresets,
                         const std::vector<std::string>& requestIdSources, std::string_view memberName, SniffResult& r)
{
    QString format;
    if (detectPresets && mapping.isIdentity())
        format = logformats::presetForKeys(std::vector<std::string>(keys.begin(), keys.end()));
    if (format.isEmpty() && !containsAny(keys, requestIdSources))
        return false;
    if (!format.isEmpty())
        r.logFormat = format;
    r.ok = true;
    r.format = SniffResult::Format::JsonLines;
    r.kind = RecordKind::Requests;
    r.jsonArray = true;
    r.recordsMember = std::string(memberName);
    r.refusal.clear();
    return true;
}

// Whether `doc` (the start of a document that begins with '{') is an object wrapping the records in one of its array
// members, as a paginated list API returns a page: the member whose elements hold what identifies a request (a
// preset's detect fields, or the mapping's request_id source). Sets `r` to read it so. Formats whose records sit
// inside the line itself ("records": OTLP's batches) are never wrapped.
bool sniffWrapper(std::string_view doc, const FieldMapping& mapping, bool detectPresets, SniffResult& r)
{
    if (!mapping.recordsPath().steps.empty())
        return false;
    const auto requestIdSources = sourcesFor(mapping, Field::RequestId);
    simdjson::dom::parser parser;
    for (const JsonArrayReader::Member& member : JsonArrayReader::arrayMembers(doc, 200)) {
        std::set<std::string> keys;
        for (std::string_view element : member.elements) {
            simdjson::dom::element parsed;
            if (parser.parse(element.data(), element.size()).get(parsed) == simdjson::SUCCESS && parsed.is_object())
                collectKeys(parsed.get_object().value_unsafe(), {}, keys, 0);
        }
        if (acceptRecordsMember(keys, mapping, detectPresets, requestIdSources, member.name, r))
            return true;
    }
    return false;
}

// Whether `doc` (a document that begins with '{') is CloudWatch Logs output wrapping records as JSON strings: an array
// member of events whose "message" holds a record in a format we read (`aws logs filter-log-events` or
// `get-log-events` of a Bedrock invocation log group: {"events": [{"timestamp": ..., "message": "{...}"}]}). Sets `r`
// to read each event's message as the record.
bool sniffEvents(std::string_view doc, const FieldMapping& mapping, bool detectPresets, SniffResult& r)
{
    const auto requestIdSources = sourcesFor(mapping, Field::RequestId);
    simdjson::dom::parser eventParser;
    simdjson::dom::parser recordParser;
    for (const JsonArrayReader::Member& member : JsonArrayReader::arrayMembers(doc, 200)) {
        std::set<std::string> keys;
        int wrapped = 0;
        for (std::string_view element : member.elements) {
            simdjson::dom::element event;
            std::string_view message;
            if (eventParser.parse(element.data(), element.size()).get(event) != simdjson::SUCCESS
                || event.at_key("message").get_string().get(message) != simdjson::SUCCESS)
                continue;
            simdjson::dom::element record;
            if (recordParser.parse(message.data(), message.size()).get(record) == simdjson::SUCCESS && record.is_object()) {
                ++wrapped;
                collectKeys(record.get_object().value_unsafe(), {}, keys, 0);
            }
        }
        if (wrapped == 0)
            continue;
        if (acceptRecordsMember(keys, mapping, detectPresets, requestIdSources, member.name, r)) {
            r.messageMember = "message";
            return true;
        }
    }
    return false;
}

// Whether `doc` (a document that begins with '{' and is not JSON Lines) is one JSON object over many lines that we
// read whole: an OTLP ExportTraceServiceRequest saved pretty-printed, or a single record. Only the names before the
// sample's end tell when `truncated`.
bool sniffDocument(std::string_view doc, bool truncated, const FieldMapping& mapping, bool detectPresets, SniffResult& r)
{
    std::set<std::string> keys;
    if (truncated) {
        keys = partialJsonKeys(doc);
    } else {
        simdjson::dom::parser parser;
        simdjson::dom::element parsed;
        if (parser.parse(doc.data(), doc.size()).get(parsed) != simdjson::SUCCESS || !parsed.is_object())
            return false;
        collectKeys(parsed.get_object().value_unsafe(), {}, keys, 0);
    }
    QString format;
    if (detectPresets && mapping.isIdentity())
        format = logformats::presetForKeys(std::vector<std::string>(keys.begin(), keys.end()));
    if (format.isEmpty() && !mapping.needsDocument() && !hasConstant(mapping, Field::RequestId)
        && !containsAny(keys, sourcesFor(mapping, Field::RequestId)))
        return false;
    if (!format.isEmpty())
        r.logFormat = format;
    r.ok = true;
    r.format = SniffResult::Format::JsonLines;
    r.kind = RecordKind::Requests;
    r.wholeDocument = true;
    r.refusal.clear();
    return true;
}

bool isJsonObject(std::string_view text)
{
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    return parser.parse(text.data(), text.size()).get(doc) == simdjson::SUCCESS && doc.is_object();
}

} // namespace

SniffResult sniffLogFile(const QString& path, const FieldMapping& mapping, bool detectPresets)
{
    ByteSource src(path);
    return sniffLogSource(src, mapping, false, detectPresets);
}

namespace {

SniffResult sniffSource(ByteSource& src, const FieldMapping& mapping, bool giveBack, bool detectPresets)
{
    SniffResult r;
    r.logFormat = mapping.isIdentity()             ? QStringLiteral("canonical")
                  : !mapping.formatName().isEmpty() ? mapping.formatName()
                                                    : QStringLiteral("mapping");
    if (!src.isOpen()) {
        r.refusal = QStringLiteral("cannot be opened: %1").arg(src.errorString());
        return r;
    }
    r.gzip = src.isGzip();
    std::string sample(static_cast<std::size_t>(kSampleBytes), '\0');
    std::int64_t got = 0;
    while (got < kSampleBytes) {
        const std::int64_t n = src.read(sample.data() + got, kSampleBytes - got);
        if (n < 0) {
            r.refusal = QStringLiteral("cannot be read: %1").arg(src.errorString());
            return r;
        }
        if (n == 0)
            break;
        got += n;
    }
    sample.resize(static_cast<std::size_t>(got));
    if (giveBack)
        src.unread(sample);
    const bool truncatedSample = got == kSampleBytes;
    if (sample.size() >= 3 && sample.compare(0, 3, "\xEF\xBB\xBF") == 0)
        sample.erase(0, 3);
    if (sample.find_first_not_of(" \t\r\n") == std::string::npos) {
        if (!src.damage().isEmpty()) {
            r.refusal = QStringLiteral("holds no readable records: %1").arg(src.damage());
            return r;
        }
        r.refusal = src.fileSize() == 0 ? QStringLiteral("is empty") : QStringLiteral("holds no records (only blank lines)");
        return r;
    }
    if (sample.find('\0') != std::string::npos) {
        // A few NUL bytes are damaged records (quarantined when read, wherever they are
        // in the file); many make a binary file, or UTF-16 text without its byte-order mark.
        std::size_t nuls = 0, oddNuls = 0, controls = 0;
        for (std::size_t i = 0; i < sample.size(); ++i) {
            const auto c = static_cast<unsigned char>(sample[i]);
            if (c == 0) {
                ++nuls;
                oddNuls += i & 1;
            }
            controls += (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
        }
        const std::size_t pairs = sample.size() / 2;
        const bool textBesideNuls = (controls - nuls) * 100 <= sample.size();
        if (pairs >= 8 && textBesideNuls && (oddNuls * 10 > pairs * 4 || (nuls - oddNuls) * 10 > pairs * 4)) {
            r.refusal = QStringLiteral("looks like UTF-16 text without a byte-order mark; save it as UTF-8 (or UTF-16 "
                                       "with a byte-order mark) and import it again");
            return r;
        }
        if (controls * 100 > sample.size()) {
            r.refusal = QStringLiteral("is a binary file, not a JSON Lines or CSV log");
            return r;
        }
    }

    // Complete lines of the sample (the last one may be cut by the sample size).
    std::vector<std::string_view> lines;
    std::string_view rest(sample);
    while (!rest.empty()) {
        // A line ends at LF, CRLF or a lone CR, as LineReader reads it.
        const std::size_t nl = rest.find_first_of("\r\n");
        if (nl == std::string_view::npos || (rest[nl] == '\r' && nl + 1 == rest.size() && truncatedSample)) {
            if (!truncatedSample && rest.find('\0') == std::string_view::npos)
                lines.push_back(rest);
            break;
        }
        // A line holding NUL is a damaged record, not a sign of the format.
        if (rest.substr(0, nl).find('\0') == std::string_view::npos)
            lines.push_back(rest.substr(0, nl));
        const bool crlf = rest[nl] == '\r' && nl + 1 < rest.size() && rest[nl + 1] == '\n';
        rest.remove_prefix(nl + (crlf ? 2 : 1));
    }
    std::string_view first;
    for (std::string_view l : lines)
        if (l.find_first_not_of(" \t") != std::string_view::npos) {
            first = l;
            break;
        }
    if (first.empty() && truncatedSample && sample[sample.find_first_not_of(" \t\r\n")] == '['
        && !JsonArrayReader::leadingElements(sample, 1).empty()) {
        first = std::string_view(sample).substr(sample.find_first_not_of(" \t\r\n")); // a JSON array on one long line
    } else if (first.empty() && truncatedSample) {
        r.refusal = QStringLiteral("starts with a line longer than 256 KiB that is neither JSON Lines nor a CSV header");
        // A JSON Lines file whose first record is huge is still a log: look at its start.
        const std::size_t firstChar = sample.find_first_not_of(" \t\r\n");
        if (sample[firstChar] != '{')
            return r;
        // A page of a list API on one line easily exceeds the sample: its first records tell.
        if (sniffWrapper(std::string_view(sample).substr(firstChar), mapping, detectPresets, r)
            || sniffEvents(std::string_view(sample).substr(firstChar), mapping, detectPresets, r))
            return r;
        r.ok = true;
        r.format = SniffResult::Format::JsonLines;
        r.kind = RecordKind::Requests;
        // An accounts file's first record can be that long too (notes, extra fields): the names before the cut tell,
        // or those up to 16 MiB on when the cut came before a request_id.
        std::set<std::string> keys = partialJsonKeys(std::string_view(sample).substr(firstChar));
        if (!onlyAccountFields(keys, mapping) && !hasConstant(mapping, Field::RequestId)
            && !containsAny(keys, sourcesFor(mapping, Field::RequestId)))
            keys = partialJsonKeys(std::string_view(readOnFirstRecord(src, sample, giveBack, 16 << 20)).substr(firstChar));
        if (onlyAccountFields(keys, mapping)) {
            r.kind = RecordKind::Accounts;
            return r;
        }
        if (detectPresets && mapping.isIdentity()) {
            // Enough of the huge line to see its field names: an OTLP batch line easily exceeds the sample.
            r.logFormat = sample.find("\"resourceSpans\"") != std::string::npos ? QStringLiteral("otlp") : r.logFormat;
        }
        return r;
    }

    const auto requestIdSources = sourcesFor(mapping, Field::RequestId);
    const auto accountIdSources = sourcesFor(mapping, Field::AccountId);
    const bool constantRequestId = hasConstant(mapping, Field::RequestId);
    const bool constantAccountId = hasConstant(mapping, Field::AccountId);
    std::set<std::string> keys;
    std::string_view firstObject; // the first line that is a JSON object

    if (first.empty()) {
        // Every complete line of the sample holds NUL bytes (lines with NUL are left out above).
        r.refusal = QStringLiteral("holds no readable record: every line in its first 256 KiB holds NUL bytes");
        return r;
    }
    const std::size_t firstChar = first.find_first_not_of(" \t");
    // A pretty-printed object whose first line is not a whole record: a page wrapping the records, or nothing we read.
    const std::string_view document = std::string_view(sample).substr(sample.find_first_not_of(" \t\r\n"));
    // Or one object over many lines read whole (a pretty-printed OTLP request): its inner lines are no records, though
    // one of them may parse as an object ("{}").
    if (first[firstChar] == '{' && !isJsonObject(first)
        && (sniffWrapper(document, mapping, detectPresets, r) || sniffEvents(document, mapping, detectPresets, r)
            || sniffDocument(document, truncatedSample, mapping, detectPresets, r)))
        return r;
    const QString notADocumentWeRead = QStringLiteral(
        "is one JSON object over many lines, not JSON Lines (one record a line), and holds no records of a format we "
        "read (for CloudWatch Logs output whose events wrap other records: jq -c '.events[].message|fromjson')");
    if (first[firstChar] == '{' && !isJsonObject(first) && !truncatedSample && isJsonObject(document)) {
        r.refusal = notADocumentWeRead;
        return r;
    }
    if (first[firstChar] == '{' || first[firstChar] == '[') {
        simdjson::dom::parser parser;
        int objects = 0;
        if (first[firstChar] == '[') {
            // One JSON array of records, pretty-printed, one element a line or all on one line: its first elements
            // tell (not its lines: "{...}," is no JSON, though the array's last line may be).
            for (std::string_view element : JsonArrayReader::leadingElements(sample, 200)) {
                simdjson::dom::element doc;
                if (parser.parse(element.data(), element.size()).get(doc) == simdjson::SUCCESS && doc.is_object()) {
                    ++objects;
                    collectKeys(doc.get_object().value_unsafe(), {}, keys, 0);
                }
            }
            r.jsonArray = objects > 0;
        }
        int checked = 0;
        for (std::string_view l : lines) {
            if (r.jsonArray)
                break;
            if (l.find_first_not_of(" \t") == std::string_view::npos)
                continue;
            if (++checked > 200)
                break;
            simdjson::dom::element doc;
            if (parser.parse(l.data(), l.size()).get(doc) == simdjson::SUCCESS && doc.is_object()) {
                if (objects == 0)
                    firstObject = l;
                ++objects;
                collectKeys(doc.get_object().value_unsafe(), {}, keys, 0);
            }
        }
        if (objects == 0) {
            r.refusal = first[firstChar] == '['
                            ? QStringLiteral("is a JSON array without objects in it: neither a list of records nor "
                                             "JSON Lines (one object a line)")
                            : QStringLiteral("starts like JSON but no line of it is a JSON object");
            return r;
        }
        r.format = SniffResult::Format::JsonLines;
    } else {
        const auto header = splitCsvHeader(first);
        if (header.size() < 2) {
            r.refusal = QStringLiteral("is neither JSON Lines nor CSV with a header row");
            return r;
        }
        for (std::size_t i = 0; i < header.size(); ++i)
            for (std::size_t j = i + 1; j < header.size(); ++j)
                if (!header[i].empty() && header[i] == header[j] && i < 256) {
                    r.refusal = QStringLiteral("is CSV whose header names the column \"%1\" twice (columns %2 and %3): "
                                               "which one holds the value cannot be known")
                                    .arg(QString::fromStdString(header[i]).left(80))
                                    .arg(i + 1)
                                    .arg(j + 1);
                    return r;
                }
        keys.insert(header.begin(), header.end());
        r.format = SniffResult::Format::Csv;
    }

    if (detectPresets && mapping.isIdentity()) {
        // A CSV export of a preset's table (psql's \copy ... CSV HEADER of LiteLLM_SpendLogs) names the same columns;
        // a format whose records sit inside a line (OTLP batches) has no CSV form.
        const std::vector<std::string> sorted(keys.begin(), keys.end());
        QString preset = logformats::presetForKeys(sorted);
        if (r.format == SniffResult::Format::Csv && !preset.isEmpty()) {
            const auto m = logformats::presetMapping(preset);
            if (!m || !m->recordsPath().steps.empty())
                preset.clear();
        }
        if (!preset.isEmpty()) {
            r.logFormat = preset;
            r.kind = RecordKind::Requests;
            r.ok = true;
            return r;
        }
    }
    // A page of a list API on one line ({"data": [...], "total": ...}): no request id of its own, its elements have one.
    if (r.format == SniffResult::Format::JsonLines && !firstObject.empty() && !containsAny(keys, requestIdSources)
        && (sniffWrapper(firstObject, mapping, detectPresets, r) || sniffEvents(firstObject, mapping, detectPresets, r)))
        return r;
    if (mapping.needsDocument() && r.format == SniffResult::Format::JsonLines) {
        // Its fields sit in arrays and JSON strings the key list does not reach: the records tell.
        r.kind = RecordKind::Requests;
        r.ok = true;
        return r;
    }
    const bool hasRequestId = constantRequestId || containsAny(keys, requestIdSources);
    const bool hasAccountId = constantAccountId || containsAny(keys, accountIdSources);
    // Said as the file is: a pretty-printed array of records is no JSON Lines, and a user told so looks for the wrong fix.
    const QString encoding = r.format == SniffResult::Format::Csv ? QStringLiteral("CSV")
                             : r.jsonArray                        ? QStringLiteral("a JSON array of records")
                                                                  : QStringLiteral("JSON Lines");
    // Fields only requests have, and fields only accounts have, as this mapping names them.
    auto present = [&](std::initializer_list<Field> fields) {
        QStringList names;
        for (Field f : fields)
            if (hasConstant(mapping, f) || containsAny(keys, sourcesFor(mapping, f)))
                names << QString::fromLatin1(fieldName(f).data(), static_cast<qsizetype>(fieldName(f).size()));
        return names;
    };
    const QStringList requestFields = present({Field::Timestamp, Field::Prompt, Field::SystemPrompt, Field::Model,
                                               Field::Endpoint, Field::Ip, Field::UserAgent, Field::ApiKeyId,
                                               Field::PromptTokens, Field::CompletionTokens, Field::MaxTokens,
                                               Field::StopReason, Field::LatencyMs, Field::Tools});
    const QStringList accountFields = present({Field::CreatedAt, Field::EmailDomain, Field::PaymentFingerprint,
                                               Field::BillingCountry, Field::Tier, Field::Verified});
    if (hasRequestId) {
        r.kind = RecordKind::Requests;
    } else if (!requestFields.isEmpty()) {
        // A requests log whose id goes by another name (requestId, a typo in a mapping): never read as accounts.
        r.refusal = QStringLiteral("is %1 with request fields (%2) but no request_id field; name the field that "
                                   "identifies a request with a mapping file, e.g. --mapping with "
                                   "{\"fields\": {\"request_id\": \"requestId\"}}")
                        .arg(encoding, requestFields.mid(0, 4).join(QStringLiteral(", ")));
        return r;
    } else if (hasAccountId && !accountFields.isEmpty()) {
        r.kind = RecordKind::Accounts;
    } else {
        r.refusal = hasAccountId
                        ? QStringLiteral("is %1 with account_id but neither request fields nor account fields (created_at, "
                                         "email_domain, payment_fingerprint, billing_country, tier, verified): not a query "
                                         "log or accounts file (a mapping file can name the fields)")
                              .arg(encoding)
                        : QStringLiteral("is %1 but has no request_id or account_id field: not a query log or accounts file "
                                         "(a mapping file can name the fields)")
                              .arg(encoding);
        return r;
    }
    r.ok = true;
    return r;
}

} // namespace

SniffResult sniffLogSource(ByteSource& src, const FieldMapping& mapping, bool giveBack, bool detectPresets)
{
    SniffResult r = sniffSource(src, mapping, giveBack, detectPresets);
    // A refusal of a damaged gzip says so: what could be read may only be the start of a record.
    if (!r.ok && !src.damage().isEmpty() && !r.refusal.contains(src.damage()))
        r.refusal += QStringLiteral(" (%1)").arg(src.damage());
    return r;
}

} // namespace ds
