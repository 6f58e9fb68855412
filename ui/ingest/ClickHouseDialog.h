#pragma once

#include "remote/ClickHouseSource.h"

#include <QDialog>

#include <memory>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;

namespace ds {

// File > Open from ClickHouse…: where the table is (address, password when the address has none),
// how its columns read (format), which rows (time range, UTC). "Test connection" prepares the
// source on a worker thread (connection, table description, row count: ClickHouseSource::prepare)
// and shows the server, the engine and the rows to pull, or what went wrong in one sentence;
// Import is possible once a test succeeded with the fields as they are. The prepared source is
// read back with source() once accepted; the import itself (progress, Cancel) runs as any import.
// GUI thread only.
class ClickHouseDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ClickHouseDialog(QWidget* parent = nullptr);
    ~ClickHouseDialog() override;

    std::shared_ptr<ClickHouseSource> source() const { return m_source; }

    // For tests: the fields and the outcome line.
    QLineEdit* addressEdit() const { return m_address; }
    QPushButton* testButton() const { return m_test; }
    QPushButton* importButton() const { return m_import; }
    QString outcome() const;

private:
    void testConnection();
    void fieldsChanged();

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
    std::shared_ptr<ClickHouseSource> m_source;
    std::shared_ptr<CancelToken> m_cancel; // of the test under way
    int m_generation = 0;                  // drops a test's answer once the fields changed
};

} // namespace ds
