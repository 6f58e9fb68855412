#pragma once

#include "case/CaseNotes.h"
#include "case/PinnedItem.h"
#include "case/ReviewState.h"

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace ds {

class SqliteDb;

// A flagged network of one detection run (clusters are numbered per run).
struct ClusterRef
{
    std::int64_t run = 0, cluster = 0;
    auto operator<=>(const ClusterRef&) const = default;
};

// Reads and writes the analyst's tables (review states, notes, pins) on the
// caller's connection, without auditing or undo: CaseEditor adds those for
// interactive edits. Use on the thread that owns `db`; call ensureCaseTables first.
class CaseStore
{
public:
    explicit CaseStore(SqliteDb& db)
        : m_db(db)
    {
    }

    ReviewState clusterState(const ClusterRef& c) const;
    std::map<ClusterRef, ReviewState> clusterStates() const; // only reviewed ones
    void setClusterState(const ClusterRef& c, ReviewState s);

    ReviewState accountState(std::int64_t account) const;
    std::map<std::int64_t, ReviewState> accountStates() const; // only reviewed ones
    void setAccountState(std::int64_t account, ReviewState s);

    CaseNotes notes() const;
    void setNote(NoteField f, const QString& value);

    std::vector<PinnedItem> pins() const; // in pinning order
    std::optional<PinnedItem> pin(std::int64_t id) const;
    // Stores `item`; reuses item.id when non-zero (undo of a removal), else assigns one. Returns the id.
    std::int64_t insertPin(const PinnedItem& item);
    void removePin(std::int64_t id);
    void setPinNote(std::int64_t id, const QString& note);

private:
    SqliteDb& m_db;
};

} // namespace ds
