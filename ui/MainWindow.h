#pragma once

#include <QMainWindow>
#include <QPointer>

class QLabel;
class QProgressBar;
class QPushButton;

namespace ds {

class ImportJob;
struct ImportSummary;

// The application's main window. GUI thread only.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Imports `files` into the case at `casePath` in the background.
    void importFiles(const QString& casePath, const QStringList& files);

private:
    void onImportFinished(const ImportSummary& summary);

    QLabel* m_summary = nullptr;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_cancel = nullptr;
    QPointer<ImportJob> m_job;
};

} // namespace ds
