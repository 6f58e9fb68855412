#include "views/DataTableView.h"

#include "models/PagedTableModel.h"
#include "text/DisplayText.h"
#include "views/AnalysisBanner.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QSignalBlocker>
#include <QTableView>
#include <QVBoxLayout>

namespace ds {

DataTableView::DataTableView(const QString& title, PagedTableModel* model, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
    , m_titleText(title)
{
    m_banner = new AnalysisBanner(this);
    m_title = new QLabel(title, this);
    m_title->setTextFormat(Qt::PlainText);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_count = new QLabel(this);
    m_count->setTextFormat(Qt::PlainText);
    // Fixed size: the count changes while data streams in and must not relayout the main window each time.
    m_count->setFixedSize(m_count->fontMetrics().horizontalAdvance(QStringLiteral("· 999,999,999 rows (could not lo")),
                          m_count->fontMetrics().height() + 2);
    m_tools = new QHBoxLayout;
    m_tools->setContentsMargins(0, 0, 0, 0);
    auto* head = new QHBoxLayout;
    head->setContentsMargins(6, 2, 6, 2);
    head->addWidget(m_title);
    head->addWidget(m_count);
    head->addStretch(1);
    head->addLayout(m_tools);

    m_table = new QTableView(this);
    m_table->setModel(model);
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->setVisible(false);
    // Fixed row height: the view never measures rows, so a million rows scroll smoothly.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionsMovable(true);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setDefaultSectionSize(130);
    // Fitting a column measures the visible rows only (Qt's default reads 1000 rows per column).
    m_table->horizontalHeader()->setResizeContentsPrecision(0);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addLayout(head);
    layout->addWidget(m_table, 1);

    connect(model, &PagedTableModel::loaded, this, [this] {
        updateCount();
        // The header shows the sort actually in effect (the default one until a header is clicked).
        // Blocked: showing the default sort must not pin it as the analyst's choice.
        QHeaderView* header = m_table->horizontalHeader();
        if (header->sortIndicatorSection() != m_model->effectiveSortColumn()
            || header->sortIndicatorOrder() != m_model->effectiveSortOrder()) {
            const QSignalBlocker block(header);
            header->setSortIndicator(m_model->effectiveSortColumn(), m_model->effectiveSortOrder());
            header->viewport()->update();
        }
        // New columns (detection results arrived): fit them once more.
        if (m_headerRestored && m_model->columnCount() != m_fittedColumns && m_pendingHeaderState.isEmpty())
            m_fitColumnsPending = true;
        if (!m_headerRestored && m_model->columnCount() > 0) {
            if (!m_pendingHeaderState.isEmpty())
                m_table->horizontalHeader()->restoreState(m_pendingHeaderState);
            else
                m_fitColumnsPending = true; // fit to the first rows once they arrive; later the analyst's widths win
            m_headerRestored = true;
        }
    });
    connect(model, &PagedTableModel::blockLoaded, this, [this] {
        fitWholeColumns();
        if (!m_fitColumnsPending)
            return;
        m_fitColumnsPending = false;
        m_fittedColumns = m_model->columnCount();
        // Text (ids, names, reasons) is elided and whole in the tooltip: one long value must not push the
        // numbers out of a narrow dock, so a text column takes at most two fifths of the view.
        const int textMax = std::clamp(m_table->viewport()->width() * 2 / 5, 120, 320);
        for (int c = 0; c < m_model->columnCount(); ++c) {
            m_table->resizeColumnToContents(c);
            const ColumnRole role = m_model->spec().columns[c].role;
            const bool number = role == ColumnRole::Integer || role == ColumnRole::Real || role == ColumnRole::Ordinal
                                || role == ColumnRole::Time || role == ColumnRole::Bool;
            m_table->setColumnWidth(c, std::clamp(m_table->columnWidth(c), 60, number ? 320 : textMax));
        }
        fitWholeColumns();
    });
    connect(model, &PagedTableModel::loadStarted, this, &DataTableView::updateCount);
    connect(model, &PagedTableModel::rowsReordered, this, [this] { m_table->selectionModel()->clear(); });
    connect(model, &PagedTableModel::loadFailed, this, [this](const QString& message) {
        m_count->setText(tr("(could not load: %1)").arg(message));
    });
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        const Pivot p = m_model->pivotAt(index);
        if (p.isActive())
            Q_EMIT pivotRequested(p);
    });
    connect(m_table, &QWidget::customContextMenuRequested, this, &DataTableView::showContextMenu);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid())
                    if (const qint64 id = m_model->rowId(current.row()))
                        Q_EMIT rowSelected(id);
            });
    // A model reset replaces the selection model's contents, not the object, so the connection above survives.
    updateCount();
}

void DataTableView::fitWholeColumns()
{
    // Grow only: a verdict that changes ("Needs review (was …)" after a re-run) must fit, and a width the analyst
    // chose wider stays.
    const QList<ColumnSpec>& columns = m_model->spec().columns;
    for (int c = 0; c < m_model->columnCount() && c < columns.size(); ++c) {
        if (!columns[c].shownWhole)
            continue;
        const int needed = std::max(static_cast<const QAbstractItemView*>(m_table)->sizeHintForColumn(c), m_table->horizontalHeader()->sectionSizeHint(c));
        if (needed > m_table->columnWidth(c))
            m_table->setColumnWidth(c, needed);
    }
}

void DataTableView::updateCount()
{
    const qint64 n = m_model->totalRows();
    QString text = m_model->isLoading() ? tr("· loading…") : tr("· %L1 rows").arg(n);
    m_count->setText(text);
}

void DataTableView::showContextMenu(const QPoint& pos)
{
    const QModelIndex index = m_table->indexAt(pos);
    if (!index.isValid())
        return;
    QMenu menu(this);
    const Pivot p = m_model->pivotAt(index);
    if (p.isActive()) {
        // Menu texts take '&' for a mnemonic: actionText doubles it.
        menu.addAction(tr("Pivot on %1 %2").arg(pivotKindName(p.kind), displaytext::actionText(p.value, 60)), this,
                       [this, p] { Q_EMIT pivotRequested(p); });
        if (p.kind == PivotKind::Ip)
            menu.addAction(tr("Pivot on network %1*").arg(displaytext::actionText(scopesql::networkPrefix(p.value), 60)),
                           this, [this, p] { Q_EMIT pivotRequested({PivotKind::Network, p.value}); });
    }
    const QString raw = index.data(PagedTableModel::RawValueRole).toString();
    menu.addAction(tr("Copy value"), this, [raw] { QApplication::clipboard()->setText(raw); });
    Q_EMIT contextMenuAboutToShow(&menu, index);
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

QByteArray DataTableView::saveHeaderState() const
{
    return m_model->columnCount() > 0 ? m_table->horizontalHeader()->saveState() : m_pendingHeaderState;
}

void DataTableView::restoreHeaderState(const QByteArray& state)
{
    m_pendingHeaderState = state;
    m_headerRestored = false;
}

void DataTableView::addNote(QWidget* note)
{
    // Under the banner (index 0), above the title row.
    static_cast<QVBoxLayout*>(layout())->insertWidget(1, note);
}

} // namespace ds
