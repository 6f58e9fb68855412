#include "models/PagedTableModel.h"

#include "core/Timestamp.h"
#include "data/BackgroundTask.h"
#include "text/DisplayText.h"
#include "workspace/ReadConnection.h"

#include <QColor>
#include <QGuiApplication>
#include <QPalette>

namespace ds {

namespace {
struct LoadResult
{
    TableSpec spec;
    KeysetIndex index;
};

PivotKind pivotFor(ColumnRole role)
{
    switch (role) {
    case ColumnRole::Account: return PivotKind::Account;
    case ColumnRole::Ip: return PivotKind::Ip;
    case ColumnRole::UserAgent: return PivotKind::UserAgent;
    case ColumnRole::Model: return PivotKind::Model;
    case ColumnRole::Template: return PivotKind::Template;
    case ColumnRole::PaymentFingerprint: return PivotKind::PaymentFingerprint;
    case ColumnRole::EmailDomain: return PivotKind::EmailDomain;
    default: return PivotKind::None;
    }
}

QString format(const QVariant& v, ColumnRole role)
{
    if (v.isNull())
        return QString();
    switch (role) {
    case ColumnRole::Time: return timestamp::toIso(v.toLongLong()).replace(QLatin1Char('T'), QLatin1Char(' '));
    case ColumnRole::Bool: return v.toLongLong() ? QObject::tr("yes") : QObject::tr("no");
    case ColumnRole::Real: return QString::number(v.toDouble(), 'f', 3);
    case ColumnRole::Integer: return QLocale().toString(v.toLongLong());
    case ColumnRole::Ordinal: return QString::number(v.toLongLong());
    default: return displaytext::cell(v.toString());
    }
}
} // namespace

PagedTableModel::PagedTableModel(Builder builder, QObject* parent)
    : QAbstractTableModel(parent)
    , m_builder(std::move(builder))
{
}

PagedTableModel::~PagedTableModel()
{
    if (m_cancel)
        m_cancel->requestCancel();
}

void PagedTableModel::setCase(const QString& casePath)
{
    m_casePath = casePath;
    reload();
}

void PagedTableModel::setScope(const ViewScope& scope)
{
    if (scope == m_scope)
        return;
    m_scope = scope;
    reload();
}

void PagedTableModel::reload()
{
    if (m_cancel)
        m_cancel->requestCancel();
    const quint64 generation = ++m_generation;
    if (m_casePath.isEmpty())
        return;
    m_cancel = std::make_shared<CancelToken>();
    m_loading = true;
    Q_EMIT loadStarted();
    std::function<LoadResult()> work = [path = m_casePath, scope = m_scope, builder = m_builder, column = m_sortColumn,
                                        order = m_sortOrder, cancel = m_cancel] {
        SqliteDb& db = readConnection(path);
        LoadResult r;
        r.spec = builder(db, scope);
        const int col = column >= 0 ? column : r.spec.defaultSortColumn;
        const bool desc = column >= 0 ? order == Qt::DescendingOrder : r.spec.defaultDescending;
        r.index = keyset::buildIndex(db, r.spec.query(col, desc), cancel.get());
        return r;
    };
    runInBackground<LoadResult>(this, std::move(work), [this, generation](TaskResult<LoadResult> r) {
        if (generation != m_generation)
            return; // a newer scope or sort superseded this load
        m_loading = false;
        if (!r.ok()) {
            if (!r.cancelled)
                Q_EMIT loadFailed(r.error);
            return;
        }
        const bool sameShape = r.value.index.rowCount == m_index.rowCount && r.value.spec.columns.size() == m_spec.columns.size()
                               && m_index.rowCount > 0;
        if (sameShape) {
            // Same rows and columns in a new order (a re-sort, or a refresh): repaint in place.
            // A model reset would make the views rebuild per-row header state, O(rows) on this thread.
            m_spec = std::move(r.value.spec);
            m_index = std::move(r.value.index);
            m_blocks.clear();
            m_pending.clear();
            Q_EMIT rowsReordered();
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
            Q_EMIT headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
        } else {
            beginResetModel();
            m_spec = std::move(r.value.spec);
            m_index = std::move(r.value.index);
            m_blocks.clear();
            m_pending.clear();
            endResetModel();
        }
        Q_EMIT loaded(m_index.rowCount);
    }, kVisibleRowsPriority);
}

int PagedTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(std::min<qint64>(m_index.rowCount, INT_MAX));
}

int PagedTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_spec.columns.size());
}

const QVector<QVariant>* PagedTableModel::cachedRow(int row) const
{
    const int block = row / KeysetIndex::kBlockRows;
    auto it = m_blocks.find(block);
    if (it == m_blocks.end()) {
        requestBlock(block);
        return nullptr;
    }
    it->lastUse = ++m_useCounter;
    const int offset = row % KeysetIndex::kBlockRows;
    return offset < it->rows.size() ? &it->rows[offset] : nullptr;
}

void PagedTableModel::requestBlock(int block) const
{
    // While a reload runs, the generation is already the new one but the spec and index are still the old
    // ones: a block fetched now would be accepted with the old rows (and too few of them, so the rest of
    // the block stayed empty for good). The reload's reset or dataChanged makes the views ask again.
    if (m_loading || m_pending.contains(block) || m_casePath.isEmpty())
        return;
    m_pending.insert(block);
    auto* self = const_cast<PagedTableModel*>(this);
    const quint64 generation = m_generation;
    std::function<QVector<QVector<QVariant>>()> work = [path = m_casePath, q = m_spec.query(
                                                                               m_sortColumn >= 0 ? m_sortColumn : m_spec.defaultSortColumn,
                                                                               m_sortColumn >= 0 ? m_sortOrder == Qt::DescendingOrder : m_spec.defaultDescending),
                                                        index = m_index, block] {
        return keyset::fetchBlock(readConnection(path), q, index, block);
    };
    runInBackground<QVector<QVector<QVariant>>>(self, std::move(work),
                                                [self, generation, block](TaskResult<QVector<QVector<QVariant>>> r) {
                                                    if (r.ok())
                                                        self->onBlock(generation, block, std::move(r.value));
                                                    else if (generation == self->m_generation)
                                                        self->m_pending.remove(block);
                                                },
                                                kVisibleRowsPriority);
}

void PagedTableModel::onBlock(quint64 generation, int block, QVector<QVector<QVariant>> rows)
{
    if (generation != m_generation)
        return;
    m_pending.remove(block);
    if (m_blocks.size() >= kMaxBlocks) {
        auto oldest = m_blocks.begin();
        for (auto it = m_blocks.begin(); it != m_blocks.end(); ++it)
            if (it->lastUse < oldest->lastUse)
                oldest = it;
        m_blocks.erase(oldest);
    }
    m_blocks.insert(block, Block{std::move(rows), ++m_useCounter});
    const int first = block * KeysetIndex::kBlockRows;
    const int last = std::min(rowCount() - 1, first + KeysetIndex::kBlockRows - 1);
    if (last >= first && columnCount() > 0)
        Q_EMIT dataChanged(index(first, 0), index(last, columnCount() - 1));
    Q_EMIT blockLoaded();
}

qint64 PagedTableModel::rowId(int row) const
{
    auto it = m_blocks.constFind(row / KeysetIndex::kBlockRows);
    if (it == m_blocks.constEnd())
        return 0;
    const int offset = row % KeysetIndex::kBlockRows;
    return offset < it->rows.size() ? it->rows[offset].value(0).toLongLong() : 0;
}

Pivot PagedTableModel::pivotAt(const QModelIndex& index) const
{
    if (!index.isValid() || index.column() >= m_spec.columns.size())
        return {};
    const PivotKind kind = pivotFor(m_spec.columns[index.column()].role);
    const QVariant raw = data(index, RawValueRole);
    if (kind == PivotKind::None || raw.isNull())
        return {};
    return {kind, raw.toString()};
}

QVariant PagedTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.column() >= m_spec.columns.size() || index.row() >= rowCount())
        return {};
    const ColumnSpec& col = m_spec.columns[index.column()];
    if (role == Qt::ToolTipRole) {
        // Long values are cut in the cell; the tooltip shows them whole (still neutralised plain text).
        const QVector<QVariant>* row = cachedRow(index.row());
        const bool textual = col.role != ColumnRole::Integer && col.role != ColumnRole::Real && col.role != ColumnRole::Ordinal
                             && col.role != ColumnRole::Bool && col.role != ColumnRole::Time;
        if (row && textual && !row->value(index.column() + 1).isNull())
            return displaytext::tooltip(row->value(index.column() + 1).toString() + QStringLiteral("\n\n") + col.tooltip);
        return col.tooltip;
    }
    if (role == ColumnRoleRole)
        return static_cast<int>(col.role);
    if (role == Qt::TextAlignmentRole)
        return col.role == ColumnRole::Integer || col.role == ColumnRole::Real || col.role == ColumnRole::Ordinal
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != RowIdRole && role != RawValueRole && role != PivotKindRole
        && role != Qt::ForegroundRole)
        return {};
    const QVector<QVariant>* row = cachedRow(index.row());
    if (role == Qt::ForegroundRole)
        return row ? QVariant() : QVariant(QGuiApplication::palette().color(QPalette::PlaceholderText));
    if (!row)
        return role == Qt::DisplayRole ? QVariant(QStringLiteral("…")) : QVariant();
    const QVariant& v = row->value(index.column() + 1); // column 0 of a fetched row is the id
    switch (role) {
    case RowIdRole: return row->value(0);
    case RawValueRole: return v;
    case PivotKindRole: return static_cast<int>(pivotFor(col.role));
    default: return format(v, col.role);
    }
}

QVariant PagedTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= m_spec.columns.size())
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole)
        return m_spec.columns[section].title;
    if (role == Qt::ToolTipRole)
        return m_spec.columns[section].tooltip
               + (m_spec.columns[section].sortKey.isEmpty() ? tr(" (not sortable)") : QString());
    return {};
}

Qt::SortOrder PagedTableModel::effectiveSortOrder() const
{
    if (m_sortColumn >= 0)
        return m_sortOrder;
    return m_spec.defaultDescending ? Qt::DescendingOrder : Qt::AscendingOrder;
}

void PagedTableModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= m_spec.columns.size() || m_spec.columns[column].sortKey.isEmpty())
        return;
    if (column == effectiveSortColumn() && order == effectiveSortOrder()) {
        m_sortColumn = column; // the header now agrees with the default; nothing to reload
        m_sortOrder = order;
        return;
    }
    m_sortColumn = column;
    m_sortOrder = order;
    reload();
}

} // namespace ds
