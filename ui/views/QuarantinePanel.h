#pragma once

#include <QWidget>

namespace ds {

class DataTableView;
class PagedTableModel;

// The Quarantine dock: the records that could not be read, and below them the
// copies of a request_id whose content differs from the copy the case kept
// (workspace::conflictsTable), both evidence of what a log holds beyond its
// requests. Neither is filtered by the investigation's scope. GUI thread only.
class QuarantinePanel : public QWidget
{
    Q_OBJECT
public:
    // Shows `quarantineView` (the main window keeps its own model and export button) above the conflicts.
    explicit QuarantinePanel(DataTableView* quarantineView, QWidget* parent = nullptr);

    void setCase(const QString& path);
    DataTableView* conflictsView() const { return m_conflictsView; }

private:
    PagedTableModel* m_conflictsModel = nullptr;
    DataTableView* m_conflictsView = nullptr;
};

} // namespace ds
