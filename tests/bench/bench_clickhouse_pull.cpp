// Pull throughput: importing requests pulled from a ClickHouse table (`import --from`, a Distributed
// table over the two shards of the clickhouse_cluster fixture) against importing the same rows from
// a local JSON Lines file, measured side by side in one run, alternating, on fresh cases.
// Usage: bench_clickhouse_pull [SCENARIO] [SCALE] [ROUNDS] (default: demo 1 2). Needs the fixture's
// DS_CLICKHOUSE_CLUSTER. Prints wall and CPU seconds, rows/s, and the pull's rate as a share of the file's.
#include "BenchRun.h"
#include "TestSupport.h"

#include "remote/ClickHouseClient.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <cstdio>

using namespace ds;

namespace {

int httpPort(const QString& clusterDir, const char* key)
{
    QFile env(clusterDir + QStringLiteral("/cluster.env"));
    if (!env.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray& line : env.readAll().split('\n'))
        if (line.startsWith(QByteArray(key) + '='))
            return line.mid(qstrlen(key) + 1).toInt();
    return 0;
}

bool exec(int port, const QString& sql, const QByteArray& data = {})
{
    const auto url = ClickHouseUrl::parse(QStringLiteral("clickhouse://default@127.0.0.1:%1/default.x").arg(port), nullptr, {});
    ClickHouseClient client(*url);
    QByteArray body;
    const auto r = client.fetch(data.isEmpty() ? sql : sql + QLatin1Char('\n') + QString::fromUtf8(data), &body);
    if (!r.ok())
        std::fprintf(stderr, "%s: %s\n", qPrintable(sql.left(120)), qPrintable(r.message));
    return r.ok();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QString scenario = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("demo");
    const QString scale = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QStringLiteral("1");
    const int rounds = argc > 3 ? std::max(1, atoi(argv[3])) : 2;
    const QString clusterDir = qEnvironmentVariable("DS_CLICKHOUSE_CLUSTER");
    const int http[2] = {httpPort(clusterDir, "HTTP1"), httpPort(clusterDir, "HTTP2")};
    if (!http[0] || !http[1]) {
        std::fprintf(stderr, "no ClickHouse cluster: run through ctest (fixture clickhouse_cluster)\n");
        return 1;
    }
    test::ScratchDir dir;
    const auto sim = test::runCli({QStringLiteral("simulate"), QStringLiteral("--scenario"), scenario, QStringLiteral("--scale"), scale,
                                   QStringLiteral("--no-gzip"), QStringLiteral("--out"), dir.path()}, 1800000);
    if (sim.exitCode != 0) {
        std::fprintf(stderr, "simulate failed: %s\n", sim.err.constData());
        return 1;
    }
    const QString requests = dir.file(QStringLiteral("requests.jsonl"));
    QFile f(requests);
    if (!f.open(QIODevice::ReadOnly))
        return 1;
    QByteArray shard[2];
    qint64 rows = 0;
    static const QRegularExpression account(QStringLiteral("\"account_id\":\"([^\"]*)\""));
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.isEmpty())
            continue;
        const QByteArray key = account.match(QString::fromUtf8(line)).captured(1).toUtf8();
        shard[static_cast<unsigned char>(QCryptographicHash::hash(key, QCryptographicHash::Md5)[0]) % 2] += line + '\n';
        ++rows;
    }
    const QString columns = QStringLiteral(
        "request_id String, timestamp String, account_id String, org_id String, api_key_id String, ip String, user_agent String, "
        "model String, endpoint String, system_prompt String, prompt String, tools Array(String), prompt_tokens Nullable(UInt32), "
        "completion_tokens Nullable(UInt32), max_tokens Nullable(UInt32), stop_reason String, latency_ms Nullable(UInt32), "
        "status Nullable(UInt16)");
    for (int node = 0; node < 2; ++node) {
        if (!exec(http[node], QStringLiteral("CREATE DATABASE IF NOT EXISTS bench"))
            || !exec(http[node], QStringLiteral("DROP TABLE IF EXISTS bench.requests"))
            || !exec(http[node], QStringLiteral("DROP TABLE IF EXISTS bench.requests_local"))
            || !exec(http[node], QStringLiteral("CREATE TABLE bench.requests_local (%1) ENGINE = MergeTree ORDER BY (account_id, request_id)").arg(columns))
            || !exec(http[node], QStringLiteral("CREATE TABLE bench.requests AS bench.requests_local "
                                                "ENGINE = Distributed(ds_test, bench, requests_local, cityHash64(account_id))"))
            || !exec(http[node], QStringLiteral("INSERT INTO bench.requests_local FORMAT JSONEachRow"), shard[node]))
            return 1;
        shard[node].clear();
    }
    const QString url = QStringLiteral("clickhouse://default@127.0.0.1:%1/bench.requests").arg(http[0]);
    std::printf("%s x%s: %lld requests, %.0f MB of JSON Lines; %d rounds, alternating\n", qPrintable(scenario), qPrintable(scale),
                static_cast<long long>(rows), static_cast<double>(QFileInfo(requests).size()) / 1e6, rounds);
    std::vector<double> fileWall, pullWall, fileCpu, pullCpu;
    for (int round = 0; round < rounds; ++round) {
        for (const bool pull : {false, true}) {
            const QString db = dir.file(QStringLiteral("case-%1-%2.sqlite").arg(round).arg(pull));
            QStringList argv{QStringLiteral(DS_CLI_PATH), QStringLiteral("import"), QStringLiteral("--db"), db};
            argv << (pull ? QStringList{QStringLiteral("--from"), url} : QStringList{requests});
            const bench::RunResult r = bench::runMeasured(argv);
            if (r.status != 0) {
                std::fprintf(stderr, "import %s failed (%d)\n", pull ? "--from" : "file", r.status);
                return 1;
            }
            (pull ? pullWall : fileWall).push_back(r.seconds);
            (pull ? pullCpu : fileCpu).push_back(r.cpuSeconds);
            std::printf("  round %d %-5s %6.1f s wall %6.1f s CPU (client)  %8.0f rows/s  peak %ld MB\n", round + 1,
                        pull ? "pull" : "file", r.seconds, r.cpuSeconds, static_cast<double>(rows) / r.seconds, r.maxRssKb / 1024);
            QFile::remove(db);
        }
    }
    const double fw = median(fileWall), p = median(pullWall);
    std::printf("file import: %.0f rows/s (median wall %.1f s)\n", static_cast<double>(rows) / fw, fw);
    std::printf("pull import: %.0f rows/s (median wall %.1f s, server work included: the same machine runs both shards)\n",
                static_cast<double>(rows) / p, p);
    std::printf("pull rate / file rate: %.2f\n", fw / p);
    for (int node = 0; node < 2; ++node)
        exec(http[node], QStringLiteral("DROP DATABASE IF EXISTS bench"));
    return 0;
}
