// Import speed and memory benchmark (label "bench", outside the default test run).
//
// Generates N canonical request records with ~400-byte prompts as JSON Lines and
// the same rows as CSV, flushes them to disk, then in one run times, twice and
// alternating,
//   (a) `distillscope-cli import` of the JSONL (parse, normalise, intern, index), and
//   (b) `sqlite3 DB '.import --csv'` of the CSV into an untyped table,
// printing both rates, their ratio, and the import's peak memory at N/2 and N so
// one sees whether memory stays flat as the file grows.
//
// Usage: bench_import [RECORDS]            (default 1,000,000) plain-word prompts
//        bench_import corpora [RECORDS]    (default 200,000) prompts of about 1 KB
//               from the real corpora the simulator ships (model/sim/corpora):
//               chat, programming, maths, instructions, code, judge templates,
//               tool questions, joined until a prompt reaches 1 KB; newlines,
//               quotes and non-ASCII text as real prompts have them.
//        bench_import jsonl FILE           a canonical JSON Lines file as it is
//               (`simulate --no-gzip`, say): its rows are written as CSV, one
//               column per key, objects and arrays as JSON text; no half-size run.
//
// DS_BENCH_BASELINE=PATH also times another distillscope-cli (main's, say) in
// each round, before this one, so before/after ratios come from one run.
//
// The ratio is rows/s against rows/s in wall time; the CPU ratio beside it is
// the figure a loaded machine moves least. The two sides do not do the same
// work: the import parses JSON, normalises, interns, computes the prompt
// features, packs the text with zstd, hashes the file and builds indexes, on
// all cores; sqlite3 splits CSV into one untyped table on one core.

#include "BenchCorpora.h"
#include "BenchRun.h"
#include "BenchWords.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cstdio>
#include <random>
#include <string>

namespace {

using ds::bench::corpusTexts;
using ds::bench::flushToDisk;
using ds::bench::RunResult;
using ds::bench::runMeasured;
using ds::bench::kWords;
using ds::bench::kWordCount;

struct Row
{
    std::string jsonl;
    std::string csv;
};

std::string csvQuote(const std::string& s)
{
    std::string out = "\"";
    for (char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

std::string jsonEscape(const std::string& s)
{
    std::string out;
    out.reserve(s.size() + 16);
    for (const char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
                out += buf;
            } else {
                out += c;
            }
        }
    }
    return out;
}

// A prompt: about 400 bytes of plain words, or (corpora) corpus entries joined by blank lines up to 1 KB.
void makePrompt(std::mt19937_64& rng, bool corpora, std::string& prompt)
{
    prompt.clear();
    if (corpora) {
        const std::vector<std::string>& texts = *corpusTexts();
        while (prompt.size() < 1000) {
            if (!prompt.empty())
                prompt += "\n\n";
            prompt += texts[rng() % texts.size()];
        }
        return;
    }
    while (prompt.size() < 400) {
        prompt += kWords[rng() % kWordCount];
        prompt += (rng() % 9 == 0) ? ". " : " ";
        if (rng() % 23 == 0)
            prompt += std::to_string(rng() % 1000) + " ";
    }
}

void generate(long n, const QString& jsonlPath, const QString& csvPath, bool corpora)
{
    std::FILE* j = std::fopen(QFile::encodeName(jsonlPath).constData(), "wb");
    std::FILE* c = std::fopen(QFile::encodeName(csvPath).constData(), "wb");
    std::fputs("request_id,timestamp,account_id,api_key_id,ip,user_agent,model,endpoint,prompt,prompt_tokens,"
               "completion_tokens,max_tokens,stop_reason,latency_ms,status\n",
               c);
    std::mt19937_64 rng(20260203);
    const long long t0 = 1770000000000LL;
    std::string prompt;
    char buf[512];
    for (long i = 0; i < n; ++i) {
        makePrompt(rng, corpora, prompt);
        const unsigned account = static_cast<unsigned>(rng() % 20000);
        // A handful of addresses per account (about 80k distinct), as in real
        // traffic: the interning dictionaries grow with distinct values, not rows.
        const unsigned ip = (account * 2654435761u + static_cast<unsigned>(rng() % 4) * 40503u) % 65536u;
        const long long ts = t0 + i * 37 + static_cast<long long>(rng() % 1000);
        const char* models[] = {"claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5"};
        const char* uas[] = {"anthropic-python/0.39.0", "anthropic-typescript/0.32.1", "curl/8.5.0", "httpx/0.27.0"};
        const char* model = models[rng() % 3];
        const char* ua = uas[rng() % 4];
        const int pt = 80 + static_cast<int>(rng() % 400), ct = 50 + static_cast<int>(rng() % 3000);
        const int lat = 500 + static_cast<int>(rng() % 30000);
        std::snprintf(buf, sizeof buf,
                      "{\"request_id\":\"req_%08lx\",\"timestamp\":%lld,\"account_id\":\"acct_%05u\",\"api_key_id\":\"key_%05u\","
                      "\"ip\":\"10.%u.%u.%u\",\"user_agent\":\"%s\",\"model\":\"%s\",\"endpoint\":\"/v1/messages\",\"prompt\":\"",
                      i, ts, account, account, ip >> 8 & 255, ip & 255, account % 250, ua, model);
        std::fputs(buf, j);
        std::fputs(corpora ? jsonEscape(prompt).c_str() : prompt.c_str(), j);
        std::fprintf(j, "\",\"prompt_tokens\":%d,\"completion_tokens\":%d,\"max_tokens\":4096,\"stop_reason\":\"end_turn\","
                        "\"latency_ms\":%d,\"status\":200}\n",
                     pt, ct, lat);
        std::fprintf(c, "req_%08lx,%lld,acct_%05u,key_%05u,10.%u.%u.%u,%s,%s,/v1/messages,%s,%d,%d,4096,end_turn,%d,200\n", i, ts,
                     account, account, ip >> 8 & 255, ip & 255, account % 250, ua, model, csvQuote(prompt).c_str(), pt, ct,
                     lat);
    }
    std::fclose(j);
    std::fclose(c);
}

// Writes the rows of a canonical JSONL file as CSV (a column per key seen, in
// first-seen order) and returns the CREATE TABLE for them, or "" when the file
// cannot be read. Returns the number of rows in `rows`.
QString jsonlToCsv(const QString& jsonlPath, const QString& csvPath, long& rows)
{
    QStringList keys;
    auto eachObject = [&](auto&& f) {
        QFile in(jsonlPath);
        if (!in.open(QIODevice::ReadOnly))
            return false;
        while (!in.atEnd()) {
            const QByteArray line = in.readLine();
            if (line.trimmed().isEmpty())
                continue;
            f(QJsonDocument::fromJson(line).object());
        }
        return true;
    };
    if (!eachObject([&](const QJsonObject& o) {
            for (auto it = o.begin(); it != o.end(); ++it)
                if (!keys.contains(it.key()))
                    keys.append(it.key());
        }))
        return {};
    std::FILE* c = std::fopen(QFile::encodeName(csvPath).constData(), "wb");
    std::fputs((keys.join(QLatin1Char(',')) + QLatin1Char('\n')).toUtf8().constData(), c);
    rows = 0;
    eachObject([&](const QJsonObject& o) {
        std::string row;
        for (int k = 0; k < keys.size(); ++k) {
            if (k)
                row += ',';
            const QJsonValue v = o.value(keys[k]);
            QByteArray text;
            if (v.isString())
                text = v.toString().toUtf8();
            else if (v.isObject())
                text = QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
            else if (v.isArray())
                text = QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
            else if (v.isBool())
                text = v.toBool() ? "true" : "false";
            else if (v.isDouble())
                text = QByteArray::number(v.toDouble(), 'g', 17);
            else
                continue; // null or absent: an empty field
            row += csvQuote(text.toStdString());
        }
        row += '\n';
        std::fputs(row.c_str(), c);
        ++rows;
    });
    std::fclose(c);
    return QStringLiteral("CREATE TABLE t(\"%1\");").arg(keys.join(QStringLiteral("\", \"")));
}

constexpr int kRounds = 2;

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const std::string mode = argc > 1 ? std::string(argv[1]) : std::string();
    const bool corpora = mode == "corpora";
    const bool fromFile = mode == "jsonl";
    if (fromFile && argc < 3) {
        std::printf("usage: bench_import jsonl FILE\n");
        return 2;
    }
    const int countArg = corpora ? 2 : 1;
    long n = fromFile ? 0 : argc > countArg ? std::atol(argv[countArg]) : (corpora ? 200000 : 1000000);
    if (corpora && !corpusTexts())
        return 1;
    // DS_BENCH_KEEP=DIR keeps the generated inputs and databases there, for profiling.
    QTemporaryDir tmp;
    const QString keep = qEnvironmentVariable("DS_BENCH_KEEP");
    QDir dir(keep.isEmpty() ? tmp.path() : keep);
    if (!keep.isEmpty()) {
        QDir().mkpath(keep);
        for (const QString& f : dir.entryList({QStringLiteral("*.sqlite")}))
            dir.remove(f);
    }
    // DS_BENCH_CLI=PATH times another build of distillscope-cli (an older one, for before/after figures).
    const QString cliOverride = qEnvironmentVariable("DS_BENCH_CLI");
    const QString cli = cliOverride.isEmpty() ? QStringLiteral(DS_CLI_PATH) : cliOverride;
    const QString baseline = qEnvironmentVariable("DS_BENCH_BASELINE");

    QString jsonl = dir.filePath(QStringLiteral("requests.jsonl"));
    const QString csv = dir.filePath(QStringLiteral("requests.csv"));
    const QString halfJsonl = dir.filePath(QStringLiteral("half.jsonl"));
    const QString halfCsv = dir.filePath(QStringLiteral("half.csv"));
    QString header = QStringLiteral("CREATE TABLE t(request_id, timestamp, account_id, api_key_id, ip, user_agent, model, endpoint, "
                                    "prompt, prompt_tokens, completion_tokens, max_tokens, stop_reason, latency_ms, status);");
    if (fromFile) {
        jsonl = QFile::decodeName(argv[2]);
        std::printf("bench_import: writing the rows of %s as CSV...\n", argv[2]);
        header = jsonlToCsv(jsonl, csv, n);
        if (header.isEmpty() || n == 0) {
            std::printf("bench_import: %s cannot be read\n", argv[2]);
            return 1;
        }
        std::printf("  %ld records\n", n);
    } else {
        std::printf("bench_import: generating %ld records (and %ld for the half-size run), %s...\n", n, n / 2,
                    corpora ? "prompts of about 1 KB from the shipped corpora" : "plain-word prompts of about 400 bytes");
        generate(n, jsonl, csv, corpora);
        generate(n / 2, halfJsonl, halfCsv, corpora);
    }
    std::printf("  JSONL %.1f MB, CSV %.1f MB\n", QFileInfo(jsonl).size() / 1e6, QFileInfo(csv).size() / 1e6);

    // The generated inputs go to disk first: otherwise the kernel writes them
    // back (a few GB) during whichever run happens to be timed then. Then warm
    // the page cache for both so neither side pays the first read.
    for (const QString& f : {jsonl, csv, halfJsonl, halfCsv})
        flushToDisk(f);
    runMeasured({QStringLiteral("cat"), jsonl, csv});

    RunResult half;
    if (!fromFile)
        half = runMeasured({cli, QStringLiteral("import"), QStringLiteral("--db"), dir.filePath(QStringLiteral("half.sqlite")), halfJsonl});
    // Two rounds, alternating, on a shared machine: each round's ratio is
    // printed, and the rates compared are each side's better round.
    RunResult ours, theirs, before;
    for (int round = 1; round <= kRounds; ++round) {
        dir.remove(QStringLiteral("ours.sqlite"));
        dir.remove(QStringLiteral("plain.sqlite"));
        dir.remove(QStringLiteral("baseline.sqlite"));
        RunResult b;
        if (!baseline.isEmpty())
            b = runMeasured({baseline, QStringLiteral("import"), QStringLiteral("--db"), dir.filePath(QStringLiteral("baseline.sqlite")), jsonl});
        const RunResult o = runMeasured({cli, QStringLiteral("import"), QStringLiteral("--db"), dir.filePath(QStringLiteral("ours.sqlite")), jsonl});
        const RunResult t = runMeasured({QStringLiteral("sqlite3"), dir.filePath(QStringLiteral("plain.sqlite")), header,
                                         QStringLiteral(".import --csv --skip 1 ") + csv + QStringLiteral(" t")});
        if (o.status != 0 || t.status != 0 || (!fromFile && half.status != 0) || (!baseline.isEmpty() && b.status != 0)) {
            std::printf("bench_import: a run failed (distillscope %d, sqlite3 %d, half %d, baseline %d)\n", o.status,
                        t.status, half.status, b.status);
            return 1;
        }
        std::printf("round %d: distillscope %.2f s (CPU %.2f s), sqlite3 %.2f s (CPU %.2f s), ratio %.2fx (CPU %.2fx)\n",
                    round, o.seconds, o.cpuSeconds, t.seconds, t.cpuSeconds, t.seconds / o.seconds,
                    t.cpuSeconds / o.cpuSeconds);
        if (!baseline.isEmpty())
            std::printf("         baseline %.2f s (CPU %.2f s), ratio to sqlite3 %.2fx (CPU %.2fx); this/baseline CPU %.3f\n",
                        b.seconds, b.cpuSeconds, t.seconds / b.seconds, t.cpuSeconds / b.cpuSeconds,
                        o.cpuSeconds / b.cpuSeconds);
        if (round == 1 || o.seconds < ours.seconds)
            ours = o;
        if (round == 1 || t.seconds < theirs.seconds)
            theirs = t;
        if (round == 1 || b.seconds < before.seconds)
            before = b;
    }
    const double oursRate = static_cast<double>(n) / ours.seconds;
    const double theirsRate = static_cast<double>(n) / theirs.seconds;
    std::printf("distillscope import : %8.2f s  %9.0f rows/s  CPU %7.2f s  peak RSS %6.1f MB (full import: parse, normalise, intern, features, pack, index)\n",
                ours.seconds, oursRate, ours.cpuSeconds, ours.maxRssKb / 1024.0);
    if (!baseline.isEmpty())
        std::printf("baseline import     : %8.2f s  %9.0f rows/s  CPU %7.2f s  peak RSS %6.1f MB (%s)\n", before.seconds,
                    static_cast<double>(n) / before.seconds, before.cpuSeconds, before.maxRssKb / 1024.0,
                    qPrintable(baseline));
    std::printf("sqlite3 .import csv : %8.2f s  %9.0f rows/s  CPU %7.2f s  peak RSS %6.1f MB (untyped table, no index)\n",
                theirs.seconds, theirsRate, theirs.cpuSeconds, theirs.maxRssKb / 1024.0);
    std::printf("ratio distillscope/sqlite3 = %.2fx, in CPU %.2fx (goal >= 2x; each side's better of %d rounds)\n",
                oursRate / theirsRate, theirs.cpuSeconds / ours.cpuSeconds, kRounds);
    if (!baseline.isEmpty())
        std::printf("ratio baseline/sqlite3     = %.2fx, in CPU %.2fx\n", theirs.seconds / before.seconds,
                    theirs.cpuSeconds / before.cpuSeconds);
    if (!fromFile)
        std::printf("peak RSS at %ld records: %.1f MB, at %ld records: %.1f MB (growth %.1f MB per million records)\n", n / 2,
                    half.maxRssKb / 1024.0, n, ours.maxRssKb / 1024.0,
                    (ours.maxRssKb - half.maxRssKb) / 1024.0 / (static_cast<double>(n - n / 2) / 1e6));
    std::printf("database sizes: distillscope %.1f MB, sqlite3 %.1f MB\n",
                QFileInfo(dir.filePath(QStringLiteral("ours.sqlite"))).size() / 1e6,
                QFileInfo(dir.filePath(QStringLiteral("plain.sqlite"))).size() / 1e6);
    return 0;
}
