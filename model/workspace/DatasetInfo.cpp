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
    SqliteStatement st(db, "SELECT MIN(ts), MAX(ts) FROM request");
    if (st.step() && !st.isNull(0)) {
        d.firstTs = st.columnInt(0);
        d.lastTs = st.columnInt(1);
    }
    return d;
}

} // namespace ds
