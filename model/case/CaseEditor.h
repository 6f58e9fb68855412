#pragma once

#include "case/AuditLog.h"
#include "case/CaseStore.h"
#include "core/Sqlite.h"

#include <QObject>
#include <QUndoStack>

#include <vector>

namespace ds {

// A change of review state, as the undo commands replay it.
template<typename Subject>
struct StateChange
{
    Subject subject;
    ReviewState from = ReviewState::Unreviewed, to = ReviewState::Unreviewed;
};

// The analyst's edits to an open case: review states, case notes, pins. Every
// edit is one QUndoCommand on undoStack() (a selection changed at once is one
// step) and one audit-log entry; undo and redo are audited too ("via": "undo" /
// "redo"), because the log is append-only. Owns its own write connection.
// GUI thread only: create, call and destroy it on one thread; signals are emitted
// synchronously after each change is committed. Only prepare() may run elsewhere.
class CaseEditor : public QObject
{
    Q_OBJECT
public:
    // Opens (and if needed prepares) the case for editing. Throws CaseOpenError or DatabaseError.
    explicit CaseEditor(const QString& casePath, QObject* parent = nullptr);
    // The slow part of opening, for a worker thread: opens the write connection (with the integrity
    // check of the case's small tables, about half a second at a million accounts), creates the case
    // tables and audits the runs not yet logged. Any thread; hand the connection to the constructor
    // below on the editor's thread. Throws CaseOpenError or DatabaseError.
    static SqliteDb prepare(const QString& casePath);
    // Takes a connection prepare() made.
    explicit CaseEditor(SqliteDb&& prepared, QObject* parent = nullptr);
    ~CaseEditor() override;
    Q_DISABLE_COPY_MOVE(CaseEditor)

    QString casePath() const { return m_db.path(); }
    QUndoStack* undoStack() { return &m_undo; }
    // Reads (states, notes, pins) through the editor's connection.
    const CaseStore& store() const { return m_store; }
    SqliteDb& database() { return m_db; }

    // --- undoable edits ---
    // `batch`: the command that set them all without reviewing each (see SetClusterStatesCommand), or empty.
    void setClusterStates(const std::vector<ClusterRef>& clusters, ReviewState state, const QString& batch = {});
    void setAccountStates(const std::vector<std::int64_t>& accounts, ReviewState state);
    void setNote(NoteField field, const QString& value);
    // Returns the new pin's id.
    std::int64_t addPin(PinnedItem item);
    void removePin(std::int64_t id);
    void setPinNote(std::int64_t id, const QString& note);

    // --- audited, not undoable (history is not an edit) ---
    // Records an analysis run the GUI started (import, detection, export) with its settings.
    void recordAnalysis(const QString& action, const QString& subject, const QJsonObject& settings);
    // Audits imports and detection runs found in the case but not yet in the log (see audit::syncAnalysisRuns).
    int syncAnalysisRuns();
    std::vector<AuditEntry> auditLog();

    // --- used by the undo commands (CaseCommands.cpp) ---
    void applyClusterStates(const std::vector<StateChange<ClusterRef>>& changes, const QString& via);
    void applyAccountStates(const std::vector<StateChange<std::int64_t>>& changes, const QString& via);
    void applyNote(NoteField field, const QString& from, const QString& to, const QString& via);
    void applyPinInsert(const PinnedItem& item, const QString& via);
    void applyPinRemove(const PinnedItem& item, const QString& via);
    void applyPinNote(std::int64_t id, const QString& from, const QString& to, const QString& via);

Q_SIGNALS:
    void reviewStatesChanged();
    void notesChanged();
    void pinsChanged();
    void auditLogChanged();
    // A write failed (disk full, file removed); the message is for the analyst.
    void editFailed(const QString& message);

private:
    template<typename F>
    bool write(F&& body);

    SqliteDb m_db;
    CaseStore m_store{m_db};
    QUndoStack m_undo;
};

} // namespace ds
