#include "detect/AccountScanner.h"

#include "core/CancelToken.h"
#include "core/Sqlite.h"
#include "detect/CaseSnapshot.h"
#include "detect/DetectProgress.h"
#include "detect/DetectSettings.h"
#include "detect/LinkTasks.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <span>
#include <thread>

namespace ds {

namespace {

// A contiguous range of account ids whose requests fit one buffer.
struct AccountGroup
{
    std::uint32_t from = 0, to = 0; // [from, to)
    std::int64_t rows = 0;
};

SqliteDb openScanConnection(const QString& path, const CancelToken& cancel)
{
    // The orchestrator opened and validated this case with CaseDatabase (its
    // integrity check reads the whole file); extra read connections to the same,
    // already validated case skip that check so it is not repeated per thread.
    SqliteDb db(path, SqliteDb::Mode::ReadOnly);
    // Sequential reads go through the OS page cache; mapping the file would
    // count up to mmap_size of it in this process's resident memory per connection.
    db.exec("PRAGMA mmap_size=0; PRAGMA cache_size=-16384;");
    db.watchCancel(&cancel);
    return db;
}

// Requests per account from the covering (account, ts) index: no table rows read.
std::vector<std::int64_t> countRequests(SqliteDb& db, std::uint32_t slotCount, const CancelToken& cancel)
{
    std::vector<std::int64_t> counts(slotCount, 0);
    SqliteStatement st(db, "SELECT account FROM request INDEXED BY request_account_ts");
    std::int64_t n = 0;
    while (st.step()) {
        const auto a = static_cast<std::uint64_t>(st.columnInt(0));
        if (a < slotCount)
            ++counts[a];
        if ((++n & 0xfffff) == 0 && cancel.isCancelled())
            throw Cancelled{};
    }
    return counts;
}

std::vector<AccountGroup> makeGroups(const std::vector<std::int64_t>& counts, std::int64_t budget)
{
    std::vector<AccountGroup> groups;
    AccountGroup g;
    for (std::uint32_t a = 0; a < counts.size(); ++a) {
        if (g.rows > 0 && g.rows + counts[a] > budget) {
            g.to = a;
            groups.push_back(g);
            g = AccountGroup{a, a, 0};
        }
        g.rows += counts[a];
    }
    g.to = static_cast<std::uint32_t>(counts.size());
    if (g.rows > 0)
        groups.push_back(g);
    return groups;
}

// Reads one group's requests with a sequential scan of the table (rowid order is
// an order of magnitude faster than following the index into the table), sorts
// them by (account, ts, id) and profiles each account.
void scanGroup(SqliteStatement& st, const AccountGroup& g, std::vector<RequestRow>& rows, const CaseSnapshot& snap,
               const DetectSettings& settings, std::vector<AccountProfile>& out, std::vector<std::uint32_t>& owner,
               DetectProgress& progress, const CancelToken& cancel)
{
    rows.clear();
    rows.reserve(static_cast<size_t>(g.rows));
    owner.clear();
    st.reset();
    st.bind(1, g.from);
    st.bind(2, g.to);
    std::int64_t n = 0;
    while (st.step()) {
        RequestRow r;
        r.id = st.columnInt(0);
        r.account = static_cast<std::uint32_t>(st.columnInt(1));
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
        r.simhash = static_cast<std::uint64_t>(st.columnInt(15));
        r.taskHash = static_cast<std::uint64_t>(st.columnInt(16));
        r.harvest = static_cast<std::int32_t>(st.columnInt(17));
        r.toolCount = static_cast<std::int32_t>(st.columnInt(18));
        rows.push_back(r);
        if ((++n & 0xffff) == 0) {
            progress.requestsRead += 0x10000;
            if (cancel.isCancelled())
                throw Cancelled{};
        }
    }
    progress.requestsRead += n & 0xffff;
    std::sort(rows.begin(), rows.end(), [](const RequestRow& x, const RequestRow& y) {
        return x.account != y.account ? x.account < y.account : x.ts != y.ts ? x.ts < y.ts : x.id < y.id;
    });
    for (size_t i = 0; i < rows.size();) {
        size_t j = i;
        while (j < rows.size() && rows[j].account == rows[i].account)
            ++j;
        // A view of the account's rows, not a copy: the busiest account's requests would otherwise sit twice in
        // memory (104 bytes each, per scan thread).
        const std::span<const RequestRow> one(rows.data() + i, j - i);
        const std::uint32_t a = rows[i].account;
        out[a] = profileAccount(one, snap.accounts[a], snap.ipNetwork, snap.maxTokensStopId, settings);
        sketchTasks(one, settings, out[a]);
        i = j;
        if (cancel.isCancelled())
            throw Cancelled{};
    }
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

    std::vector<AccountGroup> groups;
    {
        SqliteDb db = openScanConnection(databasePath, cancel);
        groups = makeGroups(countRequests(db, slotCount, cancel), std::max<std::int64_t>(1000, settings.scanGroupRows));
    }
    progress.enter(DetectStage::Scanning, static_cast<std::int64_t>(groups.size()));
    std::atomic<std::uint32_t> next{0};
    std::exception_ptr failure;
    std::mutex failureMutex;
    const std::string sql = std::string("SELECT id, account, ts, ip, user_agent, model, system_prompt, stop_reason, "
                                        "prompt_tokens, completion_tokens, max_tokens, head_hash, ")
                            + (snap.hasTailHash ? "tail_hash" : "0")
                            + ", prompt_flags, category, simhash, " + (snap.hasTaskColumns ? "task_hash, harvest" : "0, 0") + ", tool_count"
                            + " FROM request NOT INDEXED WHERE account >= ?1 AND account < ?2";
    auto worker = [&] {
        try {
            SqliteDb db = openScanConnection(databasePath, cancel);
            SqliteStatement st(db, sql.c_str());
            std::vector<RequestRow> rows;
            std::vector<std::uint32_t> owner;
            while (!cancel.isCancelled()) {
                const std::uint32_t g = next.fetch_add(1);
                if (g >= groups.size())
                    break;
                scanGroup(st, groups[g], rows, snap, settings, profiles, owner, progress, cancel);
                ++progress.done;
            }
        } catch (...) {
            std::lock_guard lock(failureMutex);
            if (!failure)
                failure = std::current_exception();
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < std::min<unsigned>(threads, static_cast<unsigned>(std::max<size_t>(1, groups.size()))); ++t)
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
