#pragma once

#include "report/ReportWriter.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace ds {

class CaseEditor;
class ReportJob;

// File > Export report: the PDF path, the option to confirm every flagged
// network not yet reviewed first (undoable, audited), then the report written
// in the background (ReportJob) with a progress bar and Cancel, and the result
// (path, pages, the request-id export with its SHA-256) or the error in one
// sentence. Browse opens a non-blocking file dialog; tests set the path with
// setPdfPath. GUI thread only.
class ExportReportDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ExportReportDialog(CaseEditor* editor, QWidget* parent = nullptr);
    ~ExportReportDialog() override;

    void setPdfPath(const QString& path);
    QString pdfPath() const;
    void setConfirmFlaggedFirst(bool on);
    // Starts the export (the Export button); false when the path is empty or a run is going.
    bool startExport();
    // True from startExport until the result is shown.
    bool isRunning() const { return m_running; }

    QLabel* resultLabel() const { return m_result; }
    QProgressBar* progressBar() const { return m_progress; }
    QPushButton* exportButton() const { return m_export; }

Q_SIGNALS:
    // Once per run, after the result is shown (also for errors and cancellation).
    void reportFinished(const ds::ReportResult& result);

protected:
    void reject() override;

private:
    void browse();
    int confirmFlaggedNetworks();
    void onFinished(const ReportResult& r);
    void setRunning(bool running);

    CaseEditor* m_editor;
    QLineEdit* m_path;
    QPushButton* m_browse;
    QCheckBox* m_confirm;
    QProgressBar* m_progress;
    QLabel* m_result;
    QPushButton* m_export;
    QDialogButtonBox* m_buttons;
    ReportJob* m_job = nullptr;
    bool m_running = false;
};

} // namespace ds
