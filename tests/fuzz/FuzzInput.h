#pragma once

#include "ParseHarness.h"

#include <optional>

namespace ds::fuzz {

// Splits a fuzz input into its first byte, which chooses the record kind and
// the field mapping, and the log bytes that follow. The fuzzer's thread only.
struct FuzzInput
{
    RecordKind kind = RecordKind::Requests;
    const FieldMapping* mapping = nullptr;
    const std::uint8_t* data = nullptr;
    std::size_t size = 0;
};
std::optional<FuzzInput> splitInput(const std::uint8_t* data, std::size_t size);

// Runs a log-format fuzz target's input through the harness.
int fuzzLog(const std::uint8_t* data, std::size_t size, ParseHarness::Format format);

} // namespace ds::fuzz
