#include "core/FlatU64Set.h"

#include <QTest>

#include <random>
#include <unordered_set>

using namespace ds;

// The open-addressing hash set used for request-id dedupe.
class TestFlatSet : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void behavesLikeASet()
    {
        FlatU64Set set(4);
        std::unordered_set<std::uint64_t> reference;
        std::mt19937_64 rng(42);
        for (int i = 0; i < 200000; ++i) {
            // Draw from a small range too, so duplicates and zero occur.
            const std::uint64_t k = (i % 3 == 0) ? rng() % 1000 : rng();
            QCOMPARE(set.insert(k), reference.insert(k).second);
        }
        QCOMPARE(set.size(), reference.size());
        for (std::uint64_t k : reference)
            QVERIFY(set.contains(k));
        QVERIFY(!set.contains(0xdeadbeefcafef00dULL) || reference.count(0xdeadbeefcafef00dULL));
    }

    void zeroIsAValidKey()
    {
        FlatU64Set set;
        QVERIFY(!set.contains(0));
        QVERIFY(set.insert(0));
        QVERIFY(!set.insert(0));
        QVERIFY(set.contains(0));
        QCOMPARE(set.size(), std::size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestFlatSet)
#include "tst_flatset.moc"
