#include "ParseHarness.h"

#include "ingest/LogFormats.h"

#include <array>
#include <cstdlib>
#include <memory>

namespace {

// The shipped formats read through JsonRecordExtractor (whole-document mappings); canonical has its own target.
const char* const kFormats[] = {"litellm", "helicone", "langfuse", "bedrock", "otlp"};
constexpr std::size_t kFormatCount = sizeof kFormats / sizeof kFormats[0];

} // namespace

// libFuzzer entry: gateway and cloud logs (issue 14). The first byte chooses the preset mapping (its top bit: read as
// CSV, each row as a JSON object of its cells, as psql exports LiteLLM's table), the rest is the log, read as JSON
// Lines (or one document, or CloudWatch events, as the sniffer finds): simdjson's document per line, records found under "[]" paths (OTLP batches), JSON strings
// parsed again (Helicone's request_body, OTLP's gen_ai.input.messages), prompts picked from message arrays
// (ingest/MessageText.h), then the record builder and the interner as an import runs them.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    static const auto mappings = [] {
        std::array<std::shared_ptr<const ds::FieldMapping>, kFormatCount> out;
        for (std::size_t i = 0; i < kFormatCount; ++i) {
            out[i] = ds::logformats::presetMapping(QString::fromLatin1(kFormats[i]));
            if (!out[i] || !out[i]->needsDocument())
                std::abort(); // the target would not reach the extractor
        }
        return out;
    }();
    const ds::FieldMapping& mapping = *mappings[(data[0] & 0x7F) % kFormatCount];
    const bool csv = (data[0] & 0x80) != 0;
    ds::fuzz::harness().parse(data + 1, size - 1,
                              csv ? ds::fuzz::ParseHarness::Format::Csv : ds::fuzz::ParseHarness::Format::JsonLines,
                              ds::RecordKind::Requests, mapping);
    return 0;
}
