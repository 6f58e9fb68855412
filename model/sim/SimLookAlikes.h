#pragma once

#include "sim/SimBenignPrompts.h"
#include "sim/SimCorpus.h"
#include "sim/SimRandom.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ds {

// One programming class: its exercises, released as weekly sheets. Immutable after construction: any thread.
struct SimClassroom
{
    std::vector<std::string> exercises;
    std::int64_t startMs = 0;
    std::int64_t sheetMs = 7LL * 86400000;
    int perSheet = 20;

    // `count` exercises drawn (without repeats) from the simulator's exercise list, in the order the class does them.
    static SimClassroom make(SimRng& rng, int count, std::int64_t startMs, std::int64_t endMs);
};

// Prompts of the hard negatives that look like harvesting on one axis each (issue 13): students of one class asking
// about the same exercises, people asking step-by-step help with maths homework, agentic-coding power users.
// Pure functions of the caller's generator: any thread.
namespace simlookalike {

// A student's first turn about an exercise of the sheet current at `ts` (or the one before).
void studentTurn(SimRng& rng, const SimClassroom& c, std::int64_t ts, std::string& out);
void studentFollowUp(SimRng& rng, std::string& out);
// A parent or pupil asking how to solve a word problem, step by step.
void homeworkTurn(SimRng& rng, const SimCorpus& corpus, std::string& out);
void homeworkFollowUp(SimRng& rng, std::string& out);
// A power user's agentic-coding request, and the loop's next instruction.
void agentTurn(SimRng& rng, const SimBenignPrompts& benign, std::string& out);
void agentFollowUp(SimRng& rng, std::string& out);

} // namespace simlookalike
} // namespace ds
