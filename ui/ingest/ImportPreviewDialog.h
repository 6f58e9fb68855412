#pragma once

#include "ingest/ImportPreview.h"

#include <QDialog>
#include <QList>
#include <QStringList>
#include <functional>
#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QTableView;

namespace ds {

class FittedLabel;
class PreviewRecordsModel;

// Shows, before logs are imported, how each file will be read: the format recognised from its
// content (as the import recognises it), a way to choose another format or a mapping file, its
// first records as that format maps them (quarantined ones with their reason) and what the format
// lacks. Previews run in the background with the importer's own parser (previewLogFile); the
// choices are read back with choices() once accepted. Enter imports, Esc cancels. GUI thread only.
class ImportPreviewDialog : public QDialog
{
    Q_OBJECT
public:
    // Asks the user for a mapping file; returns its path or an empty string.
    using MappingChooser = std::function<QString()>;
    static constexpr int kSampleRecords = 20;

    ImportPreviewDialog(const QStringList& files, MappingChooser chooseMapping, QWidget* parent = nullptr);
    ~ImportPreviewDialog() override;

    QStringList files() const;
    // How each file of files() is to be read (parallel to it).
    QList<FormatChoice> choices() const;
    // The preview of a file under its current choice; null while it runs.
    const FilePreview* preview(int file) const;
    bool isPreviewing() const;

    int currentFile() const { return m_current; }
    void setCurrentFile(int file);
    // Chooses a format ("litellm", ...; empty: recognised by content) for the current file.
    void chooseFormat(const QString& format);
    void chooseMappingFile();

    QComboBox* formatBox() const { return m_format; }
    QPushButton* importButton() const { return m_import; }
    QTableView* recordsView() const { return m_table; }
    PreviewRecordsModel* recordsModel() const { return m_model; }
    QString infoText() const;
    QString warningsText() const;

Q_SIGNALS:
    // A file's preview arrived (or failed) for its current choice.
    void previewReady(int file);

private:
    struct FileState
    {
        QString path;
        FormatChoice choice;
        std::optional<FilePreview> preview;
        quint64 generation = 0;
        std::shared_ptr<CancelToken> cancel;
    };

    void setChoice(int file, const FormatChoice& choice);
    void startPreview(int file);
    void onFormatActivated(int index);
    void showCurrent();
    void syncFormatBox();
    void updateFileItem(int file);
    void updateImportButton();
    QString fileTitle(int file) const;
    QString describe(const FileState& f) const;

    MappingChooser m_chooseMapping;
    QList<FileState> m_files;
    int m_current = -1;
    QListWidget* m_fileList = nullptr;
    QLabel* m_fileLabel = nullptr;
    QComboBox* m_format = nullptr;
    QPushButton* m_mappingButton = nullptr;
    FittedLabel* m_info = nullptr;
    FittedLabel* m_warnings = nullptr; // amber, one bullet a warning
    QTableView* m_table = nullptr;
    PreviewRecordsModel* m_model = nullptr;
    QPushButton* m_import = nullptr;
};

} // namespace ds
