#include "ingest/ImportJob.h"

#include "ingest/Importer.h"

#include <QtConcurrent/QtConcurrentRun>

namespace ds {

ImportJob::ImportJob(ImportRequest request, QObject* parent)
    : QObject(parent)
    , m_request(std::move(request))
{
    m_timer.setInterval(100);
    connect(&m_timer, &QTimer::timeout, this, &ImportJob::emitProgress);
    connect(&m_watcher, &QFutureWatcher<ImportSummary>::finished, this, [this] {
        m_timer.stop();
        emitProgress();
        Q_EMIT finished(m_watcher.result());
    });
}

ImportJob::~ImportJob()
{
    if (m_watcher.isRunning()) {
        m_cancel->requestCancel();
        m_watcher.waitForFinished();
    }
}

void ImportJob::start()
{
    // The worker holds its own references, so it never touches a destroyed job.
    auto progress = m_progress;
    auto cancel = m_cancel;
    m_watcher.setFuture(QtConcurrent::run([request = m_request, progress, cancel] {
        return Importer::run(request, *progress, *cancel);
    }));
    m_timer.start();
}

void ImportJob::cancel() { m_cancel->requestCancel(); }

bool ImportJob::isRunning() const { return m_watcher.isRunning(); }

void ImportJob::emitProgress()
{
    Q_EMIT progressChanged(m_progress->bytesDone.load(), m_progress->totalBytes.load(), m_progress->records.load(),
                           m_progress->quarantined.load());
}

} // namespace ds
