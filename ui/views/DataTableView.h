#pragma once

#include "workspace/Scope.h"

#include <QWidget>

class QLabel;
class QTableView;
class QHBoxLayout;
class QMenu;

namespace ds {

class AnalysisBanner;
class PagedTableModel;

// A titled, paged table with the analysis banner, a row counter, pivoting from
// any shareable value (double-click or context menu) and a remembered column
// layout. GUI thread only.
class DataTableView : public QWidget
{
    Q_OBJECT
public:
    DataTableView(const QString& title, PagedTableModel* model, QWidget* parent = nullptr);

    QTableView* table() const { return m_table; }
    PagedTableModel* model() const { return m_model; }
    AnalysisBanner* banner() const { return m_banner; }
    // Extra controls to the right of the title (filter box, export button).
    QHBoxLayout* toolRow() const { return m_tools; }
    // Puts `note` (a strip that says something about the rows, e.g. views/CarryNote) under the banner.
    void addNote(QWidget* note);

    QByteArray saveHeaderState() const;
    void restoreHeaderState(const QByteArray& state);

Q_SIGNALS:
    void pivotRequested(const ds::Pivot& pivot);
    // The context menu of `index` is about to open: listeners may add actions.
    void contextMenuAboutToShow(QMenu* menu, const QModelIndex& index);
    // The current row changed to the row with this id.
    void rowSelected(qint64 id);

private:
    void updateCount();
    // Widens the columns whose values are read whole (ColumnSpec::shownWhole) to fit what is shown.
    void fitWholeColumns();
    void showContextMenu(const QPoint& pos);

    PagedTableModel* m_model;
    QTableView* m_table = nullptr;
    AnalysisBanner* m_banner = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_count = nullptr;
    QHBoxLayout* m_tools = nullptr;
    QString m_titleText;
    bool m_headerRestored = false;
    bool m_fitColumnsPending = false;
    int m_fittedColumns = 0;
    QByteArray m_pendingHeaderState;
};

} // namespace ds
