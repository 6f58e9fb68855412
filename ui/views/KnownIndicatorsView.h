#pragma once

#include "core/CancelToken.h"

#include <QWidget>

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

class QLabel;
class QProgressBar;
class QPushButton;
class QStandardItemModel;
class QTableView;
class QTimer;

namespace ds {

// "Known indicators": the partners' STIX indicators imported into the case, each with what it matched (accounts,
// requests, first and last seen) or why it cannot be evaluated, and the accounts of the selected one. Imports a
// bundle (File > Import indicators…) with progress and a plain-text error. Data comes from model/indicators on
// worker threads; partner text is shown through displaytext. GUI thread only.
class KnownIndicatorsView : public QWidget
{
    Q_OBJECT
public:
    explicit KnownIndicatorsView(QWidget* parent = nullptr);
    ~KnownIndicatorsView() override;

    // Reloads the indicators of the case at `casePath` (empty: clears the view).
    void setCase(const QString& casePath);
    // Imports the bundle at `bundlePath` into the open case on a worker thread, then reloads.
    void importBundle(const QString& bundlePath);
    bool isBusy() const;

    QTableView* indicatorTable() const { return m_indicators; }
    QTableView* hitTable() const { return m_hits; }
    QLabel* summaryLabel() const { return m_summary; }
    QLabel* errorLabel() const { return m_error; }
    QPushButton* showAccountsButton() const { return m_showAccounts; }

Q_SIGNALS:
    // Restrict every view to these accounts (account.id), named `label` in the scope bar.
    void accountsRequested(const std::vector<std::int64_t>& accounts, const QString& label);
    // Focus one account (double-click on a hit).
    void accountFocused(qint64 accountRowId);
    // A bundle was imported (the case changed: audit log, detection evidence on the next run).
    void imported(const QString& message);
    void loaded();

private:
    void reload();
    void showHits(int row);
    void requestAccounts();
    void setError(const QString& error);

    QString m_casePath;
    quint64 m_generation = 0;
    quint64 m_hitGeneration = 0;
    QLabel* m_summary;
    QLabel* m_error;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
    QStandardItemModel* m_indicatorModel;
    QStandardItemModel* m_hitModel;
    QTableView* m_indicators;
    QTableView* m_hits;
    QLabel* m_hitsTitle;
    QPushButton* m_showAccounts;
    QTimer* m_progressTimer;
    std::vector<std::int64_t> m_indicatorIds; // per row of m_indicatorModel
    std::vector<std::int64_t> m_hitAccounts;  // per row of m_hitModel
    QString m_hitsLabel;
    // The running import's cancel flag and progress (0..1000), shared with its worker.
    struct ImportState
    {
        CancelToken cancel;
        std::atomic<int> progress{0};
    };
    std::shared_ptr<ImportState> m_import;
};

} // namespace ds
