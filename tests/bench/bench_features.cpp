// Prompt-feature benchmark (label "bench", outside the default test run).
//
// Times extractPromptFeatures (skeleton, template keys, SimHash, marker scan)
// on one thread, the import's per-request text work without parsing or
// storage, and prints ns per request plus an order-dependent digest of every
// field of every result and of promptSkeleton(prompt). The digest is the
// proof that a speed-up changed no stored value: it must not move.
//
// Usage: bench_features [FILE.jsonl | N] [REPEATS]
//   FILE.jsonl: one JSON object a line with "prompt" and optionally
//               "system_prompt" (string) and "tools" (array or count);
//   N:          generate N plain-word ~400-byte prompts like bench_import's
//               (default 200,000).

#include "BenchWords.h"

#include "core/Hashing.h"
#include "text/PromptFeatures.h"
#include "text/PromptSkeleton.h"

#include <simdjson.h>

#include <algorithm>
#include <chrono>
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

int main(int argc, char** argv)
{
    const std::string arg = argc > 1 ? argv[1] : "200000";
    const bool generated = !arg.empty() && arg.find_first_not_of("0123456789") == std::string::npos;
    const std::vector<Request> requests = generated ? generate(std::stoull(arg)) : load(arg.c_str());
    const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
    std::size_t bytes = 0;
    for (const Request& r : requests)
        bytes += r.system.size() + r.prompt.size();

    std::vector<ds::PromptFeatures> results(requests.size());
    double best = 1e300;
    for (int rep = 0; rep < repeats; ++rep) {
        const auto t0 = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < requests.size(); ++i)
            results[i] = ds::extractPromptFeatures(requests[i].system, requests[i].prompt, requests[i].tools);
        const std::chrono::duration<double, std::nano> dt = std::chrono::steady_clock::now() - t0;
        best = std::min(best, dt.count());
    }

    // Every field in a fixed byte layout, chained so order matters.
    std::uint64_t digest = 0;
    for (const ds::PromptFeatures& f : results) {
        const std::uint64_t fields[] = {f.skeletonHash, f.headHash, f.tailHash, f.simhash, f.flags,
                                        static_cast<std::uint64_t>(f.category), f.bytes};
        digest = ds::hash64(std::string_view(reinterpret_cast<const char*>(fields), sizeof fields), digest);
    }
    std::uint64_t skeletons = 0;
    for (const Request& r : requests)
        skeletons = ds::hash64(ds::promptSkeleton(r.prompt), skeletons);

    std::printf("requests %zu, %.1f bytes each, best of %d: %.1f ns/request (%.3f s)\n", requests.size(),
                requests.empty() ? 0.0 : static_cast<double>(bytes) / static_cast<double>(requests.size()), repeats,
                requests.empty() ? 0.0 : best / static_cast<double>(requests.size()), best / 1e9);
    std::printf("features digest %016llx, skeleton digest %016llx\n", static_cast<unsigned long long>(digest),
                static_cast<unsigned long long>(skeletons));
    return 0;
}
