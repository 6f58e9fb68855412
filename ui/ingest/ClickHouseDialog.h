#pragma once

#include "remote/ClickHouseSource.h"
#include "remote/TriageRun.h"

#include <QDialog>

#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace ds {

// File > Open from ClickHouse…: where the table is (address, password when the address has none),
// how its columns read (format), which rows (time range, UTC). "Test connection" prepares the
// source on a worker thread (connection, table description, row count: ClickHouseSource::prepare)
// and shows the server, the engine and the rows to pull, or what went wrong in one sentence;
// Import is possible once a test succeeded with the fields as they are. The prepared source is
// read back with source() once accepted; the import itself (progress, Cancel) runs as any import.
// "Triage on the server" (docs/CLICKHOUSE_TRIAGE.md), once a test succeeded, runs the triage's
// queries on a worker thread (a busy bar meanwhile; Cancel stops them) and restricts the source
// to the accounts it chose, within the row budget; triage() then says whom, for the import to
// record (triagedStreamedLog). The open case's accounts (creation times, payment fingerprints,
// e-mail domains) inform the choice when setCasePath() named one. GUI thread only.
class ClickHouseDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ClickHouseDialog(QWidget* parent = nullptr);
    ~ClickHouseDialog() override;

    std::shared_ptr<ClickHouseSource> source() const { return m_source; }
    // The triage run on source(), if one was; the settings it ran with.
    const std::optional<TriageOutcome>& triage() const { return m_triage; }
    TriageSettings triageSettings() const;
    // The case whose accounts file informs the triage (may be empty or not exist yet).
    void setCasePath(const QString& path) { m_casePath = path; }

    // For tests: the fields and the outcome line.
    QLineEdit* addressEdit() const { return m_address; }
    QPushButton* testButton() const { return m_test; }
    QPushButton* importButton() const { return m_import; }
    QPushButton* triageButton() const { return m_triageButton; }
    QSpinBox* budgetBox() const { return m_budget; }
    QString outcome() const;

private:
    void testConnection();
    void fieldsChanged();
    void startTriage();
    // Cancels the step in flight, disables the buttons, shows the busy bar; returns the new step's generation.
    int beginServerStep();
    void setBusy(bool busy);

    QLineEdit* m_address = nullptr;
    QLineEdit* m_password = nullptr;
    QComboBox* m_format = nullptr;
    QCheckBox* m_useSince = nullptr;
    QCheckBox* m_useUntil = nullptr;
    QDateTimeEdit* m_since = nullptr;
    QDateTimeEdit* m_until = nullptr;
    QLabel* m_outcome = nullptr;
    QPushButton* m_test = nullptr;
    QPushButton* m_import = nullptr;
    QPushButton* m_triageButton = nullptr;
    QSpinBox* m_budget = nullptr;
    QProgressBar* m_busy = nullptr;
    QString m_casePath;
    std::optional<TriageOutcome> m_triage;
    std::shared_ptr<ClickHouseSource> m_source;
    std::shared_ptr<CancelToken> m_cancel; // of the test under way
    int m_generation = 0;                  // drops a test's answer once the fields changed
};

} // namespace ds
