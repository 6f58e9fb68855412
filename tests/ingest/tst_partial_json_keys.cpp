#include "ingest/PartialJsonKeys.h"

#include <QTest>

#include <string>

// The member names of a JSON object cut anywhere (the format sniff's view of a
// first record longer than its sample). Test thread only.
class TestPartialJsonKeys : public QObject
{
    Q_OBJECT

private slots:
    void namesBeforeTheCut();
    void nestedObjectsNotArrayElements();
    void escapesAndStringsThatLookLikeKeys();
    void cutAnywhereNeverReadsPast();
    void hostileShapesStayLinear();
};

namespace {

std::string joined(const std::set<std::string>& keys)
{
    std::string out;
    for (const std::string& k : keys)
        out += (out.empty() ? "" : " ") + k;
    return out;
}

} // namespace

void TestPartialJsonKeys::namesBeforeTheCut()
{
    QCOMPARE(joined(ds::partialJsonKeys(R"({"account_id":"a0","tier":"pro","notes":"nnnnnnnn)")), std::string("account_id notes tier"));
    // The cut inside a name: the name is not taken.
    QCOMPARE(joined(ds::partialJsonKeys(R"({"account_id":"a0","cre)")), std::string("account_id"));
    QCOMPARE(joined(ds::partialJsonKeys("")), std::string());
}

void TestPartialJsonKeys::nestedObjectsNotArrayElements()
{
    const auto keys = ds::partialJsonKeys(R"({"user":{"id":"a","mail":{"domain":"x"}},"tools":[{"name":"t"}],"a":{"b":{"c":{"d":{"e":{"f":1}}}}},"n":1})");
    QCOMPARE(joined(keys), std::string("a a.b a.b.c a.b.c.d a.b.c.d.e n tools user user.id user.mail user.mail.domain"));
}

void TestPartialJsonKeys::escapesAndStringsThatLookLikeKeys()
{
    const auto keys = ds::partialJsonKeys(R"({"prompt":"say \"request_id\": \\","x\"y":{"k":"v, \"timestamp\":"}})");
    QCOMPARE(joined(keys), std::string("prompt x\"y x\"y.k"));
}

void TestPartialJsonKeys::cutAnywhereNeverReadsPast()
{
    const std::string whole = R"({"account_id":"a0","tier":"pro","meta":{"x":[1,{"y":2}],"z":"\\\""},"notes":"n"})";
    for (std::size_t cut = 0; cut <= whole.size(); ++cut) {
        const std::string part = whole.substr(0, cut); // its own allocation: ASan sees a read past it
        const auto keys = ds::partialJsonKeys(part);
        for (const std::string& k : keys)
            QVERIFY2(whole.find('"' + k.substr(k.rfind('.') + 1) + '"') != std::string::npos, k.c_str());
    }
    QCOMPARE(joined(ds::partialJsonKeys(whole)), std::string("account_id meta meta.x meta.z notes tier"));
}

void TestPartialJsonKeys::hostileShapesStayLinear()
{
    // Deep nesting: a path per level would copy ever longer prefixes (quadratic
    // memory; 1.3 MB of it once took 2.2 GB). Only the first five levels count.
    std::string deep;
    for (int i = 0; i < 200000; ++i)
        deep += R"({"k":)";
    QCOMPARE(joined(ds::partialJsonKeys(deep)), std::string("k k.k k.k.k k.k.k.k k.k.k.k.k"));
    // A huge member name with many children would copy the name into each child's path.
    std::string fan = "{\"" + std::string(600000, 'n') + "\":{";
    for (int i = 0; i < 100000; ++i)
        fan += "\"a\":1,";
    fan += "\"b\":2},\"account_id\":\"a0\"}";
    QCOMPARE(joined(ds::partialJsonKeys(fan)), std::string("account_id"));
    // Many distinct names: the set is capped, the record's first names kept.
    std::string wide = "{";
    for (int i = 0; i < 20000; ++i)
        wide += "\"f" + std::to_string(i) + "\":1,";
    wide += "\"z\":1}";
    const auto keys = ds::partialJsonKeys(wide);
    QVERIFY(keys.size() <= 4096);
    QVERIFY(keys.count("f0") == 1);
}

QTEST_GUILESS_MAIN(TestPartialJsonKeys)
#include "tst_partial_json_keys.moc"
