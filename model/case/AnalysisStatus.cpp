#include "case/AnalysisStatus.h"

#include "core/Sqlite.h"
#include "detect/DetectionLock.h"
#include "detect/DetectionResults.h"

namespace ds {

AnalysisStatus analysisStatus(SqliteDb& db)
{
    AnalysisStatus s;
    if (db.queryInt("SELECT count(*) FROM source_file") == 0) {
        s.reason = QStringLiteral("No log file has been imported into this case.");
        return s;
    }
    s.run = DetectionResults::latestRun(db);
    if (!s.run) {
        s.reason = QStringLiteral("Detection has not finished on this case.");
        return s;
    }
    // A run left 'running' by a killed process holds no lock: it is not in progress.
    if (db.queryInt(("SELECT count(*) FROM detection_run WHERE status = 'running' AND id > "
                     + std::to_string(*s.run)).c_str()) > 0
        && DetectionLock::isHeld(db.path())) {
        s.reason = QStringLiteral("A newer detection run is still in progress.");
        return s;
    }
    const std::int64_t started = db.queryInt(("SELECT started_at FROM detection_run WHERE id = " + std::to_string(*s.run)).c_str());
    if (db.queryInt(("SELECT count(*) FROM source_file WHERE imported_at > " + std::to_string(started)).c_str()) > 0) {
        s.reason = QStringLiteral("Files were imported after the latest detection run; its results do not cover them.");
        return s;
    }
    s.complete = true;
    return s;
}

} // namespace ds
