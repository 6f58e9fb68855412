#pragma once

#include "core/CancelToken.h"

#include <QString>
#include <cstdint>

namespace ds {

class SimLogFormat;

// What a re-write produced.
struct SimLogRewriteResult
{
    std::int64_t records = 0;
    QString requestsPath; // the requests file written
    QString error; // empty on success
};

// Re-writes a simulated dataset (requests.jsonl[.gz], accounts.csv, truth.csv in `inDir`) in a real log format:
// `outDir`/requests.<format>.jsonl[.gz], with accounts.csv and truth.csv naming the accounts as that format does.
// Requests gain the conversation real clients send (an account's earlier request as an earlier turn, for a share
// of requests; a tool result when tools were offered), so the prompt is the last user turn. `outDir` may be
// `inDir`: the canonical requests file is then removed once the new one is complete. Streams; one thread;
// `cancel` from any thread. The same input gives the same bytes.
SimLogRewriteResult simRewriteLogs(const QString& inDir, const QString& outDir, SimLogFormat& format, bool gzip,
                                   const CancelToken& cancel);

} // namespace ds
