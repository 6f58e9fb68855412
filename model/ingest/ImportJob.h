#pragma once

#include "core/CancelToken.h"
#include "ingest/ImportTypes.h"

#include <QFutureWatcher>
#include <QObject>
#include <QTimer>

#include <memory>

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
    ~ImportJob() override;

    void start();
    void cancel();
    bool isRunning() const;
    const ImportProgress& progress() const { return *m_progress; }

Q_SIGNALS:
    void progressChanged(qint64 bytesDone, qint64 totalBytes, qint64 records, qint64 quarantined);
    void finished(const ds::ImportSummary& summary);

private:
    void emitProgress();

    ImportRequest m_request;
    std::shared_ptr<ImportProgress> m_progress = std::make_shared<ImportProgress>();
    std::shared_ptr<CancelToken> m_cancel = std::make_shared<CancelToken>();
    QFutureWatcher<ImportSummary> m_watcher;
    QTimer m_timer;
};

} // namespace ds

Q_DECLARE_METATYPE(ds::ImportSummary)
