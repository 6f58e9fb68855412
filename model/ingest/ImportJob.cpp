#include "ingest/ImportJob.h"

#include "ingest/Importer.h"

namespace ds {

ImportJob::ImportJob(ImportRequest request, QObject* parent)
    : QObject(parent)
    , m_request(std::move(request))
    , m_task(
          this,
          [this](const ImportProgress& p) {
              const int file = p.fileIndex.load();
              const QString checking =
                  p.checking.load() && file >= 0 && file < m_request.files.size() ? m_request.files[file] : QString();
              Q_EMIT progressChanged(p.bytesDone.load(), p.totalBytes.load(), p.records.load(), p.quarantined.load(),
                                     p.finishing.load(), checking);
          },
          [this](const ImportSummary& s) { Q_EMIT finished(s); })
{
}

void ImportJob::start()
{
    m_task.start([request = m_request](ImportProgress& progress, const CancelToken& cancel) {
        return Importer::run(request, progress, cancel);
    });
}

} // namespace ds
