#include "sim/SimGenerator.h"

#include "sim/SimCorpus.h"
#include "sim/SimInfra.h"
#include "sim/SimOutputFile.h"
#include "sim/SimPopulation.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <utility>
#include <vector>

namespace ds {

namespace {

constexpr std::size_t kChunkBytes = 1 << 20;

bool writeText(const QString& path, const std::string& text, QString* error)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(text.data(), static_cast<qint64>(text.size())) != static_cast<qint64>(text.size())) {
        *error = QStringLiteral("cannot write %1").arg(path);
        return false;
    }
    return true;
}

void writeSideFiles(const SimPopulation& pop, const QString& dir, SimSummary& sum)
{
    std::string accounts = "account_id,created_at,email_domain,payment_fingerprint,billing_country,org_id,tier,verified\n";
    std::string truth = "account_id,label,campaign,role\n";
    for (const SimAccount& a : pop.accounts) {
        // Only accounts that sent something: truth.csv and the logs name the same accounts.
        if (a.requests == 0)
            continue;
        accounts += a.id + ',';
        simAppendIso(accounts, a.createdAt);
        accounts += ',' + a.emailDomain + ',' + a.payment + ',' + a.country + ',' + a.org + ',' + a.tier + ',' +
                    (a.verified ? "true" : "false") + '\n';
        truth += a.id + ',' + a.label + ',' + a.campaign + ',' + a.role + '\n';
        ++sum.accounts;
        SimSummary::Count& r = sum.byRole[a.label + '/' + a.role];
        ++r.accounts;
        r.requests += a.requests;
        if (!a.campaign.empty()) {
            SimSummary::Count& c = sum.byCampaign[a.campaign];
            ++c.accounts;
            c.requests += a.requests;
        }
    }
    const QString accountsPath = QDir(dir).filePath(QStringLiteral("accounts.csv"));
    const QString truthPath = QDir(dir).filePath(QStringLiteral("truth.csv"));
    if (writeText(accountsPath, accounts, &sum.error) && writeText(truthPath, truth, &sum.error))
        sum.files << accountsPath << truthPath;
}

} // namespace

SimSummary SimGenerator::run(const SimScenario& scenario, const SimOptions& options, const CancelToken& cancel,
                             const std::function<void(std::int64_t)>& onProgress)
{
    SimSummary sum;
    const SimCorpus* corpus = SimCorpus::shared(&sum.error);
    if (!corpus)
        return sum;
    if (!QDir().mkpath(options.outDir)) {
        sum.error = QStringLiteral("cannot create %1").arg(options.outDir);
        return sum;
    }
    const SimContext ctx(scenario, *corpus);
    SimPopulation pop(scenario, options.seed, ctx);

    const QString requestsPath =
        QDir(options.outDir).filePath(options.gzip ? QStringLiteral("requests.jsonl.gz") : QStringLiteral("requests.jsonl"));
    SimOutputFile out;
    if (!out.open(requestsPath, options.gzip, options.gzipLevel, &sum.error))
        return sum;

    // Min-heap of (next time, actor index); the index breaks ties so the order is fully determined.
    using Entry = std::pair<std::int64_t, std::uint32_t>;
    std::vector<Entry> heap;
    heap.reserve(pop.actors.size());
    for (std::size_t i = 0; i < pop.actors.size(); ++i)
        if (pop.actors[i]->nextTime() != SimActor::kNever)
            heap.emplace_back(pop.actors[i]->nextTime(), static_cast<std::uint32_t>(i));
    const auto later = [](const Entry& a, const Entry& b) { return a > b; };
    std::make_heap(heap.begin(), heap.end(), later);

    SimRng ids(simMixSeed(options.seed, simLabelSeed("request-ids")));
    SimRequest r;
    std::string buf;
    buf.reserve(kChunkBytes + 64 * 1024);
    sum.firstTs = heap.empty() ? 0 : std::min_element(heap.begin(), heap.end())->first;
    while (!heap.empty()) {
        std::pop_heap(heap.begin(), heap.end(), later);
        const std::uint32_t idx = heap.back().second;
        heap.pop_back();
        SimActor& actor = *pop.actors[idx];
        r.clear();
        actor.produce(r, ctx);
        r.requestId = "req_";
        r.requestId += siminfra::base62(ids, 24);
        const_cast<SimAccount*>(r.account)->requests++;
        sum.lastTs = r.ts;
        simAppendJsonLine(buf, r);
        if (buf.size() >= kChunkBytes) {
            out.write(std::move(buf));
            buf = std::string();
            buf.reserve(kChunkBytes + 64 * 1024);
        }
        if (actor.nextTime() != SimActor::kNever) {
            heap.emplace_back(actor.nextTime(), idx);
            std::push_heap(heap.begin(), heap.end(), later);
        }
        if ((++sum.requests & 0x3ffff) == 0) {
            if (cancel.isCancelled()) {
                sum.cancelled = true;
                break;
            }
            if (onProgress)
                onProgress(sum.requests);
        }
    }
    if (!buf.empty())
        out.write(std::move(buf));
    if (!out.close(&sum.error))
        return sum;
    if (sum.cancelled) {
        QFile::remove(requestsPath);
        return sum;
    }
    sum.files << requestsPath;
    sum.requestsBytes = QFileInfo(requestsPath).size();
    writeSideFiles(pop, options.outDir, sum);
    return sum;
}

} // namespace ds
