#include "ingest/CsvParser.h"

#include "ingest/CsvReader.h"
#include "ingest/FeatureStage.h"
#include "ingest/RecordBuilder.h"

#include <simdjson.h>

#include <string>
#include <vector>

namespace ds {

QString parseCsv(ParseJob& job)
{
    CsvReader reader(job.source);
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
    auto batch = job.queue.recycle();
    while (!job.cancel.isCancelled()) {
        const CsvReader::Status st = reader.next(rec);
        if (st == CsvReader::Status::Error)
            return reader.errorString();
        if (st == CsvReader::Status::End)
            break;
        if (rec.fields.size() == 1 && rec.fields[0].empty() && rec.problem.empty())
            continue; // blank line
        if (!rec.problem.empty()) {
            RecordBuilder::quarantine(*batch, rec.line, rec.problem, rec.raw);
        } else if (!simdjson::validate_utf8(rec.raw.data(), rec.raw.size())) {
            RecordBuilder::quarantine(*batch, rec.line, "invalid UTF-8", rec.raw);
        } else if (rec.fields.size() != names.size()) {
            RecordBuilder::quarantine(*batch, rec.line,
                                      "wrong number of columns: expected " + std::to_string(names.size()) + ", found "
                                          + std::to_string(rec.fields.size()),
                                      rec.raw);
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
            computePromptFeatures(*batch, job.caseRequests);
            if (!job.queue.push(std::move(batch)))
                return {};
            batch = job.queue.recycle();
        }
    }
    batch->rawBytesRead = job.source.rawBytesRead();
    if (batch->recordCount() > 0) {
        computePromptFeatures(*batch, job.caseRequests);
        job.queue.push(std::move(batch));
    }
    return {};
}

} // namespace ds
