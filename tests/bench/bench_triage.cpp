// The triage pushed down to ClickHouse (docs/CLICKHOUSE_TRIAGE.md) on a two-shard cluster (the
// clickhouse_triage_cluster fixture), in two parts, in one run:
//  - its targets (issue 15): `scan --from` the table against `scan` of the same rows from the local file: the share of
//    rows pulled, recall and precision against the simulator's truth, and whether the flagged networks are the same;
//  - its speed: rows/s of each triage query and of the whole triage, beside pulling every row through the importer
//    and importing the same rows from the local file.
// Prints figures; asserts nothing but that each step worked.
//
//   bench_triage [SCENARIO] [SCALE] [SEED] [ROUNDS]
//     SCENARIO  a file of tests/remote/scenarios without .json (default triage_30x: 30 times the adversarial
//               scenario's ordinary users, attackers about 8 % of the rows), SCALE its --scale (default 0.05),
//               SEED (default 1), ROUNDS of the speed part, best of (default 1; 0 leaves the speed part out)
#include "TestSupport.h"
#include "../remote/TriageCluster.h"

#include "core/CancelToken.h"
#include "ingest/Importer.h"
#include "ingest/LogFormats.h"
#include "remote/ClickHouseClient.h"
#include "remote/ClickHouseSource.h"
#include "remote/ClickHouseUrl.h"
#include "remote/TriageRun.h"
#include "remote/TriageSql.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>

#include <algorithm>
#include <cstdio>
#include <map>

using namespace ds;
using namespace ds::test;

namespace {

double secondsOf(const QElapsedTimer& t) { return static_cast<double>(t.nsecsElapsed()) / 1e9; }

int fail(const QString& what)
{
    std::fprintf(stderr, "bench_triage: %s\n", qPrintable(what));
    return 1;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString scenario = args.size() > 1 ? args[1] : QStringLiteral("triage_30x");
    const QString scale = args.size() > 2 ? args[2] : QStringLiteral("0.05");
    const QString seed = args.size() > 3 ? args[3] : QStringLiteral("1");
    const int rounds = args.size() > 4 ? std::max(0, args[4].toInt()) : 1;
    const TriageServers servers = triageServers();
    if (!servers.error.isEmpty())
        return fail(servers.error);
    // Under DS_BENCH_DATA when set (a few GB at larger scales), else a scratch folder; removed at the end either way.
    ScratchDir scratch;
    const QString base = qEnvironmentVariable("DS_BENCH_DATA");
    const QString root = base.isEmpty() ? scratch.path() : QDir(base).filePath(QStringLiteral("bench_triage"));
    QDir(root).removeRecursively();
    QDir().mkpath(root);
    struct Cleanup
    {
        QString root;
        // QDir("") is the working directory: without DS_BENCH_DATA the scratch folder cleans itself up, and this
        // must remove nothing (it used to remove the folder the benchmark was started from).
        ~Cleanup()
        {
            if (!root.isEmpty())
                QDir(root).removeRecursively();
        }
    } cleanup{base.isEmpty() ? QString() : root};
    auto file = [&root](const QString& name) { return QDir(root).filePath(name); };
    QElapsedTimer step;
    step.start();
    const CliResult sim = runCli({QStringLiteral("simulate"), QStringLiteral("--out"), root, QStringLiteral("--scenario"),
                                  QStringLiteral(DS_SOURCE_DIR "/tests/remote/scenarios/%1.json").arg(scenario),
                                  QStringLiteral("--scale"), scale, QStringLiteral("--seed"), seed, QStringLiteral("--no-gzip")},
                                 1800000);
    if (sim.exitCode != 0)
        return fail(QString::fromUtf8(sim.err));
    const QString jsonl = file(QStringLiteral("requests.jsonl"));
    if (const QString e = loadCanonicalRequests(servers, QStringLiteral("ds_bench"), jsonl); !e.isEmpty())
        return fail(e);
    std::printf("bench_triage: %s x%s seed %s, simulated and loaded on %lld shards in %.0f s\n", qPrintable(scenario),
                qPrintable(scale), qPrintable(seed), static_cast<long long>(servers.httpPorts.size()), secondsOf(step));
    std::fflush(stdout);
    const QString address = QStringLiteral("clickhouse://default@127.0.0.1:%1/ds_bench.requests").arg(servers.httpPorts[0]);
    QString why;
    const auto url = ClickHouseUrl::parse(address, &why, QString());
    if (!url)
        return fail(why);

    // The targets: the triage's scan against the full local import's, same binary, same run.
    {
        const QString truth = file(QStringLiteral("truth.csv")), accounts = file(QStringLiteral("accounts.csv"));
        const QString fullJson = file(QStringLiteral("full.json")), triJson = file(QStringLiteral("triaged.json"));
        const QString fullCase = file(QStringLiteral("full.sqlite")), triCase = file(QStringLiteral("triaged.sqlite"));
        step.restart();
        const CliResult full = runCli({QStringLiteral("scan"), QStringLiteral("--json"), fullJson, QStringLiteral("--db"), fullCase,
                                       jsonl, accounts}, 3600000);
        if (full.exitCode != 0)
            return fail(QStringLiteral("full scan: ") + QString::fromUtf8(full.err));
        const double fullSeconds = secondsOf(step);
        step.restart();
        const CliResult tri = runCli({QStringLiteral("scan"), QStringLiteral("--json"), triJson, QStringLiteral("--db"), triCase,
                                      QStringLiteral("--from"), address, accounts}, 3600000);
        if (tri.exitCode != 0)
            return fail(QStringLiteral("triage scan: ") + QString::fromUtf8(tri.err));
        const double triSeconds = secondsOf(step);
        const std::int64_t total = queryInt(triCase, "SELECT rows_total FROM triage_run");
        const std::int64_t pulled = queryInt(triCase, "SELECT count(*) FROM request");
        const QJsonObject fe = evalOf(truth, fullJson), te = evalOf(truth, triJson);
        const QList<QSet<QString>> fn = networksOf(fullJson), tn = networksOf(triJson);
        std::printf("  full local import (scan): %.0f s; triage (scan --from): %.0f s\n", fullSeconds, triSeconds);
        std::printf("  rows pulled: %lld of %lld (%.1f %%), %lld accounts of %lld (%lld candidates, %lld linked)\n",
                    static_cast<long long>(pulled), static_cast<long long>(total),
                    100.0 * static_cast<double>(pulled) / static_cast<double>(std::max<std::int64_t>(1, total)),
                    static_cast<long long>(queryInt(triCase, "SELECT count(DISTINCT account) FROM request")),
                    static_cast<long long>(queryInt(fullCase, "SELECT count(*) FROM account")),
                    static_cast<long long>(queryInt(triCase, "SELECT candidates FROM triage_run")),
                    static_cast<long long>(queryInt(triCase, "SELECT linked FROM triage_run")));
        std::printf("  recall %.3f precision %.3f (full import: recall %.3f precision %.3f)\n",
                    te.value(QStringLiteral("recall")).toDouble(), te.value(QStringLiteral("precision")).toDouble(),
                    fe.value(QStringLiteral("recall")).toDouble(), fe.value(QStringLiteral("precision")).toDouble());
        QStringList fs, ts;
        for (const QSet<QString>& n : fn)
            fs << QString::number(n.size());
        for (const QSet<QString>& n : tn)
            ts << QString::number(n.size());
        std::printf("  networks: %lld (accounts %s), full import %lld (%s); same networks: %s; worst best-match Jaccard %.3f\n",
                    static_cast<long long>(tn.size()), qPrintable(ts.join(QLatin1Char('/'))), static_cast<long long>(fn.size()),
                    qPrintable(fs.join(QLatin1Char('/'))), sameNetworks(fn, tn) ? "yes" : "NO", worstBestJaccard(fn, tn));
        // The same case detected again without the population the triage measured: detection as it was before it
        // read one, side by side.
        const QList<QSet<QString>> before = networksWithoutPopulation(triCase, file(QStringLiteral("before.sqlite")));
        QStringList bs;
        for (const QSet<QString>& n : before)
            bs << QString::number(n.size());
        const QPair<int, int> agree = populationAgreement(triCase, fullCase);
        std::printf("  without the population: networks %lld (%s); same networks: %s; worst best-match Jaccard %.3f\n",
                    static_cast<long long>(before.size()), qPrintable(bs.join(QLatin1Char('/'))),
                    sameNetworks(fn, before) ? "yes" : "NO", worstBestJaccard(fn, before));
        std::printf("  population: %d of %d IP and user agent counts equal the full import's\n", agree.first, agree.second);
        std::fflush(stdout);
        QFile::remove(fullCase);
        QFile::remove(triCase);
    }

    if (rounds == 0)
        return 0;
    const QStringList names = {QStringLiteral("accounts"), QStringLiteral("templates"), QStringLiteral("shared values"),
                               QStringLiteral("baselines"), QStringLiteral("value population"), QStringLiteral("value sizes")};
    std::map<QString, double> best;
    auto keep = [&best](const QString& k, double s) { best[k] = best.count(k) ? std::min(best[k], s) : s; };
    std::int64_t rows = 0, chosen = 0;
    for (int round = 0; round < rounds; ++round) {
        CancelToken cancel;
        ClickHouseResponse failure;
        // The four queries one by one, then the whole triage as scan runs it (queries, parsing, choice).
        auto source = ClickHouseSource::prepare(*url, {}, &cancel, &failure);
        if (!source)
            return fail(failure.message);
        rows = source->expectedRows();
        const TriageColumns columns =
            triageColumnsFor(source->table(), *logformats::presetMapping(QStringLiteral("canonical")), source->query().where);
        const QStringList sql = {accountAggregatesSql(columns, {}), templateSharesSql(columns, {}),
                                 sharedValuesSql(columns, {}), baselinesSql(columns)};
        ClickHouseClient client(*url);
        for (int q = 0; q < sql.size(); ++q) {
            QByteArray body;
            QElapsedTimer t;
            t.start();
            const ClickHouseResponse r = client.fetch(sql[q], &body);
            if (!r.ok())
                return fail(names[q] + QStringLiteral(": ") + r.message);
            keep(names[q], secondsOf(t));
        }
        QElapsedTimer t;
        t.start();
        const TriageOutcome o = runTriage(*source, {}, TriageSettings{}, TriageSqlOptions{}, &cancel);
        if (!o.ok())
            return fail(o.response.message);
        keep(QStringLiteral("triage"), secondsOf(t));
        chosen = o.selection.rowsPulled;
        // The population queries, on their own: they follow the choice (the first reads the chosen accounts' values).
        {
            const QString population = valuePopulationSql(columns, o.selection.accounts());
            ClickHouseOptions listed;
            listed.settings.append({QStringLiteral("max_query_size"), QString::number(population.toUtf8().size() + 65536)});
            ClickHouseClient listedClient(*url, listed);
            const QStringList more = {population, valueSizesSql(columns)};
            for (int q = 0; q < more.size(); ++q) {
                QByteArray body;
                t.restart();
                const ClickHouseResponse r = (q == 0 ? listedClient : client).fetch(more[q], &body);
                if (!r.ok())
                    return fail(names[4 + q] + QStringLiteral(": ") + r.message);
                keep(names[4 + q], secondsOf(t));
            }
        }

        // Every row pulled through the importer, and the same rows imported from the local file.
        auto all = ClickHouseSource::prepare(*url, {}, &cancel, &failure);
        if (!all)
            return fail(failure.message);
        ImportProgress progress;
        ImportRequest pull;
        pull.databasePath = file(QStringLiteral("pull%1.sqlite").arg(round));
        pull.streams = {all->streamedLog()};
        t.restart();
        const ImportSummary pulled = Importer::run(pull, progress, cancel);
        if (!pulled.error.isEmpty() || pulled.requestsInCase != rows)
            return fail(QStringLiteral("the full pull: %1").arg(pulled.error));
        keep(QStringLiteral("pull every row"), secondsOf(t));
        ImportProgress progress2;
        ImportRequest local;
        local.databasePath = file(QStringLiteral("local%1.sqlite").arg(round));
        local.files = {jsonl};
        t.restart();
        const ImportSummary imported = Importer::run(local, progress2, cancel);
        if (!imported.error.isEmpty() || imported.requestsInCase != rows)
            return fail(QStringLiteral("the local import: %1").arg(imported.error));
        keep(QStringLiteral("import the local file"), secondsOf(t));
        QFile::remove(pull.databasePath);
        QFile::remove(local.databasePath);
    }
    std::printf("  speed: %lld rows on %lld shards, best of %d rounds (wall clock)\n",
                static_cast<long long>(rows), static_cast<long long>(servers.httpPorts.size()), rounds);
    for (const QString& k : names + QStringList{QStringLiteral("triage"), QStringLiteral("pull every row"),
                                                QStringLiteral("import the local file")})
        std::printf("  %-22s %7.2f s  %9.0f rows/s\n", qPrintable(k), best[k], static_cast<double>(rows) / best[k]);
    std::printf("  triage chose %lld rows (%.1f %%); triage + pull of those vs pulling every row: %.2f\n",
                static_cast<long long>(chosen), 100.0 * static_cast<double>(chosen) / static_cast<double>(rows),
                (best[QStringLiteral("triage")]
                 + best[QStringLiteral("pull every row")] * static_cast<double>(chosen) / static_cast<double>(rows))
                    / best[QStringLiteral("pull every row")]);
    std::printf("  pull every row vs local import (rows/s): %.0f %%\n",
                100.0 * best[QStringLiteral("import the local file")] / best[QStringLiteral("pull every row")]);
    return 0;
}
