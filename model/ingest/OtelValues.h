#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string_view>
#include <vector>

// What OpenTelemetry's OTLP/JSON encoding needs beyond plain JSON: typed attribute values, and chat messages
// written as numbered attributes. Pure functions over a simdjson DOM: any thread.
namespace ds::otel {

// An AnyValue ({"stringValue": "x"}, {"intValue": "42"}, {"arrayValue": {"values": [...]}}) -> the value it holds;
// anything else is returned as it is.
simdjson::dom::element unwrapAnyValue(simdjson::dom::element e);

// One message of a conversation written as numbered attributes.
struct IndexedMessage
{
    std::uint32_t index = 0;
    std::string_view role;               // empty when the log gives none
    simdjson::dom::element content;      // the content attribute's value (unwrapped), when hasContent
    bool hasContent = false;
};

// The messages under `prefix` in a list of {key, value} attributes, in index order: PREFIX.N.role and
// PREFIX.N.content, as OpenLLMetry (Traceloop) and other instrumentations written before the GenAI semantic
// conventions 1.27 record a prompt (gen_ai.prompt.0.role = "system", gen_ai.prompt.0.content = "..."). At most
// kMaxMessages, the lowest indexes; other keys under the prefix (tool_calls.0.name, ...) are passed over.
void indexedMessages(simdjson::dom::array attributes, std::string_view prefix, std::vector<IndexedMessage>& out);

constexpr std::size_t kMaxMessages = 512;

} // namespace ds::otel
