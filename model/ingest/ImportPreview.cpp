#include "ingest/ImportPreview.h"

#include "ingest/BatchQueue.h"
#include "ingest/ByteSource.h"
#include "ingest/CsvParser.h"
#include "ingest/FieldMapping.h"
#include "ingest/FormatSniffer.h"
#include "ingest/JsonlParser.h"
#include "ingest/LogFormats.h"
#include "ingest/PreviewWarnings.h"
#include "text/DisplayText.h"

#include <QFileInfo>
#include <algorithm>
#include <limits>
#include <memory>
#include <string>

namespace ds {

namespace {

// The start of a log, decompressed, cut after a whole line.
struct Head
{
    std::string bytes;
    std::int64_t lines = 0;
    bool whole = false; // the file ended within it
    QString error;
};

Head readHead(ByteSource& source, const CancelToken& cancel)
{
    Head head;
    std::string chunk(64 << 10, '\0');
    std::size_t lastEnd = std::string::npos; // one past the last '\n' read so far
    while (true) {
        if (cancel.isCancelled())
            throw Cancelled {};
        const std::int64_t n = source.read(chunk.data(), static_cast<std::int64_t>(chunk.size()));
        if (n < 0) {
            head.error = source.errorString();
            return head;
        }
        if (n == 0) {
            head.whole = true;
            if (!head.bytes.empty() && head.bytes.back() != '\n')
                ++head.lines; // a last line without a line end is still a line
            return head;
        }
        const std::size_t start = head.bytes.size();
        head.bytes.append(chunk.data(), static_cast<std::size_t>(n));
        for (std::size_t i = start; i < head.bytes.size() && head.lines < kPreviewHeadLines; ++i) {
            if (head.bytes[i] == '\n') {
                ++head.lines;
                lastEnd = i + 1;
            }
        }
        const bool enough
            = head.lines >= kPreviewHeadLines || static_cast<std::int64_t>(head.bytes.size()) >= kPreviewHeadBytes;
        if (enough && lastEnd != std::string::npos) {
            head.bytes.resize(lastEnd);
            return head;
        }
        if (static_cast<std::int64_t>(head.bytes.size()) > kPreviewMaxLineBytes) {
            head.error = QStringLiteral("its first record is longer than %1 MiB").arg(kPreviewMaxLineBytes >> 20);
            head.bytes.clear();
            return head;
        }
    }
}

QString text(const RecordBatch& batch, const TextRef& ref, int maxChars = -1)
{
    if (!ref.present)
        return {};
    QString s = QString::fromUtf8(batch.view(ref));
    if (maxChars >= 0 && s.size() > maxChars)
        s.truncate(maxChars);
    return s;
}

std::optional<std::int64_t> number(std::int64_t v)
{
    return v == kNoInt ? std::nullopt : std::optional<std::int64_t>(v);
}

PreviewRecord requestRecord(const RecordBatch& b, const ParsedRequest& r)
{
    PreviewRecord p;
    p.line = r.line;
    p.requestId = text(b, r.requestId);
    p.accountId = text(b, r.accountId);
    p.apiKeyId = text(b, r.apiKeyId);
    p.ip = text(b, r.ip);
    p.userAgent = text(b, r.userAgent);
    p.model = text(b, r.model);
    p.prompt = text(b, r.prompt, kPreviewPromptChars);
    p.systemPrompt = text(b, r.systemPrompt, kPreviewPromptChars);
    p.timestampMs = r.ts;
    p.promptTokens = number(r.promptTokens);
    p.completionTokens = number(r.completionTokens);
    return p;
}

PreviewRecord accountRecord(const RecordBatch& b, const ParsedAccount& a)
{
    PreviewRecord p;
    p.line = a.line;
    p.accountId = text(b, a.accountId);
    p.emailDomain = text(b, a.emailDomain);
    p.paymentFingerprint = text(b, a.paymentFingerprint);
    p.billingCountry = text(b, a.billingCountry);
    p.tier = text(b, a.tier);
    p.createdAtMs = number(a.createdAt);
    return p;
}

void count(FilePreview& out, const PreviewRecord& r, const RecordBatch& b, const ParsedRequest& row)
{
    FilePreview::Presence& has = out.presence;
    has.ip += !r.ip.isEmpty();
    has.userAgent += !r.userAgent.isEmpty();
    has.apiKey += !r.apiKeyId.isEmpty();
    has.prompt += !r.prompt.isEmpty();
    has.model += !r.model.isEmpty();
    has.tokens += r.promptTokens.has_value() || r.completionTokens.has_value();
    // Compared on the bytes, not the cut copies.
    has.accountIsKey += row.apiKeyId.present && b.view(row.accountId) == b.view(row.apiKeyId);
}

// A stream with no bytes: the end of the replayed head.
class EmptyStream final : public ByteStream
{
public:
    std::int64_t read(char*, std::int64_t) override { return 0; }
    QString errorString() const override { return {}; }
};

// Parses `head` with the importer's parser exactly as the import would parse the file.
void parseHead(Head& head, const SniffResult& sniff, const FieldMapping& mapping, int maxRecords,
               const CancelToken& cancel, FilePreview& out)
{
    // The parser reads a ByteSource; this one returns the head (unread()) and then the end of an
    // empty stream, so the importer's own reader parses exactly the bytes taken, nothing beyond.
    // Not /dev/null: where that is not the device (a container that lost it), it holds whatever was written to it.
    ByteSource replay(std::make_shared<EmptyStream>());
    replay.unread(std::move(head.bytes));
    BatchQueue queue(1024); // the head makes a few batches at most: the parser never waits
    ParseJob job { replay, sniff.kind, mapping, queue, cancel };
    job.batchRecords = std::size_t { 1 } << 20;
    job.jsonArray = sniff.jsonArray;
    job.recordsMember = sniff.recordsMember;
    job.messageMember = sniff.messageMember;
    job.wholeDocument = sniff.wholeDocument;
    const QString parseError = out.csv ? parseCsv(job) : parseJsonLines(job);
    queue.finish();
    if (cancel.isCancelled())
        throw Cancelled {};
    if (!parseError.isEmpty()) {
        out.error = QStringLiteral("cannot be previewed: %1").arg(parseError);
        return;
    }
    std::vector<std::unique_ptr<RecordBatch>> batches;
    while (auto b = queue.pop())
        batches.push_back(std::move(b));

    // A CSV head may end inside a quoted field spanning lines, a JSON array's inside an element: its last record is
    // left out.
    std::int64_t dropFromLine = std::numeric_limits<std::int64_t>::max();
    if ((out.csv || sniff.jsonArray) && !head.whole) {
        std::int64_t last = 0;
        for (const auto& b : batches) {
            for (const auto& r : b->requests)
                last = std::max(last, r.line);
            for (const auto& a : b->accounts)
                last = std::max(last, a.line);
            for (const auto& q : b->quarantine)
                last = std::max(last, q.line);
        }
        if (last > (out.csv ? 2 : 1)) // never the only record (after the header)
            dropFromLine = last;
    }

    // Records in file order: by line, then as the parser produced them (the spans of one line).
    struct Ref
    {
        std::int64_t line;
        std::size_t order;
        PreviewRecord record;
    };
    std::vector<Ref> all;
    std::size_t order = 0;
    for (const auto& b : batches) {
        out.skipped += b->skipped;
        for (const auto& r : b->requests) {
            if (r.line >= dropFromLine)
                continue;
            PreviewRecord p = requestRecord(*b, r);
            count(out, p, *b, r);
            ++out.requests;
            all.push_back({ r.line, order++, std::move(p) });
        }
        for (const auto& a : b->accounts) {
            if (a.line >= dropFromLine)
                continue;
            ++out.accounts;
            all.push_back({ a.line, order++, accountRecord(*b, a) });
        }
        for (const auto& q : b->quarantine) {
            if (q.line >= dropFromLine)
                continue;
            ++out.quarantined;
            PreviewRecord p;
            p.line = q.line;
            p.quarantined = true;
            p.reason = text(*b, q.reason);
            p.raw = text(*b, q.raw, kPreviewRawChars);
            all.push_back({ q.line, order++, std::move(p) });
        }
    }
    std::stable_sort(all.begin(), all.end(), [](const Ref& a, const Ref& b) { return a.line < b.line; });
    for (std::size_t i = 0; i < all.size() && static_cast<int>(i) < maxRecords; ++i)
        out.records.push_back(std::move(all[i].record));
}

} // namespace

FilePreview previewLogFile(const QString& path, const FormatChoice& choice, int maxRecords, const CancelToken& cancel)
{
    FilePreview out;
    out.path = path;
    out.choice = choice;

    // The mapping, resolved as Importer::run resolves it.
    std::shared_ptr<const FieldMapping> mapping = logformats::presetMapping(QStringLiteral("canonical"));
    if (!choice.format.isEmpty() && !choice.mappingPath.isEmpty()) {
        out.error = QStringLiteral("a format and a mapping file cannot both be chosen");
        return out;
    }
    if (!choice.format.isEmpty()) {
        mapping = logformats::presetMapping(choice.format);
        if (!mapping) {
            out.error = QStringLiteral("\"%1\" is not a log format").arg(displaytext::embedded(choice.format));
            return out;
        }
    } else if (!choice.mappingPath.isEmpty()) {
        QString why;
        auto loaded = FieldMapping::fromFile(choice.mappingPath, &why);
        if (!loaded) {
            out.error = QStringLiteral("the mapping file cannot be used: %1").arg(why);
            out.mappingUnusable = true;
            return out;
        }
        mapping = std::make_shared<const FieldMapping>(std::move(*loaded));
        out.extends = mapping->formatName();
    }
    const bool detectPresets = choice.isAuto();

    const QFileInfo info(path);
    if (info.exists() && !info.isFile() && !info.isDir()) {
        // Opening a FIFO would wait for a writer, and reading it would take the bytes from the import.
        out.accepted = true;
        out.note = QStringLiteral("a pipe or FIFO can be read only once: it is not previewed; the import recognises "
                                  "its format as it reads it");
        out.logFormat = choice.isAuto() ? QString() : choice.format.isEmpty() ? mapping->formatName() : choice.format;
        return out;
    }

    const SniffResult sniff = sniffLogFile(path, *mapping, detectPresets);
    if (cancel.isCancelled())
        throw Cancelled {};
    out.accepted = sniff.ok;
    out.refusal = sniff.refusal;
    out.logFormat = sniff.logFormat;
    out.kind = sniff.kind;
    out.csv = sniff.format == SniffResult::Format::Csv;
    out.jsonArray = sniff.jsonArray;
    out.recordsMember = QString::fromStdString(sniff.recordsMember);
    out.gzip = sniff.gzip;
    if (!sniff.ok) {
        out.warnings = previewwarnings::warningsFor(out, *mapping);
        return out;
    }
    if (detectPresets)
        mapping = logformats::presetMapping(sniff.logFormat);
    if (!mapping) {
        out.error = QStringLiteral("\"%1\" is not a log format").arg(displaytext::embedded(sniff.logFormat));
        return out;
    }

    ByteSource source(path);
    if (!source.isOpen()) {
        out.error = QStringLiteral("cannot be opened: %1").arg(source.errorString());
        return out;
    }
    Head head = readHead(source, cancel);
    if (!head.error.isEmpty()) {
        out.error = QStringLiteral("cannot be previewed: %1").arg(head.error);
        return out;
    }
    out.headBytes = static_cast<std::int64_t>(head.bytes.size());
    out.headLines = head.lines;
    out.wholeFile = head.whole;
    parseHead(head, sniff, *mapping, maxRecords, cancel, out);
    if (out.error.isEmpty())
        out.warnings = previewwarnings::warningsFor(out, *mapping);
    return out;
}

} // namespace ds
