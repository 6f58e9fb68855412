#include "case/CaseEditor.h"

#include "case/CaseCommands.h"
#include "case/CaseTables.h"
#include "core/CaseDatabase.h"

#include <QDateTime>
#include <QJsonArray>

namespace ds {

namespace {

QString clusterSubject(const ClusterRef& c) { return QStringLiteral("network %1 of detection run %2").arg(c.cluster).arg(c.run); }

QString accountName(SqliteDb& db, std::int64_t account)
{
    SqliteStatement st(db, "SELECT account_id FROM account WHERE id = ?1");
    st.bind(1, account);
    return st.step() ? st.columnText(0) : QStringLiteral("#%1").arg(account);
}

} // namespace

SqliteDb CaseEditor::prepare(const QString& casePath)
{
    SqliteDb db = CaseDatabase::openForWriting(casePath);
    {
        SqliteTransaction tx(db);
        ensureCaseTables(db);
        audit::syncAnalysisRuns(db);
        tx.commit();
    }
    return db;
}

CaseEditor::CaseEditor(const QString& casePath, QObject* parent)
    : CaseEditor(prepare(casePath), parent)
{
}

CaseEditor::CaseEditor(SqliteDb&& prepared, QObject* parent)
    : QObject(parent)
    , m_db(std::move(prepared))
{
}

CaseEditor::~CaseEditor()
{
    // Commands hold a pointer to this editor; drop them before the connection goes.
    m_undo.clear();
}

template<typename F>
bool CaseEditor::write(F&& body)
{
    try {
        SqliteTransaction tx(m_db);
        body();
        tx.commit();
        return true;
    } catch (const DatabaseError& e) {
        Q_EMIT editFailed(QStringLiteral("Could not save the change to the case: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
}

void CaseEditor::setClusterStates(const std::vector<ClusterRef>& clusters, ReviewState state, const QString& batch)
{
    std::vector<StateChange<ClusterRef>> changes;
    for (const ClusterRef& c : clusters) {
        const ReviewState from = m_store.clusterState(c);
        if (from != state)
            changes.push_back({c, from, state});
    }
    if (!changes.empty())
        m_undo.push(new SetClusterStatesCommand(this, std::move(changes), batch));
}

void CaseEditor::setAccountStates(const std::vector<std::int64_t>& accounts, ReviewState state)
{
    std::vector<StateChange<std::int64_t>> changes;
    for (std::int64_t a : accounts) {
        const ReviewState from = m_store.accountState(a);
        if (from != state)
            changes.push_back({a, from, state});
    }
    if (!changes.empty())
        m_undo.push(new SetAccountStatesCommand(this, std::move(changes)));
}

void CaseEditor::setNote(NoteField field, const QString& value)
{
    const QString from = m_store.notes().value(field);
    if (from != value)
        m_undo.push(new SetNoteCommand(this, field, from, value));
}

std::int64_t CaseEditor::addPin(PinnedItem item)
{
    // The id and time are fixed now so that undo and redo restore exactly this item.
    item.id = m_db.queryInt("SELECT coalesce(max(id), 0) + 1 FROM pin");
    if (!item.createdAt)
        item.createdAt = QDateTime::currentMSecsSinceEpoch();
    auto* cmd = new AddPinCommand(this, std::move(item));
    const std::int64_t id = cmd->pinId();
    m_undo.push(cmd);
    return id;
}

void CaseEditor::removePin(std::int64_t id)
{
    if (auto item = m_store.pin(id))
        m_undo.push(new RemovePinCommand(this, std::move(*item)));
}

void CaseEditor::setPinNote(std::int64_t id, const QString& note)
{
    const auto item = m_store.pin(id);
    if (item && item->note != note)
        m_undo.push(new SetPinNoteCommand(this, id, item->note, note));
}

void CaseEditor::recordAnalysis(const QString& action, const QString& subject, const QJsonObject& settings)
{
    if (write([&] { audit::append(m_db, action, subject, settings); }))
        Q_EMIT auditLogChanged();
}

int CaseEditor::syncAnalysisRuns()
{
    int added = 0;
    write([&] { added = audit::syncAnalysisRuns(m_db); });
    if (added)
        Q_EMIT auditLogChanged();
    return added;
}

std::vector<AuditEntry> CaseEditor::auditLog() { return audit::entries(m_db); }

void CaseEditor::applyClusterStates(const std::vector<StateChange<ClusterRef>>& changes, const QString& via)
{
    const bool ok = write([&] {
        for (const auto& c : changes) {
            m_store.setClusterState(c.subject, c.to);
            audit::append(m_db, QStringLiteral("review network"), clusterSubject(c.subject),
                          {{QStringLiteral("run"), qint64(c.subject.run)},
                           {QStringLiteral("cluster"), qint64(c.subject.cluster)},
                           {QStringLiteral("from"), reviewStateKey(c.from)},
                           {QStringLiteral("to"), reviewStateKey(c.to)},
                           {QStringLiteral("via"), via}});
        }
    });
    if (ok) {
        Q_EMIT reviewStatesChanged();
        Q_EMIT auditLogChanged();
    }
}

void CaseEditor::applyAccountStates(const std::vector<StateChange<std::int64_t>>& changes, const QString& via)
{
    const bool ok = write([&] {
        for (const auto& c : changes) {
            m_store.setAccountState(c.subject, c.to);
            audit::append(m_db, QStringLiteral("review account"), QStringLiteral("account %1").arg(accountName(m_db, c.subject)),
                          {{QStringLiteral("account"), qint64(c.subject)},
                           {QStringLiteral("from"), reviewStateKey(c.from)},
                           {QStringLiteral("to"), reviewStateKey(c.to)},
                           {QStringLiteral("via"), via}});
        }
    });
    if (ok) {
        Q_EMIT reviewStatesChanged();
        Q_EMIT auditLogChanged();
    }
}

void CaseEditor::applyNote(NoteField field, const QString& from, const QString& to, const QString& via)
{
    const bool ok = write([&] {
        m_store.setNote(field, to);
        audit::append(m_db, QStringLiteral("edit case note"), QString::fromLatin1(noteFieldKey(field)),
                      {{QStringLiteral("from"), from}, {QStringLiteral("to"), to}, {QStringLiteral("via"), via}});
    });
    if (ok) {
        Q_EMIT notesChanged();
        Q_EMIT auditLogChanged();
    }
}

namespace {

QJsonObject pinSummary(const PinnedItem& item, const QString& via)
{
    QJsonObject d{{QStringLiteral("kind"), pinKindKey(item.kind)},
                  {QStringLiteral("title"), item.title},
                  {QStringLiteral("note"), item.note},
                  {QStringLiteral("via"), via}};
    if (item.run)
        d.insert(QStringLiteral("run"), qint64(*item.run));
    if (item.cluster)
        d.insert(QStringLiteral("cluster"), qint64(*item.cluster));
    if (item.account)
        d.insert(QStringLiteral("account"), qint64(*item.account));
    return d;
}

} // namespace

void CaseEditor::applyPinInsert(const PinnedItem& item, const QString& via)
{
    const bool ok = write([&] {
        m_store.insertPin(item);
        audit::append(m_db, QStringLiteral("pin evidence"), QStringLiteral("pin %1").arg(item.id), pinSummary(item, via));
    });
    if (ok) {
        Q_EMIT pinsChanged();
        Q_EMIT auditLogChanged();
    }
}

void CaseEditor::applyPinRemove(const PinnedItem& item, const QString& via)
{
    const bool ok = write([&] {
        m_store.removePin(item.id);
        audit::append(m_db, QStringLiteral("remove pinned evidence"), QStringLiteral("pin %1").arg(item.id),
                      pinSummary(item, via));
    });
    if (ok) {
        Q_EMIT pinsChanged();
        Q_EMIT auditLogChanged();
    }
}

void CaseEditor::applyPinNote(std::int64_t id, const QString& from, const QString& to, const QString& via)
{
    const bool ok = write([&] {
        m_store.setPinNote(id, to);
        audit::append(m_db, QStringLiteral("edit pin note"), QStringLiteral("pin %1").arg(id),
                      {{QStringLiteral("from"), from}, {QStringLiteral("to"), to}, {QStringLiteral("via"), via}});
    });
    if (ok) {
        Q_EMIT pinsChanged();
        Q_EMIT auditLogChanged();
    }
}

} // namespace ds
