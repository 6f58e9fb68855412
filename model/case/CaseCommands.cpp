#include "case/CaseCommands.h"

namespace ds {

namespace {

const QString kEdit = QStringLiteral("edit");
const QString kUndo = QStringLiteral("undo");
const QString kRedo = QStringLiteral("redo");

template<typename T>
std::vector<StateChange<T>> reversed(const std::vector<StateChange<T>>& changes)
{
    std::vector<StateChange<T>> out;
    out.reserve(changes.size());
    for (const auto& c : changes)
        out.push_back({c.subject, c.to, c.from});
    return out;
}

QString selectionText(std::size_t n, const char* one, const char* many)
{
    return n == 1 ? QString::fromLatin1(one) : QStringLiteral("%1 %2").arg(n).arg(QString::fromLatin1(many));
}

} // namespace

SetClusterStatesCommand::SetClusterStatesCommand(CaseEditor* editor, std::vector<StateChange<ClusterRef>> changes, QString batch)
    : m_editor(editor)
    , m_changes(std::move(changes))
    , m_batch(std::move(batch))
{
    setText(QStringLiteral("Mark %1 as %2")
                .arg(selectionText(m_changes.size(), "network", "networks"),
                     reviewStateLabel(m_changes.empty() ? ReviewState::Unreviewed : m_changes.front().to).toLower()));
}

void SetClusterStatesCommand::redo()
{
    // A redone batch is still a batch: the report must not read it as the analyst's review.
    m_editor->applyClusterStates(m_changes, !m_batch.isEmpty() ? m_batch : m_done ? kRedo : kEdit);
    m_done = true;
}

void SetClusterStatesCommand::undo() { m_editor->applyClusterStates(reversed(m_changes), kUndo); }

SetAccountStatesCommand::SetAccountStatesCommand(CaseEditor* editor, std::vector<StateChange<std::int64_t>> changes)
    : m_editor(editor)
    , m_changes(std::move(changes))
{
    setText(QStringLiteral("Mark %1 as %2")
                .arg(selectionText(m_changes.size(), "account", "accounts"),
                     reviewStateLabel(m_changes.empty() ? ReviewState::Unreviewed : m_changes.front().to).toLower()));
}

void SetAccountStatesCommand::redo()
{
    m_editor->applyAccountStates(m_changes, m_done ? kRedo : kEdit);
    m_done = true;
}

void SetAccountStatesCommand::undo() { m_editor->applyAccountStates(reversed(m_changes), kUndo); }

SetNoteCommand::SetNoteCommand(CaseEditor* editor, NoteField field, QString from, QString to)
    : m_editor(editor)
    , m_field(field)
    , m_from(std::move(from))
    , m_to(std::move(to))
{
    setText(QStringLiteral("Edit %1").arg(noteFieldLabel(field).toLower()));
}

void SetNoteCommand::redo()
{
    m_editor->applyNote(m_field, m_from, m_to, m_done ? kRedo : kEdit);
    m_done = true;
}

void SetNoteCommand::undo() { m_editor->applyNote(m_field, m_to, m_from, kUndo); }

AddPinCommand::AddPinCommand(CaseEditor* editor, PinnedItem item)
    : m_editor(editor)
    , m_item(std::move(item))
{
    setText(QStringLiteral("Pin %1").arg(pinKindLabel(m_item.kind).toLower()));
}

void AddPinCommand::redo()
{
    m_editor->applyPinInsert(m_item, m_done ? kRedo : kEdit);
    m_done = true;
}

void AddPinCommand::undo() { m_editor->applyPinRemove(m_item, kUndo); }

RemovePinCommand::RemovePinCommand(CaseEditor* editor, PinnedItem item)
    : m_editor(editor)
    , m_item(std::move(item))
{
    setText(QStringLiteral("Remove pinned %1").arg(pinKindLabel(m_item.kind).toLower()));
}

void RemovePinCommand::redo()
{
    m_editor->applyPinRemove(m_item, m_done ? kRedo : kEdit);
    m_done = true;
}

// Re-inserted with its old id, so anything that referred to the pin still does.
void RemovePinCommand::undo() { m_editor->applyPinInsert(m_item, kUndo); }

SetPinNoteCommand::SetPinNoteCommand(CaseEditor* editor, std::int64_t id, QString from, QString to)
    : m_editor(editor)
    , m_id(id)
    , m_from(std::move(from))
    , m_to(std::move(to))
{
    setText(QStringLiteral("Edit note of pinned evidence"));
}

void SetPinNoteCommand::redo()
{
    m_editor->applyPinNote(m_id, m_from, m_to, m_done ? kRedo : kEdit);
    m_done = true;
}

void SetPinNoteCommand::undo() { m_editor->applyPinNote(m_id, m_to, m_from, kUndo); }

} // namespace ds
