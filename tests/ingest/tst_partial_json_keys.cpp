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

QTEST_GUILESS_MAIN(TestPartialJsonKeys)
#include "tst_partial_json_keys.moc"
