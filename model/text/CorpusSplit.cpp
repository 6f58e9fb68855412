#include "text/CorpusSplit.h"

#include "core/Hashing.h"

namespace ds {

namespace {
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
} // namespace

CorpusPart corpusSplit(std::string_view taskText)
{
    // Trimmed so that a corpus line's trailing newline does not move a task
    // from one part to the other.
    while (!taskText.empty() && isSpace(taskText.front()))
        taskText.remove_prefix(1);
    while (!taskText.empty() && isSpace(taskText.back()))
        taskText.remove_suffix(1);
    const std::uint64_t h = hash64(taskText, 0x73706c6974ull);
    return h % 100 < static_cast<std::uint64_t>(kHeldoutPercent) ? CorpusPart::Heldout : CorpusPart::Train;
}

} // namespace ds
