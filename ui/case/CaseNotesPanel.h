#pragma once

#include "case/CaseNotes.h"

#include <QWidget>

#include <array>

class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace ds {

class CaseEditor;

// Edits the case notes (title, case id, analyst, summary, free text). A field is
// committed through CaseEditor::setNote when its editing finishes (Return or
// focus out), so each commit is one undo step and one audit entry, not one per
// keystroke. Follows notesChanged (undo, redo) without clobbering a field the
// analyst is still typing in. GUI thread only.
class CaseNotesPanel : public QWidget
{
    Q_OBJECT
public:
    explicit CaseNotesPanel(CaseEditor* editor, QWidget* parent = nullptr);

    // Commits every field whose text differs from the case (e.g. before an export).
    void commitAll();
    // The editor widget of a field: a QLineEdit for title, case id and analyst, else a QPlainTextEdit.
    QWidget* fieldWidget(NoteField field) const { return m_widgets[static_cast<std::size_t>(field)]; }
    // Says which fields hold invisible direction controls (pasted attacker text can reorder what is
    // shown, e.g. "gnp.exe" displayed as "exe.png"); hidden when none do.
    QLabel* bidiWarning() const { return m_bidiWarning; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void reload();
    void commit(NoteField field);
    QString text(NoteField field) const;
    void setText(NoteField field, const QString& value);
    void updateBidiWarning();

    CaseEditor* m_editor;
    std::array<QWidget*, kNoteFieldCount> m_widgets{};
    QLabel* m_bidiWarning = nullptr;
    CaseNotes m_committed; // what the case holds, as last read
    // What each widget showed for m_committed: an editor normalises some characters (a lone CR becomes a
    // line break), so "unchanged" means unchanged from this, never from the stored text.
    std::array<QString, kNoteFieldCount> m_shown{};
};

} // namespace ds
