#include "detect/AccountScanner.h"

#include "core/CancelToken.h"
#include "core/CaseDatabase.h"
#include "detect/CaseSnapshot.h"
#include "detect/DetectProgress.h"
#include "detect/DetectSettings.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

namespace ds {

namespace {

void scanRange(SqliteStatement& st, std::uint32_t from, std::uint32_t to, const CaseSnapshot& snap,
               const DetectSettings& settings, std::vector<AccountProfile>& out, DetectProgress& progress,
               const CancelToken& cancel)
{
    st.reset();
    st.bind(1, from);
    st.bind(2, to);
    std::vector<RequestRow> rows;
    std::uint32_t current = 0;
    std::int64_t sinceReport = 0;
    auto flush = [&] {
        if (current && !rows.empty())
            out[current] = profileAccount(rows, snap.accounts[current], snap.ipNetwork, snap.maxTokensStopId, settings);
        rows.clear();
    };
    while (st.step()) {
        const auto account = static_cast<std::uint32_t>(st.columnInt(1));
        if (account != current) {
            flush();
            current = account;
            if (cancel.isCancelled())
                throw Cancelled{};
        }
        RequestRow r;
        r.id = st.columnInt(0);
        r.ts = st.columnInt(2);
        r.ip = static_cast<std::uint32_t>(st.columnInt(3));
        r.userAgent = static_cast<std::uint32_t>(st.columnInt(4));
        r.model = static_cast<std::uint32_t>(st.columnInt(5));
        r.systemPrompt = static_cast<std::uint32_t>(st.columnInt(6));
        r.stopReason = static_cast<std::uint32_t>(st.columnInt(7));
        r.promptTokens = static_cast<std::int32_t>(st.columnInt(8));
        r.completionTokens = static_cast<std::int32_t>(st.columnInt(9));
        r.maxTokens = static_cast<std::int32_t>(st.columnInt(10));
        r.headHash = static_cast<std::uint64_t>(st.columnInt(11));
        r.tailHash = static_cast<std::uint64_t>(st.columnInt(12));
        r.flags = static_cast<std::uint32_t>(st.columnInt(13));
        r.category = static_cast<std::uint8_t>(st.columnInt(14));
        rows.push_back(r);
        if (++sinceReport == 65536) {
            progress.requestsRead += sinceReport;
            sinceReport = 0;
        }
    }
    flush();
    progress.requestsRead += sinceReport;
}

} // namespace

std::vector<AccountProfile> scanAccounts(const QString& databasePath, const CaseSnapshot& snap,
                                         const DetectSettings& settings, DetectProgress& progress,
                                         const CancelToken& cancel)
{
    const std::uint32_t slotCount = snap.accountSlots();
    std::vector<AccountProfile> profiles(slotCount);
    unsigned threads = settings.threads > 0 ? static_cast<unsigned>(settings.threads) : std::thread::hardware_concurrency();
    threads = std::max(1u, std::min(threads, 64u));
    // Small chunks handed out in turn balance threads when a few accounts are huge.
    const std::uint32_t chunk = std::max<std::uint32_t>(16, slotCount / (threads * 64) + 1);
    const std::uint32_t chunks = (slotCount + chunk - 1) / chunk;
    progress.enter(DetectStage::Scanning, chunks);
    std::atomic<std::uint32_t> next{0};
    std::exception_ptr failure;
    std::mutex failureMutex;

    const std::string sql = std::string("SELECT id, account, ts, ip, user_agent, model, system_prompt, stop_reason, "
                                        "prompt_tokens, completion_tokens, max_tokens, head_hash, ")
                            + (snap.hasTailHash ? "tail_hash" : "0")
                            + ", prompt_flags, category FROM request INDEXED BY request_account_ts "
                              "WHERE account >= ?1 AND account < ?2 ORDER BY account, ts";
    auto worker = [&] {
        try {
            SqliteDb db = CaseDatabase::openForReading(databasePath);
            db.watchCancel(&cancel);
            SqliteStatement st(db, sql.c_str());
            while (!cancel.isCancelled()) {
                const std::uint32_t c = next.fetch_add(1);
                if (c >= chunks)
                    break;
                scanRange(st, c * chunk, std::min(slotCount, (c + 1) * chunk), snap, settings, profiles, progress, cancel);
                ++progress.done;
            }
        } catch (...) {
            std::lock_guard lock(failureMutex);
            if (!failure)
                failure = std::current_exception();
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t)
        pool.emplace_back(worker);
    for (std::thread& t : pool)
        t.join();
    if (cancel.isCancelled())
        throw Cancelled{};
    if (failure)
        std::rethrow_exception(failure);
    return profiles;
}

} // namespace ds
