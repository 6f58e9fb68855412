#include "core/CaseDatabase.h"
#include "core/KnownSchema.h"
#include "core/Sqlite.h"
#include "detect/CaseSnapshot.h"
#include "detect/EvidenceCoverage.h"

#include <QtTest>

using namespace ds;
using Kind = EvidenceCoverage::Kind;

namespace {

// `accounts` accounts, each kind known for all of them unless set otherwise.
EvidenceCoverage coverage(std::int64_t accounts, std::initializer_list<std::pair<Kind, std::int64_t>> known = {})
{
    EvidenceCoverage c;
    c.accounts = accounts;
    c.known.fill(accounts);
    for (const auto& [k, n] : known)
        c.known[static_cast<std::size_t>(k)] = n;
    return c;
}

} // namespace

Q_DECLARE_METATYPE(EvidenceCoverage)

// What detection says when the logs lack kinds of evidence (issue 14: gateway and cloud logs without client IPs,
// user agents or API keys, cases without an accounts file), and how a run keeps it for the report.
class TestEvidenceCoverage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sentences_data()
    {
        QTest::addColumn<EvidenceCoverage>("c");
        QTest::addColumn<QString>("expected");
        QTest::newRow("everything known") << coverage(100) << QString();
        QTest::newRow("nearly everything known") << coverage(100, {{Kind::UserAgent, 95}}) << QString();
        QTest::newRow("no accounts read") << EvidenceCoverage() << QString();
        QTest::newRow("Helicone: no IP, no user agent")
            << coverage(100, {{Kind::ClientIp, 0}, {Kind::UserAgent, 0}})
            << QStringLiteral("These logs carry no client IP address and no user agent: infrastructure links rest on "
                              "e-mail domains, payment fingerprints and sign-up times.");
        QTest::newRow("Bedrock: no IP, no user agent, no key")
            << coverage(100, {{Kind::ClientIp, 0}, {Kind::UserAgent, 0}, {Kind::ApiKey, 0}})
            << QStringLiteral("These logs carry no client IP address, no user agent and no API key: infrastructure "
                              "links rest on e-mail domains, payment fingerprints and sign-up times.");
        QTest::newRow("no key only") << coverage(100, {{Kind::ApiKey, 0}})
                                     << QStringLiteral("These logs carry no API key: detection does not link accounts "
                                                       "by key, so no evidence is lost.");
        QTest::newRow("LiteLLM without an accounts file")
            << coverage(100, {{Kind::UserAgent, 0}, {Kind::EmailDomain, 0}, {Kind::Payment, 0}, {Kind::SignUp, 0}})
            << QStringLiteral("These logs carry no user agent; the accounts come with no sign-up e-mail domain, no "
                              "payment fingerprint and no account creation time (an accounts file gives them): "
                              "infrastructure links rest on IP addresses.");
        QTest::newRow("nothing to link by")
            << coverage(100, {{Kind::ClientIp, 0}, {Kind::UserAgent, 0}, {Kind::EmailDomain, 0}, {Kind::Payment, 0},
                              {Kind::SignUp, 0}})
            << QStringLiteral("These logs carry no client IP address and no user agent; the accounts come with no "
                              "sign-up e-mail domain, no payment fingerprint and no account creation time (an accounts "
                              "file gives them): no infrastructure links are possible; networks rest on shared prompt "
                              "templates, tasks and timing alone.");
        QTest::newRow("IPs for some accounts only")
            << coverage(200, {{Kind::ClientIp, 81}})
            << QStringLiteral("IP addresses are known for only 41% of the accounts.");
        QTest::newRow("missing and partial")
            << coverage(10, {{Kind::UserAgent, 0}, {Kind::Payment, 3}})
            << QStringLiteral("These logs carry no user agent: infrastructure links rest on IP addresses, e-mail "
                              "domains, payment fingerprints and sign-up times. Payment fingerprints are known for only "
                              "30% of the accounts.");
    }

    void sentences()
    {
        QFETCH(EvidenceCoverage, c);
        QFETCH(QString, expected);
        QCOMPARE(c.gapsSentence(), expected);
    }

    void storedWithTheRun()
    {
        QTemporaryDir dir;
        SqliteDb db = CaseDatabase::openForWriting(dir.filePath(QStringLiteral("case.sqlite")));
        knownschema::createAll(db);
        const EvidenceCoverage helicone = coverage(42, {{Kind::ClientIp, 0}, {Kind::UserAgent, 0}, {Kind::Payment, 7}});
        helicone.store(db, 3);
        const EvidenceCoverage loaded = EvidenceCoverage::load(db, 3);
        QCOMPARE(loaded.accounts, 42);
        QVERIFY(loaded.known == helicone.known);
        QCOMPARE(loaded.gapsSentence(), helicone.gapsSentence());
        QVERIFY(loaded.gapsSentence().contains(QStringLiteral("no client IP address")));
        // Another run, or a case made before runs kept their coverage: nothing to say, not a wrong sentence.
        QCOMPARE(EvidenceCoverage::load(db, 4).accounts, 0);
        QVERIFY(EvidenceCoverage::load(db, 4).gapsSentence().isEmpty());
        db.exec("DROP TABLE evidence_coverage");
        QCOMPARE(EvidenceCoverage::load(db, 3).accounts, 0);
    }

    void measuredFromProfiles()
    {
        QTemporaryDir dir;
        SqliteDb db = CaseDatabase::openForWriting(dir.filePath(QStringLiteral("case.sqlite")));
        knownschema::createAll(db);
        std::vector<AccountProfile> profiles(4); // slot 0 unused; account 3 sent no request
        CaseSnapshot snap;
        snap.accounts.resize(4);
        profiles[1].requests = 5;
        profiles[1].ips = {1};
        profiles[2].requests = 2;
        snap.accounts[1].payment = 9;
        snap.accounts[3].emailDomain = 4; // no requests: not counted
        EvidenceCoverage c = EvidenceCoverage::measure(profiles, snap, db);
        QCOMPARE(c.accounts, 2);
        QCOMPARE(c.knownOf(Kind::ClientIp), 1);
        QVERIFY(c.partial(Kind::ClientIp));
        QVERIFY(c.missing(Kind::UserAgent));
        QCOMPARE(c.knownOf(Kind::Payment), 1);
        QVERIFY(c.missing(Kind::EmailDomain));
        QVERIFY(c.missing(Kind::SignUp));
        QVERIFY(c.missing(Kind::ApiKey));
        db.exec("INSERT INTO api_key(value) VALUES('sk-1')");
        c = EvidenceCoverage::measure(profiles, snap, db);
        QCOMPARE(c.knownOf(Kind::ApiKey), 2);
    }
};

QTEST_GUILESS_MAIN(TestEvidenceCoverage)
#include "tst_evidence_coverage.moc"
