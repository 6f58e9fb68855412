#pragma once

#include "report/ExportFiles.h"

#include <QDialog>
#include <QFutureWatcher>

#include <memory>
#include <vector>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace ds {

class CancelToken;
class CaseEditor;

// One file a data export wrote (or failed to), with what kind it is.
struct DataExportItem
{
    QString kind; // "confirmed accounts CSV", "STIX 2.1 bundle", "case JSON"
    ExportedFile file;
};

// File > Export data: the confirmed accounts (CSV), the case (JSON) and the
// confirmed networks' indicators (STIX 2.1 bundle) into one folder, written in
// the thread pool on the worker's own connection (QtConcurrent, watcher owned by
// the dialog), each audited; Cancel stops between and inside the long ones.
// Tests set the folder with setOutputDirectory. GUI thread only.
class ExportDataDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ExportDataDialog(CaseEditor* editor, QWidget* parent = nullptr);
    ~ExportDataDialog() override;

    void setOutputDirectory(const QString& dir);
    QString outputDirectory() const;
    // Which exports to write (all three by default).
    void setExports(bool confirmedCsv, bool caseJson, bool stix);
    bool startExport();
    // True from startExport until the result is shown (the future itself ends a little earlier).
    bool isRunning() const { return m_running; }
    // The files the export will write into `dir` (named after the case file).
    QString csvPath() const;
    QString jsonPath() const;
    QString stixPath() const;

    QLabel* resultLabel() const { return m_result; }

Q_SIGNALS:
    // Once per run, after the result is shown; empty when cancelled or the case could not be opened.
    void exportsFinished(const std::vector<ds::DataExportItem>& items);

protected:
    void reject() override;

private:
    void browse();
    void onFinished();
    void setRunning(bool running);
    QString pathFor(const QString& suffix) const;

    CaseEditor* m_editor;
    QLineEdit* m_dir;
    QPushButton* m_browse;
    QCheckBox* m_csv;
    QCheckBox* m_json;
    QCheckBox* m_stix;
    QProgressBar* m_progress;
    QLabel* m_result;
    QPushButton* m_export;
    QDialogButtonBox* m_buttons;
    std::shared_ptr<CancelToken> m_cancel;
    QFutureWatcher<std::vector<DataExportItem>> m_watcher;
    bool m_running = false;
};

} // namespace ds
