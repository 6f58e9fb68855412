#pragma once

#include "case/PinnedItem.h"

#include <QWidget>

#include <vector>

class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace ds {

class CaseEditor;

// The evidence pinned into the case (kind, title, network or account, note,
// thumbnail). The selected pin's note is edited below the list and committed
// through CaseEditor::setPinNote on focus out (one undo step); Remove (or
// Delete) removes through CaseEditor::removePin, undoable. Double-click emits
// pinActivated so the main window can show the evidence. GUI thread only.
class PinsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit PinsPanel(CaseEditor* editor, QWidget* parent = nullptr);

    QListWidget* list() const { return m_list; }
    QPlainTextEdit* noteEdit() const { return m_note; }
    QPushButton* removeButton() const { return m_remove; }
    // The pin shown in `row` of the list, or nullptr.
    const PinnedItem* pinAt(int row) const;
    // Commits the note being edited, if it changed.
    void commitNote();
    // Selects the pin with this id (its note box becomes editable); false if it is not listed.
    bool selectPin(std::int64_t id);

Q_SIGNALS:
    void pinActivated(const ds::PinnedItem& pin);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void reload();
    void showSelected();
    void removeSelected();
    QString ownerText(const PinnedItem& pin) const;

    CaseEditor* m_editor;
    QListWidget* m_list;
    QLabel* m_heading;
    QPlainTextEdit* m_note;
    QPushButton* m_remove;
    std::vector<PinnedItem> m_pins; // in list order
    std::int64_t m_noteFor = 0;     // the pin the note box shows
};

} // namespace ds
