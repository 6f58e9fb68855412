#pragma once

#include "workspace/KeysetPager.h"
#include "workspace/Scope.h"
#include "workspace/TableSpec.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>

#include <functional>
#include <memory>

namespace ds {

class SqliteDb;

// A table of any size from the case database, never loaded whole: the row
// count and block anchors come from a background key pass, rows arrive in
// blocks through keyset queries on the views' pool, and a window of recent
// blocks is cached. Sorting and scoping reload in the background; stale
// results are dropped by a generation counter. GUI thread only.
class PagedTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Role { RowIdRole = Qt::UserRole + 1, PivotKindRole, RawValueRole, ColumnRoleRole };
    using Builder = std::function<TableSpec(SqliteDb&, const ViewScope&)>;

    explicit PagedTableModel(Builder builder, QObject* parent = nullptr);
    ~PagedTableModel() override;

    void setCase(const QString& casePath);
    void setScope(const ViewScope& scope);
    // Reloads with the current case and scope (after new data was written).
    void reload();

    QString casePath() const { return m_casePath; }
    const ViewScope& scope() const { return m_scope; }
    const TableSpec& spec() const { return m_spec; }
    bool isLoading() const { return m_loading; }
    qint64 totalRows() const { return m_index.rowCount; }
    // The sort in effect (the table's default until the analyst clicks a header).
    int effectiveSortColumn() const { return m_sortColumn >= 0 ? m_sortColumn : m_spec.defaultSortColumn; }
    Qt::SortOrder effectiveSortOrder() const;
    // The pivot a cell offers (its role and value), or an inactive pivot.
    Pivot pivotAt(const QModelIndex& index) const;
    // Loaded id of a row, or 0 while its block is not loaded.
    qint64 rowId(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

Q_SIGNALS:
    void loadStarted();
    void loaded(qint64 rows);
    void loadFailed(const QString& message);
    // The rows were replaced in place (same count, new order or content): selections are stale.
    void rowsReordered();
    // A block of rows arrived (tests and "select when loaded" use it).
    void blockLoaded();

private:
    struct Block
    {
        QVector<QVector<QVariant>> rows;
        quint64 lastUse = 0;
    };
    const QVector<QVariant>* cachedRow(int row) const;
    void requestBlock(int block) const;
    void onBlock(quint64 generation, int block, QVector<QVector<QVariant>> rows);

    Builder m_builder;
    QString m_casePath;
    ViewScope m_scope;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    TableSpec m_spec;
    KeysetIndex m_index;
    quint64 m_generation = 0;
    bool m_loading = false;
    std::shared_ptr<CancelToken> m_cancel;
    // Cache state changes inside const data(): it is a cache, not the model's value.
    mutable QHash<int, Block> m_blocks;
    mutable QSet<int> m_pending;
    mutable quint64 m_useCounter = 0;
    static constexpr int kMaxBlocks = 48;
};

} // namespace ds
