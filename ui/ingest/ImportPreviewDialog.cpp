#include "ingest/ImportPreviewDialog.h"

#include "data/BackgroundTask.h"
#include "ingest/LogFormats.h"
#include "ingest/PreviewRecordsModel.h"
#include "ingest/PreviewWarnings.h"
#include "text/DisplayText.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPalette>
#include <QPushButton>
#include <QResizeEvent>
#include <QScreen>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace ds {

// A word-wrapped label whose height is what its text needs at its current width: a layout sharing the
// height with a table otherwise squeezes it (seen cut in half on a screenshot), or leaves the lines
// of a narrower width empty.
class FittedLabel : public QLabel
{
public:
    explicit FittedLabel(QWidget* parent)
        : QLabel(parent)
    {
        setTextFormat(Qt::PlainText);
        setWordWrap(true);
        setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    }
    QSize sizeHint() const override { return { QLabel::sizeHint().width(), fittedHeight() }; }
    QSize minimumSizeHint() const override { return { QLabel::minimumSizeHint().width(), fittedHeight() }; }

protected:
    void resizeEvent(QResizeEvent* event) override
    {
        QLabel::resizeEvent(event);
        if (event->oldSize().width() != width())
            updateGeometry(); // another width, another height
    }

private:
    int fittedHeight() const
    {
        if (text().isEmpty())
            return 0;
        return heightForWidth(width() > 0 ? width() : QLabel::sizeHint().width());
    }
};

namespace {

// The format box's items say what they do in Qt::UserRole.
const QString kAuto = QStringLiteral("auto");
const QString kChooseMapping = QStringLiteral("choose-mapping");
const QString kMapping = QStringLiteral("mapping-file");

constexpr int kMaxColumnWidth = 220;

// Amber in both themes, as the analysis banners: a warning, readable on light and dark windows.
void paintAmber(QWidget* w)
{
    const bool dark = w->palette().color(QPalette::Window).lightness() < 128;
    QPalette p = w->palette();
    p.setColor(QPalette::Window, dark ? QColor(0x5c, 0x45, 0x0a) : QColor(0xff, 0xf1, 0xc2));
    p.setColor(QPalette::WindowText, dark ? QColor(0xff, 0xe8, 0xa8) : QColor(0x5c, 0x40, 0x00));
    w->setPalette(p);
    w->setAutoFillBackground(true);
}

QString bytes(std::int64_t n)
{
    return QLocale().formattedDataSize(n, 1, QLocale::DataSizeIecFormat);
}

} // namespace

ImportPreviewDialog::ImportPreviewDialog(const QStringList& files, MappingChooser chooseMapping, QWidget* parent)
    : QDialog(parent)
    , m_chooseMapping(std::move(chooseMapping))
{
    setObjectName(QStringLiteral("importPreview"));
    setWindowTitle(files.size() == 1 ? tr("Import logs: preview")
                                     : tr("Import %n logs: preview", nullptr, files.size()));
    setSizeGripEnabled(true);
    for (const QString& f : files)
        m_files.push_back(FileState { f, {}, std::nullopt, 0, nullptr });

    auto* intro = new QLabel(tr("Each file will be read as shown below: check the format and the first records. "
                                "Nothing is written until you press Import."),
                             this);
    intro->setTextFormat(Qt::PlainText);
    intro->setWordWrap(true);

    m_fileList = new QListWidget(this);
    m_fileList->setObjectName(QStringLiteral("previewFiles"));
    m_fileList->setTextElideMode(Qt::ElideMiddle);
    m_fileList->setSpacing(3);
    for (int i = 0; i < m_files.size(); ++i) {
        auto* item = new QListWidgetItem(m_fileList);
        item->setToolTip(displaytext::tooltip(m_files[i].path));
    }

    m_fileLabel = new QLabel(this);
    m_fileLabel->setObjectName(QStringLiteral("previewFileName"));
    m_fileLabel->setTextFormat(Qt::PlainText);
    m_fileLabel->setWordWrap(true);
    QFont bold = m_fileLabel->font();
    bold.setBold(true);
    m_fileLabel->setFont(bold);

    m_format = new QComboBox(this);
    m_format->setObjectName(QStringLiteral("previewFormat"));
    m_format->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    auto* formatLabel = new QLabel(tr("&Format:"), this);
    formatLabel->setTextFormat(Qt::PlainText);
    formatLabel->setBuddy(m_format);
    m_mappingButton = new QPushButton(tr("&Mapping file…"), this);
    m_mappingButton->setObjectName(QStringLiteral("previewMappingButton"));
    m_mappingButton->setAutoDefault(false);
    m_mappingButton->setToolTip(tr("Read this file with a mapping file of your own (it may extend a format: "
                                   "\"extends\": \"litellm\"); docs/LOG_FORMAT.md describes them"));
    auto* formatRow = new QHBoxLayout;
    formatRow->addWidget(formatLabel);
    formatRow->addWidget(m_format);
    formatRow->addWidget(m_mappingButton);
    formatRow->addStretch(1);

    m_info = new FittedLabel(this);
    m_info->setObjectName(QStringLiteral("previewInfo"));

    m_warnings = new FittedLabel(this);
    m_warnings->setObjectName(QStringLiteral("previewWarnings"));
    m_warnings->setContentsMargins(8, 4, 8, 4);
    paintAmber(m_warnings);

    m_model = new PreviewRecordsModel(this);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("previewRecords"));
    m_table->setModel(m_model);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);

    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_fileLabel);
    rightLayout->addLayout(formatRow);
    rightLayout->addWidget(m_info);
    rightLayout->addWidget(m_warnings);
    rightLayout->addWidget(m_table, 1);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_fileList);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 180, 1000 });
    m_fileList->setVisible(m_files.size() > 1);

    auto* buttons = new QDialogButtonBox(this);
    m_import = buttons->addButton(m_files.size() == 1 ? tr("&Import") : tr("&Import %n files", nullptr, m_files.size()),
                                  QDialogButtonBox::AcceptRole);
    m_import->setObjectName(QStringLiteral("previewImport"));
    m_import->setDefault(true);
    QPushButton* cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setAutoDefault(false);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(splitter, 1);
    layout->addWidget(buttons);

    connect(m_fileList, &QListWidget::currentRowChanged, this, &ImportPreviewDialog::setCurrentFile);
    connect(m_format, &QComboBox::activated, this, &ImportPreviewDialog::onFormatActivated);
    connect(m_mappingButton, &QPushButton::clicked, this, &ImportPreviewDialog::chooseMappingFile);

    // Room for the table's columns, within the screen; nothing of an earlier preview is remembered.
    QSize size(1180, 680);
    if (const QScreen* screen = parent ? parent->screen() : this->screen())
        size = size.boundedTo(screen->availableSize() * 0.92);
    resize(size);

    for (int i = 0; i < m_files.size(); ++i) {
        updateFileItem(i);
        startPreview(i);
    }
    m_fileList->setCurrentRow(0);
    setCurrentFile(0);
    m_format->setFocus();
}

ImportPreviewDialog::~ImportPreviewDialog()
{
    for (const FileState& f : m_files)
        if (f.cancel)
            f.cancel->requestCancel();
}

QStringList ImportPreviewDialog::files() const
{
    QStringList out;
    for (const FileState& f : m_files)
        out << f.path;
    return out;
}

QList<FormatChoice> ImportPreviewDialog::choices() const
{
    QList<FormatChoice> out;
    for (const FileState& f : m_files)
        out << f.choice;
    return out;
}

const FilePreview* ImportPreviewDialog::preview(int file) const
{
    if (file < 0 || file >= m_files.size() || !m_files[file].preview)
        return nullptr;
    return &*m_files[file].preview;
}

bool ImportPreviewDialog::isPreviewing() const
{
    return std::any_of(m_files.begin(), m_files.end(), [](const FileState& f) { return !f.preview; });
}

void ImportPreviewDialog::setCurrentFile(int file)
{
    if (file < 0 || file >= m_files.size())
        return;
    m_current = file;
    if (m_fileList->currentRow() != file)
        m_fileList->setCurrentRow(file);
    showCurrent();
}

void ImportPreviewDialog::chooseFormat(const QString& format)
{
    setChoice(m_current, format.isEmpty() ? FormatChoice {} : FormatChoice { format, {} });
}

void ImportPreviewDialog::chooseMappingFile()
{
    const QString path = m_chooseMapping ? m_chooseMapping() : QString();
    if (path.isEmpty()) {
        syncFormatBox(); // back to the choice in force
        return;
    }
    setChoice(m_current, FormatChoice { {}, path });
}

void ImportPreviewDialog::onFormatActivated(int index)
{
    const QString what = m_format->itemData(index).toString();
    if (what == kAuto)
        setChoice(m_current, {});
    else if (what == kChooseMapping)
        chooseMappingFile();
    else if (what != kMapping)
        setChoice(m_current, FormatChoice { what, {} });
}

void ImportPreviewDialog::setChoice(int file, const FormatChoice& choice)
{
    if (file < 0 || file >= m_files.size())
        return;
    if (m_files[file].choice == choice) {
        syncFormatBox();
        return;
    }
    m_files[file].choice = choice;
    startPreview(file);
    updateFileItem(file);
    if (file == m_current)
        showCurrent();
    updateImportButton();
}

void ImportPreviewDialog::startPreview(int file)
{
    FileState& f = m_files[file];
    if (f.cancel)
        f.cancel->requestCancel();
    f.cancel = std::make_shared<CancelToken>();
    f.preview.reset();
    const quint64 generation = ++f.generation;
    std::function<FilePreview()> work = [path = f.path, choice = f.choice, cancel = f.cancel] {
        return previewLogFile(path, choice, kSampleRecords, *cancel);
    };
    runInBackground<FilePreview>(this, std::move(work), [this, file, generation](TaskResult<FilePreview> r) {
        FileState& state = m_files[file];
        if (generation != state.generation || r.cancelled)
            return; // a later choice replaced it
        if (r.ok()) {
            state.preview = std::move(r.value);
        } else {
            FilePreview failed;
            failed.path = state.path;
            failed.choice = state.choice;
            failed.error = r.error;
            state.preview = std::move(failed);
        }
        updateFileItem(file);
        if (file == m_current)
            showCurrent();
        updateImportButton();
        Q_EMIT previewReady(file);
    });
}

QString ImportPreviewDialog::fileTitle(int file) const
{
    return displaytext::cell(QFileInfo(m_files[file].path).fileName(), 120);
}

void ImportPreviewDialog::updateFileItem(int file)
{
    QListWidgetItem* item = m_fileList->item(file);
    if (!item)
        return;
    const FileState& f = m_files[file];
    QString format = tr("reading…");
    if (f.preview) {
        if (!f.preview->error.isEmpty())
            format = tr("cannot be read");
        else if (!f.preview->accepted)
            format = tr("not a log");
        else if (!f.choice.mappingPath.isEmpty())
            format = tr("your mapping");
        else if (!f.preview->logFormat.isEmpty())
            format = previewwarnings::formatTitle(f.preview->logFormat);
        else
            format = tr("not previewed");
    }
    item->setText(QStringLiteral("%1\n%2").arg(fileTitle(file), format));
}

void ImportPreviewDialog::syncFormatBox()
{
    const QSignalBlocker block(m_format);
    m_format->clear();
    if (m_current < 0)
        return;
    const FileState& f = m_files[m_current];
    QString recognised = tr("Recognised from its content");
    if (f.choice.isAuto() && f.preview && f.preview->accepted && !f.preview->logFormat.isEmpty())
        recognised = tr("Recognised: %1").arg(previewwarnings::formatTitle(f.preview->logFormat));
    m_format->addItem(recognised, kAuto);
    for (const QString& name : logformats::presetNames())
        m_format->addItem(previewwarnings::formatTitle(name), name);
    if (!f.choice.mappingPath.isEmpty())
        m_format->addItem(tr("Mapping: %1").arg(displaytext::cell(QFileInfo(f.choice.mappingPath).fileName(), 60)),
                          kMapping);
    m_format->addItem(tr("Mapping file…"), kChooseMapping);
    const QString selected = !f.choice.mappingPath.isEmpty() ? kMapping
        : f.choice.format.isEmpty()                          ? kAuto
                                                             : f.choice.format;
    m_format->setCurrentIndex(std::max(0, m_format->findData(selected)));
    m_format->setToolTip(f.choice.mappingPath.isEmpty() ? QString() : displaytext::tooltip(f.choice.mappingPath));
}

QString ImportPreviewDialog::describe(const FileState& f) const
{
    if (!f.preview)
        return tr("Reading the start of the file…");
    const FilePreview& p = *f.preview;
    if (!p.error.isEmpty())
        return tr("Cannot be previewed: %1").arg(displaytext::cell(p.error, 400));
    if (!p.note.isEmpty())
        return tr("Not previewed: %1.").arg(p.note);
    if (!p.accepted)
        return tr("Not a log that can be imported: the import will refuse this file.");
    QString format = previewwarnings::formatTitle(p.logFormat);
    if (!f.choice.mappingPath.isEmpty())
        format = p.extends.isEmpty() ? tr("Your mapping")
                                     : tr("Your mapping, extending %1").arg(previewwarnings::formatTitle(p.extends));
    const QString encoding = p.csv ? tr("CSV")
                             : !p.recordsMember.isEmpty()
                                 ? tr("JSON pages, records in \"%1\"").arg(displaytext::cell(p.recordsMember, 40))
                             : p.jsonArray ? tr("JSON array")
                                           : tr("JSON Lines");
    QStringList parts { format, encoding };
    if (p.gzip)
        parts << tr("gzip");
    parts << (p.kind == RecordKind::Accounts ? tr("accounts") : tr("requests"));
    const QLocale l;
    const std::int64_t read = p.requests + p.accounts + p.quarantined;
    auto countOf = [&l](std::int64_t n, const QString& one, const QString& many) {
        return (n == 1 ? one : many).arg(l.toString(static_cast<qlonglong>(n)));
    };
    QString counts = countOf(read, tr("%1 record"), tr("%1 records"));
    if (p.quarantined > 0)
        counts += tr(", %1 quarantined").arg(l.toString(static_cast<qlonglong>(p.quarantined)));
    if (p.skipped > 0)
        counts += tr(", %1 left out").arg(l.toString(static_cast<qlonglong>(p.skipped)));
    const QString shown = p.records.size() < read ? tr("the first %1 shown").arg(p.records.size()) : tr("all shown");
    const QString extent = p.wholeFile
        ? tr("The whole file (%1): %2; %3.").arg(countOf(p.headLines, tr("%1 line"), tr("%1 lines")), counts, shown)
        : tr("Its first %1 (%2%3): %4; %5. The import reads it all.")
              .arg(countOf(p.headLines, tr("%1 line"), tr("%1 lines")), bytes(p.headBytes),
                   p.gzip ? tr(" decompressed") : QString(), counts, shown);
    return QStringLiteral("%1. %2").arg(parts.join(QStringLiteral(" · ")), extent);
}

void ImportPreviewDialog::showCurrent()
{
    syncFormatBox();
    if (m_current < 0)
        return;
    const FileState& f = m_files[m_current];
    m_fileLabel->setText(fileTitle(m_current));
    m_fileLabel->setToolTip(displaytext::tooltip(f.path));
    m_info->setText(describe(f));
    QStringList bullets;
    if (f.preview)
        for (const QString& w : f.preview->warnings)
            bullets << QStringLiteral("• %1.").arg(w);
    m_warnings->setText(bullets.join(QLatin1Char('\n')));
    m_warnings->setVisible(!bullets.isEmpty());
    m_table->clearSpans();
    if (!f.preview || !f.preview->previewed()) {
        m_model->clear();
        return;
    }
    m_model->setPreview(*f.preview);
    for (int row = 0; row < m_model->rowCount(); ++row)
        if (m_model->record(row)->quarantined)
            m_table->setSpan(row, 1, 1, m_model->spanColumns());
    m_table->resizeColumnsToContents();
    for (int c = 0; c + 1 < m_model->columnCount(); ++c)
        m_table->setColumnWidth(c, std::min(m_table->columnWidth(c), kMaxColumnWidth));
}

void ImportPreviewDialog::updateImportButton()
{
    // A mapping file that cannot be loaded would stop the whole import: choose another first.
    QStringList blocked;
    for (int i = 0; i < m_files.size(); ++i) {
        const FileState& f = m_files[i];
        if (f.preview && f.preview->mappingUnusable)
            blocked << fileTitle(i);
    }
    m_import->setEnabled(blocked.isEmpty());
    m_import->setToolTip(blocked.isEmpty()
                             ? QString()
                             : tr("The mapping file chosen for %1 cannot be used").arg(blocked.join(tr(", "))));
}

QString ImportPreviewDialog::infoText() const
{
    return m_info->text();
}

QString ImportPreviewDialog::warningsText() const
{
    return m_warnings->isVisible() ? m_warnings->text() : QString();
}

} // namespace ds
