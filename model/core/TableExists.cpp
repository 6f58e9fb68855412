#include "core/TableExists.h"

#include "core/Sqlite.h"

namespace ds {

bool tableExists(SqliteDb& db, const char* name)
{
    SqliteStatement st(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
    st.bindText(1, name);
    return st.step();
}

} // namespace ds
