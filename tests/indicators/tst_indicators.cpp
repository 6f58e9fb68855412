#include "TestSupport.h"

#include "core/CancelToken.h"
#include "core/CaseDatabase.h"
#include "core/Sqlite.h"
#include "indicators/BundleReader.h"
#include "indicators/HitRefresh.h"
#include "ingest/Importer.h"
#include "indicators/PatternPlan.h"
#include "indicators/StixPattern.h"
#include "report/StixBundle.h"
#include "text/PromptFeatures.h"
#include "text/PromptSkeleton.h"
#include "text/TemplateFingerprint.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ds;
using namespace ds::indicators;

// Test vectors of the template fingerprint, also listed in docs/TEMPLATE_FINGERPRINT.md: another implementation
// that follows the document must give the same text for the same prompts.
#define DS_GOLDEN_TRANSLATE "ds-skeleton-v1:86173e2991098d60"
#define DS_GOLDEN_GRADER "ds-skeleton-v1:d91b621bcc0a4b90"

// Partners' STIX 2.1 bundles: the pattern parser, what can be evaluated and why not, bundle validation, the
// versioned template fingerprint, and the `indicators` command on a small hand-built case.
class TestIndicators : public QObject
{
    Q_OBJECT

private:
    static QJsonObject identity(const QString& id, const QString& name)
    {
        return {{QStringLiteral("type"), QStringLiteral("identity")}, {QStringLiteral("spec_version"), QStringLiteral("2.1")},
                {QStringLiteral("id"), id}, {QStringLiteral("name"), name}, {QStringLiteral("created"), QStringLiteral("2026-01-01T00:00:00Z")},
                {QStringLiteral("modified"), QStringLiteral("2026-01-01T00:00:00Z")}};
    }

    static QJsonObject indicator(int n, const QString& pattern, const QString& by = QString())
    {
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("indicator")},
                      {QStringLiteral("spec_version"), QStringLiteral("2.1")},
                      {QStringLiteral("id"), QStringLiteral("indicator--00000000-0000-4000-8000-%1").arg(n, 12, 10, QLatin1Char('0'))},
                      {QStringLiteral("created"), QStringLiteral("2026-01-01T00:00:00Z")},
                      {QStringLiteral("modified"), QStringLiteral("2026-01-01T00:00:00Z")},
                      {QStringLiteral("pattern"), pattern},
                      {QStringLiteral("pattern_type"), QStringLiteral("stix")},
                      {QStringLiteral("valid_from"), QStringLiteral("2026-01-01T00:00:00Z")},
                      {QStringLiteral("confidence"), 80}};
        if (!by.isEmpty())
            o.insert(QStringLiteral("created_by_ref"), by);
        return o;
    }

    static QByteArray bundle(const QJsonArray& objects)
    {
        return QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("bundle")},
                                         {QStringLiteral("id"), QStringLiteral("bundle--11111111-2222-4333-8444-555555555555")},
                                         {QStringLiteral("objects"), objects}})
            .toJson();
    }

    // A confirmed network "N-1" of `members` accounts acct-0, acct-1, …
    static ConfirmedNetwork network(int members)
    {
        ConfirmedNetwork net;
        net.cluster.id = 1;
        net.cluster.label = QStringLiteral("N-1");
        for (int i = 0; i < members; ++i)
            net.members.push_back({i + 1, QStringLiteral("acct-%1").arg(i), 0.9, 0.9, true, false, 1, 10, 100, 0, 0});
        return net;
    }

    static QString why(const QString& pattern) { return planFor(QStringLiteral("stix"), pattern).why; }

    // One request of a hand-built log, as a JSON line.
    static QByteArray requestLine(int n, const QString& account, std::int64_t ts, const QString& ip, const QString& ua,
                                  const QString& prompt)
    {
        return QJsonDocument(QJsonObject{{QStringLiteral("request_id"), QStringLiteral("r%1").arg(n)},
                                         {QStringLiteral("timestamp"), static_cast<qint64>(ts)},
                                         {QStringLiteral("account_id"), account},
                                         {QStringLiteral("ip"), ip},
                                         {QStringLiteral("user_agent"), ua},
                                         {QStringLiteral("model"), QStringLiteral("claude-sonnet-4-5")},
                                         {QStringLiteral("prompt"), prompt},
                                         {QStringLiteral("prompt_tokens"), 100},
                                         {QStringLiteral("completion_tokens"), 900}})
                   .toJson(QJsonDocument::Compact)
            + '\n';
    }

    // Requests of `account` from `ip`, one a second from `from`.
    static QByteArray requestLines(int& n, const QString& account, const QString& ip, std::int64_t from, int count)
    {
        QByteArray out;
        for (int i = 0; i < count; ++i) {
            ++n;
            out += requestLine(n, account, from + i * 1000, ip, QStringLiteral("curl/8"), QStringLiteral("Summarise report %1.").arg(n));
        }
        return out;
    }

    // `indicators --import BUNDLE --json` on the case: the JSON it wrote (empty when none), `result` its exit and output.
    static QJsonObject importWithCli(const test::ScratchDir& dir, const QString& db, const QString& bundlePath, test::CliResult& result)
    {
        const QString hitsPath = dir.file(QStringLiteral("hits.json"));
        QFile::remove(hitsPath);
        result = test::runCli({QStringLiteral("indicators"), QStringLiteral("--db"), db, QStringLiteral("--import"), bundlePath,
                               QStringLiteral("--json"), hitsPath});
        QFile f(hitsPath);
        return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
    }

    // {indicator number: (accounts, requests)} as stored in the case.
    static QMap<int, QPair<QStringList, int>> storedHits(const QString& db)
    {
        QMap<int, QPair<QStringList, int>> out;
        SqliteDb c = CaseDatabase::openForReading(db);
        SqliteStatement st(c, "SELECT i.stix_id, a.account_id, h.requests FROM partner_indicator_hit h JOIN partner_indicator i ON "
                              "i.id = h.indicator JOIN account a ON a.id = h.account ORDER BY i.stix_id, a.account_id");
        while (st.step()) {
            auto& hit = out[st.columnText(0).right(2).toInt()];
            hit.first << st.columnText(1);
            hit.second += static_cast<int>(st.columnInt(2));
        }
        return out;
    }

private Q_SLOTS:
    // A small case: a network of 10 accounts among 60. Eight members and six ordinary accounts sign up at one webmail
    // domain and call through one popular SDK; five members share one address nobody else uses. Only the address is
    // specific to the network: a partner matching the domain or the user agent would find ordinary accounts.
    void exportSharesOnlyValuesSpecificToTheNetwork()
    {
        const ConfirmedNetwork net = network(10);
        NetworkInfrastructure infra;
        auto value = [](ValueKind kind, const QString& text, int members, int population) {
            SharedValue v;
            v.kind = kind;
            v.value = text;
            v.memberAccounts = members;
            v.populationAccounts = population;
            v.networkAccounts = 10;
            v.caseAccounts = 60;
            return v;
        };
        infra.values.push_back(value(ValueKind::Ip, QStringLiteral("198.51.100.23"), 5, 5));
        infra.values.push_back(value(ValueKind::UserAgent, QStringLiteral("OpenAI/Python 1.40.0"), 8, 14));
        infra.values.push_back(value(ValueKind::EmailDomain, QStringLiteral("outlook.com"), 8, 14));
        QVERIFY(infra.values[0].isIndicator());
        QVERIFY(!infra.values[1].isIndicator());
        QVERIFY(!infra.values[2].isIndicator());
        const QByteArray bundle =
            QJsonDocument(stix::buildBundle(QStringLiteral("case"), QStringLiteral("us"), 0, {net}, {infra})).toJson();
        QVERIFY(bundle.contains("198.51.100.23"));
        QVERIFY2(!bundle.contains("OpenAI/Python"), bundle.constData());
        QVERIFY2(!bundle.contains("outlook.com"), bundle.constData());
    }

    // Every kind of value the export shares comes back evaluable and matches the value it was made from, whatever the
    // scenario's traffic holds: IPv4 and IPv6 addresses and networks, a user agent with quotes and backslashes, an
    // e-mail domain, a payment fingerprint and a template fingerprint.
    void everyPatternTheExportWritesIsEvaluated()
    {
        const ConfirmedNetwork net = network(5);
        const std::uint64_t tmpl = templatefingerprint::compute("", "Solve problem 7 and show every step.");
        struct Shared
        {
            ValueKind kind;
            QString value, inCase; // the value exported, and one the case would hold that it names
        };
        const std::vector<Shared> shared{
            {ValueKind::Ip, QStringLiteral("198.51.100.23"), QStringLiteral("198.51.100.23")},
            {ValueKind::Ip, QStringLiteral("2001:db8:7::9"), QStringLiteral("2001:db8:7::9")},
            {ValueKind::Network, QStringLiteral("185.196.110.0/24"), QStringLiteral("185.196.110.201")},
            {ValueKind::Network, QStringLiteral("2001:db8:8::/48"), QStringLiteral("2001:db8:8:1::5")},
            {ValueKind::UserAgent, QStringLiteral("hydra 'x' \\ 2.0"), QStringLiteral("hydra 'x' \\ 2.0")},
            {ValueKind::EmailDomain, QStringLiteral("mailbox.example"), QStringLiteral("mailbox.example")},
            {ValueKind::PaymentFingerprint, QStringLiteral("fp_9"), QStringLiteral("fp_9")},
            {ValueKind::PromptTemplate, QString::number(tmpl, 16).rightJustified(16, QLatin1Char('0')), QString()}};
        NetworkInfrastructure infra;
        for (const Shared& v : shared) {
            SharedValue sv;
            sv.kind = v.kind;
            sv.value = v.value;
            sv.memberAccounts = sv.populationAccounts = sv.networkAccounts = 5;
            infra.values.push_back(sv);
        }
        const auto read = readBundle(QJsonDocument(stix::buildBundle(QStringLiteral("case"), QStringLiteral("us"), 0, {net}, {infra})).toJson());
        QVERIFY2(read.bundle, qPrintable(read.refusal));
        QCOMPARE(read.bundle->indicators.size(), shared.size());
        for (const PartnerIndicator& ind : read.bundle->indicators) {
            const IndicatorPlan plan = planFor(ind.patternType, ind.pattern);
            QVERIFY2(plan.evaluable(), qPrintable(ind.pattern + QStringLiteral(": ") + plan.why));
            QCOMPARE(plan.tests.size(), std::size_t(1));
            const FieldTest& t = plan.tests[0];
            bool named = false;
            for (const Shared& v : shared)
                named = named || (t.field == indicators::Field::Template ? t.hashes == std::vector<std::uint64_t>{tmpl}
                                  : t.field == indicators::Field::Ip     ? t.matchesAddress(v.inCase)
                                                             : !v.inCase.isEmpty() && t.matchesText(v.inCase));
            QVERIFY2(named, qPrintable(ind.pattern));
        }
    }

    void parsesThePatterningLanguage()
    {
        const auto r = stixpattern::parse(
            QStringLiteral("([ipv4-addr:value ISSUBSET '185.196.110.0/24' OR ipv4-addr:value = '198.51.100.7'] AND "
                           "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' LIKE 'hydra%']) "
                           "OR [email-addr:value IN ('a@x.org', 'b@y.org')] WITHIN 600 SECONDS"));
        QVERIFY2(r.pattern, qPrintable(r.error));
        QCOMPARE(r.pattern->kind, stixpattern::ObservationNode::Kind::Or);
        QCOMPARE(r.pattern->children.size(), std::size_t(2));
        QCOMPARE(r.pattern->children[1].qualifiers, QStringList{QStringLiteral("WITHIN 600 SECONDS")});
        const auto& and_ = r.pattern->children[0];
        QCOMPARE(and_.kind, stixpattern::ObservationNode::Kind::And);
        const auto& ua = and_.children[1].comparisons.leaf;
        QCOMPARE(ua.path, (QStringList{QStringLiteral("extensions"), QStringLiteral("http-request-ext"), QStringLiteral("request_header"),
                                       QStringLiteral("User-Agent")}));
        QCOMPARE(ua.op, QStringLiteral("LIKE"));
        QCOMPARE(ua.pathText(), QStringLiteral("extensions.'http-request-ext'.request_header.'User-Agent'"));
        const auto esc = stixpattern::parse(QStringLiteral("[user-account:account_login = 'o\\'brien \\\\ x']"));
        QVERIFY(esc.pattern);
        QCOMPARE(esc.pattern->comparisons.leaf.values[0].text, QStringLiteral("o'brien \\ x"));
        QVERIFY(stixpattern::parse(QStringLiteral("[file:hashes.'SHA-256' = h'ab01'] FOLLOWEDBY [x:y[*].z != 3.5] REPEATS 2 TIMES")).pattern);
        QVERIFY(stixpattern::parse(QStringLiteral("[x:y > 1] START t'2026-01-01T00:00:00Z' STOP t'2026-02-01T00:00:00Z'")).pattern);
    }

    void refusesMalformedPatternsWithoutCrashing()
    {
        for (const QString& bad : {QStringLiteral(""), QStringLiteral("[ipv4-addr:value = '1.2.3.4'"), QStringLiteral("[ipv4-addr:value = 'open]"),
                                   QStringLiteral("[ipv4-addr = '1.2.3.4']"), QStringLiteral("[a:b IN ()]"), QStringLiteral("[a:b ~ 1]"),
                                   QStringLiteral("[a:b = 1] trailing"), QStringLiteral("[a:b = 'x\\n']"), QStringLiteral("[a:b[x] = 1]"),
                                   QString(100000, QLatin1Char('(')), QStringLiteral("[") + QString(100000, QLatin1Char('(')) + QStringLiteral("]")}) {
            const auto r = stixpattern::parse(bad);
            QVERIFY2(!r.pattern, qPrintable(bad.left(60)));
            QVERIFY(!r.error.isEmpty());
        }
        QVERIFY(stixpattern::parse(QString(100000, QLatin1Char('('))).error.contains(QStringLiteral("nesting")));
    }

    // Hostile input never crashes and a refusal always says why: seeds from the fuzz corpus, mutated by a fixed
    // generator (byte flips, cuts, duplicated spans, deep nesting). The libFuzzer target fuzz_stix does this at length.
    void mutatedBundlesAndPatternsAreRefusedOrRead()
    {
        QList<QByteArray> seeds;
        for (const char* name : {"bundle.json", "pattern.txt", "qualifiers.txt"}) {
            QFile f(QStringLiteral(DS_SOURCE_DIR "/tests/fuzz/corpus/stix/") + QLatin1String(name));
            QVERIFY(f.open(QIODevice::ReadOnly));
            seeds << f.readAll();
        }
        std::uint64_t state = 0x9e3779b97f4a7c15ULL;
        const auto next = [&state] {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            return state;
        };
        static const char kTokens[][16] = {"[", "]", "(", ")", "'", "\\", " AND ", " OR ", " FOLLOWEDBY ", " IN ", " LIKE ", " MATCHES ",
                                           "ISSUBSET", "{", "}", "\"", ":", ",", "/", "*", "%", "\\x00", "\xff"};
        int read = 0, refused = 0;
        for (int i = 0; i < 4000; ++i) {
            QByteArray b = seeds[static_cast<qsizetype>(next() % static_cast<std::uint64_t>(seeds.size()))];
            const int edits = 1 + static_cast<int>(next() % 8);
            for (int e = 0; e < edits && !b.isEmpty(); ++e) {
                const auto at = static_cast<qsizetype>(next() % static_cast<std::uint64_t>(b.size()));
                switch (next() % 5) {
                case 0: b[at] = static_cast<char>(next()); break;
                case 1: b.remove(at, static_cast<qsizetype>(next() % 16)); break;
                case 2: b.insert(at, kTokens[next() % (sizeof kTokens / sizeof kTokens[0])]); break;
                case 3: b.insert(at, b.mid(at, static_cast<qsizetype>(next() % 64))); break;
                default: b.insert(at, QByteArray(static_cast<qsizetype>(next() % 200), "[("[next() % 2])); break;
                }
            }
            const auto r = readBundle(b);
            QVERIFY(r.bundle || !r.refusal.isEmpty());
            r.bundle ? ++read : ++refused;
            if (r.bundle)
                for (const auto& ind : r.bundle->indicators) {
                    const IndicatorPlan plan = planFor(ind.patternType, ind.pattern);
                    QVERIFY(plan.evaluable() || !plan.why.isEmpty());
                }
            const IndicatorPlan plan = planFor(QStringLiteral("stix"), QString::fromUtf8(b));
            QVERIFY(plan.evaluable() || !plan.why.isEmpty());
            for (const FieldTest& t : plan.tests) {
                t.matchesAddress(QStringLiteral("185.196.110.7"));
                t.matchesText(QStringLiteral("hydra/2.0"));
            }
        }
        qInfo("4000 mutated inputs: %d bundles read, %d refused", read, refused);
        QVERIFY(read > 0 && refused > 0);
    }

    void evaluatesWhatDistillscopeExportsAndCommonObservables()
    {
        for (const QString& ok :
             {QStringLiteral("[ipv4-addr:value = '203.0.113.7']"), QStringLiteral("[ipv6-addr:value ISSUBSET '2001:db8:1::/48']"),
              QStringLiteral("[ipv4-addr:value = '198.51.100.0/24']"),
              QStringLiteral("[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'hydra/1.0']"),
              QStringLiteral("[network-traffic:src_ref.value = '203.0.113.7']"), QStringLiteral("[email-addr:value LIKE '%@mailbox.example']"),
              QStringLiteral("[domain-name:value = 'mailbox.example']"), QStringLiteral("[user-account:x_payment_fingerprint = 'fp_1']"),
              QStringLiteral("[user-account:account_login MATCHES '^acct_[0-9]+$']"), QStringLiteral("[user-account:user_id IN ('a', 'b')]"),
              QStringLiteral("[x-llm-api-request:x_prompt_template_fingerprint = 'ds-skeleton-v1:00ff00ff00ff00ff']"),
              QStringLiteral("[x-llm-api-request:x_prompt_template_fingerprint = '00ff00ff00ff00ff']"),
              QStringLiteral("[ipv4-addr:value = '203.0.113.7'] OR [email-addr:value LIKE '%@x.org']"),
              QStringLiteral("[ipv4-addr:value = '203.0.113.7' OR user-account:account_login = 'a']")})
            QVERIFY2(why(ok).isEmpty(), qPrintable(ok + QStringLiteral(": ") + why(ok)));
        const IndicatorPlan p = planFor(QStringLiteral("stix"), QStringLiteral("[ipv4-addr:value ISSUBSET '185.196.110.0/24']"));
        QCOMPARE(p.summary(), QStringLiteral("IP range “185.196.110.0/24”"));
        QVERIFY(p.tests[0].matchesAddress(QStringLiteral("185.196.110.200")));
        QVERIFY(!p.tests[0].matchesAddress(QStringLiteral("185.196.111.1")));
        QVERIFY(!p.tests[0].matchesAddress(QStringLiteral("::ffff:1")));
        const IndicatorPlan like = planFor(QStringLiteral("stix"), QStringLiteral("[email-addr:value LIKE '%@Mail_x.org']"));
        QVERIFY(like.tests[0].matchesText(QStringLiteral("mailAx.org")));
        QVERIFY(!like.tests[0].matchesText(QStringLiteral("mailx.org")));
    }

    void saysWhyAnIndicatorCannotBeEvaluated()
    {
        QVERIFY(why(QStringLiteral("[file:hashes.'SHA-256' = 'ab']")).contains(QStringLiteral("file objects")));
        QVERIFY(why(QStringLiteral("[url:value = 'http://x']")).contains(QStringLiteral("url objects")));
        QVERIFY(why(QStringLiteral("[email-addr:value = 'a@b.org']")).contains(QStringLiteral("only the domain")));
        QVERIFY(why(QStringLiteral("[ipv4-addr:value = '1.2.3.4'] FOLLOWEDBY [ipv4-addr:value = '1.2.3.5']")).contains(QStringLiteral("FOLLOWEDBY")));
        QVERIFY(why(QStringLiteral("[ipv4-addr:value = '1.2.3.4'] REPEATS 5 TIMES")).contains(QStringLiteral("qualifiers")));
        QVERIFY(why(QStringLiteral("[ipv4-addr:value != '1.2.3.4']")).contains(QStringLiteral("negated")));
        QVERIFY(why(QStringLiteral("[ipv4-addr:value = '2001:db8::1']")).contains(QStringLiteral("IPv6")));
        QVERIFY(why(QStringLiteral("[ipv4-addr:value = 'not-an-ip']")).contains(QStringLiteral("not an IP")));
        QVERIFY(why(QStringLiteral("[user-account:account_login MATCHES '(']")).contains(QStringLiteral("does not compile")));
        QVERIFY(why(QStringLiteral("[network-traffic:dst_port = 443]")).contains(QStringLiteral("network-traffic:dst_port")));
        QVERIFY(why(QStringLiteral("[ipv4-addr:value = '1.2.3.4' AND user-account:account_login = 'a']")).contains(QStringLiteral("AND")));
        QVERIFY(why(QStringLiteral("[x-llm-api-request:x_prompt_template_fingerprint = 'ds-skeleton-v2:00ff00ff00ff00ff']"))
                    .contains(QStringLiteral("version 2")));
        QVERIFY(why(QStringLiteral("[x-llm-api-request:x_prompt_template_fingerprint = 'zz']")).contains(QStringLiteral("not Distillscope's")));
        QVERIFY(why(QStringLiteral("[ipv4-addr:value = ")).contains(QStringLiteral("does not parse")));
        QVERIFY(planFor(QStringLiteral("sigma"), QStringLiteral("title: x")).why.contains(QStringLiteral("sigma")));
    }

    // The fingerprint another implementation must reproduce (docs/TEMPLATE_FINGERPRINT.md lists these vectors).
    void templateFingerprintIsVersionedAndStable()
    {
        const std::uint64_t h = templatefingerprint::compute("", "Translate \"Good morning, Anna\" into French. Answer in 3 words.");
        QCOMPARE(h, extractPromptFeatures("", "Translate \"Good morning, Anna\" into French. Answer in 3 words.", 0).skeletonHash);
        QCOMPARE(templatefingerprint::compute("", "Translate \"See you soon\" into French. Answer in 12 words."), h);
        QVERIFY(templatefingerprint::compute("You are terse.", "Translate \"See you soon\" into French. Answer in 12 words.") != h);
        QCOMPARE(promptSkeleton("Translate \"Good morning, Anna\" into French. Answer in 3 words."),
                 std::string("translate \"_\" into N. answer in 0 words."));
        const QString text = templatefingerprint::text(h);
        QVERIFY(text.startsWith(QStringLiteral("ds-skeleton-v1:")));
        QCOMPARE(text.size(), 15 + 16);
        QCOMPARE(*templatefingerprint::parse(text).hash, h);
        QCOMPARE(*templatefingerprint::parse(text.mid(15)).hash, h);
        QVERIFY(!templatefingerprint::parse(QStringLiteral("ds-skeleton-v9:0000000000000001")).hash);
        QVERIFY(!templatefingerprint::parse(QStringLiteral("ds-skeleton-v1:00000000000000zz")).hash);
        QCOMPARE(templatefingerprint::text(templatefingerprint::compute("", "Translate \"Good morning, Anna\" into French. Answer in 3 words.")),
                 QStringLiteral(DS_GOLDEN_TRANSLATE));
        QCOMPARE(templatefingerprint::text(templatefingerprint::compute("You are a grader.", "Score the answer below from 1 to 10.\n\nAnswer: `x = 42`")),
                 QStringLiteral(DS_GOLDEN_GRADER));
    }

    void readsAValidBundleWithItsProducer()
    {
        const QString acme = QStringLiteral("identity--aaaaaaaa-0000-4000-8000-000000000001");
        QJsonObject windowed = indicator(2, QStringLiteral("[ipv4-addr:value = '1.2.3.4']"), acme);
        windowed.insert(QStringLiteral("valid_until"), QStringLiteral("2026-06-01T00:00:00Z"));
        const auto r = readBundle(bundle({indicator(1, QStringLiteral("[url:value = 'x']"), acme), windowed, identity(acme, QStringLiteral("Acme AI"))}));
        QVERIFY2(r.bundle, qPrintable(r.refusal));
        QCOMPARE(r.bundle->indicators.size(), std::size_t(2));
        QCOMPARE(r.bundle->producer, QStringLiteral("Acme AI"));
        QCOMPARE(r.bundle->indicators[1].producer, QStringLiteral("Acme AI"));
        QCOMPARE(*r.bundle->indicators[1].confidence, 80);
        QCOMPARE(*r.bundle->indicators[1].validUntil, 1780272000000LL);
        QCOMPARE(r.bundle->sha256.size(), 64);
    }

    void refusesAMalformedBundleWithOneSentence_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("says");
        QTest::newRow("not json") << QByteArray("{\"type\": \"bundle\",") << QStringLiteral("not JSON");
        QTest::newRow("not a bundle") << QByteArray(R"({"type":"indicator","objects":[]})") << QStringLiteral("not a STIX bundle");
        QTest::newRow("array") << QByteArray("[1,2]") << QStringLiteral("not a STIX bundle");
        QTest::newRow("no objects") << QByteArray(R"({"type":"bundle","id":"bundle--11111111-2222-4333-8444-555555555555"})")
                                    << QStringLiteral("no \"objects\"");
        QTest::newRow("bad id") << QByteArray(R"({"type":"bundle","id":"bundle--x","objects":[]})") << QStringLiteral("bundle id");
        QTest::newRow("object not object") << bundle({1}) << QStringLiteral("object 1 is not");
        auto without = [](const char* key) {
            QJsonObject o = indicator(1, QStringLiteral("[ipv4-addr:value = '1.2.3.4']"));
            o.remove(QLatin1String(key));
            return bundle({o});
        };
        QTest::newRow("no pattern") << without("pattern") << QStringLiteral("has no pattern");
        QTest::newRow("no pattern_type") << without("pattern_type") << QStringLiteral("no pattern_type");
        QTest::newRow("no valid_from") << without("valid_from") << QStringLiteral("no valid_from");
        QTest::newRow("no spec_version") << without("spec_version") << QStringLiteral("not STIX 2.1");
        QTest::newRow("no id") << without("id") << QStringLiteral("no type or no id");
        QJsonObject badTime = indicator(1, QStringLiteral("[ipv4-addr:value = '1.2.3.4']"));
        badTime.insert(QStringLiteral("valid_from"), QStringLiteral("yesterday"));
        QTest::newRow("bad time") << bundle({badTime}) << QStringLiteral("not a STIX timestamp");
        QJsonObject badConfidence = indicator(1, QStringLiteral("[ipv4-addr:value = '1.2.3.4']"));
        badConfidence.insert(QStringLiteral("confidence"), 101);
        QTest::newRow("confidence") << bundle({badConfidence}) << QStringLiteral("confidence");
        QJsonObject backwards = indicator(1, QStringLiteral("[ipv4-addr:value = '1.2.3.4']"));
        backwards.insert(QStringLiteral("valid_until"), QStringLiteral("2025-01-01T00:00:00Z"));
        QTest::newRow("window") << bundle({backwards}) << QStringLiteral("valid until a time before");
        QTest::newRow("too large") << QByteArray(kMaxBundleBytes + 1, ' ') << QStringLiteral("larger than");
    }

    void refusesAMalformedBundleWithOneSentence()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, says);
        const auto r = readBundle(bytes);
        QVERIFY(!r.bundle);
        QVERIFY2(r.refusal.contains(says), qPrintable(r.refusal));
        QVERIFY(r.refusal.endsWith(QLatin1Char('.')));
        QCOMPARE(r.refusal.count(QStringLiteral(". ")), 0); // one sentence
    }

    // The command on a small case: request fields, account fields, every kind of partner observable.
    void commandMatchesAHandBuiltCase()
    {
        test::ScratchDir dir;
        QByteArray log;
        const std::int64_t t0 = 1770120000000LL;
        int n = 0;
        const auto req = [&](const QString& account, std::int64_t ts, const QString& ip, const QString& ua, const QString& prompt) {
            log += requestLine(++n, account, ts, ip, ua, prompt);
        };
        for (int i = 0; i < 5; ++i) {
            req(QStringLiteral("acct_a"), t0 + i * 1000, QStringLiteral("185.196.110.%1").arg(10 + i), QStringLiteral("hydra/2.0"),
                QStringLiteral("Solve problem %1 and show every step.").arg(i));
            req(QStringLiteral("acct_b"), t0 + i * 2000, QStringLiteral("2001:db8:7::%1").arg(i + 1), QStringLiteral("curl/8"),
                QStringLiteral("Solve problem %1 and show every step.").arg(i + 100));
            req(QStringLiteral("acct_c"), t0 + i * 3000, QStringLiteral("198.51.100.9"), QStringLiteral("python-requests/2.31"),
                QStringLiteral("What is the weather like in Paris in May, roughly?"));
        }
        const QString logPath = dir.write(QStringLiteral("requests.jsonl"), log);
        const QString accountsPath = dir.write(
            QStringLiteral("accounts.jsonl"),
            QByteArray(R"({"account_id":"acct_a","email_domain":"mailbox.example","payment_fingerprint":"fp_9"})" "\n"
                       R"({"account_id":"acct_b","email_domain":"MailBox.Example","payment_fingerprint":"fp_1"})" "\n"
                       R"({"account_id":"acct_c","email_domain":"uni.example","payment_fingerprint":"fp_2"})" "\n"));
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        QVERIFY(test::importInto(db, {logPath, accountsPath}).anyImported());

        const QString acme = QStringLiteral("identity--aaaaaaaa-0000-4000-8000-000000000001");
        const QString tmpl = templatefingerprint::text(templatefingerprint::compute("", "Solve problem 7 and show every step."));
        // The first indicator's window ends before the logs begin: shown beside its hit, never used to drop it.
        QJsonObject expired = indicator(1, QStringLiteral("[ipv4-addr:value ISSUBSET '185.196.110.0/24']"), acme);
        expired.insert(QStringLiteral("valid_until"), QStringLiteral("2026-01-15T00:00:00Z"));
        const QJsonArray objects{identity(acme, QStringLiteral("Acme AI")),
                                 expired,
                                 indicator(2, QStringLiteral("[ipv6-addr:value ISSUBSET '2001:db8:7::/48']"), acme),
                                 indicator(3, QStringLiteral("[email-addr:value LIKE '%@mailbox.example']"), acme),
                                 indicator(4, QStringLiteral("[user-account:x_payment_fingerprint = 'fp_2']"), acme),
                                 indicator(5, QStringLiteral("[x-llm-api-request:x_prompt_template_fingerprint = '%1']").arg(tmpl), acme),
                                 indicator(6, QStringLiteral("[network-traffic:extensions.'http-request-ext'.request_header.'user-agent' LIKE 'hydra/%']"), acme),
                                 indicator(7, QStringLiteral("[ipv4-addr:value = '203.0.113.1']"), acme),
                                 indicator(8, QStringLiteral("[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']"), acme),
                                 indicator(9, QStringLiteral("[ipv4-addr:value = '198.51.100.9'] AND [domain-name:value = 'nowhere.example']"), acme),
                                 indicator(10, QStringLiteral("[user-account:account_login = 'acct_c'] OR [ipv4-addr:value = '185.196.110.10']"), acme)};
        const QString bundlePath = dir.write(QStringLiteral("partner.json"), bundle(objects));
        test::CliResult r;
        const QJsonObject o = importWithCli(dir, db, bundlePath, r);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(o.value(QStringLiteral("indicators")).toInt(), 10);
        QCOMPARE(o.value(QStringLiteral("evaluable")).toInt(), 9);
        QCOMPARE(o.value(QStringLiteral("producer")).toString(), QStringLiteral("Acme AI"));
        const QJsonArray unevaluable = o.value(QStringLiteral("unevaluable")).toArray();
        QCOMPARE(unevaluable.size(), 1);
        QVERIFY(unevaluable[0].toObject().value(QStringLiteral("why")).toString().contains(QStringLiteral("file objects")));
        QVERIFY(unevaluable[0].toObject().value(QStringLiteral("id")).toString().endsWith(QStringLiteral("000000000008")));
        QCOMPARE(unevaluable[0].toObject().value(QStringLiteral("pattern")).toString(), QStringLiteral("[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']"));
        QVERIFY2(r.out.contains("unevaluable indicator--00000000-0000-4000-8000-000000000008"), r.out.constData());
        QMap<int, QPair<QStringList, int>> hits;
        for (const auto& v : o.value(QStringLiteral("hits")).toArray()) {
            const QJsonObject h = v.toObject();
            QStringList accounts;
            for (const auto& a : h.value(QStringLiteral("accounts")).toArray())
                accounts << a.toString();
            accounts.sort();
            hits.insert(h.value(QStringLiteral("id")).toString().right(2).toInt(), {accounts, h.value(QStringLiteral("requests")).toInt()});
        }
        QCOMPARE(hits.value(1), qMakePair(QStringList{QStringLiteral("acct_a")}, 5));
        QJsonObject first;
        for (const auto& v : o.value(QStringLiteral("hits")).toArray())
            if (v.toObject().value(QStringLiteral("id")).toString().endsWith(QStringLiteral("01")))
                first = v.toObject();
        QCOMPARE(first.value(QStringLiteral("pattern")).toString(), QStringLiteral("[ipv4-addr:value ISSUBSET '185.196.110.0/24']"));
        QCOMPARE(first.value(QStringLiteral("valid_from")).toString(), QStringLiteral("2026-01-01T00:00:00.000Z"));
        QCOMPARE(first.value(QStringLiteral("valid_until")).toString(), QStringLiteral("2026-01-15T00:00:00.000Z"));
        QVERIFY(first.value(QStringLiteral("first_seen")).toString() > first.value(QStringLiteral("valid_until")).toString());
        QVERIFY2(r.out.contains("valid from 2026-01-01T00:00:00.000Z until 2026-01-15T00:00:00.000Z"), r.out.constData());
        QCOMPARE(hits.value(2), qMakePair(QStringList{QStringLiteral("acct_b")}, 5));
        QCOMPARE(hits.value(3), qMakePair(QStringList{QStringLiteral("acct_a"), QStringLiteral("acct_b")}, 10)); // domains without case
        QCOMPARE(hits.value(4), qMakePair(QStringList{QStringLiteral("acct_c")}, 5));
        QCOMPARE(hits.value(5), qMakePair(QStringList{QStringLiteral("acct_a"), QStringLiteral("acct_b")}, 10));
        QCOMPARE(hits.value(6), qMakePair(QStringList{QStringLiteral("acct_a")}, 5)); // header name without case
        QVERIFY(!hits.contains(7));  // not in the case
        QVERIFY(!hits.contains(9));  // AND of observations: one of them was never seen
        QCOMPARE(hits.value(10), qMakePair(QStringList{QStringLiteral("acct_a"), QStringLiteral("acct_c")}, 6));
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM partner_indicator"), 10);
        QCOMPARE(test::queryText(db, "SELECT producer FROM partner_bundle"), QStringLiteral("Acme AI"));
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM audit_log WHERE action = 'import indicators'"), 1);

        // The same bundle again replaces its rows; a refused one stores nothing and exits 1.
        QCOMPARE(test::runCli({QStringLiteral("indicators"), QStringLiteral("--db"), db, QStringLiteral("--import"), bundlePath}).exitCode, 0);
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM partner_indicator"), 10);
        const QString broken = dir.write(QStringLiteral("broken.json"), QByteArray(R"({"type":"bundle"})"));
        const auto refused = test::runCli({QStringLiteral("indicators"), QStringLiteral("--db"), db, QStringLiteral("--import"), broken});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("refused"), refused.err.constData());
        QCOMPARE(test::queryInt(db, "SELECT count(*) FROM partner_bundle"), 1);
        QCOMPARE(test::runCli({QStringLiteral("indicators"), QStringLiteral("--db"), db}).exitCode, 2);
    }

    // Hits follow the case: logs imported after the bundle, by the import of the GUI and of the command line (one
    // Importer), are matched as they come in; hits left behind (a re-evaluation cancelled, a case of an older
    // version) are made current by the next import or detection.
    void hitsFollowLogsImportedAfterTheBundle()
    {
        test::ScratchDir dir;
        const std::int64_t t0 = 1770120000000LL;
        int n = 0;
        const QString db = dir.file(QStringLiteral("case.sqlite"));
        QVERIFY(test::importInto(db, {dir.write(QStringLiteral("early.jsonl"), requestLines(n, QStringLiteral("acct_early"),
                                                                                            QStringLiteral("198.51.100.9"), t0, 3))})
                    .anyImported());
        const QString acme = QStringLiteral("identity--aaaaaaaa-0000-4000-8000-000000000001");
        const QString bundlePath =
            dir.write(QStringLiteral("partner.json"),
                      bundle({identity(acme, QStringLiteral("Acme AI")),
                              indicator(1, QStringLiteral("[user-account:account_login = 'acct_late']"), acme),
                              indicator(2, QStringLiteral("[ipv4-addr:value ISSUBSET '185.196.110.0/24']"), acme),
                              indicator(3, QStringLiteral("[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']"), acme)}));
        test::CliResult imported;
        const QJsonObject o = importWithCli(dir, db, bundlePath, imported);
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        QCOMPARE(o.value(QStringLiteral("evaluable")).toInt(), 2);
        QVERIFY(o.value(QStringLiteral("hits")).toArray().isEmpty()); // read, no hits: still exit 0
        QVERIFY(storedHits(db).isEmpty());

        // The partner's account and network arrive with the next logs (the Importer the GUI runs).
        QVERIFY(test::importInto(db, {dir.write(QStringLiteral("late.jsonl"), requestLines(n, QStringLiteral("acct_late"),
                                                                                           QStringLiteral("185.196.110.20"), t0 + 60000, 4))})
                    .anyImported());
        auto hits = storedHits(db);
        QCOMPARE(hits.value(1), qMakePair(QStringList{QStringLiteral("acct_late")}, 4));
        QCOMPARE(hits.value(2), qMakePair(QStringList{QStringLiteral("acct_late")}, 4));
        QVERIFY(!hits.contains(3));

        // More of them through the command line's import: the account's new requests count, another account joins.
        const QString later = dir.write(QStringLiteral("later.jsonl"),
                                        requestLines(n, QStringLiteral("acct_late"), QStringLiteral("203.0.113.5"), t0 + 120000, 2)
                                            + requestLines(n, QStringLiteral("acct_other"), QStringLiteral("185.196.110.77"), t0 + 180000, 1));
        const auto cli = test::runCli({QStringLiteral("import"), QStringLiteral("--db"), db, later});
        QVERIFY2(cli.exitCode == 0, cli.err.constData());
        hits = storedHits(db);
        QCOMPARE(hits.value(1), qMakePair(QStringList{QStringLiteral("acct_late")}, 6));
        QCOMPARE(hits.value(2), qMakePair((QStringList{QStringLiteral("acct_late"), QStringLiteral("acct_other")}), 5));
        QCOMPARE(test::queryInt(db, "SELECT max(last_ts) FROM partner_indicator_hit"), t0 + 180000);

        // Hits left behind are made current once, then left alone while the case does not change.
        {
            SqliteDb c = CaseDatabase::openForWriting(db);
            QVERIFY(hitsAreCurrent(c));
            c.exec("DELETE FROM partner_indicator_hit; UPDATE meta SET value = 'before' WHERE key = 'partner_hits_evaluated_against'");
            QVERIFY(!hitsAreCurrent(c));
            CancelToken cancel;
            QVERIFY(refreshHits(c, cancel));
            QVERIFY(hitsAreCurrent(c));
            QVERIFY(!refreshHits(c, cancel));
        }
        QCOMPARE(storedHits(db), hits);
    }
};

QTEST_GUILESS_MAIN(TestIndicators)
#include "tst_indicators.moc"
