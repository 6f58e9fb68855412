#pragma once

#include "core/PolledTask.h"
#include "ingest/ImportTypes.h"

#include <QObject>

namespace ds {

// Runs an Importer in the thread pool for the GUI: emits progress from a 100 ms
// timer on the owner's thread (never from the worker) and finished() once, with
// the summary. Create, use and destroy it on one thread (the GUI thread);
// destroying it cancels and waits for the worker.
class ImportJob : public QObject
{
    Q_OBJECT
public:
    explicit ImportJob(ImportRequest request, QObject* parent = nullptr);

    void start();
    void cancel() { m_task.cancel(); }
    bool isRunning() const { return m_task.isRunning(); }
    const ImportProgress& progress() const { return m_task.progress(); }

Q_SIGNALS:
    // `finishing`: the current file is read and its indexes are being sorted (ImportProgress::finishing).
    // `checkingFile`: the path of the file being hashed to see whether it is
    // already in the case (ImportProgress::checking), else empty; unescaped.
    void progressChanged(qint64 bytesDone, qint64 totalBytes, qint64 records, qint64 quarantined, bool finishing,
                         const QString& checkingFile);
    void finished(const ds::ImportSummary& summary);

private:
    ImportRequest m_request;
    PolledTask<ImportSummary, ImportProgress> m_task;
};

} // namespace ds

Q_DECLARE_METATYPE(ds::ImportSummary)
