#include "case/ExportReportDialog.h"

#include "case/CaseEditor.h"
#include "case/CaseFindings.h"
#include "core/Sqlite.h"
#include "report/ExportFiles.h"
#include "report/ReportJob.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace ds {

ExportReportDialog::ExportReportDialog(CaseEditor* editor, QWidget* parent)
    : QDialog(parent)
    , m_editor(editor)
    , m_path(new QLineEdit(this))
    , m_browse(new QPushButton(tr("Browse…"), this))
    , m_confirm(new QCheckBox(tr("First confirm every flagged network not yet reviewed (networks marked false positive stay so)"), this))
    , m_progress(new QProgressBar(this))
    , m_result(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Export evidence report"));
    setObjectName(QStringLiteral("exportReportDialog"));
    m_path->setObjectName(QStringLiteral("reportPath"));
    m_path->setPlaceholderText(tr("Where to write the PDF"));
    m_path->setText(QDir(exportfiles::defaultFolder(m_editor->casePath()))
                        .filePath(exportfiles::baseName(m_editor->casePath()) + QStringLiteral(".report.pdf")));
    m_confirm->setObjectName(QStringLiteral("confirmFlagged"));
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_progress->setFormat(QStringLiteral("%p%"));
    m_result->setObjectName(QStringLiteral("reportResult"));
    m_result->setTextFormat(Qt::PlainText); // paths can contain anything
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse); // the SHA-256 is copied into tickets
    m_result->setText(tr("The request ids of the confirmed accounts are written next to the PDF; the report names that file and its SHA-256."));

    m_export = m_buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
    m_export->setObjectName(QStringLiteral("startReport"));
    m_export->setDefault(true);
    // AcceptRole would close the dialog; the dialog stays to show progress and the result.
    disconnect(m_buttons, &QDialogButtonBox::accepted, this, nullptr);
    connect(m_export, &QPushButton::clicked, this, &ExportReportDialog::startExport);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ExportReportDialog::reject);
    connect(m_browse, &QPushButton::clicked, this, &ExportReportDialog::browse);

    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(m_browse);
    auto* form = new QFormLayout;
    form->addRow(tr("PDF file:"), pathRow);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_confirm);
    layout->addWidget(m_progress);
    layout->addWidget(m_result);
    layout->addStretch();
    layout->addWidget(m_buttons);
    resize(620, sizeHint().height());
}

ExportReportDialog::~ExportReportDialog() = default; // m_job is a child: its destructor cancels and waits

void ExportReportDialog::setPdfPath(const QString& path) { m_path->setText(path); }
QString ExportReportDialog::pdfPath() const { return m_path->text().trimmed(); }
void ExportReportDialog::setConfirmFlaggedFirst(bool on) { m_confirm->setChecked(on); }

void ExportReportDialog::browse()
{
    // open() instead of getSaveFileName(): no nested event loop while the analyst picks a file.
    auto* dialog = new QFileDialog(this, tr("Export evidence report"), pdfPath(), tr("PDF files (*.pdf)"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(QStringLiteral("pdf"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, &ExportReportDialog::setPdfPath);
    dialog->open();
}

int ExportReportDialog::confirmFlaggedNetworks()
{
    // Through the editor, not confirmFlaggedNetworks(db): the analyst can undo it like any verdict.
    std::vector<ClusterRef> toConfirm;
    const CaseFindings findings = loadFindings(m_editor->database());
    for (std::size_t i = 0; i < findings.flagged.size(); ++i) {
        const ReviewState s = findings.flaggedStates[i];
        if (findings.run && (s == ReviewState::Unreviewed || s == ReviewState::NeedsReview))
            toConfirm.push_back({*findings.run, findings.flagged[i].id});
    }
    if (!toConfirm.empty())
        m_editor->setClusterStates(toConfirm, ReviewState::Confirmed, QStringLiteral("Export report: confirm every flagged network"));
    return static_cast<int>(toConfirm.size());
}

bool ExportReportDialog::startExport()
{
    if (isRunning())
        return false;
    const QString path = pdfPath();
    if (path.isEmpty()) {
        m_result->setText(tr("Choose where to write the PDF first."));
        return false;
    }
    QString prefix;
    if (m_confirm->isChecked()) {
        try {
            const int n = confirmFlaggedNetworks();
            prefix = tr("Confirmed %n flagged network(s) first. ", nullptr, n);
        } catch (const DatabaseError& e) {
            m_result->setText(tr("Could not read the flagged networks: %1").arg(QString::fromUtf8(e.what())));
            return false;
        }
    }
    if (m_job)
        m_job->deleteLater(); // finished and shown; never deleted from inside its own signal
    m_job = new ReportJob(ReportRequest{m_editor->casePath(), path, {}}, this);
    connect(m_job, &ReportJob::progressChanged, this, [this](double f) { m_progress->setValue(static_cast<int>(f * 1000)); });
    connect(m_job, &ReportJob::finished, this, &ExportReportDialog::onFinished);
    m_progress->setValue(0);
    m_result->setText(prefix + tr("Writing the report…"));
    setRunning(true);
    m_job->start();
    return true;
}

void ExportReportDialog::onFinished(const ReportResult& r)
{
    setRunning(false);
    if (r.cancelled) {
        m_result->setText(tr("Export cancelled; no report was written."));
        m_progress->setValue(0); // a bar left half full would suggest a half-written report
    } else if (!r.ok) {
        m_result->setText(tr("The report could not be written: %1").arg(r.error));
        m_progress->setValue(0);
    } else {
        QString text = tr("Wrote %1 (%n page(s)).", nullptr, r.pages).arg(QDir::toNativeSeparators(r.pdfPath));
        text += QLatin1Char('\n') + tr("Request ids: %1\nSHA-256: %2").arg(QDir::toNativeSeparators(r.requestIdsPath), r.requestIdsSha256);
        text += QLatin1Char('\n') + tr("%1 confirmed network(s), %2 confirmed account(s).").arg(r.confirmedNetworks).arg(r.confirmedAccounts);
        if (!r.analysisComplete)
            text += QLatin1Char('\n') + tr("The analysis was incomplete: every page of the report says so.");
        m_result->setText(text);
        m_progress->setValue(1000);
    }
    const int h = heightForWidth(width()); // the wrapped result needs room; dialogs do not grow by themselves
    if (h > height())
        resize(width(), h);
    Q_EMIT reportFinished(r);
}

void ExportReportDialog::setRunning(bool running)
{
    m_running = running;
    m_export->setEnabled(!running);
    m_path->setEnabled(!running);
    m_browse->setEnabled(!running);
    m_confirm->setEnabled(!running);
    m_buttons->button(QDialogButtonBox::Cancel)->setText(running ? tr("Cancel export") : tr("Close"));
}

void ExportReportDialog::reject()
{
    // While running, Cancel (or Esc) stops the export and keeps the dialog to say so; otherwise it closes.
    if (isRunning()) {
        m_job->cancel();
        return;
    }
    QDialog::reject();
}

} // namespace ds
