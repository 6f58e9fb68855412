#include "MainWindow.h"

#include "ingest/ImportJob.h"

#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>

namespace ds {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("Distillscope"));
    m_summary = new QLabel(tr("Open query logs to start an investigation."), this);
    m_summary->setTextFormat(Qt::PlainText); // file names and messages may come from attackers
    m_summary->setAlignment(Qt::AlignCenter);
    m_summary->setWordWrap(true);
    setCentralWidget(m_summary);
    m_progress = new QProgressBar(this);
    m_progress->setVisible(false);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setVisible(false);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_job)
            m_job->cancel();
    });
    resize(1280, 800);
}

MainWindow::~MainWindow() = default;

void MainWindow::importFiles(const QString& casePath, const QStringList& files)
{
    auto* job = new ImportJob(ImportRequest{casePath, files, {}}, this);
    m_job = job;
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setVisible(true);
    m_cancel->setVisible(true);
    statusBar()->showMessage(tr("Importing %n file(s)...", nullptr, static_cast<int>(files.size())));
    connect(job, &ImportJob::progressChanged, this, [this](qint64 done, qint64 total, qint64 records, qint64) {
        m_progress->setValue(total ? static_cast<int>(1000 * done / total) : 0);
        statusBar()->showMessage(tr("Importing: %L1 records").arg(records));
    });
    connect(job, &ImportJob::finished, this, &MainWindow::onImportFinished);
    job->start();
}

void MainWindow::onImportFinished(const ImportSummary& summary)
{
    m_progress->setVisible(false);
    m_cancel->setVisible(false);
    QString text = summary.error.isEmpty()
                       ? tr("%L1 requests from %L2 accounts; %L3 records quarantined.")
                             .arg(summary.requestsInCase)
                             .arg(summary.accountsInCase)
                             .arg(summary.quarantinedInCase)
                       : summary.error;
    for (const FileReport& f : summary.files)
        if (!f.message.isEmpty())
            text += QLatin1Char('\n') + f.message;
    m_summary->setText(text);
    statusBar()->showMessage(summary.cancelled ? tr("Import cancelled") : tr("Import finished"), 5000);
    if (m_job)
        m_job->deleteLater();
}

} // namespace ds
