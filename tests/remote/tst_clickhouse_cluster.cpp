// The ClickHouse source against a real cluster: two clickhouse-server processes on loopback
// (Debian 12's 18.16), one shard each, a Distributed table over both, started by the CTest
// fixture clickhouse_cluster (clickhouse_cluster.py) and stopped by its cleanup and by this
// test's teardown. Simulated traffic is sharded by account into the two local tables; then
// `scan --from` must find the networks a local import of the same rows finds, and each failure
// (server down, wrong table, missing columns, bad credentials, an exception mid-stream, cancel
// mid-stream) must give one sentence and leave nothing of the pull in the case.
#include "TestSupport.h"

#include "core/CaseDatabase.h"
#include "core/Sqlite.h"
#include "ingest/Importer.h"
#include "remote/ClickHouseClient.h"
#include "remote/ClickHouseSource.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTest>

#include <algorithm>
#include <map>
#include <set>

using namespace ds;
using namespace ds::test;

namespace {

// The canonical request columns as a ClickHouse 18.16 table can hold them: the time as RFC 3339
// text (18.16 has no DateTime64, and the comparison needs the milliseconds), counts Nullable,
// text plain with '' for absent, tools as an array of names.
const char* const kCanonicalColumns =
    "request_id String, timestamp String, account_id String, org_id String, api_key_id String, ip String, "
    "user_agent String, model String, endpoint String, system_prompt String, prompt String, tools Array(String), "
    "prompt_tokens Nullable(UInt32), completion_tokens Nullable(UInt32), max_tokens Nullable(UInt32), "
    "stop_reason String, latency_ms Nullable(UInt32), status Nullable(UInt16)";

std::set<std::set<QString>> networksOf(const QString& jsonPath, std::set<QString>* flagged = nullptr)
{
    QFile f(jsonPath);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QJsonObject root = QJsonDocument::fromJson(f.readAll()).object();
    std::set<std::set<QString>> out;
    for (const QJsonValue c : root.value(QStringLiteral("clusters")).toArray()) {
        std::set<QString> members;
        for (const QJsonValue a : c.toObject().value(QStringLiteral("accounts")).toArray())
            members.insert(a.isObject() ? a.toObject().value(QStringLiteral("account_id")).toString() : a.toString());
        out.insert(members);
    }
    if (flagged)
        for (const QJsonValue a : root.value(QStringLiteral("accounts")).toArray())
            if (a.toObject().value(QStringLiteral("flagged")).toBool())
                flagged->insert(a.toObject().value(QStringLiteral("account_id")).toString());
    return out;
}

} // namespace

class TestClickHouseCluster : public QObject
{
    Q_OBJECT

    ScratchDir m_dir;
    QString m_clusterDir;
    int m_http[2] = {0, 0};
    QString m_password;
    qint64 m_bigRows = 0; // rows of logs.big once makeBigTable() made it
    QString m_requests, m_accounts;
    QList<QByteArray> m_lines;

    QString url(const QString& table, const QString& user = QStringLiteral("analyst"), int node = 0) const
    {
        const QString who = user == QLatin1String("analyst") ? QStringLiteral("analyst:%1").arg(m_password) : user;
        return QStringLiteral("clickhouse://%1@127.0.0.1:%2/logs.%3").arg(who).arg(m_http[node]).arg(table);
    }
    // Runs a statement on one node (DDL, INSERT with its rows in `data`).
    void exec(int node, const QString& sql, const QByteArray& data = {})
    {
        QString error;
        auto u = ClickHouseUrl::parse(QStringLiteral("clickhouse://default@127.0.0.1:%1/default.x").arg(m_http[node]), &error, {});
        QVERIFY(u);
        u->database = QStringLiteral("default");
        ClickHouseClient client(*u);
        QByteArray body;
        const QString text = data.isEmpty() ? sql : sql + QLatin1Char('\n') + QString::fromUtf8(data);
        const auto r = client.fetch(text, &body);
        QVERIFY2(r.ok(), qPrintable(sql.left(200) + QStringLiteral(": ") + r.message));
    }
    qint64 count(int node, const QString& sql)
    {
        auto u = ClickHouseUrl::parse(QStringLiteral("clickhouse://default@127.0.0.1:%1/default.x").arg(m_http[node]), nullptr, {});
        ClickHouseClient client(*u);
        QByteArray body;
        const auto r = client.fetch(sql, &body);
        return r.ok() ? body.trimmed().toLongLong() : -1;
    }
    // Each node's share of `lines`, split by account as a Distributed table with an account sharding key would.
    void loadSharded(const QString& localTable, const QList<QByteArray>& lines)
    {
        QByteArray shard[2];
        static const QRegularExpression account(QStringLiteral("\"account_id\":\"([^\"]*)\""));
        for (const QByteArray& line : lines) {
            const auto m = account.match(QString::fromUtf8(line));
            const QByteArray key = m.captured(1).toUtf8();
            const int node = static_cast<unsigned char>(QCryptographicHash::hash(key, QCryptographicHash::Md5)[0]) % 2;
            shard[node] += line + '\n';
        }
        for (int node = 0; node < 2; ++node)
            exec(node, QStringLiteral("INSERT INTO logs.%1 FORMAT JSONEachRow").arg(localTable), shard[node]);
    }
    // Loads a simulated log of a real format into `table` on node 0, typed as `columns` ("name Type" each) say:
    // through an all-String staging table, because 18.16's JSONEachRow reader takes neither JSON objects
    // into String columns nor "2026-02-01 00:00:43.143" into DateTime.
    void loadTyped(const QString& table, const QStringList& columns, const QString& engine, const QString& path)
    {
        QStringList names, staging, exprs;
        for (const QString& c : columns) {
            const QString name = c.section(QLatin1Char(' '), 0, 0), type = c.section(QLatin1Char(' '), 1);
            names << name;
            staging << name + QStringLiteral(" String");
            if (type == QLatin1String("DateTime"))
                exprs << QStringLiteral("parseDateTimeBestEffort(substring(%1, 1, 19))").arg(name);
            else if (type == QLatin1String("Nullable(Int64)"))
                exprs << QStringLiteral("if(%1 = '', NULL, toInt64OrZero(%1))").arg(name);
            else if (type == QLatin1String("Int64"))
                exprs << QStringLiteral("toInt64OrZero(%1)").arg(name);
            else if (type == QLatin1String("Nullable(String)"))
                exprs << QStringLiteral("if(%1 = '', NULL, %1)").arg(name);
            else
                exprs << name;
        }
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray rows;
        for (const QByteArray& line : f.readAll().split('\n')) {
            if (line.isEmpty())
                continue;
            const QJsonObject in = QJsonDocument::fromJson(line).object();
            QJsonObject out;
            for (const QString& n : names) {
                const QJsonValue v = in.value(n);
                QString text;
                if (v.isString())
                    text = v.toString();
                else if (v.isDouble())
                    text = QString::number(v.toDouble(), 'g', 17);
                else if (v.isBool())
                    text = v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
                else if (v.isObject())
                    text = QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
                else if (v.isArray())
                    text = QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
                out.insert(n, text);
            }
            rows += QJsonDocument(out).toJson(QJsonDocument::Compact) + '\n';
        }
        exec(0, QStringLiteral("CREATE TABLE logs.%1_staging (%2) ENGINE = Memory").arg(table, staging.join(QStringLiteral(", "))));
        exec(0, QStringLiteral("INSERT INTO logs.%1_staging FORMAT JSONEachRow").arg(table), rows);
        exec(0, QStringLiteral("CREATE TABLE logs.%1 (%2) ENGINE = %3").arg(table, columns.join(QStringLiteral(", ")), engine));
        exec(0, QStringLiteral("INSERT INTO logs.%1 SELECT %2 FROM logs.%1_staging").arg(table, exprs.join(QStringLiteral(", "))));
    }
    // What two cases hold of their requests, to compare a pull with a file import of the same rows. Times at
    // whole seconds: 18.16's DateTime holds no milliseconds.
    static QString requestDigest(const QString& db)
    {
        return queryText(db, "SELECT count(*) || ' ' || count(DISTINCT account) || ' ' || total(completion_tokens) || ' ' || "
                             "total(prompt_tokens) || ' ' || total(max_tokens) || ' ' || total(skeleton_hash % 1000003) || ' ' || "
                             "total(ts / 1000) || ' ' || total(prompt_bytes) || ' ' || count(model) FROM request");
    }
    // Imports `file` locally and pulls `table` with `format` into two cases: the same requests must come out.
    void compareWithFile(const QString& table, const QString& format, const QString& file)
    {
        const QString local = m_dir.file(table + QStringLiteral("-local.sqlite")), remote = m_dir.file(table + QStringLiteral("-remote.sqlite"));
        CliResult r = runCli({QStringLiteral("import"), QStringLiteral("--db"), local, QStringLiteral("--format"), format, file});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = runCli({QStringLiteral("import"), QStringLiteral("--db"), remote, QStringLiteral("--format"), format, QStringLiteral("--from"), url(table)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.err.contains("read with FINAL"));
        QVERIFY(queryInt(local, "SELECT count(*) FROM request") > 1000);
        QCOMPARE(requestDigest(remote), requestDigest(local));
        QCOMPARE(queryInt(remote, "SELECT count(*) FROM quarantine"), queryInt(local, "SELECT count(*) FROM quarantine"));
        QCOMPARE(queryText(remote, "SELECT group_concat(account_id) FROM (SELECT account_id FROM account ORDER BY account_id)"),
                 queryText(local, "SELECT group_concat(account_id) FROM (SELECT account_id FROM account ORDER BY account_id)"));
    }
    // The tiny scenario's logs written in `format`, loaded into `table` (`columns` on `engine`), then pulled and
    // imported from the file: the same requests must come out.
    void loadSimulatedAndCompare(const QString& format, const QString& table, const QStringList& columns, const QString& engine)
    {
        const CliResult sim = runCli({QStringLiteral("simulate"), QStringLiteral("--scenario"), QStringLiteral("tiny"), QStringLiteral("--no-gzip"),
                                      QStringLiteral("--log-format"), format, QStringLiteral("--out"), m_dir.file(format)});
        QVERIFY2(sim.exitCode == 0, sim.err.constData());
        const QString file = m_dir.file(QStringLiteral("%1/requests.%1.jsonl").arg(format));
        loadTyped(table, columns, engine, file);
        if (!QTest::currentTestFailed())
            compareWithFile(table, format, file);
    }
    void stopCluster()
    {
        const QString script = qEnvironmentVariable("DS_CLICKHOUSE_CLUSTER_SCRIPT");
        if (!script.isEmpty() && !m_clusterDir.isEmpty())
            QProcess::execute(QStringLiteral("python3"), {script, QStringLiteral("stop"), m_clusterDir});
    }

    // logs.big: four copies of the traffic (about 250 MB of rows), far more than the buffers between the server and
    // the case (the importer's batch queue, the pull's 8 MiB, the sockets') can hold. Made once.
    void makeBigTable()
    {
        if (m_bigRows)
            return;
        for (int node = 0; node < 2; ++node) {
            exec(node, QStringLiteral("CREATE TABLE logs.big_local AS logs.requests_local"));
            exec(node, QStringLiteral("CREATE TABLE logs.big AS logs.requests_local "
                                      "ENGINE = Distributed(ds_test, logs, big_local, cityHash64(account_id))"));
            const QString columns = QString::fromLatin1(kCanonicalColumns).split(QStringLiteral(", ")).replaceInStrings(
                QRegularExpression(QStringLiteral(" .*$")), QString()).mid(1).join(QStringLiteral(", "));
            exec(node, QStringLiteral("INSERT INTO logs.big_local SELECT concat(request_id, '-', toString(copy)), %1 "
                                      "FROM logs.requests_local ARRAY JOIN [0, 1, 2, 3] AS copy")
                           .arg(columns));
        }
        m_bigRows = count(0, QStringLiteral("SELECT count() FROM logs.big"));
        QCOMPARE(m_bigRows, 4 * qint64(m_lines.size()));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_clusterDir = qEnvironmentVariable("DS_CLICKHOUSE_CLUSTER");
        QFile env(m_clusterDir + QStringLiteral("/cluster.env"));
        QVERIFY2(env.open(QIODevice::ReadOnly), "the clickhouse_cluster fixture did not start the servers");
        for (const QByteArray& line : env.readAll().split('\n')) {
            const auto kv = line.split('=');
            if (kv.size() != 2)
                continue;
            if (kv[0] == "HTTP1")
                m_http[0] = kv[1].toInt();
            else if (kv[0] == "HTTP2")
                m_http[1] = kv[1].toInt();
            else if (kv[0] == "PASSWORD")
                m_password = QString::fromUtf8(kv[1]);
        }
        QVERIFY(m_http[0] && m_http[1]);

        const CliResult sim = runCli({QStringLiteral("simulate"), QStringLiteral("--scenario"), QStringLiteral("small"),
                                      QStringLiteral("--no-gzip"), QStringLiteral("--out"), m_dir.path()});
        QVERIFY2(sim.exitCode == 0, sim.err.constData());
        m_requests = m_dir.file(QStringLiteral("requests.jsonl"));
        m_accounts = m_dir.file(QStringLiteral("accounts.csv"));
        QFile requests(m_requests);
        QVERIFY(requests.open(QIODevice::ReadOnly));
        for (const QByteArray& line : requests.readAll().split('\n'))
            if (!line.isEmpty())
                m_lines << line;
        QVERIFY(m_lines.size() > 10000);

        for (int node = 0; node < 2; ++node) {
            exec(node, QStringLiteral("CREATE DATABASE IF NOT EXISTS logs"));
            exec(node, QStringLiteral("CREATE TABLE logs.requests_local (%1) ENGINE = MergeTree ORDER BY (account_id, request_id)")
                           .arg(QLatin1String(kCanonicalColumns)));
            exec(node, QStringLiteral("CREATE TABLE logs.requests AS logs.requests_local "
                                      "ENGINE = Distributed(ds_test, logs, requests_local, cityHash64(account_id))"));
            // No account column: what the canonical format cannot read.
            exec(node, QStringLiteral("CREATE TABLE logs.no_account (request_id String, timestamp String, prompt String) "
                                      "ENGINE = MergeTree ORDER BY request_id"));
        }
        loadSharded(QStringLiteral("requests_local"), m_lines);
        QCOMPARE(count(0, QStringLiteral("SELECT count() FROM logs.requests")), qint64(m_lines.size()));
        // Both shards hold part of it.
        QVERIFY(count(0, QStringLiteral("SELECT count() FROM logs.requests_local")) > 0);
        QVERIFY(count(1, QStringLiteral("SELECT count() FROM logs.requests_local")) > 0);
    }

    void cleanupTestCase() { stopCluster(); }

    void scanFromFindsTheSameNetworks()
    {
        const QString localJson = m_dir.file(QStringLiteral("local.json")), remoteJson = m_dir.file(QStringLiteral("remote.json"));
        const QString localDb = m_dir.file(QStringLiteral("local.sqlite")), remoteDb = m_dir.file(QStringLiteral("remote.sqlite"));
        const CliResult local = runCli({QStringLiteral("scan"), QStringLiteral("--json"), localJson, QStringLiteral("--db"), localDb,
                                        m_requests, m_accounts}, 300000);
        QVERIFY2(local.exitCode == 0, local.err.constData());
        // --pull-all: every row, as the local import has them (the triage's own test is tst_remote_triage_cluster).
        const CliResult remote = runCli({QStringLiteral("scan"), QStringLiteral("--json"), remoteJson, QStringLiteral("--db"), remoteDb,
                                         QStringLiteral("--pull-all"), QStringLiteral("--from"), url(QStringLiteral("requests")),
                                         m_accounts}, 300000);
        QVERIFY2(remote.exitCode == 0, remote.err.constData());
        QVERIFY2(!remote.out.contains(m_password.toUtf8()) && !remote.err.contains(m_password.toUtf8()), "the password was printed");
        QCOMPARE(queryInt(remoteDb, "SELECT count(*) FROM request"), qint64(m_lines.size()));
        std::set<QString> flaggedLocal, flaggedRemote;
        const auto networksLocal = networksOf(localJson, &flaggedLocal);
        const auto networksRemote = networksOf(remoteJson, &flaggedRemote);
        QVERIFY(!networksLocal.empty());
        QVERIFY(networksLocal == networksRemote);
        QVERIFY(flaggedLocal == flaggedRemote);

        // The report's sources section shows the table as it shows files: address, query, rows, SHA-256; no password.
        if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
            QFAIL("poppler-utils (pdftotext) is required: scripts/debian-packages.txt");
        const QString pdf = m_dir.file(QStringLiteral("remote.pdf"));
        const CliResult report = runCli({QStringLiteral("report"), QStringLiteral("--db"), remoteDb, QStringLiteral("--out"), pdf,
                                         QStringLiteral("--confirm-flagged")}, 300000);
        QVERIFY2(report.exitCode == 0, report.err.constData());
        QProcess text;
        text.start(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
        QVERIFY(text.waitForFinished(60000));
        const QString flat = QString::fromUtf8(text.readAllStandardOutput()).simplified();
        const qsizetype sources = flat.indexOf(QStringLiteral("6. Sources"));
        QVERIFY(sources >= 0);
        const QString section = flat.mid(sources);
        QVERIFY2(section.contains(QStringLiteral("clickhouse://analyst@127.0.0.1:%1/logs.requests").arg(m_http[0])), qPrintable(section.left(3000)));
        QVERIFY(section.contains(QStringLiteral("ClickHouse 18.16.1")));
        QVERIFY(section.contains(QStringLiteral("FORMAT JSONEachRow")));
        const QString digest = queryText(remoteDb, "SELECT sha256 FROM remote_pull");
        QVERIFY(section.contains(digest.left(32))); // a long digest may wrap
        QVERIFY(!flat.contains(m_password));
    }

    void pullIsRecordedAndReproducible()
    {
        const QString a = m_dir.file(QStringLiteral("prov-a.sqlite")), b = m_dir.file(QStringLiteral("prov-b.sqlite"));
        for (const QString& db : {a, b}) {
            const CliResult r = runCli({QStringLiteral("import"), QStringLiteral("--db"), db, QStringLiteral("--from"), url(QStringLiteral("requests"))});
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
        const QString digest = queryText(a, "SELECT sha256 FROM remote_pull");
        QCOMPARE(digest.size(), 64);
        QCOMPARE(queryText(b, "SELECT sha256 FROM remote_pull"), digest); // rows ordered by request id: same bytes
        QCOMPARE(queryText(a, "SELECT sha256 FROM source_file"), digest);
        QCOMPARE(queryInt(a, "SELECT rows FROM remote_pull"), qint64(m_lines.size()));
        QCOMPARE(queryInt(a, "SELECT rows_expected FROM remote_pull"), qint64(m_lines.size()));
        QCOMPARE(queryText(a, "SELECT server_version FROM remote_pull"), QStringLiteral("18.16.1"));
        QCOMPARE(queryText(a, "SELECT database || '.' || table_name FROM remote_pull"), QStringLiteral("logs.requests"));
        QVERIFY(queryText(a, "SELECT query FROM remote_pull").contains(QStringLiteral("ORDER BY `request_id`")));
        QVERIFY(queryInt(a, "SELECT count(*) FROM remote_query WHERE purpose = 'describe'") >= 3);
        QVERIFY(queryInt(a, "SELECT count(*) FROM remote_query WHERE purpose = 'pull' AND sha256 = (SELECT sha256 FROM remote_pull)") == 1);
        // Nowhere in the case is the password.
        QFile file(a);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains(m_password.toUtf8()));
    }

    void timeRangePullsItsShare()
    {
        // The middle third of the traffic's days.
        std::vector<qint64> times;
        static const QRegularExpression ts(QStringLiteral("\"timestamp\":\"([^\"]*)\""));
        for (const QByteArray& line : m_lines)
            times.push_back(QDateTime::fromString(ts.match(QString::fromUtf8(line)).captured(1), Qt::ISODateWithMs).toMSecsSinceEpoch());
        std::sort(times.begin(), times.end());
        const qint64 since = (times[times.size() / 3] / 1000) * 1000, until = (times[2 * times.size() / 3] / 1000) * 1000;
        const qint64 expected = std::count_if(times.begin(), times.end(), [&](qint64 t) { return t >= since && t < until; });
        const QString db = m_dir.file(QStringLiteral("range.sqlite"));
        const CliResult r = runCli({QStringLiteral("import"), QStringLiteral("--db"), db, QStringLiteral("--from"), url(QStringLiteral("requests")),
                                    QStringLiteral("--since"), QDateTime::fromMSecsSinceEpoch(since, Qt::UTC).toString(Qt::ISODate),
                                    QStringLiteral("--until"), QDateTime::fromMSecsSinceEpoch(until, Qt::UTC).toString(Qt::ISODate)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(queryInt(db, "SELECT count(*) FROM request"), expected);
        QVERIFY(expected > 0 && expected < m_lines.size());
        QVERIFY(queryInt(db, "SELECT min(ts) FROM request") >= since);
        QVERIFY(queryInt(db, "SELECT max(ts) FROM request") < until);
    }

    void failuresAreOneSentence_data()
    {
        QTest::addColumn<QString>("address");
        QTest::addColumn<QString>("sentence");
        QTest::newRow("server down") << QStringLiteral("clickhouse://analyst@127.0.0.1:1/logs.requests")
                                     << QStringLiteral("nothing answers at 127.0.0.1:1 (connection refused)");
        QTest::newRow("wrong table") << url(QStringLiteral("nope")) << QStringLiteral("has no table logs.nope");
        QTest::newRow("missing columns") << url(QStringLiteral("no_account"))
                                         << QStringLiteral("has no column account_id, which the canonical format needs");
        QTest::newRow("bad credentials") << QStringLiteral("clickhouse://analyst:NotThePassword7@127.0.0.1:%1/logs.requests").arg(m_http[0])
                                         << QStringLiteral("refused user");
    }
    void failuresAreOneSentence()
    {
        QFETCH(QString, address);
        QFETCH(QString, sentence);
        const QString db = m_dir.file(QStringLiteral("fail-%1.sqlite").arg(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-')));
        const CliResult r = runCli({QStringLiteral("import"), QStringLiteral("--db"), db, QStringLiteral("--from"), address});
        QCOMPARE(r.exitCode, 1);
        const QString err = QString::fromUtf8(r.err).remove(QChar(0x2068)).remove(QChar(0x2069));
        QVERIFY2(err.contains(sentence), qPrintable(err));
        QCOMPARE(err.trimmed().count(QLatin1Char('\n')), 0); // one line
        QVERIFY(!err.contains(QStringLiteral("NotThePassword7"))); // never the password
        QVERIFY(!QFile::exists(db)); // refused before the case was touched
    }

    // 18.16 sends rows, then an exception (here a result limit hit after 5,000 rows): the whole pull is rolled back.
    void exceptionMidStreamLeavesNothing()
    {
        const QString db = m_dir.file(QStringLiteral("midstream.sqlite"));
        QVERIFY(importInto(db, {m_accounts}).anyImported());
        ClickHouseSource::Options options;
        options.client.settings = {{QStringLiteral("max_block_size"), QStringLiteral("500")},
                                   {QStringLiteral("max_result_rows"), QStringLiteral("5000")},
                                   {QStringLiteral("result_overflow_mode"), QStringLiteral("throw")}};
        ClickHouseResponse failure;
        auto source = ClickHouseSource::prepare(*ClickHouseUrl::parse(url(QStringLiteral("requests")), nullptr), options, nullptr, &failure);
        QVERIFY2(source, qPrintable(failure.message));
        ImportRequest request;
        request.databasePath = db;
        request.streams.push_back(source->streamedLog());
        ImportProgress progress;
        CancelToken cancel;
        const ImportSummary s = Importer::run(request, progress, cancel);
        QCOMPARE(s.files.size(), 1);
        QCOMPARE(s.files[0].outcome, FileReport::Outcome::Failed);
        QVERIFY2(s.files[0].message.contains(QStringLiteral("Limit for result exceeded")), qPrintable(s.files[0].message));
        QVERIFY(source->pullResponse().bytes > 0); // rows had come before the exception
        QCOMPARE(queryInt(db, "SELECT count(*) FROM request"), 0);
        QCOMPARE(queryInt(db, "SELECT count(*) FROM source_file"), 1); // the accounts file only
        QCOMPARE(queryInt(db, "SELECT count(*) FROM quarantine"), 0);
    }

    void cancelMidStreamLeavesNothing()
    {
        // When the first rows are written the server is still sending.
        makeBigTable();
        if (QTest::currentTestFailed())
            return;
        const qint64 bigRows = m_bigRows;
        const QString db = m_dir.file(QStringLiteral("cancel.sqlite"));
        QVERIFY(importInto(db, {m_accounts}).anyImported());
        ClickHouseResponse failure;
        auto source = ClickHouseSource::prepare(*ClickHouseUrl::parse(url(QStringLiteral("big")), nullptr), {}, nullptr, &failure);
        QVERIFY2(source, qPrintable(failure.message));
        ImportRequest request;
        request.databasePath = db;
        request.streams.push_back(source->streamedLog());
        ImportProgress progress;
        CancelToken cancel;
        // Cancel once the first rows are written: the pull is then still streaming (the queue holds 8 MiB of ~60).
        const ImportSummary s = Importer::run(request, progress, cancel, [&](const ImportProgress& p) {
            if (p.records.load() > 0)
                cancel.requestCancel();
        });
        QVERIFY(s.cancelled);
        QCOMPARE(s.files[0].outcome, FileReport::Outcome::Cancelled);
        const ClickHouseError how = source->pullResponse().error;
        QVERIFY2(how == ClickHouseError::Cancelled || how == ClickHouseError::Stopped, clickHouseErrorName(how));
        QVERIFY(source->rowsPulled() < bigRows);
        QCOMPARE(queryInt(db, "SELECT count(*) FROM request"), 0);
        QCOMPARE(queryInt(db, "SELECT count(*) FROM source_file"), 1);
    }

    // Helicone's request_response_rmt with the columns 18.16 can hold: DateTime for its DateTime64(3), no Map
    // (properties), tokens Nullable; read with the helicone preset and FINAL.
    void heliconeTable()
    {
        loadSimulatedAndCompare(QStringLiteral("helicone"), QStringLiteral("request_response_rmt"),
                                {QStringLiteral("response_id String"), QStringLiteral("response_created_at DateTime"), QStringLiteral("latency Int64"),
                                 QStringLiteral("status Int64"), QStringLiteral("completion_tokens Nullable(Int64)"), QStringLiteral("prompt_tokens Nullable(Int64)"),
                                 QStringLiteral("model String"), QStringLiteral("request_id String"), QStringLiteral("request_created_at DateTime"),
                                 QStringLiteral("user_id String"), QStringLiteral("organization_id String"), QStringLiteral("proxy_key_id String"),
                                 QStringLiteral("time_to_first_token Nullable(Int64)"), QStringLiteral("provider String"), QStringLiteral("target_url String"),
                                 QStringLiteral("country_code Nullable(String)"), QStringLiteral("request_body String"), QStringLiteral("response_body String"),
                                 QStringLiteral("updated_at DateTime")},
                                QStringLiteral("ReplacingMergeTree(updated_at) ORDER BY (organization_id, request_id)"));
    }

    // Langfuse's observations with the columns 18.16 can hold: DateTime for DateTime64, its Map columns
    // (model_parameters, usage_details, metadata) as JSON text; SPANs and EVENTs skipped by the preset.
    void langfuseTable()
    {
        loadSimulatedAndCompare(QStringLiteral("langfuse"), QStringLiteral("observations"),
                                {QStringLiteral("id String"), QStringLiteral("trace_id String"), QStringLiteral("project_id String"),
                                 QStringLiteral("environment String"), QStringLiteral("type String"), QStringLiteral("parent_observation_id Nullable(String)"),
                                 QStringLiteral("start_time DateTime"), QStringLiteral("end_time DateTime"), QStringLiteral("name String"),
                                 QStringLiteral("metadata String"), QStringLiteral("level String"), QStringLiteral("status_message Nullable(String)"),
                                 QStringLiteral("input Nullable(String)"), QStringLiteral("output Nullable(String)"),
                                 QStringLiteral("provided_model_name Nullable(String)"), QStringLiteral("model_parameters String"),
                                 QStringLiteral("usage_details String"), QStringLiteral("user_id String"), QStringLiteral("session_id String"),
                                 QStringLiteral("completion_start_time DateTime")},
                                QStringLiteral("ReplacingMergeTree(start_time) ORDER BY (project_id, type, id)"));
    }

    // A ReplacingMergeTree keeps two versions of each row until it merges: read with FINAL, each request
    // counts once. DateTime (seconds, any server zone) and Nullable columns are read as the importer expects.
    void versionedTableReadWithFinal()
    {
        for (int node = 0; node < 2; ++node) {
            exec(node, QStringLiteral("CREATE TABLE logs.versioned_local (request_id String, timestamp DateTime, account_id String, "
                                      "ip Nullable(String), prompt String, completion_tokens Nullable(UInt32), version UInt32) "
                                      "ENGINE = ReplacingMergeTree(version) ORDER BY request_id"));
            exec(node, QStringLiteral("CREATE TABLE logs.versioned AS logs.versioned_local "
                                      "ENGINE = Distributed(ds_test, logs, versioned_local, cityHash64(account_id))"));
            for (int version = 1; version <= 2; ++version)
                exec(node, QStringLiteral("INSERT INTO logs.versioned_local SELECT request_id, parseDateTimeBestEffort(timestamp), "
                                          "account_id, if(ip = '', NULL, ip), prompt, completion_tokens, %1 FROM logs.requests_local "
                                          "WHERE cityHash64(request_id) % 20 = 0")
                               .arg(version));
        }
        const qint64 unique = count(0, QStringLiteral("SELECT count() FROM logs.requests WHERE cityHash64(request_id) % 20 = 0"));
        QCOMPARE(count(0, QStringLiteral("SELECT count() FROM logs.versioned")), 2 * unique); // both versions stored
        const QString db = m_dir.file(QStringLiteral("versioned.sqlite"));
        const CliResult r = runCli({QStringLiteral("import"), QStringLiteral("--db"), db, QStringLiteral("--from"), url(QStringLiteral("versioned"))});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.err.contains("read with FINAL"));
        QCOMPARE(queryInt(db, "SELECT count(*) FROM request"), unique);
        QCOMPARE(queryInt(db, "SELECT count(*) FROM quarantine"), 0);
        QCOMPARE(queryText(db, "SELECT table_engine FROM remote_pull"), QStringLiteral("ReplacingMergeTree"));
        // DateTime has whole seconds: every time is one of the original times cut to the second.
        QCOMPARE(queryInt(db, "SELECT count(*) FROM request WHERE ts % 1000 != 0"), 0);
        QCOMPARE(queryInt(db, "SELECT min(ts) FROM request") / 1000,
                 count(0, QStringLiteral("SELECT toUInt32(min(timestamp)) FROM logs.versioned")));
    }
};

QTEST_GUILESS_MAIN(TestClickHouseCluster)
#include "tst_clickhouse_cluster.moc"
