#pragma once

#include "core/CancelToken.h"
#include "ingest/ImportTypes.h"

namespace ds {

// Imports log files into a case database: checks every file's content first
// (refusing what is not a log before writing anything), then streams each file
// through a parser thread into the single SQLite writer on the calling thread.
// Each file commits as one transaction, so a cancel, an error or a crash leaves
// the case as it was before that file, and the file can simply be imported again.
// Call from a worker thread (the GUI wraps it in QtConcurrent); `progress` and
// `cancel` may be touched from any thread meanwhile. `onProgress` is called on
// the calling thread at most every 100 ms.
class Importer
{
public:
    static ImportSummary run(const ImportRequest& request, ImportProgress& progress, const CancelToken& cancel,
                             const ProgressCallback& onProgress = {});
};

} // namespace ds
