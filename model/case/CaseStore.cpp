#include "case/CaseStore.h"

#include "core/Sqlite.h"

#include <QDateTime>
#include <QJsonDocument>

namespace ds {

namespace {

std::int64_t now() { return QDateTime::currentMSecsSinceEpoch(); }

PinnedItem readPin(const SqliteStatement& st)
{
    PinnedItem p;
    p.id = st.columnInt(0);
    parsePinKind(st.columnText(1), &p.kind);
    p.title = st.columnText(2);
    p.note = st.columnText(3);
    if (!st.isNull(4) && !st.isNull(5)) {
        p.run = st.columnInt(4);
        p.cluster = st.columnInt(5);
    }
    if (!st.isNull(6))
        p.account = st.columnInt(6);
    p.payload = QJsonDocument::fromJson(st.columnText(7).toUtf8()).object();
    p.picture = st.columnBlob(8);
    p.svg = st.columnBlob(9);
    p.thumbnail = st.columnBlob(10);
    p.createdAt = st.columnInt(11);
    return p;
}

constexpr const char* kPinColumns = "SELECT id, kind, title, note, run, cluster, account, payload, picture, svg, thumbnail, "
                                    "created_at FROM pin ";

} // namespace

ReviewState CaseStore::clusterState(const ClusterRef& c) const
{
    SqliteStatement st(m_db, "SELECT state FROM cluster_review WHERE run = ?1 AND cluster = ?2");
    st.bind(1, c.run);
    st.bind(2, c.cluster);
    return st.step() ? reviewStateFromInt(st.columnInt(0)) : ReviewState::Unreviewed;
}

std::map<ClusterRef, ReviewState> CaseStore::clusterStates() const
{
    SqliteStatement st(m_db, "SELECT run, cluster, state FROM cluster_review");
    std::map<ClusterRef, ReviewState> out;
    while (st.step())
        out[{st.columnInt(0), st.columnInt(1)}] = reviewStateFromInt(st.columnInt(2));
    return out;
}

void CaseStore::setClusterState(const ClusterRef& c, ReviewState s)
{
    if (s == ReviewState::Unreviewed) {
        SqliteStatement st(m_db, "DELETE FROM cluster_review WHERE run = ?1 AND cluster = ?2");
        st.bind(1, c.run);
        st.bind(2, c.cluster);
        st.run();
        return;
    }
    SqliteStatement st(m_db, "INSERT OR REPLACE INTO cluster_review(run, cluster, state, updated_at) VALUES(?1,?2,?3,?4)");
    st.bind(1, c.run);
    st.bind(2, c.cluster);
    st.bind(3, static_cast<int>(s));
    st.bind(4, now());
    st.run();
}

ReviewState CaseStore::accountState(std::int64_t account) const
{
    SqliteStatement st(m_db, "SELECT state FROM account_review WHERE account = ?1");
    st.bind(1, account);
    return st.step() ? reviewStateFromInt(st.columnInt(0)) : ReviewState::Unreviewed;
}

std::map<std::int64_t, ReviewState> CaseStore::accountStates() const
{
    SqliteStatement st(m_db, "SELECT account, state FROM account_review");
    std::map<std::int64_t, ReviewState> out;
    while (st.step())
        out[st.columnInt(0)] = reviewStateFromInt(st.columnInt(1));
    return out;
}

void CaseStore::setAccountState(std::int64_t account, ReviewState s)
{
    if (s == ReviewState::Unreviewed) {
        SqliteStatement st(m_db, "DELETE FROM account_review WHERE account = ?1");
        st.bind(1, account);
        st.run();
        return;
    }
    SqliteStatement st(m_db, "INSERT OR REPLACE INTO account_review(account, state, updated_at) VALUES(?1,?2,?3)");
    st.bind(1, account);
    st.bind(2, static_cast<int>(s));
    st.bind(3, now());
    st.run();
}

CaseNotes CaseStore::notes() const
{
    CaseNotes n;
    SqliteStatement st(m_db, "SELECT key, value FROM case_note");
    while (st.step()) {
        const QString key = st.columnText(0);
        for (int i = 0; i < kNoteFieldCount; ++i) {
            const auto f = static_cast<NoteField>(i);
            if (key == QLatin1String(noteFieldKey(f)))
                n.set(f, st.columnText(1));
        }
    }
    return n;
}

void CaseStore::setNote(NoteField f, const QString& value)
{
    SqliteStatement st(m_db, "INSERT OR REPLACE INTO case_note(key, value) VALUES(?1, ?2)");
    st.bindText(1, noteFieldKey(f));
    st.bindText(2, value);
    st.run();
}

std::vector<PinnedItem> CaseStore::pins() const
{
    SqliteStatement st(m_db, (std::string(kPinColumns) + "ORDER BY created_at, id").c_str());
    std::vector<PinnedItem> out;
    while (st.step())
        out.push_back(readPin(st));
    return out;
}

std::optional<PinnedItem> CaseStore::pin(std::int64_t id) const
{
    SqliteStatement st(m_db, (std::string(kPinColumns) + "WHERE id = ?1").c_str());
    st.bind(1, id);
    if (!st.step())
        return std::nullopt;
    return readPin(st);
}

std::int64_t CaseStore::insertPin(const PinnedItem& item)
{
    SqliteStatement st(m_db, "INSERT INTO pin(id, kind, title, note, run, cluster, account, payload, picture, svg, thumbnail, "
                             "created_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)");
    item.id ? st.bind(1, item.id) : st.bindNull(1);
    st.bindText(2, pinKindKey(item.kind));
    st.bindText(3, item.title);
    st.bindText(4, item.note);
    st.bindOptional(5, item.run);
    st.bindOptional(6, item.cluster);
    st.bindOptional(7, item.account);
    st.bindText(8, QString::fromUtf8(QJsonDocument(item.payload).toJson(QJsonDocument::Compact)));
    auto blob = [&](int i, const QByteArray& b) {
        b.isEmpty() ? st.bindNull(i) : st.bindBlob(i, std::string_view(b.constData(), static_cast<size_t>(b.size())));
    };
    blob(9, item.picture);
    blob(10, item.svg);
    blob(11, item.thumbnail);
    st.bind(12, item.createdAt ? item.createdAt : now());
    st.run();
    return item.id ? item.id : m_db.lastInsertRowId();
}

void CaseStore::removePin(std::int64_t id)
{
    SqliteStatement st(m_db, "DELETE FROM pin WHERE id = ?1");
    st.bind(1, id);
    st.run();
}

void CaseStore::setPinNote(std::int64_t id, const QString& note)
{
    SqliteStatement st(m_db, "UPDATE pin SET note = ?2 WHERE id = ?1");
    st.bind(1, id);
    st.bindText(2, note);
    st.run();
}

} // namespace ds
