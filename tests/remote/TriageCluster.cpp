#include "TriageCluster.h"

#include "remote/ClickHouseClient.h"
#include "remote/ClickHouseUrl.h"

#include "TestSupport.h"
#include "core/Sqlite.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>

#include <algorithm>

namespace ds::test {

namespace {

QString run(int port, const QString& sql, const QList<QPair<QString, QString>>& settings = {})
{
    ClickHouseUrl url;
    url.host = QStringLiteral("127.0.0.1");
    url.port = port;
    url.database = QStringLiteral("default");
    url.table = QStringLiteral("one");
    ClickHouseOptions options;
    options.settings = settings;
    ClickHouseClient client(url, options);
    QByteArray body;
    const ClickHouseResponse r = client.fetch(sql, &body);
    return r.ok() ? QString() : r.message;
}

} // namespace

TriageServers triageServers()
{
    TriageServers s;
    const QString envFile = qEnvironmentVariable("DS_CLICKHOUSE_CLUSTER_ENV");
    if (!envFile.isEmpty()) {
        QFile f(envFile);
        if (!f.open(QIODevice::ReadOnly)) {
            s.error = QStringLiteral("cannot read %1").arg(envFile);
            return s;
        }
        for (const QByteArray& line : f.readAll().split('\n'))
            if (line.startsWith("HTTP"))
                s.httpPorts << line.mid(line.indexOf('=') + 1).trimmed().toInt();
    } else {
        for (const QString& p : qEnvironmentVariable("DS_TRIAGE_SERVERS").split(QLatin1Char(','), Qt::SkipEmptyParts))
            s.httpPorts << p.toInt();
    }
    if (s.httpPorts.isEmpty())
        s.error = QStringLiteral("no ClickHouse servers: the cluster fixture sets DS_CLICKHOUSE_CLUSTER_ENV");
    return s;
}

QString loadCanonicalRequests(const TriageServers& servers, const QString& database, const QString& jsonlPath)
{
    const bool distributed = servers.httpPorts.size() >= 2;
    const QString local = distributed ? QStringLiteral("requests_local") : QStringLiteral("requests");
    for (int port : servers.httpPorts) {
        for (const QString& sql :
             {QStringLiteral("CREATE DATABASE IF NOT EXISTS %1").arg(database),
              QStringLiteral("DROP TABLE IF EXISTS %1.requests").arg(database),
              QStringLiteral("DROP TABLE IF EXISTS %1.requests_local").arg(database),
              QStringLiteral("CREATE TABLE %1.%2 (request_id String, timestamp String, account_id String, org_id String, "
                             "api_key_id String, ip String, user_agent String, model String, endpoint String, "
                             "system_prompt String, prompt String, tools Array(String), prompt_tokens UInt32, "
                             "completion_tokens UInt32, max_tokens UInt32, stop_reason String, latency_ms UInt32, "
                             "status UInt16) ENGINE = MergeTree ORDER BY (account_id, request_id)")
                  .arg(database, local)})
            if (const QString e = run(port, sql); !e.isEmpty())
                return e;
    }
    if (distributed)
        if (const QString e = run(servers.httpPorts[0],
                                  QStringLiteral("CREATE TABLE %1.requests AS %1.requests_local ENGINE = "
                                                 "Distributed(ds_test, %1, requests_local, cityHash64(account_id))")
                                      .arg(database));
            !e.isEmpty())
            return e;
    QFile f(jsonlPath);
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read %1").arg(jsonlPath);
    // Each account's rows on one shard, as a table sharded by account keeps them; sent 32 MB at a time, so a
    // benchmark's table of a few hundred MB never sits in memory whole (twice, as the query's text).
    constexpr qsizetype kInsertBytes = 32 << 20;
    QList<QByteArray> shard(servers.httpPorts.size());
    auto flush = [&](qsizetype i) {
        if (shard[i].isEmpty())
            return QString();
        const QString sql = QStringLiteral("INSERT INTO %1.%2 FORMAT JSONEachRow\n").arg(database, local)
                            + QString::fromUtf8(shard[i]);
        shard[i].clear();
        return run(servers.httpPorts[i], sql, {{QStringLiteral("input_format_skip_unknown_fields"), QStringLiteral("1")}});
    };
    while (!f.atEnd()) {
        const QByteArray line = f.readLine();
        if (line.trimmed().isEmpty())
            continue;
        const QString account = QJsonDocument::fromJson(line).object().value(QStringLiteral("account_id")).toString();
        const auto i = static_cast<qsizetype>(qHash(account) % static_cast<size_t>(shard.size()));
        shard[i] += line;
        if (shard[i].size() >= kInsertBytes)
            if (const QString e = flush(i); !e.isEmpty())
                return e;
    }
    for (qsizetype i = 0; i < shard.size(); ++i)
        if (const QString e = flush(i); !e.isEmpty())
            return e;
    return {};
}

QList<QSet<QString>> networksOf(const QString& resultsJson)
{
    QFile f(resultsJson);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QList<QSet<QString>> out;
    for (const QJsonValue& c : QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("clusters")).toArray()) {
        QSet<QString> members;
        for (const QJsonValue& a : c.toObject().value(QStringLiteral("accounts")).toArray())
            members.insert(a.toString());
        out << members;
    }
    return out;
}

QJsonObject evalOf(const QString& truthCsv, const QString& resultsJson)
{
    const CliResult eval = runCli({QStringLiteral("eval"), QStringLiteral("--truth"), truthCsv, QStringLiteral("--results"),
                                   resultsJson, QStringLiteral("--json")});
    return eval.exitCode == 0 ? QJsonDocument::fromJson(eval.out).object() : QJsonObject{};
}

double worstBestJaccard(const QList<QSet<QString>>& reference, const QList<QSet<QString>>& other)
{
    double worst = 1.0;
    for (const QSet<QString>& n : reference) {
        double best = 0;
        for (const QSet<QString>& m : other) {
            const auto both = static_cast<double>(QSet<QString>(n).intersect(m).size());
            const double either = static_cast<double>(n.size() + m.size()) - both;
            best = std::max(best, either > 0 ? both / either : 1.0);
        }
        worst = std::min(worst, best);
    }
    return worst;
}

bool sameNetworks(const QList<QSet<QString>>& a, const QList<QSet<QString>>& b)
{
    if (a.size() != b.size())
        return false;
    return std::all_of(a.begin(), a.end(), [&](const QSet<QString>& n) { return b.contains(n); });
}

QList<QSet<QString>> networksInCase(const QString& casePath)
{
    SqliteDb db(casePath, SqliteDb::Mode::ReadOnly);
    SqliteStatement st(db, "SELECT m.cluster, a.account_id FROM cluster_member m JOIN account a ON a.id = m.account "
                           "WHERE m.run = (SELECT max(id) FROM detection_run WHERE status = 'done') ORDER BY m.cluster");
    QList<QSet<QString>> out;
    std::int64_t last = -1;
    while (st.step()) {
        if (out.isEmpty() || st.columnInt(0) != last)
            out.append(QSet<QString>());
        last = st.columnInt(0);
        out.last().insert(st.columnText(1));
    }
    return out;
}

QList<QSet<QString>> networksWithoutPopulation(const QString& triageCase, const QString& scratchCopy)
{
    QFile::remove(scratchCopy);
    if (!QFile::copy(triageCase, scratchCopy))
        return {};
    {
        SqliteDb db(scratchCopy, SqliteDb::Mode::ReadWrite);
        db.exec("DELETE FROM triage_value; DELETE FROM triage_value_size; DELETE FROM triage_start;");
    }
    const CliResult detect = runCli({QStringLiteral("detect"), QStringLiteral("--db"), scratchCopy}, 1800000);
    const QList<QSet<QString>> out = detect.exitCode == 0 ? networksInCase(scratchCopy) : QList<QSet<QString>>{};
    QFile::remove(scratchCopy);
    return out;
}

QPair<int, int> populationAgreement(const QString& triageCase, const QString& fullCase)
{
    QHash<QString, std::int64_t> full;
    {
        SqliteDb db(fullCase, SqliteDb::Mode::ReadOnly);
        SqliteStatement ip(db, "SELECT i.value, count(DISTINCT r.account) FROM request r JOIN ip i ON i.id = r.ip GROUP BY r.ip");
        while (ip.step())
            full.insert(QStringLiteral("ip ") + ip.columnText(0), ip.columnInt(1));
        SqliteStatement ua(db, "SELECT u.value, count(DISTINCT r.account) FROM request r JOIN user_agent u ON u.id = r.user_agent "
                               "GROUP BY r.user_agent");
        while (ua.step())
            full.insert(QStringLiteral("user_agent ") + ua.columnText(0), ua.columnInt(1));
    }
    int same = 0, compared = 0;
    SqliteDb db(triageCase, SqliteDb::Mode::ReadOnly);
    SqliteStatement st(db, "SELECT kind, value, accounts FROM triage_value WHERE kind IN ('ip', 'user_agent')");
    while (st.step()) {
        ++compared;
        same += full.value(st.columnText(0) + QLatin1Char(' ') + st.columnText(1), -1) == st.columnInt(2);
    }
    return {same, compared};
}

} // namespace ds::test
