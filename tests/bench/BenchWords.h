#pragma once

#include <cstddef>

namespace ds::bench {

// The vocabulary of the benchmarks' generated prompts (bench_import,
// bench_features): plain words, as the import benchmark has always used, so
// their figures stay comparable with earlier runs.
inline constexpr const char* kWords[] = {
    "explain", "the", "difference", "between", "a", "process", "and", "thread", "in", "operating", "systems",
    "write", "function", "that", "returns", "sum", "of", "all", "even", "numbers", "list", "python", "step",
    "by", "reasoning", "final", "answer", "customer", "invoice", "translate", "following", "paragraph", "into",
    "french", "summarise", "report", "quarterly", "revenue", "growth", "why", "does", "sky", "appear", "blue",
    "compare", "merge", "sort", "quick", "algorithm", "complexity", "database", "index", "query", "optimise"};
inline constexpr std::size_t kWordCount = sizeof kWords / sizeof *kWords;

} // namespace ds::bench
