#pragma once

#include "case/CaseEditor.h"

#include <QUndoCommand>

namespace ds {

// The undo commands behind CaseEditor's edits. Each holds what it needs to go
// both ways; the first redo() is the edit itself, later ones are audited as redo.
// GUI thread, like the editor (and its QUndoStack) that owns them.

class SetClusterStatesCommand : public QUndoCommand
{
public:
    // `batch` names a command that set many verdicts without a review of each (audited as its "via"); empty for
    // the analyst's own edits.
    SetClusterStatesCommand(CaseEditor* editor, std::vector<StateChange<ClusterRef>> changes, QString batch = {});
    void redo() override;
    void undo() override;

private:
    CaseEditor* m_editor;
    std::vector<StateChange<ClusterRef>> m_changes;
    QString m_batch;
    bool m_done = false;
};

class SetAccountStatesCommand : public QUndoCommand
{
public:
    SetAccountStatesCommand(CaseEditor* editor, std::vector<StateChange<std::int64_t>> changes);
    void redo() override;
    void undo() override;

private:
    CaseEditor* m_editor;
    std::vector<StateChange<std::int64_t>> m_changes;
    bool m_done = false;
};

class SetNoteCommand : public QUndoCommand
{
public:
    SetNoteCommand(CaseEditor* editor, NoteField field, QString from, QString to);
    void redo() override;
    void undo() override;

private:
    CaseEditor* m_editor;
    NoteField m_field;
    QString m_from, m_to;
    bool m_done = false;
};

class AddPinCommand : public QUndoCommand
{
public:
    AddPinCommand(CaseEditor* editor, PinnedItem item);
    void redo() override;
    void undo() override;
    std::int64_t pinId() const { return m_item.id; }

private:
    CaseEditor* m_editor;
    PinnedItem m_item;
    bool m_done = false;
};

class RemovePinCommand : public QUndoCommand
{
public:
    RemovePinCommand(CaseEditor* editor, PinnedItem item);
    void redo() override;
    void undo() override;

private:
    CaseEditor* m_editor;
    PinnedItem m_item;
    bool m_done = false;
};

class SetPinNoteCommand : public QUndoCommand
{
public:
    SetPinNoteCommand(CaseEditor* editor, std::int64_t id, QString from, QString to);
    void redo() override;
    void undo() override;

private:
    CaseEditor* m_editor;
    std::int64_t m_id;
    QString m_from, m_to;
    bool m_done = false;
};

} // namespace ds
