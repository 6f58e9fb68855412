#pragma once

#include "ingest/ImportPreview.h"

#include <QAbstractTableModel>

namespace ds {

// The first records of a log as the import would read them (FilePreview::records), one row each:
// requests (account, time, model, IP, user agent, tokens, prompt) or accounts. Quarantined records
// carry their reason in the first text column; the view spans it across the row (spanColumns()).
// Every text from the log is escaped for display (displaytext). GUI thread only.
class PreviewRecordsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Line,
        Account,
        Time,
        Model,
        Ip,
        UserAgent,
        Tokens,
        Prompt,
        RequestColumns
    };
    enum AccountColumn
    {
        AccLine,
        AccAccount,
        AccCreated,
        AccEmailDomain,
        AccPayment,
        AccCountry,
        AccTier,
        AccountColumns
    };

    using QAbstractTableModel::QAbstractTableModel;

    void setPreview(const FilePreview& preview);
    void clear();
    const PreviewRecord* record(int row) const;
    // Columns a quarantined row's reason spans (from column 1).
    int spanColumns() const { return columnCount() - 1; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // "2026-02-01 00:00:43.143" (UTC).
    static QString utcTime(std::int64_t epochMs);

private:
    QString displayText(const PreviewRecord& r, int column) const;
    QString rawText(const PreviewRecord& r, int column) const;
    QString toolTip(const PreviewRecord& r, int column) const;

    QList<PreviewRecord> m_records;
    RecordKind m_kind = RecordKind::Requests;
};

} // namespace ds
