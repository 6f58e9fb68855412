// The import's prompt-feature cache gives exactly the features computing each
// row would: rows repeated within a batch and across batches, the same prompt
// under another system prompt or tool count, evictions from a small table, and
// recycled batches.

#include "core/ZeroedTable.h"
#include "ingest/FeatureCache.h"
#include "ingest/FeatureStage.h"
#include "ingest/RecordBatch.h"

#include <QTest>

#include <random>
#include <string>
#include <vector>

using namespace ds;

namespace {

bool sameFeatures(const PromptFeatures& a, const PromptFeatures& b)
{
    return a.skeletonHash == b.skeletonHash && a.headHash == b.headHash && a.tailHash == b.tailHash
           && a.simhash == b.simhash && a.flags == b.flags && a.category == b.category && a.bytes == b.bytes
           && a.taskHash == b.taskHash && a.harvest == b.harvest;
}

// A few dozen distinct texts, templated and not, with reasoning, code and maths markers among them.
std::vector<std::string> texts()
{
    std::vector<std::string> out;
    const std::pair<const char*, const char*> asks[] = {
        {"Explain ", " step by step and show your reasoning before the final answer."},
        {"Write a Python function that sorts ", "; include tests in a ```python block."},
        {"Solve: a train leaves at 3 pm carrying ", " at 80 km/h; when does it arrive 240 km away?"},
        {"You are a strict grader. Score the answer about ", " from 1 to 10 with a rubric."},
        {"hi ", ""}};
    const char* topics[] = {"graph theory", "the French revolution", "binary search trees", "photosynthesis",
                            "supply and demand", "Rust lifetimes", "the Krebs cycle", "SQL window functions"};
    for (const auto& [before, after] : asks)
        for (const char* t : topics)
            out.push_back(std::string(before) + t + after);
    out.emplace_back("");
    out.emplace_back("First turn about graph theory.\n\nSecond turn: now explain it in more detail, at length, "
                     "with every proof written out in full so that nothing is left for me to fill in.");
    return out;
}

const char* const kSystems[] = {"", "You are a helpful assistant.", "You are a careful maths tutor."};

// `count` rows drawn at random from the texts (so most repeat), under a system prompt and tool count of their own.
void fill(RecordBatch& batch, std::mt19937& rng, int count, const std::vector<std::string>& pool)
{
    batch.clear();
    for (int i = 0; i < count; ++i) {
        ParsedRequest r;
        r.prompt = batch.store(pool[rng() % pool.size()]);
        const char* system = kSystems[rng() % 3];
        if (*system)
            r.systemPrompt = batch.store(system);
        const unsigned tools = rng() % 4;
        r.toolCount = tools == 3 ? kNoInt : static_cast<std::int64_t>(tools);
        if (rng() % 50 == 0)
            r.prompt = TextRef{}; // absent
        r.ridHash = rng();
        batch.requests.push_back(r);
    }
}

} // namespace

class TestFeatureCache : public QObject
{
    Q_OBJECT

private slots:
    void cachedFeaturesAreTheComputedOnes_data()
    {
        QTest::addColumn<int>("slotCount");
        QTest::newRow("default table") << int(PromptFeatureCache::kDefaultSlots);
        QTest::newRow("small table, evictions") << 16;
    }

    void cachedFeaturesAreTheComputedOnes()
    {
        QFETCH(int, slotCount);
        const std::vector<std::string> pool = texts();
        std::mt19937 rng(7);
        PromptFeatureCache cache(static_cast<std::size_t>(slotCount));
        RecordBatch batch;
        std::int64_t rows = 0;
        // Batches of one chunk and of several (the pool path), a row alone.
        for (const int count : {1, 200, 1500, 700}) {
            fill(batch, rng, count, pool);
            computePromptFeatures(batch, nullptr, nullptr, &cache);
            rows += count;
            for (const ParsedRequest& r : batch.requests) {
                QVERIFY(!r.featuresDeferred);
                QVERIFY(sameFeatures(r.features, promptFeaturesOf(batch, r)));
            }
        }
        // Most rows repeat a text: the cache answers them. A table of 16 slots evicts, and still answers right.
        QVERIFY(cache.hits() > 0);
        QVERIFY(cache.hits() < rows);
        if (slotCount > 1000)
            QVERIFY2(cache.hits() > rows / 2, qPrintable(QString::number(cache.hits())));
    }

    void noCaseMeansNoRowIsDeferred()
    {
        // Without the case's request ids no row is deferred, whatever a recycled
        // batch said before (rows found in the case: tst_reimport, through the importer).
        const std::vector<std::string> pool = texts();
        std::mt19937 rng(3);
        PromptFeatureCache cache;
        RecordBatch batch;
        fill(batch, rng, 600, pool);
        for (ParsedRequest& r : batch.requests)
            r.featuresDeferred = true;
        computePromptFeatures(batch, nullptr, nullptr, &cache);
        for (const ParsedRequest& r : batch.requests) {
            QVERIFY(!r.featuresDeferred);
            QVERIFY(sameFeatures(r.features, promptFeaturesOf(batch, r)));
        }
    }

    void keysTellTheInputsApart()
    {
        using C = PromptFeatureCache;
        QVERIFY(!(C::keyOf("a", "bc", 0) == C::keyOf("ab", "c", 0)));
        QVERIFY(!(C::keyOf("", "prompt", 0) == C::keyOf("", "prompt", 1)));
        QVERIFY(!(C::keyOf("", "prompt", 0) == C::keyOf("system", "prompt", 0)));
        QVERIFY(C::keyOf("s", "prompt", 2) == C::keyOf("s", "prompt", 2));
        // Features ignore whether an empty system prompt was absent: so does the key.
        QVERIFY(C::keyOf(std::string_view(), "p", 0) == C::keyOf(std::string_view("", 0), "p", 0));
    }

    void zeroedTablesStartEmpty()
    {
        ZeroedTable<std::uint64_t> big; // huge-page path
        big.assign(std::size_t{3} << 20);
        ZeroedTable<std::uint64_t> small;
        small.assign(100);
        QCOMPARE(big[0], std::uint64_t(0));
        QCOMPARE(big[big.size() - 1], std::uint64_t(0));
        big[12345] = 7;
        small[99] = 9;
        QCOMPARE(big[12345], std::uint64_t(7));
        big.assign(16); // drops the old block
        QCOMPARE(big[15], std::uint64_t(0));
        small.clear();
        QVERIFY(small.empty());
    }
};

QTEST_GUILESS_MAIN(TestFeatureCache)
#include "tst_featurecache.moc"
