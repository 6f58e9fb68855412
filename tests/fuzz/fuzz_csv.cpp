#include "FuzzInput.h"

// libFuzzer entry: CSV logs (first byte: record kind and mapping).
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    return ds::fuzz::fuzzLog(data, size, ds::fuzz::ParseHarness::Format::Csv);
}
