#pragma once

#include <string_view>

namespace ds {

// Which part of the prompt corpora a task belongs to. The harvest model
// (text/HarvestModel) is trained only on Train tasks; the simulator's
// adversarial scenario draws its harvest tasks from Heldout ones, so an
// evaluation on simulated traffic is not graded on what the model memorised.
enum class CorpusPart { Train, Heldout };

// The rule (docs/HARVEST_SIGNAL.md): xxh3-64 of the task text with ASCII
// whitespace trimmed at both ends, seed 0x73706c6974 ("split"); a task is
// Heldout when that hash mod 100 is below kHeldoutPercent. Apply it to the
// corpus entry's own text (the question, instruction or prompt), before any
// wrapper is added. Pure function: any thread.
constexpr int kHeldoutPercent = 30;
CorpusPart corpusSplit(std::string_view taskText);

} // namespace ds
