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

// One member of an object written as numbered attributes: PREFIX.N.FIELD = value.
struct IndexedField
{
    std::uint32_t index = 0;
    std::string_view field;         // what follows "PREFIX.N.": "name", "description", "parameters"
    simdjson::dom::element value;   // unwrapped
};

// The objects under `prefix` in a list of {key, value} attributes, as OpenLLMetry (Traceloop) records the functions a
// request offers (llm.request.functions.0.name, .description, .parameters; gen_ai.request.functions.N.* in the
// instrumentations that renamed its attributes): every PREFIX.N.FIELD, ordered by N, then by FIELD. The first of a
// repeated (N, FIELD) is kept; at most kMaxMessages distinct N, the lowest. Returns the number of distinct N.
std::size_t indexedFields(simdjson::dom::array attributes, std::string_view prefix, std::vector<IndexedField>& out);

} // namespace ds::otel
