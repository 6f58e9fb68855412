// The triage pushed down to ClickHouse (docs/CLICKHOUSE_TRIAGE.md): rows/s of each triage query and of the whole
// triage on a two-shard cluster (the clickhouse_triage_cluster fixture), side by side in one run with pulling every
// row through the importer and importing the same rows from a local file. Prints figures; asserts nothing but that
// each step worked.
//
//   bench_triage [SCALE] [ROUNDS]     the triage_target scenario at SCALE (default 0.3), best of ROUNDS (default 2)
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
    const QString scale = args.size() > 1 ? args[1] : QStringLiteral("0.3");
    const int rounds = args.size() > 2 ? std::max(1, args[2].toInt()) : 2;
    const TriageServers servers = triageServers();
    if (!servers.error.isEmpty())
        return fail(servers.error);
    ScratchDir dir;
    const CliResult sim = runCli({QStringLiteral("simulate"), QStringLiteral("--out"), dir.path(), QStringLiteral("--scenario"),
                                  QStringLiteral(DS_SOURCE_DIR "/tests/remote/scenarios/triage_target.json"),
                                  QStringLiteral("--scale"), scale, QStringLiteral("--no-gzip")},
                                 600000);
    if (sim.exitCode != 0)
        return fail(QString::fromUtf8(sim.err));
    const QString jsonl = dir.file(QStringLiteral("requests.jsonl"));
    if (const QString e = loadCanonicalRequests(servers, QStringLiteral("ds_bench"), jsonl); !e.isEmpty())
        return fail(e);
    QString why;
    const auto url = ClickHouseUrl::parse(QStringLiteral("clickhouse://default@127.0.0.1:%1/ds_bench.requests").arg(servers.httpPorts[0]),
                                          &why, QString());
    if (!url)
        return fail(why);

    const QStringList names = {QStringLiteral("accounts"), QStringLiteral("templates"), QStringLiteral("shared values"),
                               QStringLiteral("baselines")};
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

        // Every row pulled through the importer, and the same rows imported from the local file.
        auto all = ClickHouseSource::prepare(*url, {}, &cancel, &failure);
        if (!all)
            return fail(failure.message);
        ImportProgress progress;
        ImportRequest pull;
        pull.databasePath = dir.file(QStringLiteral("pull%1.sqlite").arg(round));
        pull.streams = {all->streamedLog()};
        t.restart();
        const ImportSummary pulled = Importer::run(pull, progress, cancel);
        if (!pulled.error.isEmpty() || pulled.requestsInCase != rows)
            return fail(QStringLiteral("the full pull: %1").arg(pulled.error));
        keep(QStringLiteral("pull every row"), secondsOf(t));
        ImportProgress progress2;
        ImportRequest local;
        local.databasePath = dir.file(QStringLiteral("local%1.sqlite").arg(round));
        local.files = {jsonl};
        t.restart();
        const ImportSummary imported = Importer::run(local, progress2, cancel);
        if (!imported.error.isEmpty() || imported.requestsInCase != rows)
            return fail(QStringLiteral("the local import: %1").arg(imported.error));
        keep(QStringLiteral("import the local file"), secondsOf(t));
    }
    std::printf("bench_triage: triage_target x%s, %lld rows on %lld shards, best of %d rounds (wall clock)\n", qPrintable(scale),
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
