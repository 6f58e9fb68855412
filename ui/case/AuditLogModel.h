#pragma once

#include "case/AuditLog.h"

#include <QAbstractTableModel>

#include <vector>

namespace ds {

// The case's append-only audit log as a read-only table (time, user, action,
// subject, details), newest first. The log is small (one row per analyst action
// or analysis run), so it is held whole and replaced on refresh. GUI thread only.
class AuditLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, User, Action, Subject, Details, ColumnCount };

    explicit AuditLogModel(QObject* parent = nullptr);

    // Replaces the rows with `oldestFirst` (as audit::entries returns them), shown newest first.
    void setEntries(std::vector<AuditEntry> oldestFirst);
    const AuditEntry& entry(int row) const { return m_rows.at(static_cast<std::size_t>(row)); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<AuditEntry> m_rows; // newest first
};

// Compact one-line text of an entry's details ("key: value; ..."), for the table and its filter.
QString auditDetailsText(const QJsonObject& details);

} // namespace ds
