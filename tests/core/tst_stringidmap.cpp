#include "core/Hashing.h"
#include "core/ShortEqual.h"
#include "core/StringIdMap.h"

#include <QTest>

#include <map>
#include <random>
#include <string>

using namespace ds;

// The interning dictionary of the import: values up to 15 bytes are kept in
// the slot, longer ones beside it; either way a hash match must be confirmed
// on the exact bytes.
class TestStringIdMap : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void behavesLikeAMap()
    {
        StringIdMap map;
        std::map<std::string, std::int64_t> reference;
        std::mt19937_64 rng(7);
        for (int i = 0; i < 100000; ++i) {
            // Lengths 0..40 around the inlined limit, over a small alphabet so values repeat.
            std::string v(rng() % 41, 'a');
            for (char& c : v)
                c = static_cast<char>('a' + rng() % 3);
            const std::uint64_t h = hash64(v);
            const std::int64_t found = map.find(h, v);
            const auto it = reference.find(v);
            QCOMPARE(found, it == reference.end() ? 0 : it->second);
            if (!found) {
                const auto id = static_cast<std::int64_t>(reference.size() + 1);
                map.insert(h, v, id);
                reference.emplace(v, id);
            }
        }
        QCOMPARE(map.size(), reference.size());
    }

    // The inline comparison agrees with plain equality at every length and
    // for a difference at every position (the overlapping loads included).
    void shortEqualAgreesWithEquality()
    {
        for (std::size_t n = 0; n <= 40; ++n) {
            const std::string a(n, 'k');
            QVERIFY(shortEqual(a, std::string(n, 'k')));
            QVERIFY(!shortEqual(a, std::string(n + 1, 'k')));
            for (std::size_t i = 0; i < n; ++i) {
                std::string b = a;
                b[i] = 'q';
                QVERIFY2(!shortEqual(a, b), qPrintable(QStringLiteral("length %1, position %2").arg(n).arg(i)));
            }
        }
    }

    // Equal hashes (forced) never make different values equal, at any length,
    // including values that differ only by a trailing NUL or at byte 15/16.
    void sameHashDifferentValues()
    {
        StringIdMap map;
        const std::string values[] = {std::string(),
                                      std::string("ab"),
                                      std::string("ab\0", 3),
                                      std::string(15, 'x'),
                                      std::string(14, 'x') + 'y',
                                      std::string(16, 'x'),
                                      std::string(15, 'x') + 'y',
                                      std::string(300, 'q')};
        std::int64_t id = 0;
        for (const std::string& v : values) {
            QCOMPARE(map.find(42, v), 0);
            map.insert(42, v, ++id);
        }
        id = 0;
        for (const std::string& v : values)
            QCOMPARE(map.find(42, v), ++id);
        QCOMPARE(map.find(42, std::string(17, 'x')), 0);
        QCOMPARE(map.find(42, std::string("ab\0\0", 4)), 0);
        map.clear();
        QCOMPARE(map.find(42, "ab"), 0);
        QCOMPARE(map.size(), std::size_t(0));
    }
};

QTEST_APPLESS_MAIN(TestStringIdMap)
#include "tst_stringidmap.moc"
