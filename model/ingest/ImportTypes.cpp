#include "ingest/ImportTypes.h"

namespace ds {

bool ImportSummary::anyImported() const
{
    for (const FileReport& f : files)
        if (f.outcome == FileReport::Outcome::Imported || f.outcome == FileReport::Outcome::AlreadyImported)
            return true;
    return false;
}

bool ImportSummary::everyRecordQuarantined() const
{
    bool quarantined = false;
    for (const FileReport& f : files) {
        if (f.outcome != FileReport::Outcome::Imported && f.outcome != FileReport::Outcome::AlreadyImported)
            continue;
        if (f.records > 0 || f.skipped > 0 || f.recognisedBeforeReading)
            return false;
        quarantined = quarantined || f.quarantined > 0;
    }
    return quarantined;
}

const char* outcomeName(FileReport::Outcome o)
{
    switch (o) {
    case FileReport::Outcome::Imported: return "imported";
    case FileReport::Outcome::AlreadyImported: return "already-imported";
    case FileReport::Outcome::Refused: return "refused";
    case FileReport::Outcome::Cancelled: return "cancelled";
    case FileReport::Outcome::Failed: return "failed";
    }
    return "?";
}

} // namespace ds
