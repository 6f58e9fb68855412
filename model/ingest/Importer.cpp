#include "ingest/Importer.h"

#include "core/CaseDatabase.h"
#include "core/EarlyWriteback.h"
#include "core/FailureText.h"
#include "core/Logging.h"
#include "core/Timestamp.h"
#include "indicators/HitRefresh.h"
#include "ingest/BatchQueue.h"
#include "ingest/ByteSource.h"
#include "ingest/CaseWriter.h"
#include "ingest/CsvParser.h"
#include "ingest/FieldMapping.h"
#include "ingest/FormatSniffer.h"
#include "ingest/FeatureCache.h"
#include "ingest/Interner.h"
#include "ingest/JsonlParser.h"
#include "ingest/LogFormats.h"
#include "ingest/RequestConflicts.h"
#include "ingest/TextPackStage.h"
#include "text/DisplayText.h"

#include <QElapsedTimer>
#include <QFileInfo>

#include <atomic>
#include <memory>
#include <thread>

namespace ds {

namespace {

struct PlannedFile
{
    FileReport report;
    SniffResult sniff;
    int requestIndex = 0; // its place in ImportRequest::files (plans are reordered)
    // A pipe or FIFO, opened to be sniffed: it cannot be opened and read again.
    std::shared_ptr<ByteSource> stream;
    // How its fields are read: the call's mapping, or the preset its content was recognised as.
    std::shared_ptr<const FieldMapping> mapping;
    std::size_t maxRecordBytes = kDefaultMaxRecordBytes;
    const StreamedLog* streamed = nullptr; // a log that is not a file: opened when its turn comes
};

class ProgressThrottle
{
public:
    ProgressThrottle(const ProgressCallback& cb, const ImportProgress& progress)
        : m_cb(cb)
        , m_progress(progress)
    {
        m_timer.start();
    }
    void tick(bool force = false)
    {
        if (!m_cb || (!force && m_timer.elapsed() < 100))
            return;
        m_timer.restart();
        m_cb(m_progress);
    }

private:
    const ProgressCallback& m_cb;
    const ImportProgress& m_progress;
    QElapsedTimer m_timer;
};

// Whether a requests file is large enough next to the case to load it without
// the request indexes and sort them afresh at the end. Rows inserted into three
// indexed b-trees in random order each touch pages far beyond the cache once
// the indexes outgrow it (about a million requests): a 33M-request campaign
// imported after its accounts file (which leaves empty indexes behind) read
// and wrote terabytes. Rebuilding costs one sorted pass over the whole table,
// which pays off when the file adds a good share of it.
bool rebuildIndexesFor(SqliteDb& db, const PlannedFile& plan)
{
    if (plan.sniff.kind != RecordKind::Requests)
        return false;
    constexpr std::int64_t kGzipRatio = 4; // log text compresses about this much
    const std::int64_t incoming = plan.report.size * (plan.sniff.gzip ? kGzipRatio : 1);
    const std::int64_t caseBytes = db.queryInt("PRAGMA page_count") * db.queryInt("PRAGMA page_size");
    return incoming * 8 >= caseBytes;
}

// A committed file of this size read with this mapping: only then is a file
// hashed before it is parsed.
bool caseHasFileOfSize(SqliteDb& db, std::int64_t size, const QString& mappingJson)
{
    SqliteStatement st(db, "SELECT 1 FROM source_file WHERE size = ?1 AND sha256 != '' AND coalesce(mapping, '') = ?2 LIMIT 1");
    st.bind(1, size);
    st.bindText(2, mappingJson);
    return st.step();
}

// Recognises a regular file already in the case before a byte of it is parsed:
// by size (one query), then, only when a committed file has that size, by its
// SHA-256 (about 2 GB/s, against minutes of parsing and a case that would grow
// by every row written again). Returns true, with the report filled in, when
// it is in the case; else `digest` holds the hash taken (empty when none was).
bool recognisedBeforeParse(SqliteDb& db, ByteSource& source, FileReport& rep, const QString& mappingJson,
                           ImportProgress& progress, const CancelToken& cancel, ProgressThrottle& throttle,
                           QString& digest)
{
    if (!source.isRegularFile() || !caseHasFileOfSize(db, source.fileSize(), mappingJson))
        return false; // pipes and FIFOs cannot be read twice: they are settled row by row
    progress.checking = true;
    throttle.tick(true);
    FileDigest d;
    try {
        d = source.digestOfFile([&] { return cancel.isCancelled(); });
    } catch (const std::exception& e) {
        d.error = QString::fromUtf8(e.what()); // out of memory: the file fails, the import goes on
    }
    progress.checking = false;
    if (cancel.isCancelled())
        throw Cancelled{};
    if (!d.error.isEmpty()) {
        rep.outcome = FileReport::Outcome::Failed;
        rep.message = QStringLiteral("cannot be hashed for provenance: %1").arg(d.error);
        return true;
    }
    SqliteStatement st(db, "SELECT id, path, imported_at FROM source_file "
                           "WHERE size = ?1 AND sha256 = ?2 AND coalesce(mapping, '') = ?3 ORDER BY id LIMIT 1");
    st.bind(1, source.fileSize());
    st.bindText(2, d.sha256Hex);
    st.bindText(3, mappingJson);
    if (!st.step()) {
        digest = d.sha256Hex;
        return false;
    }
    rep.outcome = FileReport::Outcome::AlreadyImported;
    rep.recognisedBeforeReading = true;
    rep.sha256 = d.sha256Hex;
    rep.sourceFileId = st.columnInt(0);
    // The earlier path is a file name like any other: shown escaped.
    rep.message = QStringLiteral("already in the case (same size and SHA-256 as %1, imported %2); not read again, nothing added")
                      .arg(displaytext::embedded(st.columnText(1)), timestamp::toIso(st.columnInt(2)));
    ++progress.filesAlreadyInCase;
    return true;
}

// The case's totals after the import, what the summary's last line reports.
void readCaseTotals(SqliteDb& db, ImportSummary& summary)
{
    summary.requestsInCase = db.queryInt("SELECT count(*) FROM request");
    summary.accountsInCase = db.queryInt("SELECT count(*) FROM account");
    summary.quarantinedInCase = db.queryInt("SELECT count(*) FROM quarantine");
    summary.conflictsInCase = conflicts::hasTable(db) ? db.queryInt("SELECT count(*) FROM request_conflict") : 0;
}

void importOne(SqliteDb& db, CaseWriter& writer, Interner& interner, TextPackStage& packing,
               PromptFeatureCache& featureCache, PlannedFile& plan,
               ImportProgress& progress, std::int64_t bytesBefore, const CancelToken& cancel, ProgressThrottle& throttle)
{
    const FieldMapping& mapping = *plan.mapping;
    FileReport& rep = plan.report;
    struct StageReset
    {
        ImportProgress& progress;
        ~StageReset()
        {
            progress.checking = false;
            progress.finishing = false;
        }
    } stageReset{progress};
    const std::shared_ptr<ByteSource> opened = plan.stream     ? plan.stream
                                               : plan.streamed ? std::make_shared<ByteSource>(plan.streamed->open(cancel))
                                                               : std::make_shared<ByteSource>(rep.path);
    ByteSource& source = *opened;
    if (!source.isOpen()) {
        rep.outcome = FileReport::Outcome::Failed;
        rep.message = QStringLiteral("cannot be opened: %1").arg(source.errorString());
        return;
    }
    QElapsedTimer phase; // where an import's time goes: ds.ingest.info=true prints it
    phase.start();
    QString digestBeforeParse;
    if (recognisedBeforeParse(db, source, rep, mapping.toJson(), progress, cancel, throttle, digestBeforeParse))
        return;
    SqliteTransaction tx(db);
    if (rebuildIndexesFor(db, plan))
        writer.requestIndexesDropped(CaseDatabase::dropRequestIndexes(db));
    const std::int64_t fileId = writer.beginFile(rep, mapping.toJson());
    if (!interner.isLoaded())
        interner.load(db);
    interner.beginFile(db); // before any row of this file is written
    auto forget = [&] {
        writer.forgetUncommitted();
        interner.invalidate();
    };
    auto forgetAndUncount = [&] { // the file's records leave the progress totals too
        forget();
        progress.records -= rep.records;
        progress.quarantined -= rep.quarantined;
    };

    BatchQueue queue(4);
    QString parseError;
    FileDigest digest;
    std::atomic<bool> stopHashing{false};
    ParseJob job{source, plan.sniff.kind, mapping, queue, cancel};
    job.caseRequests = &interner.caseRequests();
    job.textPacking = &packing;
    job.featureCache = &featureCache;
    job.maxRecordBytes = plan.maxRecordBytes;
    job.jsonArray = plan.sniff.jsonArray;
    job.recordsMember = plan.sniff.recordsMember;
    job.messageMember = plan.sniff.messageMember;
    job.wholeDocument = plan.sniff.wholeDocument;
    // The parser thread parses, hands the last batch over, then hashes the file
    // (provenance) while this thread drains the queue and builds the indexes:
    // hashing during the parse would take CPU from it.
    EarlyWriteback writeback(db);
    std::thread parser([&] {
        try {
            parseError = plan.sniff.format == SniffResult::Format::Csv ? parseCsv(job) : parseJsonLines(job);
            // Provenance must describe the bytes parsed: a log still being
            // written is refused here, before the index build, not after it.
            if (parseError.isEmpty() && !source.isUnchangedSinceOpen())
                parseError = QStringLiteral(
                    "the file changed while it was being imported; import a copy that is not being written");
        } catch (const std::exception& e) {
            parseError = QString::fromUtf8(e.what());
        }
        const bool parsed = parseError.isEmpty() && !cancel.isCancelled();
        queue.finish(); // publishes parseError to the writer
        if (!parsed)
            return;
        if (!digestBeforeParse.isEmpty() && source.rawBytesRead() == source.fileSize()) {
            digest.sha256Hex = digestBeforeParse; // taken before the parse, of the same unchanged bytes
            return;
        }
        try {
            digest = source.digestOfBytesRead([&] { return stopHashing.load() || cancel.isCancelled(); });
        } catch (const std::exception& e) {
            digest.error = QString::fromUtf8(e.what()); // out of memory: the file fails, the import goes on
        }
    });

    try {
        while (auto batch = queue.pop()) {
            if (cancel.isCancelled())
                throw Cancelled{};
            const std::int64_t recordsBefore = rep.records, quarantinedBefore = rep.quarantined;
            interner.resolve(*batch); // ids first: the writer inserts new dictionary entries before the rows
            writer.writeBatch(*batch, fileId, rep);
            rep.skipped += batch->skipped;
            writeback.nudge();
            progress.records += rep.records - recordsBefore;
            progress.quarantined += rep.quarantined - quarantinedBefore;
            progress.bytesDone = bytesBefore + batch->rawBytesRead;
            queue.recycle(std::move(batch));
            throttle.tick();
        }
        if (cancel.isCancelled())
            throw Cancelled{};
        if (parseError.isEmpty()) {
            progress.finishing = true;
            throttle.tick(true);
            const qint64 loadMs = phase.restart();
            // Indexes are built after the first bulk load, then kept up to date by later ones.
            // When the same file (same SHA-256) is already in the case, this work is rolled
            // back below; the hash is only known once the index build it runs beside is done.
            CaseDatabase::ensureIndexes(db);
            writer.finishBulkLoad(rep);
            const qint64 indexMs = phase.restart();
            parser.join();
            if (cancel.isCancelled())
                throw Cancelled{};
            qCInfo(lcIngest).nospace() << rep.path << ": " << rep.records << " records loaded in " << loadMs
                                       << " ms, indexes " << indexMs << " ms, then waited " << phase.restart()
                                       << " ms for the SHA-256";
        }
    } catch (...) {
        // Stop the parser, or its hashing, and wait for it.
        stopHashing = true;
        queue.close();
        if (parser.joinable())
            parser.join();
        forgetAndUncount();
        throw;
    }
    if (parser.joinable())
        parser.join();
    auto fail = [&](const QString& message) {
        forgetAndUncount();
        rep.outcome = FileReport::Outcome::Failed;
        rep.message = message;
        rep.records = rep.inserted = rep.quarantined = rep.skipped = rep.conflicts = 0; // rolled back: nothing of it is in the case
    }; // the caller's return rolls tx back
    if (!parseError.isEmpty())
        return fail(QStringLiteral("reading stopped at byte %1: %2").arg(source.rawBytesRead()).arg(parseError));
    if (!digest.error.isEmpty())
        return fail(QStringLiteral("cannot be hashed for provenance: %1").arg(digest.error));
    rep.sha256 = digest.sha256Hex;
    if (const std::int64_t earlier = writer.findSameFile(rep.sha256, mapping.toJson(), fileId)) {
        forget();
        rep.outcome = FileReport::Outcome::AlreadyImported;
        rep.message = QStringLiteral("the same file (same SHA-256) is already in the case; nothing added");
        rep.inserted = 0;
        rep.sourceFileId = earlier;
        return; // tx rolls back: the quarantine rows are already there too
    }
    if (plan.streamed) {
        rep.size = source.rawBytesRead();
        if (plan.streamed->recordProvenance)
            plan.streamed->recordProvenance(db, fileId, rep);
    }
    writer.finishFile(fileId, rep);
    tx.commit();
    if (!source.damage().isEmpty())
        rep.message = QStringLiteral("partly read: %1. The records before the damage were imported; the loss is listed "
                                     "in quarantine.")
                          .arg(source.damage());
    qCInfo(lcIngest).nospace() << rep.path << ": commit " << phase.elapsed() << " ms; request text values packed by "
                               << "the parser side so far " << writer.prePackedValues() << ", by the writer "
                               << writer.selfPackedValues() << "; prompt features found in the cache so far "
                               << featureCache.hits();
    rep.outcome = FileReport::Outcome::Imported;
    rep.sourceFileId = fileId;
}

// Partners' indicators stored in the case are matched against what was just imported too. A re-evaluation that is
// cancelled or fails is left to the next import or detection (indicators/HitRefresh.h): it never fails the import.
void refreshPartnerHits(SqliteDb& db, const CancelToken& cancel)
{
    QElapsedTimer clock;
    clock.start();
    try {
        if (indicators::refreshHits(db, cancel))
            qCInfo(lcIngest) << "partner indicators re-evaluated against the case in" << clock.elapsed() << "ms";
    } catch (const Cancelled&) {
        qCInfo(lcIngest) << "partner indicators not re-evaluated: cancelled; the next import or detection does it";
    } catch (const DatabaseError& e) {
        qCWarning(lcIngest) << "partner indicators not re-evaluated:" << e.what() << "; the next import or detection tries again";
    }
}

} // namespace

ImportSummary Importer::run(const ImportRequest& request, ImportProgress& progress, const CancelToken& cancel,
                            const ProgressCallback& onProgress)
{
    ImportSummary summary;
    std::shared_ptr<const FieldMapping> mapping = logformats::presetMapping(QStringLiteral("canonical"));
    if (!request.mappingPath.isEmpty() && !request.format.isEmpty()) {
        summary.error = QStringLiteral("A format and a mapping file were both given; a mapping file can extend a format "
                                       "(\"extends\": \"%1\").")
                            .arg(request.format);
        return summary;
    }
    if (!request.format.isEmpty()) {
        mapping = logformats::presetMapping(request.format);
        if (!mapping) {
            summary.error = QStringLiteral("\"%1\" is not a log format; the formats are %2.")
                                .arg(displaytext::embedded(request.format), logformats::presetNames().join(QStringLiteral(", ")));
            return summary;
        }
    } else if (!request.mappingPath.isEmpty()) {
        QString error;
        auto loaded = FieldMapping::fromFile(request.mappingPath, &error);
        if (!loaded) {
            summary.error = error;
            return summary;
        }
        mapping = std::make_shared<const FieldMapping>(std::move(*loaded));
    }
    // Without either, each file's format is recognised by its content.
    const bool detectPresets = request.format.isEmpty() && request.mappingPath.isEmpty();

    // Look at every file before writing anything.
    QList<PlannedFile> plans;
    std::int64_t totalBytes = 0;
    for (const QString& path : request.files) {
        PlannedFile plan;
        plan.requestIndex = static_cast<int>(plans.size());
        plan.report.path = QFileInfo(path).absoluteFilePath();
        plan.report.size = QFileInfo(path).size();
        const QFileInfo info(path);
        if (info.exists() && !info.isFile() && !info.isDir()) {
            // A FIFO, a pipe (/dev/stdin) or a terminal: sniffed from the source it is then imported from.
            plan.stream = std::make_shared<ByteSource>(path);
            plan.sniff = sniffLogSource(*plan.stream, *mapping, true, detectPresets);
        } else {
            plan.sniff = sniffLogFile(path, *mapping, detectPresets);
        }
        plan.mapping = mapping;
        plan.maxRecordBytes = request.maxRecordBytes;
        if (plan.sniff.ok && detectPresets)
            plan.mapping = logformats::presetMapping(plan.sniff.logFormat);
        plan.report.logFormat = plan.sniff.logFormat;
        if (!plan.sniff.ok) {
            plan.report.outcome = FileReport::Outcome::Refused;
            // The name is attacker-chosen: escaped like any text shown on a terminal or screen.
            plan.report.message = QStringLiteral("%1 %2").arg(displaytext::embedded(QFileInfo(path).fileName()), plan.sniff.refusal);
        } else {
            plan.report.kind = plan.sniff.kind;
            plan.report.format = plan.sniff.format == SniffResult::Format::Csv ? QStringLiteral("csv")
                                 : plan.sniff.jsonArray || plan.sniff.wholeDocument ? QStringLiteral("json")
                                                                              : QStringLiteral("jsonl");
            plan.report.compression = plan.sniff.gzip ? QStringLiteral("gzip") : QStringLiteral("none");
            totalBytes += plan.report.size;
        }
        plans.push_back(plan);
    }
    for (const StreamedLog& log : request.streams) {
        PlannedFile plan;
        plan.requestIndex = static_cast<int>(plans.size());
        plan.report.path = log.label;
        plan.report.size = log.sizeHint;
        plan.streamed = &log;
        plan.maxRecordBytes = request.maxRecordBytes;
        plan.mapping = logformats::presetMapping(log.format);
        plan.report.logFormat = log.format;
        if (!plan.mapping || !log.open) {
            plan.report.outcome = FileReport::Outcome::Refused;
            plan.report.message = QStringLiteral("\"%1\" is not a log format").arg(displaytext::embedded(log.format));
        } else {
            // What the stream holds is known from its query: requests as JSON Lines, one object a row.
            plan.sniff.ok = true;
            plan.sniff.kind = RecordKind::Requests;
            plan.sniff.format = SniffResult::Format::JsonLines;
            plan.sniff.logFormat = log.format;
            plan.report.kind = RecordKind::Requests;
            plan.report.format = QStringLiteral("jsonl");
            plan.report.compression = QStringLiteral("none");
            totalBytes += log.sizeHint;
        }
        plans.push_back(plan);
    }
    progress.totalBytes = totalBytes;
    progress.fileCount = static_cast<int>(plans.size());

    const bool anyAccepted = std::any_of(plans.begin(), plans.end(), [](const PlannedFile& p) { return p.sniff.ok; });
    if (anyAccepted) {
        try {
            SqliteDb db = CaseDatabase::openForWriting(request.databasePath);
            // Debian's SQLite zeroes all freed space (SECURE_DELETE). Nothing an
            // import frees is secret: b-tree cells moved by page splits, dropped
            // index pages, duplicate rows whose first copy stays in the case. The
            // analyst's own edits keep the default. Measured: loads about 4 % faster.
            db.exec("PRAGMA secure_delete=OFF");
            db.watchCancel(&cancel);
            CaseWriter writer(db);
            // Request text is packed in the parser's thread pool; the writer binds it.
            TextPackStage packing;
            writer.setTextPackStage(&packing);
            // Features once per distinct text, across the import's files.
            PromptFeatureCache featureCache;
            writer.setBeforeEachBatch(request.beforeEachBatch);
            Interner interner;
            ProgressThrottle throttle(onProgress, progress);
            // Accounts files first, so requests meet their accounts already described.
            std::stable_sort(plans.begin(), plans.end(), [](const PlannedFile& a, const PlannedFile& b) {
                return a.sniff.ok && b.sniff.ok && a.sniff.kind == RecordKind::Accounts && b.sniff.kind != RecordKind::Accounts;
            });
            std::int64_t bytesBefore = 0;
            for (int i = 0; i < plans.size(); ++i) {
                PlannedFile& plan = plans[i];
                if (!plan.sniff.ok)
                    continue;
                progress.fileIndex = plan.requestIndex;
                if (summary.cancelled) {
                    plan.report.outcome = FileReport::Outcome::Cancelled;
                    plan.report.message = QStringLiteral("not imported: the import was cancelled");
                    continue;
                }
                try {
                    importOne(db, writer, interner, packing, featureCache, plan, progress, bytesBefore, cancel, throttle);
                } catch (const Cancelled&) {
                    summary.cancelled = true;
                } catch (const DatabaseError& e) {
                    if (e.isInterrupt() && cancel.isCancelled()) {
                        summary.cancelled = true;
                    } else {
                        plan.report.outcome = FileReport::Outcome::Failed;
                        plan.report.message = QStringLiteral("the case database refused the data: %1").arg(QString::fromUtf8(e.what()));
                    }
                    writer.forgetUncommitted();
                    interner.invalidate();
                } catch (...) {
                    // Out of memory in the writer, or anything else: this file fails (rolled back), the
                    // import goes on with the next, and the application stays up (core/FailureText.h).
                    plan.report.outcome = FileReport::Outcome::Failed;
                    plan.report.message = QStringLiteral("not imported: %1; nothing of this file was kept")
                                              .arg(failureText(std::current_exception()));
                    plan.report.records = plan.report.inserted = plan.report.quarantined = plan.report.conflicts = 0;
                    writer.forgetUncommitted();
                    interner.invalidate();
                }
                if (summary.cancelled) {
                    plan.report.outcome = FileReport::Outcome::Cancelled;
                    plan.report.message = QStringLiteral("cancelled: nothing of this file was kept; import it again to finish");
                    plan.report.records = plan.report.inserted = plan.report.quarantined = plan.report.conflicts = 0;
                }
                bytesBefore += plan.report.size;
                progress.bytesDone = bytesBefore;
                throttle.tick(true);
            }
            db.watchCancel(nullptr);
            if (!summary.cancelled)
                refreshPartnerHits(db, cancel);
            readCaseTotals(db, summary);
        } catch (const CaseOpenError& e) {
            summary.error = e.message();
        } catch (const DatabaseError& e) {
            summary.error = QStringLiteral("The case database failed: %1").arg(QString::fromUtf8(e.what()));
        }
    } else if (QFileInfo::exists(request.databasePath)) {
        // Every file was refused: the case is untouched, and its totals are still what the caller shows.
        try {
            SqliteDb db = CaseDatabase::openForReading(request.databasePath);
            readCaseTotals(db, summary);
        } catch (const CaseOpenError& e) {
            summary.error = e.message();
        } catch (const DatabaseError& e) {
            summary.error = QStringLiteral("The case database failed: %1").arg(QString::fromUtf8(e.what()));
        }
    }
    for (const PlannedFile& p : plans)
        summary.files.push_back(p.report);
    return summary;
}

} // namespace ds
