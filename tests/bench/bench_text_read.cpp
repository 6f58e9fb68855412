// Reading request text from cases, packed against plain (label "bench").
//
// Usage: bench_text_read CASE [CASE...]
// For each case, in turn and twice (the better round counts): the request
// detail of 2,000 requests spread over the case (RequestDetail::load, what a
// click on a request shows), the Requests table's prompt column for 20 pages of
// 200 rows (substr(ds_text(prompt), 1, 400), WorkspaceTables), and a free-text
// search over every prompt (workspace/Scope's condition). Cases written before
// packing hold TEXT, so one build times both layouts side by side.

#include "core/CaseDatabase.h"
#include "workspace/RequestDetail.h"
#include "workspace/Scope.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>

#include <cstdio>

using namespace ds;

namespace {

struct Figures
{
    double detailMs = 0, pageMs = 0, searchMs = 0;
    std::int64_t found = 0;
};

Figures measure(const QString& path)
{
    SqliteDb db = CaseDatabase::openForReading(path);
    const std::int64_t rows = db.queryInt("SELECT max(id) FROM request");
    Figures f;
    QElapsedTimer t;
    t.start();
    std::int64_t bytes = 0;
    constexpr int kDetails = 2000;
    for (int i = 0; i < kDetails; ++i)
        bytes += RequestDetail::load(db, 1 + (rows - 1) * i / kDetails).prompt.size();
    f.detailMs = t.nsecsElapsed() / 1e6 / kDetails;

    t.restart();
    SqliteStatement page(db, "SELECT r.id, (SELECT substr(ds_text(prompt), 1, 400) FROM request_text WHERE id = r.id) "
                             "FROM request r WHERE r.id > ?1 ORDER BY r.id LIMIT 200");
    constexpr int kPages = 20;
    for (int p = 0; p < kPages; ++p) {
        page.bind(1, (rows - 200) * p / kPages);
        while (page.step())
            bytes += static_cast<std::int64_t>(page.columnView(1).size());
        page.reset();
    }
    f.pageMs = t.nsecsElapsed() / 1e6 / kPages;

    t.restart();
    ViewScope scope;
    scope.search = SearchQuery::parse(QStringLiteral("\"step by step\""));
    const SqlFragment cond = scopesql::requestCondition(scope);
    SqliteStatement search(db, ("SELECT count(*) FROM request r WHERE " + cond.sql).toUtf8().constData());
    for (int i = 0; i < cond.params.size(); ++i)
        search.bindText(i + 1, cond.params[i].toString());
    f.found = search.step() ? search.columnInt(0) : -1;
    f.searchMs = t.nsecsElapsed() / 1e6;
    if (bytes < 0)
        std::printf("unreachable\n");
    return f;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_text_read CASE [CASE...]\n");
        return 2;
    }
    std::printf("%-40s %10s %12s %12s %12s %10s\n", "case", "size MB", "detail ms", "page ms", "search s", "found");
    for (int round = 1; round <= 2; ++round)
        for (int a = 1; a < argc; ++a) {
            const QString path = QString::fromLocal8Bit(argv[a]);
            try {
                const Figures f = measure(path);
                std::printf("%-40s %10.1f %12.3f %12.2f %12.2f %10lld  (round %d)\n",
                            QFileInfo(path).fileName().toUtf8().constData(), QFileInfo(path).size() / 1e6, f.detailMs,
                            f.pageMs, f.searchMs / 1000.0, static_cast<long long>(f.found), round);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "%s: %s\n", argv[a], e.what());
                return 1;
            }
        }
    return 0;
}
