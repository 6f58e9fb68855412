#include "core/GrowingArray.h"

#include <QTest>

#include <cstdint>
#include <utility>

using namespace ds;

namespace {
struct Triple
{
    std::uint32_t a, b;
    float w;
};
} // namespace

// The realloc-grown array detection keeps its raw links in: every element kept in order across growth, moves
// leave the source empty, release frees.
class TestGrowingArray : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keepsEveryElementAcrossGrowth()
    {
        GrowingArray<Triple> v;
        QVERIFY(v.empty());
        constexpr std::uint32_t n = 3'000'000; // past several doublings and the C library's mmap threshold
        for (std::uint32_t i = 0; i < n; ++i)
            v.push_back({i, n - i, static_cast<float>(i) * 0.5F});
        QCOMPARE(v.size(), std::size_t{n});
        std::uint32_t i = 0;
        for (const Triple& t : v) {
            if (t.a != i || t.b != n - i || t.w != static_cast<float>(i) * 0.5F)
                QFAIL(qPrintable(QStringLiteral("element %1 changed").arg(i)));
            ++i;
        }
        QCOMPARE(i, n);
        QCOMPARE(v[n - 1].a, n - 1);
    }

    void movesAndReleases()
    {
        GrowingArray<Triple> v;
        for (std::uint32_t i = 0; i < 5000; ++i)
            v.push_back({i, i, 0});
        GrowingArray<Triple> w(std::move(v));
        QVERIFY(v.empty()); // NOLINT(bugprone-use-after-move): a moved-from array is empty by contract
        QCOMPARE(w.size(), std::size_t{5000});
        QCOMPARE(w[4999].b, 4999u);
        v = std::move(w);
        QCOMPARE(v.size(), std::size_t{5000});
        v.release();
        QVERIFY(v.empty());
        QVERIFY(v.begin() == v.end());
        v.push_back({7, 8, 9}); // usable again after release
        QCOMPARE(v.size(), std::size_t{1});
        QCOMPARE(v[0].b, 8u);
    }
};

QTEST_GUILESS_MAIN(TestGrowingArray)
#include "tst_growingarray.moc"
