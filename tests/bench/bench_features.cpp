// Prompt-feature benchmark (label "bench", outside the default test run).
//
// Times extractPromptFeatures (skeleton, template keys, SimHash, marker scan,
// task fingerprint, harvest score) on one thread, the import's per-request
// text work without parsing or storage, then taskFingerprint() and
// harvestScore() alone, and prints ns per request plus order-dependent
// digests of every field of every result, of the task hashes and harvest
// scores alone, and of promptSkeleton(prompt). The digests are the proof
// that a speed-up changed no stored value: they must not move.
//
// Usage: bench_features [FILE.jsonl | N | corpora [N] | random [N]] [REPEATS]
//   FILE.jsonl: one JSON object a line with "prompt" and optionally
//               "system_prompt" (string) and "tools" (array or count);
//   N:          generate N plain-word ~400-byte prompts like bench_import's
//               (default 200,000);
//   corpora N:  N prompts of about 1 KB joined from the shipped real corpora,
//               as `bench_import corpora` builds them (default 200,000);
//   random N:   N adversarial byte strings (mixed case, digits, marks, code
//               symbols, non-ASCII, over-long words, blank lines, some 20 KB
//               long, some with system prompts and tools), for identity checks
//               of edge cases rather than for speed (default 50,000).

#include "BenchCorpora.h"
#include "BenchWords.h"

#include "core/Hashing.h"
#include "text/HarvestModel.h"
#include "text/PromptFeatures.h"
#include "text/PromptSkeleton.h"
#include "text/TaskFingerprint.h"

#include <QCoreApplication>

#include <simdjson.h>

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace {

struct Request
{
    std::string system;
    std::string prompt;
    int tools = 0;
};

using ds::bench::kWords;

std::vector<Request> generate(std::size_t n)
{
    std::mt19937_64 rng(42);
    std::vector<Request> out(n);
    for (Request& r : out) {
        while (r.prompt.size() < 400) {
            if (rng() % 9 == 0)
                r.prompt += std::to_string(rng() % 1000);
            else
                r.prompt += kWords[rng() % std::size(kWords)];
            r.prompt += rng() % 7 == 0 ? ". " : " ";
        }
    }
    return out;
}

// Prompts of about 1 KB: corpus entries joined by blank lines (bench_import's corpora prompts).
std::vector<Request> generateCorpora(std::size_t n)
{
    const std::vector<std::string>* texts = ds::bench::corpusTexts();
    if (!texts)
        std::exit(1);
    std::mt19937_64 rng(42);
    std::vector<Request> out(n);
    for (Request& r : out) {
        while (r.prompt.size() < 1000) {
            if (!r.prompt.empty())
                r.prompt += "\n\n";
            r.prompt += (*texts)[rng() % texts->size()];
        }
    }
    return out;
}

// Edge cases for the identity check: every byte class the tokenisers tell apart, in random runs.
std::string randomText(std::mt19937_64& rng, std::size_t size)
{
    static const char kMarks[] = ".?!:;,()[]{}<>=+-*/%#&|^~$@\\'\"`_ \n\n\r\t";
    std::string s;
    while (s.size() < size) {
        switch (rng() % 10) {
        case 0: case 1: case 2: {
            std::string w = kWords[rng() % std::size(kWords)];
            if (rng() % 4 == 0)
                for (char& c : w)
                    c = static_cast<char>(rng() % 2 ? c - 'a' + 'A' : c);
            s += w;
            break;
        }
        case 3: s += std::to_string(rng() % 100000); break;
        case 4: s += kMarks[rng() % (sizeof kMarks - 1)]; break;
        case 5: s += ' '; break;
        case 6: s += static_cast<char>(0x80 + rng() % 128); break;
        case 7: s.append(1 + rng() % 3, kMarks[rng() % (sizeof kMarks - 1)]); break;
        case 8: s += rng() % 3 == 0 ? std::string(60 + rng() % 20, static_cast<char>('a' + rng() % 26)) : "\n"; break;
        default: s += static_cast<char>(rng() % 256); break;
        }
    }
    return s;
}

std::vector<Request> generateRandom(std::size_t n)
{
    std::mt19937_64 rng(7);
    std::vector<Request> out(n);
    for (Request& r : out) {
        const std::size_t size = rng() % 50 == 0 ? 20000 : rng() % 1500;
        r.prompt = randomText(rng, size);
        if (rng() % 4 == 0)
            r.system = randomText(rng, rng() % 600);
        if (rng() % 8 == 0)
            r.tools = static_cast<int>(rng() % 4);
    }
    return out;
}

std::vector<Request> load(const char* path)
{
    std::vector<Request> out;
    simdjson::ondemand::parser parser;
    simdjson::padded_string json;
    if (simdjson::padded_string::load(path).get(json)) {
        std::fprintf(stderr, "cannot read %s\n", path);
        std::exit(2);
    }
    simdjson::ondemand::document_stream docs;
    if (parser.iterate_many(json, 1u << 24).get(docs)) {
        std::fprintf(stderr, "cannot parse %s\n", path);
        std::exit(2);
    }
    for (auto doc : docs) {
        simdjson::ondemand::object o;
        if (doc.get_object().get(o))
            continue;
        Request r;
        for (auto field : o) {
            std::string_view key;
            if (field.unescaped_key().get(key))
                continue;
            std::string_view s;
            if (key == "prompt" && !field.value().get_string().get(s))
                r.prompt = s;
            else if (key == "system_prompt" && !field.value().get_string().get(s))
                r.system = s;
            else if (key == "tools") {
                simdjson::ondemand::array a;
                std::int64_t count = 0;
                if (!field.value().get_array().get(a)) {
                    std::size_t k = 0;
                    if (!a.count_elements().get(k))
                        r.tools = static_cast<int>(k);
                } else if (!field.value().get_int64().get(count))
                    r.tools = static_cast<int>(count);
            }
        }
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace

// This thread's CPU time in ns: the benchmark machine is shared, and wall time counts the others' work.
double cpuNanoseconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

// The least CPU time of `repeats` runs of f.
template<typename F>
double bestOf(int repeats, F&& f)
{
    double best = 1e300;
    for (int rep = 0; rep < repeats; ++rep) {
        const double t0 = cpuNanoseconds();
        f();
        best = std::min(best, cpuNanoseconds() - t0);
    }
    return best;
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv); // the compiled-in corpora and harvest model are Qt resources
    const std::string arg = argc > 1 ? argv[1] : "200000";
    const bool corpora = arg == "corpora", random = arg == "random";
    const int countArg = corpora || random ? 2 : 1;
    const bool generated = !arg.empty() && arg.find_first_not_of("0123456789") == std::string::npos;
    std::vector<Request> requests;
    if (corpora || random) {
        const std::size_t n = argc > 2 ? std::stoull(argv[2]) : (corpora ? 200000 : 50000);
        requests = corpora ? generateCorpora(n) : generateRandom(n);
    } else
        requests = generated ? generate(std::stoull(arg)) : load(arg.c_str());
    const int repeats = argc > countArg + 1 ? std::max(1, std::atoi(argv[countArg + 1])) : 3;
    std::size_t bytes = 0;
    for (const Request& r : requests)
        bytes += r.system.size() + r.prompt.size();
    const double count = requests.empty() ? 1.0 : static_cast<double>(requests.size());

    std::vector<ds::PromptFeatures> results(requests.size());
    const double all = bestOf(repeats, [&] {
        for (std::size_t i = 0; i < requests.size(); ++i)
            results[i] = ds::extractPromptFeatures(requests[i].system, requests[i].prompt, requests[i].tools);
    });
    std::vector<std::uint64_t> tasks(requests.size());
    const double task = bestOf(repeats, [&] {
        for (std::size_t i = 0; i < requests.size(); ++i)
            tasks[i] = ds::taskFingerprint(requests[i].prompt);
    });
    std::vector<int> harvests(requests.size());
    const double harvest = bestOf(repeats, [&] {
        for (std::size_t i = 0; i < requests.size(); ++i)
            harvests[i] = ds::harvestScore(requests[i].system, requests[i].prompt, requests[i].tools, results[i]);
    });

    // Every field in a fixed byte layout, chained so order matters.
    std::uint64_t digest = 0, taskDigest = 0, harvestDigest = 0;
    std::size_t withTask = 0;
    long harvestSum = 0;
    for (std::size_t i = 0; i < results.size(); ++i) {
        const ds::PromptFeatures& f = results[i];
        const std::uint64_t fields[] = {f.skeletonHash, f.headHash, f.tailHash, f.simhash, f.flags,
                                        static_cast<std::uint64_t>(f.category), f.bytes, f.taskHash, f.harvest};
        digest = ds::hash64(std::string_view(reinterpret_cast<const char*>(fields), sizeof fields), digest);
        if (tasks[i] != f.taskHash || harvests[i] != f.harvest) {
            std::printf("request %zu: the features alone differ from extractPromptFeatures\n", i);
            return 1;
        }
        taskDigest = ds::hash64(std::string_view(reinterpret_cast<const char*>(&tasks[i]), sizeof tasks[i]), taskDigest);
        const std::uint64_t h = static_cast<std::uint64_t>(harvests[i]);
        harvestDigest = ds::hash64(std::string_view(reinterpret_cast<const char*>(&h), sizeof h), harvestDigest);
        withTask += tasks[i] != 0;
        harvestSum += harvests[i];
    }
    std::uint64_t skeletons = 0;
    for (const Request& r : requests)
        skeletons = ds::hash64(ds::promptSkeleton(r.prompt), skeletons);

    std::printf("requests %zu, %.1f bytes each, best of %d (thread CPU time)\n", requests.size(), static_cast<double>(bytes) / count,
                repeats);
    std::printf("  extractPromptFeatures %8.1f ns/request (%.3f s)\n", all / count, all / 1e9);
    std::printf("  taskFingerprint       %8.1f ns/request (%.3f s)\n", task / count, task / 1e9);
    std::printf("  harvestScore          %8.1f ns/request (%.3f s)\n", harvest / count, harvest / 1e9);
    std::printf("features digest %016llx, skeleton digest %016llx\n", static_cast<unsigned long long>(digest),
                static_cast<unsigned long long>(skeletons));
    std::printf("task digest %016llx (%zu with a task), harvest digest %016llx (mean %.1f)\n",
                static_cast<unsigned long long>(taskDigest), withTask, static_cast<unsigned long long>(harvestDigest),
                static_cast<double>(harvestSum) / count);
    return 0;
}
