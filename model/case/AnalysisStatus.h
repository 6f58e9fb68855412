#pragma once

#include <QString>

#include <cstdint>
#include <optional>

namespace ds {

class SqliteDb;

// Whether the case's analysis is finished and current, so a report or export can
// say on every page when it is not. Plain value: any thread.
struct AnalysisStatus
{
    bool complete = false;
    QString reason; // why not, in one sentence for the analyst (empty when complete)
    std::optional<std::int64_t> run; // the latest finished detection run
};

// Incomplete when nothing was imported, detection never finished, a run is
// still going, or files were imported after the latest finished run started.
// Caller's connection and thread.
AnalysisStatus analysisStatus(SqliteDb& db);

} // namespace ds
