#include "FuzzInput.h"

#include "ingest/PartialJsonKeys.h"

#include <string_view>

// libFuzzer entry: JSON Lines logs (first byte: record kind and mapping). The
// bytes are also the start of a record cut anywhere, as the format sniff reads a
// first line longer than its sample (PartialJsonKeys), which inputs of
// -max_len never reach through the sniffer itself.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    // A crash or a read past the input is what this looks for; tst_partial_json_keys checks the names.
    static_cast<void>(ds::partialJsonKeys(std::string_view(reinterpret_cast<const char*>(data), size)));
    return ds::fuzz::fuzzLog(data, size, ds::fuzz::ParseHarness::Format::JsonLines);
}
