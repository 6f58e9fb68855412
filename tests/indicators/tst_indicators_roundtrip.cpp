#include "ReasonStyle.h"
#include "TestSupport.h"

#include "case/CaseEditor.h"
#include "core/CaseDatabase.h"
#include "core/Sqlite.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace ds;

// The sharing loop end to end (issue 18): one provider confirms the campaign's networks in its case and exports a
// STIX bundle; another provider, whose logs are other simulated traffic of the same campaigns (another seed: other
// accounts, addresses, domains and cards, the same clients and templates), imports it and finds the campaigns'
// accounts through the hits. The hits then appear as evidence on detection's networks without changing what is
// flagged. A partner bundle with other object types imports with those reported as unevaluable.
class TestIndicatorsRoundTrip : public QObject
{
    Q_OBJECT

private:
    struct Simulated
    {
        QString db;
        QMap<QString, QString> campaignOf; // account id -> campaign ("" for benign)
    };

    static Simulated simulateAndImport(const test::ScratchDir& dir, const QString& name, int seed, bool detect)
    {
        Simulated s;
        const QString out = dir.file(name);
        const auto sim = test::runCli({QStringLiteral("simulate"), QStringLiteral("--out"), out, QStringLiteral("--scenario"),
                                       QStringLiteral("tiny"), QStringLiteral("--seed"), QString::number(seed)});
        if (sim.exitCode != 0)
            qFatal("simulate failed: %s", sim.err.constData());
        for (const QByteArray& line : test::csvDataLines(out + QStringLiteral("/truth.csv"))) {
            const QList<QByteArray> f = line.split(',');
            if (f.size() >= 3)
                s.campaignOf.insert(QString::fromUtf8(f[0]), f[1] == "attacker" ? QString::fromUtf8(f[2]) : QString());
        }
        s.db = dir.file(name + QStringLiteral(".sqlite"));
        QStringList args{detect ? QStringLiteral("scan") : QStringLiteral("import"), QStringLiteral("--db"), s.db};
        if (detect)
            args << QStringLiteral("--json") << dir.file(name + QStringLiteral(".scan.json"));
        const auto imp = test::runCli(args + QStringList{out + QStringLiteral("/requests.jsonl.gz"), out + QStringLiteral("/accounts.csv")}, 300000);
        if (imp.exitCode != 0)
            qFatal("import failed: %s", imp.err.constData());
        return s;
    }

    static QStringList flaggedAccounts(const QString& db, std::int64_t run)
    {
        QStringList out;
        SqliteDb c = CaseDatabase::openForReading(db);
        SqliteStatement st(c, "SELECT a.account_id FROM account_result r JOIN account a ON a.id = r.account WHERE r.run = ?1 AND r.flagged "
                              "ORDER BY a.account_id");
        st.bind(1, run);
        while (st.step())
            out << st.columnText(0);
        return out;
    }

    static QJsonObject readJson(const QString& path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
    }

    // A partner's bundle naming accounts by their login: one indicator per list, confidence 80.
    static QByteArray accountsBundle(const QString& producer, const QList<QStringList>& lists)
    {
        const QString by = QStringLiteral("identity--aaaaaaaa-0000-4000-8000-0000000000b1");
        QJsonArray objects{QJsonObject{{QStringLiteral("type"), QStringLiteral("identity")}, {QStringLiteral("spec_version"), QStringLiteral("2.1")},
                                       {QStringLiteral("id"), by}, {QStringLiteral("name"), producer}}};
        for (int i = 0; i < lists.size(); ++i) {
            QStringList quoted;
            for (const QString& a : lists[i])
                quoted << QStringLiteral("'%1'").arg(a);
            objects.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("indicator")}, {QStringLiteral("spec_version"), QStringLiteral("2.1")},
                                       {QStringLiteral("id"), QStringLiteral("indicator--00000000-0000-4000-8000-%1").arg(i + 1, 12, 10, QLatin1Char('0'))},
                                       {QStringLiteral("created_by_ref"), by}, {QStringLiteral("confidence"), 80},
                                       {QStringLiteral("pattern"), QStringLiteral("[user-account:account_login IN (%1)]").arg(quoted.join(QStringLiteral(", ")))},
                                       {QStringLiteral("pattern_type"), QStringLiteral("stix")},
                                       {QStringLiteral("valid_from"), QStringLiteral("2026-01-01T00:00:00Z")}});
        }
        return QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("bundle")},
                                         {QStringLiteral("id"), QStringLiteral("bundle--11111111-2222-4333-8444-5555555555b1")},
                                         {QStringLiteral("objects"), objects}})
            .toJson();
    }

    // Partner reasons of the latest detection run, by account id (accounts only).
    static QMap<QString, QString> partnerReasonsByAccount(const QString& db)
    {
        QMap<QString, QString> out;
        SqliteDb c = CaseDatabase::openForReading(db);
        SqliteStatement st(c, "SELECT a.account_id, r.text FROM reason r JOIN account a ON a.id = r.subject WHERE r.key = 'partner_indicator' "
                              "AND r.subject_kind = 'account' AND r.run = (SELECT max(id) FROM detection_run)");
        while (st.step())
            out.insert(st.columnText(0), st.columnText(1));
        return out;
    }

private Q_SLOTS:
    void exportedBundleFindsTheCampaignInAnotherProvidersLogs()
    {
        test::ScratchDir dir;
        // Provider A: detect, confirm the networks that are mostly the campaigns' accounts, export.
        const Simulated a = simulateAndImport(dir, QStringLiteral("a"), 1, true);
        const std::int64_t runA = test::queryInt(a.db, "SELECT max(id) FROM detection_run");
        std::vector<ClusterRef> confirm;
        {
            SqliteDb c = CaseDatabase::openForReading(a.db);
            SqliteStatement st(c, "SELECT m.cluster, a.account_id FROM cluster_member m JOIN account a ON a.id = m.account WHERE m.run = ?1");
            st.bind(1, runA);
            QMap<std::int64_t, QPair<int, int>> votes; // cluster -> (attackers, members)
            while (st.step()) {
                auto& v = votes[st.columnInt(0)];
                v.first += !a.campaignOf.value(st.columnText(1)).isEmpty();
                ++v.second;
            }
            for (auto it = votes.cbegin(); it != votes.cend(); ++it)
                if (2 * it->first > it->second)
                    confirm.push_back({runA, it.key()});
        }
        QVERIFY(!confirm.empty());
        {
            CaseEditor editor(a.db);
            editor.setClusterStates(confirm, ReviewState::Confirmed);
        }
        const QString bundle = dir.file(QStringLiteral("a.stix.json"));
        const auto exp = test::runCli({QStringLiteral("export"), QStringLiteral("--db"), a.db, QStringLiteral("--stix"), bundle});
        QVERIFY2(exp.exitCode == 0, exp.err.constData());
        const QByteArray bundleText = [&] {
            QFile f(bundle);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }();
        QVERIFY(bundleText.contains("ds-skeleton-v1:")); // the versioned template fingerprint

        // Provider B: other traffic of the same campaigns, detected before the bundle arrives.
        const Simulated b = simulateAndImport(dir, QStringLiteral("b"), 2, true);
        const std::int64_t runBefore = test::queryInt(b.db, "SELECT max(id) FROM detection_run");
        const QString hitsPath = dir.file(QStringLiteral("hits.json"));
        const auto imp = test::runCli({QStringLiteral("indicators"), QStringLiteral("--db"), b.db, QStringLiteral("--import"), bundle,
                                       QStringLiteral("--json"), hitsPath});
        QVERIFY2(imp.exitCode == 0, imp.err.constData());
        const QJsonObject hits = readJson(hitsPath);
        const int indicators = hits.value(QStringLiteral("indicators")).toInt();
        QVERIFY(indicators > 0);
        QCOMPARE(hits.value(QStringLiteral("evaluable")).toInt(), indicators); // everything Distillscope writes, it reads
        // Per account, how many of the bundle's indicators matched it. Values the export judged specific to the
        // network in a small case (a popular SDK's user agent, a webmail domain) also match a few ordinary accounts
        // here, each through that one indicator; the campaigns' accounts match several.
        QMap<QString, int> matchedBy;
        for (const auto& h : hits.value(QStringLiteral("hits")).toArray())
            for (const auto& acc : h.toObject().value(QStringLiteral("accounts")).toArray())
                ++matchedBy[acc.toString()];
        int attackers = 0, found = 0, foundTwice = 0, benignFound = 0, benignTwice = 0;
        for (auto it = b.campaignOf.cbegin(); it != b.campaignOf.cend(); ++it) {
            const int n = matchedBy.value(it.key());
            if (it->isEmpty()) {
                benignFound += n > 0;
                benignTwice += n > 1;
                continue;
            }
            ++attackers;
            found += n > 0;
            foundTwice += n > 1;
        }
        qInfo("%d indicators, %d with hits: %d of %d campaign accounts matched (%d by two or more indicators); %d ordinary accounts "
              "matched (%d by two or more)",
              indicators, static_cast<int>(hits.value(QStringLiteral("hits")).toArray().size()), found, attackers, foundTwice, benignFound,
              benignTwice);
        QVERIFY2(found * 10 >= attackers * 9, "the hits reach at least 90% of the campaigns' accounts");
        QVERIFY2(foundTwice * 4 >= attackers * 3, "at least 75% of the campaigns' accounts are matched by two or more indicators");
        QVERIFY2(benignTwice * 20 <= foundTwice, "hardly any ordinary account is matched by two or more indicators");

        // Detection again: the same accounts flagged, now with the partner's indicators among the reasons.
        const auto det = test::runCli({QStringLiteral("detect"), QStringLiteral("--db"), b.db}, 300000);
        QVERIFY2(det.exitCode == 0, det.err.constData());
        const std::int64_t runAfter = test::queryInt(b.db, "SELECT max(id) FROM detection_run");
        QVERIFY(runAfter > runBefore);
        QCOMPARE(flaggedAccounts(b.db, runAfter), flaggedAccounts(b.db, runBefore));
        SqliteDb c = CaseDatabase::openForReading(b.db);
        SqliteStatement st(c, "SELECT subject_kind, text, evidence_json FROM reason WHERE run = ?1 AND key = 'partner_indicator'");
        st.bind(1, runAfter);
        int clusterReasons = 0, accountReasons = 0;
        QString example;
        while (st.step()) {
            const QString text = st.columnText(1);
            (st.columnText(0) == QLatin1String("cluster") ? clusterReasons : accountReasons)++;
            if (example.isEmpty() && st.columnText(0) == QLatin1String("cluster"))
                example = text;
            QVERIFY2(text.contains(QStringLiteral("named in the bundle of")), qPrintable(text));
            const QStringList problems = test::styleProblems(text);
            QVERIFY2(problems.isEmpty(), qPrintable(text + QStringLiteral("\n") + problems.join(QLatin1Char('\n'))));
            QVERIFY(QJsonDocument::fromJson(st.columnText(2).toUtf8()).object().value(QStringLiteral("bundle_sha256")).toString().size() == 64);
        }
        qInfo("%d network and %d account reasons from the bundle, e.g. %s", clusterReasons, accountReasons, qPrintable(example));
        QVERIFY(clusterReasons > 0);
        QVERIFY(accountReasons > 0);
        // Hits never flag: no reason of the bundle on an account detection did not flag.
        QCOMPARE(test::queryInt(b.db, "SELECT count(*) FROM reason r WHERE r.key = 'partner_indicator' AND r.subject_kind = 'account' AND "
                                      "r.run = (SELECT max(id) FROM detection_run) AND NOT EXISTS (SELECT 1 FROM account_result x WHERE "
                                      "x.run = r.run AND x.account = r.subject AND x.flagged)"),
                 0);
    }

    void bundleOfAnotherProducerReportsWhatItCannotEvaluate()
    {
        test::ScratchDir dir;
        const Simulated b = simulateAndImport(dir, QStringLiteral("b"), 3, false);
        const QString someIp = test::queryText(b.db, "SELECT value FROM ip ORDER BY id LIMIT 1");
        // A hand-written bundle of another producer (partner_bundle.json) naming one address of this case.
        QFile hand(QStringLiteral(DS_SOURCE_DIR "/tests/indicators/partner_bundle.json"));
        QVERIFY(hand.open(QIODevice::ReadOnly));
        const QString file = dir.write(QStringLiteral("partner.json"), hand.readAll().replace("@CASE_IP@", someIp.toUtf8()));
        const QString hitsPath = dir.file(QStringLiteral("hits.json"));
        const auto r = test::runCli({QStringLiteral("indicators"), QStringLiteral("--db"), b.db, QStringLiteral("--import"), file,
                                     QStringLiteral("--json"), hitsPath});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = readJson(hitsPath);
        QCOMPARE(o.value(QStringLiteral("producer")).toString(), QStringLiteral("Other Lab Trust & Safety"));
        QCOMPARE(o.value(QStringLiteral("indicators")).toInt(), 5);
        QCOMPARE(o.value(QStringLiteral("evaluable")).toInt(), 1);
        QMap<QString, QString> why;
        for (const auto& v : o.value(QStringLiteral("unevaluable")).toArray())
            why.insert(v.toObject().value(QStringLiteral("id")).toString().left(14), v.toObject().value(QStringLiteral("why")).toString());
        QVERIFY2(why.value(QStringLiteral("indicator--8e2")).contains(QStringLiteral("file objects")), qPrintable(why.value(QStringLiteral("indicator--8e2"))));
        QVERIFY(why.value(QStringLiteral("indicator--1f2")).contains(QStringLiteral("url objects")));
        QVERIFY(why.value(QStringLiteral("indicator--2a3")).contains(QStringLiteral("snort")));
        QVERIFY(why.value(QStringLiteral("indicator--3b4")).contains(QStringLiteral("process objects")));
        const QJsonArray hitList = o.value(QStringLiteral("hits")).toArray();
        QCOMPARE(hitList.size(), 1);
        QCOMPARE(hitList[0].toObject().value(QStringLiteral("confidence")).toInt(), 85);
        QVERIFY(!hitList[0].toObject().value(QStringLiteral("accounts")).toArray().isEmpty());
        QVERIFY(r.out.contains("unevaluable indicator--8e2e2d2b"));
    }

    // The bundle arrives before the logs: the case is made from an unrelated log, the partner's bundle names a
    // campaign's accounts and a few ordinary ones, then the provider's logs come in. The import matches them, and
    // detection explains the flagged ones with the partner's indicator while flagging nothing for it.
    void logsImportedAfterTheBundleAreMatchedAndExplained()
    {
        test::ScratchDir dir;
        const QString out = dir.file(QStringLiteral("logs"));
        const auto sim = test::runCli({QStringLiteral("simulate"), QStringLiteral("--out"), out, QStringLiteral("--scenario"),
                                       QStringLiteral("tiny"), QStringLiteral("--seed"), QStringLiteral("5")});
        QVERIFY2(sim.exitCode == 0, sim.err.constData());
        QMap<QString, QStringList> campaigns;
        QStringList ordinary;
        for (const QByteArray& line : test::csvDataLines(out + QStringLiteral("/truth.csv"))) {
            const QList<QByteArray> f = line.split(',');
            if (f.size() >= 3 && f[1] == "attacker")
                campaigns[QString::fromUtf8(f[2])] << QString::fromUtf8(f[0]);
            else if (!f.isEmpty() && ordinary.size() < 3)
                ordinary << QString::fromUtf8(f[0]);
        }
        QVERIFY(!campaigns.isEmpty());
        QCOMPARE(ordinary.size(), 3);
        const QStringList campaign = campaigns.first();

        const QString db = dir.file(QStringLiteral("case.sqlite"));
        const QString first = dir.write(QStringLiteral("first.jsonl"), test::requestJson(QStringLiteral("r0"), QStringLiteral("acct_unrelated"),
                                                                                          1770120000000LL) + '\n');
        QVERIFY(test::runCli({QStringLiteral("import"), QStringLiteral("--db"), db, first}).exitCode == 0);
        const QString bundle = dir.write(QStringLiteral("partner.json"), accountsBundle(QStringLiteral("Partner Lab"), {campaign, ordinary}));
        const QString hitsPath = dir.file(QStringLiteral("hits.json"));
        const auto imp = test::runCli({QStringLiteral("indicators"), QStringLiteral("--db"), db, QStringLiteral("--import"), bundle,
                                       QStringLiteral("--json"), hitsPath});
        QVERIFY2(imp.exitCode == 0, imp.err.constData());
        QCOMPARE(readJson(hitsPath).value(QStringLiteral("hits")).toArray().size(), 0);

        const auto logs = test::runCli({QStringLiteral("import"), QStringLiteral("--db"), db, out + QStringLiteral("/requests.jsonl.gz"),
                                        out + QStringLiteral("/accounts.csv")},
                                       300000);
        QVERIFY2(logs.exitCode == 0, logs.err.constData());
        const auto hitAccounts = [&db](const char* indicatorSuffix) {
            SqliteDb c = CaseDatabase::openForReading(db);
            SqliteStatement st(c, "SELECT a.account_id FROM partner_indicator_hit h JOIN partner_indicator i ON i.id = h.indicator "
                                  "JOIN account a ON a.id = h.account WHERE i.stix_id LIKE '%' || ?1 ORDER BY a.account_id");
            st.bindText(1, indicatorSuffix);
            QStringList accounts;
            while (st.step())
                accounts << st.columnText(0);
            return accounts;
        };
        QStringList expected = campaign;
        expected.sort();
        QCOMPARE(hitAccounts("0001"), expected);
        QStringList expectedOrdinary = ordinary;
        expectedOrdinary.sort();
        QCOMPARE(hitAccounts("0002"), expectedOrdinary);

        const auto det = test::runCli({QStringLiteral("detect"), QStringLiteral("--db"), db}, 300000);
        QVERIFY2(det.exitCode == 0, det.err.constData());
        const std::int64_t run = test::queryInt(db, "SELECT max(id) FROM detection_run");
        const QStringList flagged = flaggedAccounts(db, run);
        QMap<QString, QString> reasons = partnerReasonsByAccount(db);
        int explained = 0;
        for (const QString& a : campaign)
            if (flagged.contains(a)) {
                QVERIFY2(reasons.value(a).contains(QStringLiteral("named in the bundle of “Partner Lab”")), qPrintable(a + reasons.value(a)));
                QVERIFY2(reasons.value(a).contains(QStringLiteral("confidence: 80")), qPrintable(reasons.value(a)));
                ++explained;
            }
        qInfo("%d of the campaign's %d accounts flagged, each with the partner's reason", explained, static_cast<int>(campaign.size()));
        QVERIFY(explained > 0);
        // Never a flag of its own: no partner reason on an account detection did not flag, the ordinary ones included.
        for (auto it = reasons.cbegin(); it != reasons.cend(); ++it)
            QVERIFY2(flagged.contains(it.key()), qPrintable(it.key()));

        // Hits left behind (a re-evaluation cancelled, an older version's import) are made current by detection.
        {
            SqliteDb c = CaseDatabase::openForWriting(db);
            c.exec("DELETE FROM partner_indicator_hit; UPDATE meta SET value = 'before' WHERE key = 'partner_hits_evaluated_against'");
        }
        const auto again = test::runCli({QStringLiteral("detect"), QStringLiteral("--db"), db}, 300000);
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QCOMPARE(hitAccounts("0001"), expected);
        QCOMPARE(partnerReasonsByAccount(db), reasons);
    }
};

QTEST_GUILESS_MAIN(TestIndicatorsRoundTrip)
#include "tst_indicators_roundtrip.moc"
