#include "workspace/DatasetInfo.h"

#include "core/Sqlite.h"
#include "workspace/DetectionTables.h"
#include "workspace/ViewTables.h"

namespace ds {

DatasetInfo DatasetInfo::load(SqliteDb& db)
{
    DatasetInfo d;
    // While the latest run's views are current the case still has the requests detection counted: COUNT(*)
    // would read a whole index of request (half a second at 6.5M requests, as the case opens).
    d.requests = -1;
    if (const std::optional<std::int64_t> run = detectiontables::latestRun(db); run && viewtables::current(db, *run)) {
        SqliteStatement st(db, "SELECT requests FROM view_run WHERE run = ?");
        st.bind(1, *run);
        if (st.step())
            d.requests = st.columnInt(0);
    }
    if (d.requests < 0)
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
