#include "workspace/DatasetInfo.h"

#include "core/Sqlite.h"

namespace ds {

DatasetInfo DatasetInfo::load(SqliteDb& db)
{
    DatasetInfo d;
    d.requests = db.queryInt("SELECT COUNT(*) FROM request");
    d.accounts = db.queryInt("SELECT COUNT(*) FROM account");
    d.quarantined = db.queryInt("SELECT COUNT(*) FROM quarantine");
    d.files = db.queryInt("SELECT COUNT(*) FROM source_file");
    // Two subqueries, each one step along request(ts): MIN and MAX in one aggregate read every row.
    SqliteStatement st(db, "SELECT (SELECT MIN(ts) FROM request), (SELECT MAX(ts) FROM request)");
    if (st.step() && !st.isNull(0)) {
        d.firstTs = st.columnInt(0);
        d.lastTs = st.columnInt(1);
    }
    return d;
}

} // namespace ds
