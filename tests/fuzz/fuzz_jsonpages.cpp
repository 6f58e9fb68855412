#include "ParseHarness.h"

#include "ingest/JsonArrayReader.h"
#include "ingest/LogFormats.h"

#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

// libFuzzer entry: pages of paginated list APIs, objects wrapping the records array ({"data": [...], "total": N}:
// LiteLLM's /spend/logs/ui and /v2; issue 14). The sniffer's look at a page (JsonArrayReader::arrayMembers), then the
// import's reading of the input as pages whose records are in "data" (first byte even) or in the member the sniffer
// finds (odd), with the LiteLLM preset (bit 1 clear) or the canonical names (set): member names, values passed over,
// pages one after another, elements cut or oversized.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    static const std::shared_ptr<const ds::FieldMapping> litellm = [] {
        auto m = ds::logformats::presetMapping(QStringLiteral("litellm"));
        if (!m)
            std::abort();
        return m;
    }();
    static const ds::FieldMapping identity;
    const std::uint8_t mode = data[0];
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    const auto members = ds::JsonArrayReader::arrayMembers(text, 16);
    std::string member = "data";
    if ((mode & 1) && !members.empty())
        member = std::string(members.front().name);
    ds::fuzz::harness().parse(data + 1, size - 1, ds::fuzz::ParseHarness::Format::JsonLines, ds::RecordKind::Requests,
                              (mode & 2) ? identity : *litellm, member);
    return 0;
}
