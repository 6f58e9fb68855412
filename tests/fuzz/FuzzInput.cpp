#include "FuzzInput.h"

#include <cstdlib>

namespace ds::fuzz {

namespace {

// A mapping with nested paths, conversions and a constant, so the fuzzer also
// reaches the renaming code and not only the canonical names.
const FieldMapping& nestedMapping()
{
    static const FieldMapping m = [] {
        QString error;
        auto loaded = FieldMapping::fromJson(
            R"({"fields": {"request_id": "id", "account_id": "user.id", "email_domain": "user.mail.domain",
                "timestamp": {"from": "created", "convert": "epoch_s"},
                "created_at": {"from": "since", "convert": "epoch_ms"},
                "latency_ms": "timing.total", "endpoint": {"value": "/v1/messages"}}})",
            &error);
        if (!loaded)
            std::abort();
        return *loaded;
    }();
    return m;
}

} // namespace

std::optional<FuzzInput> splitInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return std::nullopt;
    static const FieldMapping identity;
    FuzzInput in;
    in.kind = (data[0] & 1) ? RecordKind::Accounts : RecordKind::Requests;
    in.mapping = (data[0] & 2) ? &nestedMapping() : &identity;
    in.data = data + 1;
    in.size = size - 1;
    return in;
}

int fuzzLog(const std::uint8_t* data, std::size_t size, ParseHarness::Format format)
{
    const auto in = splitInput(data, size);
    if (!in)
        return 0;
    harness().parse(in->data, in->size, format, in->kind, *in->mapping);
    return 0;
}

} // namespace ds::fuzz
