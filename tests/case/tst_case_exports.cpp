#include "CaseFixture.h"

#include "case/CaseEditor.h"
#include "core/CancelToken.h"
#include "core/CaseDatabase.h"
#include "core/Sqlite.h"
#include "report/StixBundle.h"
#include "workspace/CsvExport.h"
#include "workspace/Scope.h"
#include "workspace/WorkspaceTables.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace ds;

// The export command: confirmed accounts CSV, case JSON, STIX 2.1 bundle (schema-valid, deterministic).
class TestCaseExports : public QObject
{
    Q_OBJECT

private:
    static QByteArray read(const QString& path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    // Runs the schema validator on the schemas shipped in tests/data; returns its exit code, or -1 (with `why`)
    // when python3-jsonschema (scripts/debian-packages.txt) is missing, which fails the test: no silent skip.
    static int validate(const QString& bundle, QString* why, QByteArray* out)
    {
        const QString schemas = QStringLiteral(DS_SOURCE_DIR "/tests/data/stix2-schemas/schemas");
        QProcess probe;
        probe.start(QStringLiteral("python3"), {QStringLiteral("-c"), QStringLiteral("import jsonschema")});
        if (!probe.waitForFinished(30000) || probe.exitCode() != 0) {
            *why = QStringLiteral("python3-jsonschema is not installed: run scripts/install-deps.sh");
            return -1;
        }
        QProcess p;
        p.start(QStringLiteral("python3"), {QStringLiteral(DS_SOURCE_DIR "/tests/case/validate_stix.py"), schemas, bundle});
        p.waitForFinished(60000);
        *out = p.readAllStandardOutput() + p.readAllStandardError();
        return p.exitCode();
    }

    struct Exported
    {
        test::HandCase c;
        QString csv, json, stix, rids;
    };

    static Exported exportHandCase(const test::ScratchDir& dir)
    {
        Exported e{test::buildHandCase(dir), dir.file(QStringLiteral("accounts.csv")), dir.file(QStringLiteral("case.json")),
                   dir.file(QStringLiteral("bundle.json")), dir.file(QStringLiteral("rids.csv"))};
        {
            CaseEditor editor(e.c.dbPath);
            editor.setNote(NoteField::CaseId, QStringLiteral("TS-2026-0042"));
            editor.setNote(NoteField::Analyst, QStringLiteral("J. Doe"));
            editor.setClusterStates({{e.c.run, e.c.cluster}}, ReviewState::Confirmed);
            editor.setClusterStates({{e.c.run, e.c.otherCluster}}, ReviewState::FalsePositive);
        }
        const auto r = test::runCli({QStringLiteral("export"), QStringLiteral("--db"), e.c.dbPath, QStringLiteral("--confirmed-csv"),
                                     e.csv, QStringLiteral("--case-json"), e.json, QStringLiteral("--stix"), e.stix,
                                     QStringLiteral("--request-ids"), e.rids});
        if (r.exitCode != 0)
            qWarning("export failed: %s", r.err.constData());
        return e;
    }

private Q_SLOTS:
    void exportsConfirmedAccounts()
    {
        test::ScratchDir dir;
        const auto e = exportHandCase(dir);
        const QList<QByteArray> lines = read(e.csv).trimmed().split('\n');
        QCOMPARE(lines.size(), 4);
        QVERIFY(lines[0].startsWith("account_id,network,"));
        for (const QString& a : e.c.attackers)
            QVERIFY2(read(e.csv).contains(a.toUtf8() + ",N1 hydra,"), qPrintable(a));
        for (const QString& b : e.c.benign)
            QVERIFY(!read(e.csv).contains(b.toUtf8()));
        // Every request of the three accounts, with its source file's hash.
        const QList<QByteArray> rids = read(e.rids).trimmed().split('\n');
        QCOMPARE(rids.size(), 1 + 3 * 40);
        const QString sha = test::queryText(e.c.dbPath, "SELECT sha256 FROM source_file");
        QVERIFY(rids[1].contains(sha.toLatin1()));
    }

    // Enforcement and legal teams open these files in spreadsheets: attacker-chosen account ids must not run as
    // formulas nor send escape sequences to a terminal; the case JSON keeps them exact.
    void csvExportsNeutraliseHostileIds()
    {
        test::ScratchDir dir;
        test::HandCase c = test::buildHandCase(dir);
        const QString formula = QStringLiteral("=HYPERLINK(\"http://x\",\"y\")");
        const QString escape = QStringLiteral("acct\x1b]0;owned\x07");
        {
            SqliteDb db = CaseDatabase::openForWriting(c.dbPath);
            SqliteStatement st(db, "UPDATE account SET account_id = ?1 WHERE account_id = ?2");
            st.bindText(1, formula);
            st.bindText(2, c.attackers[0]);
            st.run();
            st.bindText(1, escape);
            st.bindText(2, c.attackers[1]);
            st.run();
        }
        {
            CaseEditor editor(c.dbPath);
            editor.setClusterStates({{c.run, c.cluster}}, ReviewState::Confirmed);
        }
        const QString csv = dir.file(QStringLiteral("accounts.csv")), rids = dir.file(QStringLiteral("rids.csv")),
                      json = dir.file(QStringLiteral("case.json"));
        const auto r = test::runCli({QStringLiteral("export"), QStringLiteral("--db"), c.dbPath, QStringLiteral("--confirmed-csv"), csv,
                                     QStringLiteral("--request-ids"), rids, QStringLiteral("--case-json"), json});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        for (const QString& path : {csv, rids}) {
            const QByteArray bytes = read(path);
            QVERIFY2(bytes.contains("\"'=HYPERLINK("), qPrintable(path));
            QVERIFY2(!bytes.contains(",=HYPERLINK(") && !bytes.startsWith("=HYPERLINK("), qPrintable(path));
            QVERIFY2(!bytes.contains('\x1b') && !bytes.contains('\x07'), qPrintable(path));
            QVERIFY2(bytes.contains("acct\xe2\x80\xb9" "ESC" "\xe2\x80\xba"), qPrintable(path));
        }
        QStringList exact;
        for (const auto& v : QJsonDocument::fromJson(read(json)).object().value(QStringLiteral("confirmed_accounts")).toArray())
            exact << v.toObject().value(QStringLiteral("account_id")).toString();
        QVERIFY2(exact.contains(formula) && exact.contains(escape), qPrintable(exact.join(QLatin1Char(' '))));
    }

    void exportsCaseJsonWithAuditLog()
    {
        test::ScratchDir dir;
        const auto e = exportHandCase(dir);
        const QJsonObject o = QJsonDocument::fromJson(read(e.json)).object();
        QCOMPARE(o.value(QStringLiteral("case")).toObject().value(QStringLiteral("case_id")).toString(), QStringLiteral("TS-2026-0042"));
        QCOMPARE(o.value(QStringLiteral("confirmed_accounts")).toArray().size(), 3);
        const QJsonArray nets = o.value(QStringLiteral("networks")).toArray();
        QCOMPARE(nets.size(), 2);
        QCOMPARE(nets[0].toObject().value(QStringLiteral("review_state")).toString(), QStringLiteral("confirmed"));
        QCOMPARE(nets[1].toObject().value(QStringLiteral("review_state")).toString(), QStringLiteral("false_positive"));
        QStringList actions;
        for (const auto& v : o.value(QStringLiteral("audit_log")).toArray())
            actions << v.toObject().value(QStringLiteral("action")).toString();
        QVERIFY(actions.contains(QStringLiteral("import")));
        QVERIFY(actions.contains(QStringLiteral("detection run")));
        QVERIFY(actions.contains(QStringLiteral("review network")));
        QCOMPARE(actions.count(QStringLiteral("export")), 3); // CSV, request ids and STIX were written before the JSON
    }

    void stixBundleIsValidAndDeterministic()
    {
        test::ScratchDir dir;
        const auto e = exportHandCase(dir);
        const QByteArray first = read(e.stix);
        const QJsonObject bundle = QJsonDocument::fromJson(first).object();
        QCOMPARE(bundle.value(QStringLiteral("type")).toString(), QStringLiteral("bundle"));
        QStringList patterns;
        int campaigns = 0, relationships = 0;
        for (const auto& v : bundle.value(QStringLiteral("objects")).toArray()) {
            const QJsonObject o = v.toObject();
            const QString type = o.value(QStringLiteral("type")).toString();
            campaigns += type == QLatin1String("campaign");
            relationships += type == QLatin1String("relationship");
            if (type == QLatin1String("indicator"))
                patterns << o.value(QStringLiteral("pattern")).toString();
        }
        QCOMPARE(campaigns, 1);
        QVERIFY(patterns.contains(QStringLiteral("[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = "
                                                 "'hydra-client/1.0 (x86_64)']")));
        QVERIFY(patterns.contains(QStringLiteral("[ipv4-addr:value ISSUBSET '203.0.113.0/24']")));
        // Values the benign accounts share are not the confirmed network's indicators.
        QVERIFY(!QString::fromUtf8(first).contains(QStringLiteral("anthropic-python")));
        QVERIFY(!QString::fromUtf8(first).contains(QStringLiteral("198.51.100.")));
        QCOMPARE(relationships, int(patterns.size()));

        // The same case exports the same bytes.
        const QString again = dir.file(QStringLiteral("again.json"));
        QCOMPARE(test::runCli({QStringLiteral("export"), QStringLiteral("--db"), e.c.dbPath, QStringLiteral("--stix"), again}).exitCode, 0);
        QCOMPARE(read(again), first);

        QString why;
        QByteArray out;
        const int rc = validate(e.stix, &why, &out);
        if (rc == -1)
            QFAIL(qPrintable(why));
        QVERIFY2(rc == 0, out.constData());

        // The validator does fail on a broken indicator (no pattern), so the check above means something.
        QJsonObject broken = bundle;
        QJsonArray objects = broken.value(QStringLiteral("objects")).toArray();
        for (qsizetype i = 0; i < objects.size(); ++i) {
            QJsonObject o = objects[i].toObject();
            if (o.value(QStringLiteral("type")).toString() == QLatin1String("indicator")) {
                o.remove(QStringLiteral("pattern"));
                objects[i] = o;
                break;
            }
        }
        broken.insert(QStringLiteral("objects"), objects);
        const QString brokenPath = dir.write(QStringLiteral("broken.json"), QJsonDocument(broken).toJson());
        QVERIFY(validate(brokenPath, &why, &out) == 1);
    }

    // A webmail domain most of a network signed up with is context, never an indicator: a partner matching
    // "@gmx.net" would flag ordinary customers. A company domain only the network uses is one.
    void webmailDomainsAreNeverIndicators()
    {
        test::ScratchDir dir;
        const auto c = test::buildHandCase(dir);
        {
            SqliteDb db = CaseDatabase::openForWriting(c.dbPath);
            db.exec("INSERT INTO email_domain(id, value) VALUES(901, 'gmx.net'), (902, 'hydra-labs.example')");
            SqliteStatement set(db, "UPDATE account SET email_domain = ?2 WHERE account_id = ?1");
            for (int i = 0; i < c.attackers.size(); ++i) {
                set.reset();
                set.bindText(1, c.attackers[i]);
                set.bind(2, i < 2 ? 901 : 902); // two members on webmail, one on its own domain
                set.step();
            }
        }
        CaseEditor(c.dbPath).setClusterStates({{c.run, c.cluster}}, ReviewState::Confirmed);
        const QString stix = dir.file(QStringLiteral("bundle.json"));
        QCOMPARE(test::runCli({QStringLiteral("export"), QStringLiteral("--db"), c.dbPath, QStringLiteral("--stix"), stix}).exitCode, 0);
        const QString bundle = QString::fromUtf8(read(stix));
        QVERIFY(bundle.contains(QStringLiteral("203.0.113.0/24"))); // the network's own values are still shared
        QVERIFY2(!bundle.contains(QStringLiteral("gmx.net")), qPrintable(bundle.left(4000)));

        // Without the webmail list (a run that emptied it), the same domain is the network's indicator:
        // the test above fails for the right reason.
        {
            SqliteDb db = CaseDatabase::openForWriting(c.dbPath);
            db.exec("UPDATE detection_run SET settings_json = '{\"clusterFlagScore\":0.5,\"publicEmailDomains\":[]}'");
        }
        QCOMPARE(test::runCli({QStringLiteral("export"), QStringLiteral("--db"), c.dbPath, QStringLiteral("--stix"), stix}).exitCode, 0);
        QVERIFY(QString::fromUtf8(read(stix)).contains(QStringLiteral("[email-addr:value LIKE '%@gmx.net']")));
    }

    void patternsEscapeQuotes()
    {
        SharedValue v;
        v.kind = ValueKind::UserAgent;
        v.value = QStringLiteral("evil' OR 1=1 \\ agent");
        QCOMPARE(stix::patternFor(v),
                 QStringLiteral("[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'evil\\' OR 1=1 \\\\ agent']"));
        SharedValue v6;
        v6.kind = ValueKind::Network;
        v6.value = QStringLiteral("2001:db8:1::/48");
        QCOMPARE(stix::patternFor(v6), QStringLiteral("[ipv6-addr:value ISSUBSET '2001:db8:1::/48']"));
        QCOMPARE(networkOf(QStringLiteral("2001:db8:1:2:3::7")), QStringLiteral("2001:db8:1::/48"));
        QCOMPARE(networkOf(QStringLiteral("not an ip")), QString());
    }

    // A write that fails (here to /dev/full, where every write fails with "no space left on device") is an error:
    // exit 1 naming the file, never a file reported as written; the command's other exports are still written. The
    // workspace's table export throws the same sentence.
    void failedWritesAreErrors()
    {
        if (!QFileInfo(QStringLiteral("/dev/full")).exists())
            QSKIP("this system has no /dev/full");
        test::ScratchDir dir;
        const auto c = test::buildHandCase(dir);
        {
            CaseEditor editor(c.dbPath);
            editor.setClusterStates({{c.run, c.cluster}}, ReviewState::Confirmed);
        }
        const QString full = QStringLiteral("/dev/full");
        for (const QString& option : {QStringLiteral("--request-ids"), QStringLiteral("--confirmed-csv"), QStringLiteral("--case-json"),
                                      QStringLiteral("--stix")}) {
            const QString other = dir.file(QStringLiteral("other.csv"));
            QFile::remove(other);
            const QString otherOption = option == QStringLiteral("--confirmed-csv") ? QStringLiteral("--request-ids") : QStringLiteral("--confirmed-csv");
            const auto r = test::runCli({QStringLiteral("export"), QStringLiteral("--db"), c.dbPath, option, full, otherOption, other});
            QVERIFY2(r.exitCode == 1, qPrintable(option + QStringLiteral(": exit %1").arg(r.exitCode)));
            QVERIFY2(r.err.contains("cannot write /dev/full"), r.err.constData());
            QVERIFY2(read(other).size() > 100, qPrintable(option));
        }
        SqliteDb conn = CaseDatabase::openForReading(c.dbPath);
        const CancelToken never;
        try {
            (void)exportTableCsv(conn, workspace::requestsTable(conn, ViewScope{}), full, never);
            QFAIL("the table export to /dev/full did not fail");
        } catch (const std::runtime_error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).startsWith(QStringLiteral("cannot write /dev/full")), e.what());
        }
    }
};

QTEST_MAIN(TestCaseExports)
#include "tst_case_exports.moc"
