#include "ingest/CsvParser.h"

#include "core/JsonText.h"
#include "ingest/CsvReader.h"
#include "ingest/JsonRecordExtractor.h"
#include "ingest/JsonlParser.h"
#include "ingest/FeatureStage.h"
#include "ingest/LineReader.h"
#include "ingest/OversizedRecord.h"
#include "ingest/RecordBuilder.h"

#include <simdjson.h>

#include <optional>
#include <string>
#include <vector>

namespace ds {

namespace {

// The malformed lines that follow a quote which never closed. They are most
// likely the rest of a long quoted cell (or the damage of one stray quote): one
// quarantine entry for the run, not one per line, so a 200 MB cell cannot turn
// into millions of entries. The run ends at the first well-formed record.
class MalformedRun
{
public:
    bool active() const { return m_recovering; }
    void startAfterStrayQuote(std::int64_t quoteLine)
    {
        m_recovering = true;
        m_quoteLine = quoteLine;
        m_count = 0;
    }
    void add(std::int64_t line, std::string_view raw)
    {
        if (m_count == 0) {
            m_first = line;
            m_text.begin(raw);
        } else {
            m_text.append("\n");
            m_text.append(raw);
        }
        m_last = line;
        ++m_count;
    }
    // Writes the run, if any, and ends recovery.
    void flush(RecordBatch& batch)
    {
        if (m_count > 0) {
            const std::string why = std::to_string(m_count) + " malformed line" + (m_count == 1 ? "" : "s") + " (lines "
                                    + std::to_string(m_first) + "-" + std::to_string(m_last)
                                    + ") after the unclosed quote on line " + std::to_string(m_quoteLine)
                                    + ": probably the rest of that quoted cell";
            RecordBuilder::quarantine(batch, m_first, why,
                                      m_text.bytes > m_text.head.size() + m_text.tail.size() ? m_text.raw()
                                                                                               : m_text.head + m_text.tail);
        }
        m_recovering = false;
        m_count = 0;
    }

private:
    bool m_recovering = false;
    std::int64_t m_quoteLine = 0;
    std::int64_t m_first = 0;
    std::int64_t m_last = 0;
    std::int64_t m_count = 0;
    OversizedRecord m_text;
};

// A row as the JSON object {"column": "cell", ...} (empty cells left out: absent), so that a mapping which needs the
// document (first_of, paths into cells holding JSON, picks from message arrays) reads a CSV row as it reads a JSON
// line: a psql export of LiteLLM_SpendLogs has its messages as JSON text in a cell, and an empty end_user must fall
// back to user and api_key. Padded for simdjson.
void rowAsJson(const std::vector<std::string>& names, const std::vector<std::string_view>& cells, std::string& out)
{
    out.clear();
    out += '{';
    for (std::size_t c = 0; c < names.size(); ++c) {
        if (cells[c].empty())
            continue;
        if (out.size() > 1)
            out += ',';
        appendJsonString(out, names[c]);
        out += ':';
        appendJsonString(out, cells[c]);
    }
    out += '}';
    const std::size_t size = out.size();
    out.append(LineReader::kPadding, ' ');
    out.resize(size + LineReader::kPadding);
}

} // namespace

QString parseCsv(ParseJob& job)
{
    CsvReader reader(job.source, job.maxRecordBytes);
    CsvReader::Record rec;
    if (reader.next(rec) != CsvReader::Status::Record)
        return reader.errorString();

    // The header: column names as given, and the mapping rule of each.
    std::vector<std::string> names;
    std::vector<int> rules;
    for (std::string_view f : rec.fields) {
        std::string name(f);
        while (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
            name.pop_back();
        while (!name.empty() && (name.front() == ' ' || name.front() == '\t'))
            name.erase(0, 1);
        rules.push_back(job.mapping.ruleForSource(name));
        names.push_back(std::move(name));
    }

    RecordBuilder builder(job.kind, job.mapping);
    std::optional<JsonRecordExtractor> extractor;
    if (job.mapping.needsDocument())
        extractor.emplace(job.mapping, builder);
    std::string rowJson;
    MalformedRun run;
    auto batch = job.queue.recycle();
    while (!job.cancel.isCancelled()) {
        const CsvReader::Status st = reader.next(rec);
        if (st == CsvReader::Status::Error)
            return reader.errorString();
        if (st == CsvReader::Status::End)
            break;
        if (rec.fields.size() == 1 && rec.fields[0].empty() && rec.problem.empty())
            continue; // blank line
        if (run.active() && !rec.strayQuote && (!rec.problem.empty() || rec.fields.size() != names.size())) {
            run.add(rec.line, rec.raw);
            continue;
        }
        run.flush(*batch);
        if (rec.strayQuote)
            run.startAfterStrayQuote(rec.line);
        if (!rec.problem.empty()) {
            RecordBuilder::quarantine(*batch, rec.line, rec.problem, rec.raw);
        } else if (!simdjson::validate_utf8(rec.raw.data(), rec.raw.size())) {
            RecordBuilder::quarantine(*batch, rec.line, "invalid UTF-8", rec.raw);
        } else if (rec.raw.find('\0') != std::string_view::npos) {
            // As in JSON Lines, where a raw NUL is broken JSON: text logs hold none.
            RecordBuilder::quarantine(*batch, rec.line, "NUL byte in the record (damaged or binary data)", rec.raw);
        } else if (rec.fields.size() != names.size()) {
            RecordBuilder::quarantine(*batch, rec.line,
                                      "wrong number of columns: expected " + std::to_string(names.size()) + ", found "
                                          + std::to_string(rec.fields.size()),
                                      rec.raw);
        } else if (extractor) {
            rowAsJson(names, rec.fields, rowJson);
            const std::string_view json(rowJson.data(), rowJson.size() - LineReader::kPadding);
            const std::size_t quarantinedBefore = batch->quarantine.size();
            const std::string why = extractor->extractLine(json, rec.line, *batch);
            if (!why.empty())
                RecordBuilder::quarantine(*batch, rec.line, why, rec.raw);
            else if (batch->quarantine.size() > quarantinedBefore)
                batch->quarantine.back().raw = batch->store(rec.raw); // the row as the file has it, not our JSON
        } else {
            builder.begin(rec.line);
            for (std::size_t c = 0; c < names.size(); ++c) {
                const std::string_view cell = rec.fields[c];
                if (cell.empty())
                    continue; // an empty cell is an absent value
                if (rules[c] >= 0)
                    builder.setText(rules[c], cell);
                else
                    builder.addExtraText(names[c], cell);
            }
            builder.finish(*batch, rec.raw);
        }
        if (batch->recordCount() >= job.batchRecords || batch->arena.size() >= job.batchBytes) {
            batch->rawBytesRead = job.source.rawBytesRead();
            computePromptFeatures(*batch, job.caseRequests, job.textPacking, job.featureCache);
            if (!job.queue.push(std::move(batch)))
                return {};
            batch = job.queue.recycle();
        }
    }
    run.flush(*batch);
    if (!job.cancel.isCancelled())
        quarantineSourceDamage(job.source, *batch, rec.line + 1);
    batch->rawBytesRead = job.source.rawBytesRead();
    if (batch->recordCount() > 0) {
        computePromptFeatures(*batch, job.caseRequests, job.textPacking, job.featureCache);
        job.queue.push(std::move(batch));
    }
    return {};
}

} // namespace ds
