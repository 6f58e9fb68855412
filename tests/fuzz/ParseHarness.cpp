#include "ParseHarness.h"

#include "core/CancelToken.h"
#include "core/CaseDatabase.h"
#include "ingest/BatchQueue.h"
#include "ingest/ByteSource.h"
#include "ingest/CsvParser.h"
#include "ingest/FormatSniffer.h"
#include "ingest/JsonlParser.h"

#include <QFile>

#include <cstdlib>
#include <limits>

namespace ds::fuzz {

ParseHarness::ParseHarness()
    : m_input(m_dir.filePath(QStringLiteral("input")))
    , m_db(CaseDatabase::openForWriting(m_dir.filePath(QStringLiteral("case.sqlite"))))
{
}

std::size_t ParseHarness::parse(const std::uint8_t* data, std::size_t size, Format format, RecordKind kind,
                                const FieldMapping& mapping, const std::string& recordsMember)
{
    {
        QFile f(m_input);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)
            || f.write(reinterpret_cast<const char*>(data), static_cast<qint64>(size)) != static_cast<qint64>(size))
            std::abort();
    }
    // The sniffer sees every input first in a real import; of its verdict only the reader is needed here: a JSON
    // array of records is read element by element, as the import would.
    const SniffResult sniff = sniffLogFile(m_input, mapping);

    // Reloaded from the empty case each time, so one input's strings cannot hide another's bug.
    m_interner.load(m_db);
    ByteSource source(m_input);
    if (!source.isOpen())
        std::abort();
    // No writer drains the queue while the parser runs: make it large enough never to block.
    BatchQueue queue(std::numeric_limits<std::size_t>::max());
    CancelToken cancel;
    // A small record limit, so the fuzzer reaches the oversized-record paths with small inputs.
    ParseJob job{.source = source,
                 .kind = kind,
                 .mapping = mapping,
                 .queue = queue,
                 .cancel = cancel,
                 .caseRequests = &m_interner.caseRequests(),
                 .batchRecords = 64,
                 .batchBytes = 1 << 16,
                 .maxRecordBytes = 4096,
                 .jsonArray = (sniff.jsonArray || !recordsMember.empty()) && format == Format::JsonLines};
    job.recordsMember = recordsMember.empty() ? sniff.recordsMember : recordsMember;
    if (format == Format::JsonLines && recordsMember.empty()) {
        job.messageMember = sniff.messageMember; // CloudWatch events wrapping records
        job.wholeDocument = sniff.wholeDocument && !sniff.jsonArray; // one document over many lines
    }
    if (format == Format::Csv)
        (void)parseCsv(job);
    else
        (void)parseJsonLines(job);
    queue.finish();
    std::size_t produced = 0;
    while (auto batch = queue.pop()) {
        m_interner.resolve(*batch); // as the import's writer does
        produced += batch->recordCount();
    }
    return produced;
}

ParseHarness& harness()
{
    static ParseHarness h;
    return h;
}

} // namespace ds::fuzz
