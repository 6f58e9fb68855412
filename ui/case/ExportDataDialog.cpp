#include "case/ExportDataDialog.h"

#include "case/AuditLog.h"
#include "case/CaseEditor.h"
#include "case/CaseFindings.h"
#include "case/CaseTables.h"
#include "core/CancelToken.h"
#include "core/CaseDatabase.h"
#include "report/CaseExports.h"
#include "report/ExportFiles.h"

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
#include <QtConcurrent/QtConcurrentRun>

namespace ds {

namespace {

void throwIfCancelled(const CancelToken& cancel)
{
    if (cancel.isCancelled())
        throw Cancelled{};
}

struct DataExportJob
{
    QString casePath, csv, json, stix; // empty: not wanted
};

// Worker thread: its own connection, like the CLI's export command. The case JSON goes last so that its
// audit log lists the other exports of this run.
std::vector<DataExportItem> runExports(const DataExportJob& job, const CancelToken& cancel)
{
    std::vector<DataExportItem> out;
    try {
        SqliteDb db = CaseDatabase::openForWriting(job.casePath);
        db.watchCancel(&cancel);
        ensureCaseTables(db);
        const CaseFindings findings = loadFindings(db);
        auto record = [&](const QString& kind, ExportedFile f) {
            if (f.error.isEmpty())
                exports::auditExport(db, kind, f);
            out.push_back({kind, std::move(f)});
        };
        if (!job.csv.isEmpty()) {
            throwIfCancelled(cancel);
            record(QStringLiteral("confirmed accounts CSV"), exports::writeConfirmedAccountsCsv(db, findings, job.csv));
        }
        if (!job.stix.isEmpty()) {
            throwIfCancelled(cancel);
            record(QStringLiteral("STIX 2.1 bundle"), exports::writeStixBundle(db, findings, job.stix, cancel));
        }
        if (!job.json.isEmpty()) {
            throwIfCancelled(cancel);
            record(QStringLiteral("case JSON"), exports::writeCaseJson(db, findings, job.json));
        }
    } catch (const Cancelled&) {
        out.push_back({QStringLiteral("cancelled"), ExportedFile{{}, {}, 0, QStringLiteral("Export cancelled.")}});
    } catch (const CaseOpenError& e) {
        out.push_back({QStringLiteral("case"), ExportedFile{{}, {}, 0, e.message()}});
    } catch (const DatabaseError& e) {
        // watchCancel interrupts a running statement, which surfaces as a database error.
        const QString why = cancel.isCancelled() ? QStringLiteral("Export cancelled.") : QString::fromUtf8(e.what());
        out.push_back({cancel.isCancelled() ? QStringLiteral("cancelled") : QStringLiteral("case"), ExportedFile{{}, {}, 0, why}});
    }
    return out;
}

} // namespace

ExportDataDialog::ExportDataDialog(CaseEditor* editor, QWidget* parent)
    : QDialog(parent)
    , m_editor(editor)
    , m_dir(new QLineEdit(this))
    , m_browse(new QPushButton(tr("Browse…"), this))
    , m_csv(new QCheckBox(tr("Confirmed accounts (CSV)"), this))
    , m_json(new QCheckBox(tr("Whole case (JSON)"), this))
    , m_stix(new QCheckBox(tr("Confirmed networks' indicators (STIX 2.1 bundle)"), this))
    , m_progress(new QProgressBar(this))
    , m_result(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
    , m_cancel(std::make_shared<CancelToken>())
{
    setWindowTitle(tr("Export case data"));
    setObjectName(QStringLiteral("exportDataDialog"));
    m_dir->setObjectName(QStringLiteral("exportFolder"));
    m_dir->setText(exportfiles::defaultFolder(m_editor->casePath()));
    for (QCheckBox* c : {m_csv, m_json, m_stix})
        c->setChecked(true);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setTextVisible(false);
    m_result->setObjectName(QStringLiteral("exportResult"));
    m_result->setTextFormat(Qt::PlainText);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setText(tr("Files are named after the case; each export is recorded in the audit log."));

    m_export = m_buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
    m_export->setObjectName(QStringLiteral("startExport"));
    m_export->setDefault(true);
    disconnect(m_buttons, &QDialogButtonBox::accepted, this, nullptr);
    connect(m_export, &QPushButton::clicked, this, &ExportDataDialog::startExport);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ExportDataDialog::reject);
    connect(m_browse, &QPushButton::clicked, this, &ExportDataDialog::browse);
    connect(&m_watcher, &QFutureWatcher<std::vector<DataExportItem>>::finished, this, &ExportDataDialog::onFinished);

    auto* dirRow = new QHBoxLayout;
    dirRow->addWidget(m_dir, 1);
    dirRow->addWidget(m_browse);
    auto* form = new QFormLayout;
    form->addRow(tr("Folder:"), dirRow);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_csv);
    layout->addWidget(m_json);
    layout->addWidget(m_stix);
    layout->addWidget(m_progress);
    layout->addWidget(m_result);
    layout->addStretch();
    layout->addWidget(m_buttons);
    resize(620, sizeHint().height());
}

ExportDataDialog::~ExportDataDialog()
{
    // The worker writes files and the audit log: stop it and wait, so no write outlives the dialog unseen.
    m_cancel->requestCancel();
    m_watcher.waitForFinished();
}

void ExportDataDialog::setOutputDirectory(const QString& dir) { m_dir->setText(dir); }
QString ExportDataDialog::outputDirectory() const { return m_dir->text().trimmed(); }

void ExportDataDialog::setExports(bool confirmedCsv, bool caseJson, bool stix)
{
    m_csv->setChecked(confirmedCsv);
    m_json->setChecked(caseJson);
    m_stix->setChecked(stix);
}

QString ExportDataDialog::pathFor(const QString& suffix) const
{
    return QDir(outputDirectory()).filePath(exportfiles::baseName(m_editor->casePath()) + suffix);
}
QString ExportDataDialog::csvPath() const { return pathFor(QStringLiteral(".confirmed-accounts.csv")); }
QString ExportDataDialog::jsonPath() const { return pathFor(QStringLiteral(".case.json")); }
QString ExportDataDialog::stixPath() const { return pathFor(QStringLiteral(".stix.json")); }

void ExportDataDialog::browse()
{
    auto* dialog = new QFileDialog(this, tr("Export case data into"), outputDirectory());
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, &ExportDataDialog::setOutputDirectory);
    dialog->open(); // no nested event loop
}

bool ExportDataDialog::startExport()
{
    if (isRunning())
        return false;
    if (outputDirectory().isEmpty() || !QFileInfo(outputDirectory()).isDir()) {
        m_result->setText(tr("Choose an existing folder first."));
        return false;
    }
    if (!m_csv->isChecked() && !m_json->isChecked() && !m_stix->isChecked()) {
        m_result->setText(tr("Choose at least one export."));
        return false;
    }
    const DataExportJob job{m_editor->casePath(), m_csv->isChecked() ? csvPath() : QString(),
                            m_json->isChecked() ? jsonPath() : QString(), m_stix->isChecked() ? stixPath() : QString()};
    m_cancel->reset();
    auto cancel = m_cancel; // the worker keeps the token alive on its own
    m_result->setText(tr("Exporting…"));
    setRunning(true);
    m_watcher.setFuture(QtConcurrent::run([job, cancel] { return runExports(job, *cancel); }));
    return true;
}

void ExportDataDialog::onFinished()
{
    setRunning(false);
    const std::vector<DataExportItem> items = m_watcher.result();
    QStringList lines;
    for (const DataExportItem& item : items) {
        QString kind = item.kind;
        kind[0] = kind[0].toUpper(); // "confirmed accounts CSV" starts a line here
        if (!item.file.error.isEmpty())
            lines << (item.kind == QLatin1String("cancelled") ? item.file.error : tr("%1 failed: %2").arg(kind, item.file.error));
        else
            lines << tr("%1: %2 (%3 %4, SHA-256 %5)")
                         .arg(kind, QDir::toNativeSeparators(item.file.path))
                         .arg(item.file.rows)
                         .arg(item.kind.contains(QLatin1String("STIX")) ? tr("objects") : tr("rows"), item.file.sha256);
    }
    m_result->setText(lines.join(QLatin1Char('\n')));
    // A top-level dialog does not grow for a wrapped label by itself: three paths with hashes need room.
    const int h = heightForWidth(width());
    if (h > height())
        resize(width(), h);
    Q_EMIT exportsFinished(items);
}

void ExportDataDialog::setRunning(bool running)
{
    m_running = running;
    m_progress->setRange(0, running ? 0 : 1); // busy indicator: the exports report no fraction
    m_progress->setValue(running ? 0 : 1);
    for (QWidget* w : std::initializer_list<QWidget*>{m_export, m_dir, m_browse, m_csv, m_json, m_stix})
        w->setEnabled(!running);
    m_buttons->button(QDialogButtonBox::Cancel)->setText(running ? tr("Cancel export") : tr("Close"));
}

void ExportDataDialog::reject()
{
    if (isRunning()) {
        m_cancel->requestCancel();
        return;
    }
    QDialog::reject();
}

} // namespace ds
